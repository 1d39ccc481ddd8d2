#!/bin/sh
# TCG micro-benchmarks: translated-code throughput on the native and TCI
# back ends and translation cost per IR op.  Usage: tcg-micro.sh [builddir] [scale]
build=${1:-build}
scale=${2:-1}
for exe in "$build/tests/unit/tcg-micro" "$build/tests/bench/tcg-micro"; do
    if [ -x "$exe" ]; then
        exec "$exe" "$scale"
    fi
done
echo "tcg-micro.sh: $build/tests/unit/tcg-micro not built (ninja -C $build tests/unit/tcg-micro)" >&2
exit 1
