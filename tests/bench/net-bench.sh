#!/bin/sh
# Guest<->host TCP throughput and request latency over user networking,
# Turtle against qemu-system-aarch64 (virtio-net-device on virt, same
# Debian kernel and initramfs).  Usage: net-bench.sh [BUILDDIR] [RUNS] [MIB]
build=${1:-build}
here=$(dirname "$0")
sh "$here/../functional/fetch-guests.sh" arm64 >/dev/null || exit 1
exec python3 "$here/net_bench.py" "$build/turtle-system-aarch64" \
    --runs "${2:-3}" --mib "${3:-16}"
