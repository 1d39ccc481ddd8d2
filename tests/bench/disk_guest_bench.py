#!/usr/bin/env python3
"""In-guest disk benchmark: Turtle against QEMU, same guest, same disks.

    disk_guest_bench.py TURTLE_BINARY --turtle-img TURTLE_IMG [--mb 64]
                        [--ops 3000] [--qemu qemu-system-aarch64]

The Debian arm64 guest (tests/functional/fetch-guests.sh) gets two
virtio-blk-pci disks: the one measured (a fresh 256 MiB raw or qcow2
image, cache=writeback, the default) and a small read-only ext4 disk
holding rwbench (tests/bench/rwbench.c, built here with
aarch64-linux-gnu-gcc).  In the guest, on the measured disk:
  seq-write   dd 1 MiB blocks, MB MiB, conv=fsync
  seq-read    dd 1 MiB blocks, MB MiB, after dropping the guest's cache
  rand-read   rwbench: OPS random 4 KiB O_DIRECT reads over 256 MiB
  rand-write  rwbench: OPS random 4 KiB O_DIRECT writes over 256 MiB
--drive-opts adds options to the measured -drive of both emulators
(",aio=threads", ",cache=none"); --formats picks raw and/or qcow2.
(qcow2: the writes allocate clusters on first touch, as a fresh image
does; the reads come after them, so they read allocated clusters.)
Each figure is the best of --runs runs (default 3, emulators alternating).
All figures are timed from the host around the guest command (the
guest's own clock is the emulator's to keep, so it is not trusted here):
MB/s for dd, IOPS for rwbench.  The table
gives Turtle/QEMU ratios: above 1.0 Turtle is faster.  No assertion on
the figures.  Exit 77 without the guest images or the cross compiler.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "functional"))
from console import Console  # noqa: E402

MACHINE = ["-M", "virt", "-cpu", "cortex-a57", "-m", "512", "-smp", "1",
           "-nographic", "-no-reboot"]
DISK_MB = 256


def sh(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def find_disk(c, serial):
    dev = c.run("for d in /sys/block/vd*; do [ \"$(cat $d/serial)\" = %s ] "
                "&& echo ${d##*/}; done" % serial)
    if not dev.startswith("vd"):
        raise SystemExit("no disk with serial %s: %r" % (serial, dev))
    return "/dev/" + dev


def timed(c, cmd, timeout=900):
    t0 = time.monotonic()
    out = c.run(cmd, timeout=timeout)
    if c.last_status != 0:
        raise SystemExit("guest command failed: %s: %s" % (cmd, out))
    return time.monotonic() - t0, out


def one_run(emu, fmt, args, tmp, kernel, initrd, tools):
    img = os.path.join(tmp, "bench." + fmt)
    if os.path.exists(img):
        os.unlink(img)
    if fmt == "raw":
        with open(img, "wb") as f:
            f.truncate(DISK_MB << 20)
    else:
        sh(args.turtle_img, "create", "-f", "qcow2", img, "%dM" % DISK_MB)
    cmd = emu + MACHINE + [
        "-kernel", kernel, "-initrd", initrd,
        "-append", "console=ttyAMA0 panic=-1",
        "-drive", "file=%s,format=%s,if=none,id=d0%s" % (img, fmt,
                                                         args.drive_opts),
        "-device", "virtio-blk-pci,drive=d0,serial=bench",
        "-drive", "file=%s,format=raw,if=none,id=d1,readonly=on" % tools,
        "-device", "virtio-blk-pci,drive=d1,serial=tools",
    ]
    r = {}
    with Console(cmd) as c:
        c.expect(r"TURTLE-GUEST-READY", timeout=600)
        c.expect(r"turtle# ")
        disk, tdisk = find_disk(c, "bench"), find_disk(c, "tools")
        c.run("mount -o ro -t ext4 %s /mnt" % tdisk, timeout=120)
        mb = args.mb
        t, _ = timed(c, "dd if=/dev/zero of=%s bs=1M count=%d conv=fsync "
                     "2>/dev/null" % (disk, mb))
        r["seq-write"] = mb / t
        c.run("sync; echo 3 > /proc/sys/vm/drop_caches")
        t, _ = timed(c, "dd if=%s of=/dev/null bs=1M count=%d 2>/dev/null"
                     % (disk, mb))
        r["seq-read"] = mb / t
        t, out = timed(c, "/mnt/rwbench %s randwrite %d %d"
                       % (disk, args.ops, DISK_MB))
        r["rand-write"] = args.ops / t
        t, out = timed(c, "/mnt/rwbench %s randread %d %d"
                       % (disk, args.ops, DISK_MB))
        r["rand-read"] = args.ops / t
        c.poweroff()
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("turtle")
    ap.add_argument("--turtle-img", required=True)
    ap.add_argument("--qemu", default="qemu-system-aarch64")
    ap.add_argument("--mb", type=int, default=64)
    ap.add_argument("--ops", type=int, default=3000)
    ap.add_argument("--drive-opts", default="",
                    help="appended to the measured -drive (e.g. ,aio=threads)")
    ap.add_argument("--formats", default="raw,qcow2")
    ap.add_argument("--runs", type=int, default=3,
                    help="runs per emulator and format; the best counts")
    args = ap.parse_args()

    cache = os.environ.get("TURTLE_GUEST_CACHE",
                           os.path.join(os.path.expanduser("~"), ".cache", "turtle-guests"))
    kernel = os.path.join(cache, "arm64", "kernel")
    initrd = os.path.join(cache, "arm64", "initramfs.cpio.gz")
    cc = shutil.which("aarch64-linux-gnu-gcc")
    if not (os.path.isfile(kernel) and os.path.isfile(initrd)) or not cc:
        print("SKIP: needs the arm64 guest (fetch-guests.sh) and "
              "aarch64-linux-gnu-gcc")
        return 77
    emus = [("turtle", [args.turtle])]
    if shutil.which(args.qemu):
        emus.append(("qemu", [args.qemu]))

    with tempfile.TemporaryDirectory(prefix="disk-bench-",
                                     dir=os.environ.get("TMPDIR", "/var/tmp")) as tmp:
        tree = os.path.join(tmp, "tools")
        os.mkdir(tree)
        sh(cc, "-O2", "-static", "-nostdlib", "-ffreestanding",
           "-fno-stack-protector", "-o", os.path.join(tree, "rwbench"),
           os.path.join(HERE, "rwbench.c"))
        tools = os.path.join(tmp, "tools.img")
        with open(tools, "wb") as f:
            f.truncate(8 << 20)
        sh("mke2fs", "-q", "-F", "-t", "ext4", "-d", tree, tools)

        res = {}
        formats = args.formats.split(",")
        # emulators alternate, each figure is the best of its runs: the
        # machine is shared, and a busy neighbour only ever slows a run
        for run in range(args.runs):
            for fmt in formats:
                for name, emu in emus:
                    r = one_run(emu, fmt, args, tmp, kernel, initrd, tools)
                    print("run %d %-6s %-5s %s" % (run + 1, name, fmt, " ".join(
                        "%s=%.1f" % kv for kv in r.items())), flush=True)
                    best = res.setdefault((name, fmt), {})
                    for k, v in r.items():
                        best[k] = max(best.get(k, 0), v)

    print()
    print("%-6s %-11s %12s %12s %7s" % ("format", "workload", "turtle",
                                         "qemu", "ratio"))
    for fmt in formats:
        for w, unit in (("seq-write", "MB/s"), ("seq-read", "MB/s"),
                        ("rand-write", "IOPS"), ("rand-read", "IOPS")):
            t = res[("turtle", fmt)][w]
            q = res.get(("qemu", fmt), {}).get(w)
            print("%-6s %-11s %7.1f %-4s %7s %-4s %7s" % (
                fmt, w, t, unit, "%.1f" % q if q else "-", unit if q else "",
                "%.2f" % (t / q) if q else "-"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
