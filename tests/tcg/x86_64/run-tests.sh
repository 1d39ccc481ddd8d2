#!/bin/sh
# Run the bare-metal x86-64 tests under an emulator and compare with .ref.
#
#   tests/tcg/x86_64/run-tests.sh EMULATOR [ARGS...]
# e.g.
#   tests/tcg/x86_64/run-tests.sh build/turtle-system-x86_64
#   tests/tcg/x86_64/run-tests.sh qemu-system-x86_64 -accel tcg
#
# Each test gets
#   -M pc -m 256 -cpu MODEL -display none -serial stdio
#   -device isa-debug-exit,iobase=0xf4,iosize=4 -kernel build/NAME.elf
# appended (smp-* tests also -smp 4) and runs with a timeout of
# ${TCG_TEST_TIMEOUT:-30} seconds.  A test passes when its COM1 output
# equals NAME.ref and it exits through isa-debug-exit with code 0 (exit
# status 1).  Environment: TESTS="a b" runs a subset; TCG_BUILD_DIR=
# where to build (default: build/ next to this script); TCG_CPU=model
# forces one CPU model.  Exit status 1 if any test fails.
set -u
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

cpu_for() {
    if [ -n "${TCG_CPU:-}" ]; then
        echo "$TCG_CPU"
        return
    fi
    case "$1" in
    *) echo max ;;
    esac
}

args_for() {
    case "$1" in
    smp-*) printf ' -smp 4' ;;
    esac
}

bdir=${TCG_BUILD_DIR:-$here/build}
make -s -C "$here" B="$bdir" || { echo "run-tests: build failed"; exit 1; }

emu=
for a in "$@"; do
    emu="$emu '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"
done
tests=${TESTS:-$(cd "$here" && ls *.ref | sed 's/\.ref$//')}
out=$bdir/out
mkdir -p "$out"
pass=0
fail=0
failed=
for t in $tests; do
    cpu=$(cpu_for "$t")
    start=$(date +%s)
    eval "timeout ${TCG_TEST_TIMEOUT:-30} $emu$(args_for "$t") -M pc -m 256 \
        -cpu $cpu -display none -serial stdio \
        -device isa-debug-exit,iobase=0xf4,iosize=4 -kernel '$bdir/$t.elf'" \
        </dev/null >"$out/$t.out" 2>"$out/$t.err"
    rc=$?
    secs=$(( $(date +%s) - start ))
    if [ $rc = 124 ]; then
        why="timeout"
    elif ! diff -u "$here/$t.ref" "$out/$t.out" >"$out/$t.diff" 2>&1; then
        why="output differs ($(grep -c '^[-+][^-+]' "$out/$t.diff") lines, see $out/$t.diff)"
    elif [ $rc != 1 ]; then
        why="exit status $rc (want 1: isa-debug-exit code 0)"
    else
        why=
    fi
    if [ -z "$why" ]; then
        pass=$((pass + 1))
        printf '%-14s PASS  (%s, %ds)\n' "$t" "$cpu" "$secs"
    else
        fail=$((fail + 1))
        failed="$failed $t"
        printf '%-14s FAIL  (%s, %ds) %s\n' "$t" "$cpu" "$secs" "$why"
    fi
done
echo "tcg/x86_64: $pass passed, $fail failed${failed:+:$failed}"
[ "$fail" = 0 ]
