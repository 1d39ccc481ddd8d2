#!/bin/sh
# make check's share of the differential tester: builds the guest program
# and the native harness (../Makefile), then runs difftest.py with a fixed
# seed.  Environment: TCG_BUILD_DIR (where to build), DIFFTEST_SEED,
# DIFFTEST_COUNT (cases per class), DIFFTEST_CLASSES.
#   run-difftest.sh EMULATOR
set -u
here=$(cd "$(dirname "$0")" && pwd)
bdir=${TCG_BUILD_DIR:-$here/../build}
[ "$(uname -m)" = x86_64 ] || { echo "difftest: not an x86-64 host: skipped"; exit 77; }
command -v python3 >/dev/null || { echo "difftest: no python3: skipped"; exit 77; }
make -s -C "$here/.." B="$bdir" "$bdir/difftest.elf" "$bdir/difftest-native" ||
    { echo "difftest: build failed"; exit 1; }
exec python3 "$here/difftest.py" --native "$bdir/difftest-native" \
    --elf "$bdir/difftest.elf" --emu "$1" --seed "${DIFFTEST_SEED:-1}" \
    --count "${DIFFTEST_COUNT:-400}" \
    --classes "${DIFFTEST_CLASSES:-int,string,x87,sse-fp,sse-int,sse-cvt,mmx,sse4}"
