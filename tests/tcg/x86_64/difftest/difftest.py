#!/usr/bin/env python3
"""Differential tester for the x86 front end (README.md in this directory).

Runs the same generated cases natively (difftest-native) and in a guest
under an emulator (difftest.elf), compares the per-case digests, and for
each divergence prints the instructions and the registers that differ.

    difftest.py --native B/difftest-native --elf B/difftest.elf \
        --emu build/turtle-system-x86_64 [--seed S] [--count N]
        [--classes int,string,...] [--max-report K] [--accept FILE]

Exit status 0 when every case matches (or its divergence is listed in the
accept file), 1 otherwise, 77 when the host cannot run the native side.
"""
import argparse
import os
import shlex
import subprocess
import sys

ALL = ["int", "string", "x87", "sse-fp", "sse-int", "sse-cvt", "mmx",
       "sse4", "avx", "avx2", "fma"]


def run_native(a, classes, count, dump=None):
    cmd = [a.native, "seed=%d" % a.seed, "count=%d" % count,
           "classes=" + ",".join(classes), "features=%d" % a.features]
    if dump is not None:
        cmd.append("dump=%d" % dump)
    return subprocess.run(cmd, capture_output=True, text=True,
                          timeout=a.timeout).stdout


def probe(a):
    """the DTF_* features both the host and the emulated CPU have"""
    n = subprocess.run([a.native, "probe"], capture_output=True, text=True,
                       timeout=a.timeout).stdout.split()
    a.features = 0
    e = run_guest(a, [], 0, extra=" probe").split()
    return int(n[1], 0) & int(e[1], 0)


def run_guest(a, classes, count, dump=None, extra=""):
    args = "seed=%d count=%d classes=%s features=%d" % (
        a.seed, count, ",".join(classes), a.features)
    if dump is not None:
        args += " dump=%d" % dump
    args += extra
    cmd = shlex.split(a.emu) + [
        "-M", "pc", "-m", "256", "-cpu", a.cpu, "-display", "none",
        "-serial", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
        "-kernel", a.elf, "-append", args]
    p = subprocess.run(cmd, capture_output=True, text=True,
                       timeout=a.timeout, stdin=subprocess.DEVNULL)
    return p.stdout


def parse(out):
    res = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3:
            res[(f[0], int(f[1]))] = f[2]
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--native", required=True)
    ap.add_argument("--elf", required=True)
    ap.add_argument("--emu", required=True)
    ap.add_argument("--cpu", default="max")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--classes", default=",".join(ALL[:7]))
    ap.add_argument("--max-report", type=int, default=5)
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--accept", help="file of 'class index' lines whose "
                    "divergence is deliberate")
    a = ap.parse_args()
    classes = a.classes.split(",")

    if not os.access(a.native, os.X_OK):
        print("difftest: no native harness (not an x86-64 host?): skipped")
        return 77
    accepted = set()
    if a.accept:
        with open(a.accept) as f:
            for line in f:
                line = line.split("#")[0].split()
                if len(line) >= 2:
                    accepted.add((line[0], int(line[1])))

    a.features = probe(a)
    print("difftest: features 0x%x" % a.features)
    nat = parse(run_native(a, classes, a.count))
    emu = parse(run_guest(a, classes, a.count))
    bad = []
    missing = 0
    per_class = {c: [0, 0] for c in classes}
    for key, h in sorted(nat.items(), key=lambda k: (classes.index(k[0][0]),
                                                    k[0][1])):
        per_class[key[0]][0] += 1
        if key not in emu:
            missing += 1
            bad.append(key)
        elif emu[key] != h and key not in accepted:
            bad.append(key)
    for key in bad:
        per_class[key[0]][1] += 1
    for c in classes:
        print("difftest: %-8s %5d cases, %d divergent" %
              (c, per_class[c][0], per_class[c][1]))
    for key in bad[:a.max_report]:
        cls, i = key
        n = run_native(a, [cls], i + 1, dump=i).splitlines()
        e = run_guest(a, [cls], i + 1, dump=i).splitlines()
        print("---- %s case %d (seed %d)" % (cls, i, a.seed))
        if n:
            print("  " + n[0])
        for ln, le in zip(n, e):
            if ln != le:
                print("  native: " + ln)
                print("  emu:    " + le)
        if len(n) != len(e):
            print("  (native %d lines, emu %d lines)" % (len(n), len(e)))
    total = sum(v[0] for v in per_class.values())
    print("difftest: seed %d: %d cases, %d divergent%s" %
          (a.seed, total, len(bad),
           ", %d missing from the emulator's output" % missing
           if missing else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
