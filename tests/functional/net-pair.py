#!/usr/bin/env python3
"""Two arm64 guests on one -netdev stream pair exchange a file.

    net-pair.py [--device virtio-net-device] [--log PREFIX] -- EMULATOR ARGS...

Guest A's NIC is on `-netdev stream,server=on` (a unix socket), guest B's
on `server=off` to the same socket: one Ethernet segment between two
emulators.  A takes 10.0.3.1, B 10.0.3.2 (static); B pings A, then A
fetches 1 MiB of random data from B's busybox httpd with wget, and A's
SHA-256 of it must be B's; then the same from A to B.  Exit status: 0 pass, 1 fail, 77 skip (no guest images).
"""

import argparse
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console import Console  # noqa: E402
from guests import guest_images  # noqa: E402


def boot(c, timeout, ip):
    c.expect(r"TURTLE-GUEST-READY", timeout=timeout)
    c.expect(r"turtle# ")
    c.run("ip addr add %s/24 dev eth0 && ip link set eth0 up" % ip)
    return c.last_status == 0


def transfer(src, dst, src_ip, port):
    """dst fetches 1 MiB of random data from src's httpd; True if the
    SHA-256 dst computes is src's."""
    src.run("mkdir -p /tmp/www && dd if=/dev/urandom of=/tmp/www/f "
            "bs=65536 count=16 2>/dev/null && httpd -p %d -h /tmp/www" % port)
    sent = src.run("sha256sum /tmp/www/f").split()[0]
    for _ in range(20):
        dst.run("wget -q -O /tmp/got http://%s:%d/f" % (src_ip, port),
                timeout=300)
        if dst.last_status == 0:
            break
        time.sleep(0.5)          # httpd was not up yet
    got = dst.run("sha256sum /tmp/got")
    return got.split()[:1] == [sent], got


def main():
    argv = sys.argv[1:]
    emu = []
    if "--" in argv:
        i = argv.index("--")
        argv, emu = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", default="virtio-net-device")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--log", help="log prefix: PREFIX-a.log, PREFIX-b.log")
    args = ap.parse_args(argv)
    if not emu:
        ap.error("no emulator command after --")

    images = guest_images("arm64")
    if not images:
        return 77
    kernel, initrd = images

    tmp = tempfile.mkdtemp(prefix="net-pair-")
    sock = os.path.join(tmp, "wire")
    base = emu + ["-kernel", kernel, "-initrd", initrd,
                  "-append", "console=ttyAMA0 panic=-1"]

    def cmd(server, mac):
        return base + ["-netdev", "stream,id=n0,server=%s,addr.type=unix,"
                       "addr.path=%s" % ("on" if server else "off", sock),
                       "-device", "%s,netdev=n0,mac=%s" % (args.device, mac)]

    log_a = args.log + "-a.log" if args.log else None
    log_b = args.log + "-b.log" if args.log else None
    try:
        with Console(cmd(True, "52:54:00:00:03:01"), log=log_a) as a:
            for _ in range(100):
                if os.path.exists(sock):
                    break
                time.sleep(0.05)
            with Console(cmd(False, "52:54:00:00:03:02"), log=log_b) as b:
                if not boot(a, args.timeout, "10.0.3.1") or \
                   not boot(b, args.timeout, "10.0.3.2"):
                    print("FAIL: ip addr add")
                    return 1
                out = b.run("ping -c 3 -W 5 10.0.3.1", timeout=60)
                if b.last_status != 0:
                    print("FAIL: B cannot ping A: %r" % out)
                    return 1
                ok, got = transfer(b, a, "10.0.3.2", 8000)
                if not ok:
                    print("FAIL: B -> A: %r" % got)
                    return 1
                print("net-pair: B -> A 1 MiB, SHA-256 equal")
                ok, got = transfer(a, b, "10.0.3.1", 8001)
                if not ok:
                    print("FAIL: A -> B: %r" % got)
                    return 1
                print("net-pair: A -> B 1 MiB, SHA-256 equal")
                b.poweroff()
            a.poweroff()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
