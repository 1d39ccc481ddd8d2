#!/usr/bin/env python3
"""KVM start-up benchmark: turtle -accel kvm against qemu-system-x86_64
-accel kvm, same guests, same real /dev/kvm (this machine's or the software
host of tests/kvm/host/kvmhost.py, booted once for all runs).

    kvm_boot.py TURTLE [--runs N] [--guest-dir build/tests/kvm]

Figures (seconds, best of --runs, measured from the job's start on the KVM
host to the event, so both VMMs pay the same channel latency):
  first-insn  process start to the guest's first instruction: a 64 KiB
              -bios whose reset vector writes isa-debug-exit, so the run
              ends there (QEMU exits on that write; so does turtle)
  bzimage     the tests/kvm bzImage guest from start to its exit (direct
              boot, all its checks)
  linux-shell Debian's amd64 kernel + busybox initramfs to the shell prompt
  linux-off   ... and to the end of the process after `poweroff -f`
              (ACPI S5 through the PIIX4 PM device)
QEMU boots the same bzImage through SeaBIOS and its linuxboot option ROM,
as `-kernel` does there; turtle enters the kernel directly.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "kvm", "host"))
import kvmhost  # noqa: E402

QEMU_DATA = ["/usr/share/seabios/bios-256k.bin",
             "/usr/share/qemu/linuxboot_dma.bin",
             "/usr/share/qemu/kvmvapic.bin"]
EXIT_DEV = ["-device", "isa-debug-exit,iobase=0xf4,iosize=4"]


def reset_vector_bios(path):
    """64 KiB image; at 0xfff0: mov al,0x7; out 0xf4,al; hlt; jmp $-1."""
    img = bytearray(b"\xf4" * 65536)
    img[0xfff0:0xfff6] = b"\xb0\x07\xe6\xf4\xf4\xeb"
    img[0xfff6] = 0xfd
    with open(path, "wb") as f:
        f.write(img)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("turtle")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--linux-runs", type=int, default=2)
    ap.add_argument("--guest-dir", default="build/tests/kvm")
    ap.add_argument("--qemu", default=shutil.which("qemu-system-x86_64"))
    ap.add_argument("--only", action="append",
                    choices=("first-insn", "bzimage", "linux"),
                    help="run only these measurements (repeatable)")
    args = ap.parse_args()
    cache = kvmhost.cache_dir()
    kernel = os.path.join(cache, "amd64", "kernel")
    initrd = os.path.join(cache, "amd64", "initramfs.cpio.gz")
    have_linux = os.path.isfile(kernel) and os.path.isfile(initrd)
    bz = os.path.join(args.guest_dir, "bz.img")
    try:
        host = kvmhost.open_host()
    except kvmhost.Skip as e:
        print("SKIP: %s" % e)
        return 77
    tmp = tempfile.mkdtemp(prefix="turtle-kvmbench-")
    bios = os.path.join(tmp, "exit.bin")
    reset_vector_bios(bios)
    vmms = {"turtle": args.turtle}
    if args.qemu:
        vmms["qemu"] = args.qemu
    base = ["-M", "pc", "-accel", "kvm", "-m", "512", "-display", "none",
            "-no-reboot"]
    jobs = []
    only = set(args.only or ("first-insn", "bzimage", "linux"))
    # turtle and QEMU alternate, so a change in the machine's load during
    # the run (it is shared) hits both the same
    for r in range(args.runs):
        for vmm, prog in vmms.items():
            # QEMU looks for its firmware next to its binary (../share/...),
            # which is elsewhere inside the software host: name the folders
            extra = (["-nodefaults", "-L", "/usr/share/seabios", "-L",
                      "/usr/share/qemu"] if vmm == "qemu" else [])
            same = QEMU_DATA if vmm == "qemu" else []
            common = " ".join(base + extra)
            if "first-insn" in only:
                name = "%s-first-insn-%d" % (vmm, r)
                host.add_script(name, '"$P" %s -bios "$B" %s\n' % (
                    common, " ".join(EXIT_DEV)),
                    programs={"P": prog}, files={"B": bios}, timeout=120,
                    same_path=same)
                jobs.append(("first-insn", vmm, name))
            if "bzimage" in only and os.path.isfile(bz):
                name = "%s-bzimage-%d" % (vmm, r)
                host.add_script(name, '"$P" %s -serial null -kernel "$K" '
                                '-append turtle-test -initrd "$K" %s\n' % (
                                    common, " ".join(EXIT_DEV)),
                                programs={"P": prog}, files={"K": bz},
                                timeout=120, same_path=same)
                jobs.append(("bzimage", vmm, name))
            if "linux" in only and have_linux and r < args.linux_runs:
                name = "%s-linux-%d" % (vmm, r)
                host.add_script(name, '"$P" %s -serial stdio -kernel "$K" '
                                '-initrd "$I" -append "console=ttyS0 '
                                'panic=-1"\n' % common,
                                programs={"P": prog},
                                files={"K": kernel, "I": initrd},
                                timeout=300, interactive=True,
                                same_path=same)
                jobs.append(("linux", vmm, name))
    best = {}

    def note(what, vmm, secs):
        key = (what, vmm)
        if secs is not None and (best.get(key) is None or secs < best[key]):
            best[key] = secs
        best.setdefault(key, None)

    print("kvm host: %s" % host.description, flush=True)
    with host:
        if host.kind == "software":
            print("kvm host: up in %.1fs" % host.boot_time, flush=True)
        for what, vmm, name in jobs:
            if what != "linux":
                st, out = host.run(name)
                # isa-debug-exit statuses are odd: the guest got there
                ok = st & 1 and st < 128 and not host.timed_out
                note(what, vmm, host.elapsed if ok else None)
                print("%-10s %-6s %6.2fs status %d" % (what, vmm,
                                                       host.elapsed, st),
                      flush=True)
                continue
            s = host.begin(name)
            t0 = time.monotonic()
            shell = off = None
            try:
                s.expect("turtle# ", 240)
                shell = time.monotonic() - t0
                s.sendline("poweroff -f")
                s.finish(60)
                off = time.monotonic() - t0
            except kvmhost.ConsoleError:
                s.send("\x01x")
                s.finish(60)
            note("linux-shell", vmm, shell)
            note("linux-off", vmm, off)
            print("%-10s %-6s shell %s, off %s" % (
                "linux", vmm, "%.2fs" % shell if shell else "never",
                "%.2fs" % off if off else "never"), flush=True)
    shutil.rmtree(tmp)
    print("\n%-12s %10s %10s %8s" % ("", "turtle", "qemu", "ratio"))
    for what in ("first-insn", "bzimage", "linux-shell", "linux-off"):
        t, q = best.get((what, "turtle")), best.get((what, "qemu"))
        if t is None and q is None:
            continue
        ratio = "%.2f" % (t / q) if t and q else "-"
        print("%-12s %10s %10s %8s" % (what,
                                       "%.2fs" % t if t else "never",
                                       "%.2fs" % q if q else "never", ratio))
    print("(ratio turtle/qemu; below 1.0 turtle is faster; %s)" %
          host.description)
    return 0


if __name__ == "__main__":
    sys.exit(main())
