#!/bin/sh
# Boot time, an in-guest workload and peak memory, Turtle against
# qemu-system-x86_64 (TCG, -M pc -cpu qemu64), same Debian amd64 kernel and
# initramfs, -smp 1 and 2.  Usage: boot-x86_64.sh [BUILDDIR] [RUNS]
build=${1:-build}
here=$(dirname "$0")
sh "$here/../functional/fetch-guests.sh" amd64 >/dev/null || exit 1
for smp in 1 2; do
    python3 "$here/boot_aarch64.py" "$build/turtle-system-x86_64" \
        --arch amd64 --smp $smp --runs "${2:-3}" || exit $?
done
