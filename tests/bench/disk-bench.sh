#!/bin/sh
# In-guest disk throughput, turtle vs qemu-system-aarch64 in the same run:
# sequential dd and random 4 KiB O_DIRECT I/O (rwbench.c) on virtio-blk-pci
# disks, raw and qcow2; see disk_guest_bench.py.  Prints Turtle/QEMU
# ratios (above 1: Turtle is faster); never asserts on the figures.
# Usage: disk-bench.sh [builddir]
build=${1:-build}
here=$(dirname "$0")
if [ ! -x "$build/turtle-system-aarch64" ] || [ ! -x "$build/tools/turtle-img" ]; then
    echo "disk-bench.sh: build first (ninja -C $build)" >&2
    exit 1
fi
python3 "$here/disk_guest_bench.py" "$build/turtle-system-aarch64" \
    --turtle-img "$build/tools/turtle-img"
rc=$?
[ $rc = 77 ] && exit 0      # no guest images: nothing to measure
exit $rc
