#!/usr/bin/env python3
"""Boot benchmark: Turtle against QEMU, same kernel, initramfs and workload.

    boot_aarch64.py TURTLE_BINARY [--runs N] [--qemu qemu-system-aarch64]

For each emulator (QEMU only when installed), in one run of this script:
  boot      seconds from process start to the shell prompt
  workload  seconds for a fixed in-guest job: generate 16 MiB, sha256sum
            it, gzip it and gunzip it back (checked against the host)
Each figure is the best of --runs (default 3) runs.  Prints a table with the
Turtle/QEMU ratio (below 1.0: Turtle is faster).  Exit 77 when the guest
images are missing (tests/functional/fetch-guests.sh).
"""
import argparse
import hashlib
import os
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "functional"))
from console import Console  # noqa: E402

MACHINE = ["-M", "virt", "-cpu", "cortex-a57", "-m", "512", "-smp", "1",
           "-nographic", "-no-reboot"]
# 16 MiB: 1 MiB of a text pattern, 16 times (busybox has no fast PRNG tool)
WORKLOAD = ("seq 1 140000 | head -c 1048576 > /tmp/p && "
            "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do cat /tmp/p; done > /tmp/w && "
            "sha256sum < /tmp/w && gzip -c /tmp/w > /tmp/w.gz && "
            "gunzip -c /tmp/w.gz | sha256sum")


def expected_sha():
    pattern = "".join("%d\n" % i for i in range(1, 140001)).encode()[:1 << 20]
    return hashlib.sha256(pattern * 16).hexdigest()


def one_run(argv, kernel, initrd, sha):
    cmd = argv + MACHINE + ["-kernel", kernel, "-initrd", initrd,
                            "-append", "console=ttyAMA0 panic=-1 quiet"]
    with Console(cmd) as c:
        c.expect(r"turtle# ", 600)
        boot = c.elapsed()
        c.run("true", 60)
        t0 = time.monotonic()
        out = c.run(WORKLOAD, 1200)
        work = time.monotonic() - t0
        if out.count(sha) != 2:
            raise RuntimeError("workload answered %r" % out)
        c.poweroff(60)
    return boot, work


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("turtle")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--qemu", default="qemu-system-aarch64")
    args = ap.parse_args()

    cache = os.environ.get("TURTLE_GUEST_CACHE",
                           os.path.join(os.path.expanduser("~"), ".cache", "turtle-guests"))
    kernel = os.path.join(cache, "arm64", "kernel")
    initrd = os.path.join(cache, "arm64", "initramfs.cpio.gz")
    if not (os.path.isfile(kernel) and os.path.isfile(initrd)):
        print("SKIP: no arm64 guest; run tests/functional/fetch-guests.sh")
        return 77
    sha = expected_sha()
    emulators = [("turtle", [args.turtle])]
    if shutil.which(args.qemu):
        emulators.append(("qemu", [args.qemu]))
    else:
        print("note: %s not installed: no comparison" % args.qemu)

    results = {}
    for name, argv in emulators:
        best = None
        for _ in range(args.runs):
            boot, work = one_run(argv, kernel, initrd, sha)
            best = (boot, work) if best is None else (min(best[0], boot), min(best[1], work))
        results[name] = best

    print("%-10s %12s %14s" % ("", "boot (s)", "workload (s)"))
    for name, (boot, work) in results.items():
        print("%-10s %12.2f %14.2f" % (name, boot, work))
    if "qemu" in results:
        tb, tw = results["turtle"]
        qb, qw = results["qemu"]
        print("%-10s %12.2f %14.2f   (turtle / qemu; below 1.0 = turtle faster)"
              % ("ratio", tb / qb, tw / qw))
    return 0


if __name__ == "__main__":
    sys.exit(main())
