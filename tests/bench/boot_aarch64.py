#!/usr/bin/env python3
"""Boot benchmark: Turtle against QEMU, same kernel, initramfs and workload.

    boot_aarch64.py TURTLE_BINARY [--runs N] [--qemu QEMU]
                    [--arch arm64|amd64] [--smp N]

arm64: -M virt -cpu cortex-a57 (qemu-system-aarch64); amd64: -M pc
-cpu qemu64 (qemu-system-x86_64), both TCG, 512 MiB, -smp N (default 1).
For each emulator (QEMU only when installed), in one run of this script:
  boot      seconds from process start to the shell prompt
  workload  seconds for a fixed in-guest job: generate 16 MiB, sha256sum
            it, gzip it and gunzip it back (checked against the host)
  peak MiB  the emulator's peak resident memory (VmHWM) at the end
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

ARCHES = {
    "arm64": {"machine": ["-M", "virt", "-cpu", "cortex-a57"],
              "console": "ttyAMA0", "qemu": "qemu-system-aarch64"},
    "amd64": {"machine": ["-M", "pc", "-accel", "tcg", "-cpu", "qemu64"],
              "console": "ttyS0", "qemu": "qemu-system-x86_64"},
}
# 16 MiB: 1 MiB of a text pattern, 16 times (busybox has no fast PRNG tool)
WORKLOAD = ("seq 1 140000 | head -c 1048576 > /tmp/p && "
            "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do cat /tmp/p; done > /tmp/w && "
            "sha256sum < /tmp/w && gzip -c /tmp/w > /tmp/w.gz && "
            "gunzip -c /tmp/w.gz | sha256sum")


def expected_sha():
    pattern = "".join("%d\n" % i for i in range(1, 140001)).encode()[:1 << 20]
    return hashlib.sha256(pattern * 16).hexdigest()


def peak_mib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def one_run(argv, arch, smp, kernel, initrd, sha):
    a = ARCHES[arch]
    cmd = argv + a["machine"] + [
        "-m", "512", "-smp", str(smp), "-nographic", "-no-reboot",
        "-kernel", kernel, "-initrd", initrd,
        "-append", "console=%s panic=-1 quiet" % a["console"]]
    with Console(cmd) as c:
        c.expect(r"turtle# ", 600)
        boot = c.elapsed()
        c.run("true", 60)
        t0 = time.monotonic()
        out = c.run(WORKLOAD, 1200)
        work = time.monotonic() - t0
        if out.count(sha) != 2:
            raise RuntimeError("workload answered %r" % out)
        peak = peak_mib(c.proc.pid)
        c.poweroff(60)
    return boot, work, peak


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("turtle")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--qemu", help="default: per --arch")
    ap.add_argument("--arch", choices=sorted(ARCHES), default="arm64")
    ap.add_argument("--smp", type=int, default=1)
    args = ap.parse_args()
    args.qemu = args.qemu or ARCHES[args.arch]["qemu"]

    cache = os.environ.get("TURTLE_GUEST_CACHE",
                           os.path.join(os.path.expanduser("~"), ".cache", "turtle-guests"))
    kernel = os.path.join(cache, args.arch, "kernel")
    initrd = os.path.join(cache, args.arch, "initramfs.cpio.gz")
    if not (os.path.isfile(kernel) and os.path.isfile(initrd)):
        print("SKIP: no %s guest; run tests/functional/fetch-guests.sh"
              % args.arch)
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
            run = one_run(argv, args.arch, args.smp, kernel, initrd, sha)
            best = run if best is None else tuple(min(x, y) for x, y in
                                                  zip(best, run))
        results[name] = best

    print("%s -smp %d" % (args.arch, args.smp))
    print("%-10s %12s %14s %10s" % ("", "boot (s)", "workload (s)",
                                    "peak MiB"))
    for name, (boot, work, peak) in results.items():
        print("%-10s %12.2f %14.2f %10.0f" % (name, boot, work, peak))
    if "qemu" in results:
        tb, tw, tp = results["turtle"]
        qb, qw, qp = results["qemu"]
        print("%-10s %12.2f %14.2f %10.2f   (turtle / qemu; below 1.0 = "
              "turtle better)" % ("ratio", tb / qb, tw / qw, tp / qp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
