#!/bin/sh
# Run the bare-metal AArch64 tests under an emulator and compare with .ref.
#
#   tests/tcg/aarch64/run-tests.sh EMULATOR [ARGS...]
# e.g.
#   tests/tcg/aarch64/run-tests.sh build/turtle-system-aarch64 -M virt -nographic -semihosting
#   tests/tcg/aarch64/run-tests.sh qemu-system-aarch64 -M virt -nographic -semihosting
#
# The CPU model is chosen per test (LSE atomics need "max", the rest are
# pinned to "cortex-a57" because some print ID-register dependent facts), so
# any -cpu in the given command is dropped.  Each test gets
#   -cpu MODEL -m 128 -kernel build/NAME.elf
# appended and runs with a timeout of ${TCG_TEST_TIMEOUT:-20} seconds.
# Semihosting output (QEMU sends it to stderr) and stdout are both compared.
# Environment: TESTS="a b" runs a subset; CROSS= the cross prefix for make;
# TCG_BUILD_DIR= where to build (default: build/ next to this script);
# TCG_CPU=model forces one CPU model for all tests (the mmu .ref expects
# cortex-a57's granules, atomics needs LSE).
# Multi-processor tests (smp-*) also get "-smp 4"; smp-*-gicv3 tests get
# ",gic-version=3" appended to the -M/-machine value, el2* tests
# ",virtualization=on".
# Exit status 1 if any test fails.
set -u
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

# Drop "-cpu X" from the command.
emu=
skip=0
prev_m=0
machine=
for a in "$@"; do
    if [ "$skip" = 1 ]; then skip=0; continue; fi
    case "$a" in
    -cpu) skip=1; continue ;;
    esac
    if [ "$prev_m" = 1 ]; then prev_m=0; machine=$a; continue; fi
    case "$a" in
    -M|-machine) prev_m=1; continue ;;
    esac
    emu="$emu '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"
done

# Extra arguments per test: the machine (kept as given unless the test needs
# a GICv3) and the number of CPUs.
args_for() {
    m=$machine
    case "$1" in
    smp-*-gicv3) m="$m,gic-version=3" ;;
    el2*) m="$m,virtualization=on" ;;
    esac
    [ -n "$m" ] && printf " -M '%s'" "$m"
    case "$1" in
    smp-*) printf ' -smp 4' ;;
    esac
}

cpu_for() {
    if [ -n "${TCG_CPU:-}" ]; then
        echo "$TCG_CPU"
        return
    fi
    case "$1" in
    atomics|smp-lse|smp-ordering|smp-codepage) echo max ;;
    *) echo cortex-a57 ;;
    esac
}

bdir=${TCG_BUILD_DIR:-$here/build}
make -s -C "$here" CROSS="${CROSS:-aarch64-linux-gnu-}" B="$bdir" || { echo "run-tests: build failed"; exit 1; }

tests=${TESTS:-$(cd "$here" && ls *.ref | sed 's/\.ref$//')}
out=$bdir/out
mkdir -p "$out"
pass=0
fail=0
failed=
for t in $tests; do
    cpu=$(cpu_for "$t")
    start=$(date +%s)
    eval "timeout ${TCG_TEST_TIMEOUT:-20} $emu$(args_for "$t") -cpu $cpu -m 128 -kernel '$bdir/$t.elf'" \
        </dev/null >"$out/$t.out" 2>&1
    rc=$?
    secs=$(( $(date +%s) - start ))
    if [ $rc = 124 ]; then
        why="timeout"
    elif ! diff -u "$here/$t.ref" "$out/$t.out" >"$out/$t.diff" 2>&1; then
        why="output differs ($(grep -c '^[-+][^-+]' "$out/$t.diff") lines, see $out/$t.diff)"
    elif [ $rc != 0 ]; then
        why="exit status $rc"
    else
        why=
    fi
    if [ -z "$why" ]; then
        pass=$((pass + 1))
        printf '%-12s PASS  (%s, %ds)\n' "$t" "$cpu" "$secs"
    else
        fail=$((fail + 1))
        failed="$failed $t"
        printf '%-12s FAIL  (%s, %ds) %s\n' "$t" "$cpu" "$secs" "$why"
    fi
done
echo "tcg/aarch64: $pass passed, $fail failed${failed:+:$failed}"
[ "$fail" = 0 ]
