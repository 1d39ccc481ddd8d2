#!/usr/bin/env python3
"""Boot a cached Debian kernel + busybox initramfs and check the shell.

    boot-guest.py --arch arm64 [--timeout 300] [--log FILE] [-- EMULATOR ARGS...]

Without an emulator command, QEMU is used:
    arm64: qemu-system-aarch64 -M virt -cpu cortex-a57 -m 512 -nographic -no-reboot
    amd64: qemu-system-x86_64 -m 512 -nographic -no-reboot
The script appends -kernel, -initrd and -append (console=ttyAMA0 or
console=ttyS0) from the cache that fetch-guests.sh fills.

It waits for the banner and the prompt, then checks what the shell answers
(the machine type, arithmetic, /proc, an md5sum computed by the guest CPU),
powers off (`poweroff -f`, or with --system-powerdown the monitor's
system_powerdown: the ACPI power button) and reports the time of each step.  Exit status: 0 pass,
1 fail, 77 skip (guest images not fetched yet).
"""

import argparse
import hashlib
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console import Console, ConsoleError  # noqa: E402

ARCHES = {
    "arm64": {
        "qemu": ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m", "512", "-nographic",
                 "-no-reboot"],
        "console": "ttyAMA0",
        "machine": "aarch64",
    },
    "amd64": {
        "qemu": ["qemu-system-x86_64", "-m", "512", "-nographic", "-no-reboot"],
        "console": "ttyS0",
        "machine": "x86_64",
    },
}


def main():
    argv = sys.argv[1:]
    emu = []
    if "--" in argv:
        i = argv.index("--")
        argv, emu = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description="Boot a cached guest and check its shell.")
    ap.add_argument("--arch", choices=sorted(ARCHES), required=True)
    ap.add_argument("--timeout", type=float, default=300, help="boot timeout, seconds")
    ap.add_argument("--log", help="console log file")
    ap.add_argument("--echo", action="store_true", help="copy the console to stdout")
    ap.add_argument("--smp", type=int, default=0,
                    help="expect this many CPUs (nproc, /proc/cpuinfo); 0: do not check")
    ap.add_argument("--system-powerdown", action="store_true",
                    help="end with the monitor's system_powerdown (the ACPI power "
                         "button; -nographic) instead of 'poweroff -f'")
    ap.add_argument("--allow-no-poweroff", action="store_true",
                    help="do not fail if 'poweroff -f' does not end the emulator (boards "
                         "without PSCI/ACPI power-off); it is terminated instead")
    args = ap.parse_args(argv)

    a = ARCHES[args.arch]
    cache = os.environ.get("TURTLE_GUEST_CACHE",
                           os.path.join(os.path.expanduser("~"), ".cache", "turtle-guests"))
    kernel = os.path.join(cache, args.arch, "kernel")
    initrd = os.path.join(cache, args.arch, "initramfs.cpio.gz")
    if not (os.path.isfile(kernel) and os.path.isfile(initrd)):
        print("SKIP: no %s guest in %s; run tests/functional/fetch-guests.sh" % (args.arch, cache))
        return 77
    cmd = (emu or a["qemu"]) + ["-kernel", kernel, "-initrd", initrd,
                                "-append", "console=%s panic=-1" % a["console"]]

    zeros_md5 = hashlib.md5(bytes(1 << 20)).hexdigest()
    # a 1.2 MB file the guest generates; the host knows its hash
    seq_data = "".join("%d\n" % i for i in range(1, 180001)).encode()
    seq_sha = hashlib.sha256(seq_data).hexdigest()
    ncpu = args.smp

    def cpus_ok(out):
        return out.isdigit() and (int(out) == ncpu if ncpu else int(out) >= 1)

    def date_ok(out):
        # the guest's wall clock comes from the board's RTC (PL031/CMOS)
        return out.isdigit() and abs(int(out) - time.time()) < 300

    checks = [
        ("uname -m", lambda out: out == a["machine"]),
        ("echo $((6 * 7))", lambda out: out == "42"),
        ("grep -c ^processor /proc/cpuinfo", cpus_ok),
        ("nproc", cpus_ok),
        ("cat /proc/self/comm", lambda out: out == "cat"),
        ("dd if=/dev/zero bs=1024 count=1024 2>/dev/null | md5sum",
         lambda out: (zeros_md5 + "  -") in out),
        ("ls /dev/console && mount | grep -c ' on /proc '", lambda out: out.endswith("1")),
        ("seq 1 180000 > /tmp/f && sha256sum < /tmp/f",
         lambda out: out.startswith(seq_sha)),
        ("gzip -c /tmp/f > /tmp/f.gz && gunzip -c /tmp/f.gz | sha256sum",
         lambda out: out.startswith(seq_sha)),
        ("test $(wc -c < /tmp/f.gz) -lt $(wc -c < /tmp/f) && echo smaller",
         lambda out: out == "smaller"),
        ("date +%s", date_ok),
    ]

    status = 0
    print("boot-guest: %s" % " ".join(cmd))
    with Console(cmd, log=args.log, echo=args.echo) as c:
        try:
            m = c.expect(r"TURTLE-GUEST-READY (\S+) (\S+)\n", args.timeout)
            print("boot-guest: %6.1fs banner: %s kernel %s" % (c.elapsed(), m.group(1), m.group(2)))
            c.expect(r"turtle# ", 60)
            print("boot-guest: %6.1fs shell prompt" % c.elapsed())
            for cmdline, ok in checks:
                out = c.run(cmdline, 60)
                good = ok(out) and c.last_status == 0
                print("boot-guest: %6.1fs %-55s -> %-34r %s" %
                      (c.elapsed(), cmdline, out, "PASS" if good else "FAIL"))
                if not good:
                    status = 1
            try:
                if args.system_powerdown:
                    # the monitor on the -nographic mux (C-a c): the ACPI
                    # power button, which the guest's acpid turns into a
                    # power-off
                    c.send("\x01c")
                    c.sendline("system_powerdown")
                    rc = c.wait_exit(60)
                else:
                    rc = c.poweroff(60)
                print("boot-guest: %6.1fs powered off (emulator exit status %d)" % (c.elapsed(), rc))
                if rc != 0:
                    print("boot-guest: FAIL: a guest power-off must exit with status 0")
                    status = 1
            except ConsoleError as e:
                if not args.allow_no_poweroff:
                    raise
                print("boot-guest: %6.1fs WARNING: %s; terminating it" % (c.elapsed(), e))
        except ConsoleError as e:
            print("boot-guest: %6.1fs FAIL: %s" % (c.elapsed(), e))
            status = 1
    print("boot-guest: %s %s" % (args.arch, "PASS" if status == 0 else "FAIL"))
    return status


if __name__ == "__main__":
    sys.exit(main())
