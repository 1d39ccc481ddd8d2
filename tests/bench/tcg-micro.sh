#!/bin/sh
# TCG micro-benchmarks: translated-code throughput on the native and TCI
# back ends and translation cost per IR op.  Then, when the AArch64 guest
# tests are built, whole-run times of a few of them on both back ends and,
# if installed, on qemu-system-aarch64 (short runs: start-up dominates).
# Usage: tcg-micro.sh [builddir] [scale]
build=${1:-build}
scale=${2:-1}
src=$(cd "$(dirname "$0")/../.." && pwd)

micro=
for exe in "$build/tests/unit/tcg-micro" "$build/tests/bench/tcg-micro"; do
    if [ -x "$exe" ]; then
        micro=$exe
        break
    fi
done
if [ -z "$micro" ]; then
    echo "tcg-micro.sh: $build/tests/unit/tcg-micro not built (ninja -C $build tests/unit/tcg-micro)" >&2
    exit 1
fi
"$micro" "$scale" || exit 1

turtle=$build/turtle-system-aarch64
elfdir=$src/tests/tcg/aarch64/build
[ -x "$turtle" ] && [ -d "$elfdir" ] || exit 0

now() { date +%s.%N; }
run_all() {   # emulator args...
    t0=$(now)
    for t in int-arith ldst branch atomics; do
        [ -f "$elfdir/$t.elf" ] || continue
        timeout 60 "$@" -cpu max -m 128 -kernel "$elfdir/$t.elf" </dev/null >/dev/null 2>&1
    done
    echo "$(now) $t0" | awk '{ printf "%.3f", $1 - $2 }'
}

machine=virt
echo
echo "[guest tests int-arith ldst branch atomics, wall seconds]"
native=$(run_all "$turtle" -M $machine -nographic -semihosting -accel tcg,backend=native)
tci=$(run_all "$turtle" -M $machine -nographic -semihosting -accel tcg,backend=tci)
echo "  turtle native  $native s"
echo "  turtle tci     $tci s"
if command -v qemu-system-aarch64 >/dev/null 2>&1; then
    qemu=$(run_all qemu-system-aarch64 -M virt -nographic -semihosting -accel tcg)
    echo "  qemu 7.2 tcg   $qemu s"
    echo "$native $qemu" | awk '{ if ($2 > 0) printf "  turtle native / qemu = %.2f\n", $1 / $2 }'
fi
