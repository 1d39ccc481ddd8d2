#!/bin/sh
# KVM start-up, turtle against qemu-system-x86_64, both -accel kvm on the
# same real /dev/kvm (this machine's or tests/kvm/host's software host).
# Usage: kvm-boot.sh [BUILDDIR] [RUNS]
build=${1:-build}
here=$(dirname "$0")
sh "$here/../functional/fetch-guests.sh" amd64 >/dev/null || exit 1
ninja -C "$build" tests/kvm/bz.img >/dev/null 2>&1
exec python3 "$here/kvm_boot.py" "$build/turtle-system-x86_64" \
    --guest-dir "$build/tests/kvm" --runs "${2:-3}"
