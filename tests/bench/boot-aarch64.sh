#!/bin/sh
# Boot time and an in-guest workload, Turtle against qemu-system-aarch64,
# same Debian kernel and initramfs.  Usage: boot-aarch64.sh [BUILDDIR] [RUNS]
build=${1:-build}
here=$(dirname "$0")
sh "$here/../functional/fetch-guests.sh" arm64 >/dev/null || exit 1
exec python3 "$here/boot_aarch64.py" "$build/turtle-system-aarch64" --runs "${2:-3}"
