#!/bin/sh
# accel/tcg benchmark: toy-ISA programs through cpu_exec on the native and
# TCI back ends (throughput, TLB, indirect jumps, MMIO, translation cost).
# Usage: tcg-exec-bench.sh [builddir] [scale]
build=${1:-build}
scale=${2:-1}
exe="$build/tests/unit/tcg-exec-bench"
if [ ! -x "$exe" ]; then
    echo "tcg-exec-bench.sh: $exe not built (ninja -C $build tests/unit/tcg-exec-bench)" >&2
    exit 1
fi
exec "$exe" "$scale"
