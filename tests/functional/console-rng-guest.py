#!/usr/bin/env python3
"""virtio-console and virtio-rng in the arm64 guest.

    console-rng-guest.py --transport mmio|pci [--log FILE] -- EMULATOR ARGS...

The guest gets a virtio-serial device (virtio-serial-device or -pci) with
a virtconsole port and a named virtserialport, each on a Unix socket the
test connects to, and a virtio-rng (virtio-rng-device or -pci).  Checks:
  - hvc0 exists; what the guest writes to /dev/hvc0 arrives on the host
    socket, and a line the host sends is what the guest reads from it;
  - the named port is /dev/virtio-ports/org.turtle.test... (by its sysfs
    name), and data crosses it both ways;
  - the kernel's hw_random picked virtio_rng, /dev/hwrng gives data, and
    two reads differ.
Exit status: 0 pass, 1 fail, 77 skip (no guest images).
"""

import argparse
import os
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console import Console  # noqa: E402

PORT_NAME = "org.turtle.test.0"


def connect(path, timeout=60):
    end = time.time() + timeout
    while True:
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            s.settimeout(60)
            return s
        except OSError:
            s.close()
            if time.time() > end:
                raise
            time.sleep(0.1)


def recv_until(s, marker):
    data = b""
    while marker not in data:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def main():
    argv = sys.argv[1:]
    emu = []
    if "--" in argv:
        i = argv.index("--")
        argv, emu = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--transport", choices=["mmio", "pci"], default="mmio")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--log")
    args = ap.parse_args(argv)
    if not emu:
        ap.error("no emulator command after --")
    cache = os.environ.get("TURTLE_GUEST_CACHE",
                           os.path.join(os.path.expanduser("~"), ".cache", "turtle-guests"))
    kernel = os.path.join(cache, "arm64", "kernel")
    initrd = os.path.join(cache, "arm64", "initramfs.cpio.gz")
    if not (os.path.isfile(kernel) and os.path.isfile(initrd)):
        print("SKIP: no arm64 guest in %s; run tests/functional/fetch-guests.sh" % cache)
        return 77

    suffix = "device" if args.transport == "mmio" else "pci"
    with tempfile.TemporaryDirectory(prefix="console-rng-") as tmp:
        con, port = os.path.join(tmp, "con"), os.path.join(tmp, "port")
        cmd = emu + [
            "-kernel", kernel, "-initrd", initrd,
            "-append", "console=ttyAMA0 panic=-1",
            "-chardev", "socket,id=con,path=%s,server=on,wait=off" % con,
            "-chardev", "socket,id=port,path=%s,server=on,wait=off" % port,
            "-device", "virtio-serial-%s" % suffix,
            "-device", "virtconsole,chardev=con",
            "-device", "virtserialport,chardev=port,name=%s" % PORT_NAME,
            "-device", "virtio-rng-%s" % suffix,
        ]
        with Console(cmd, log=args.log) as c:
            sc, sp = connect(con), connect(port)
            c.expect(r"TURTLE-GUEST-READY", timeout=args.timeout)
            c.expect(r"turtle# ")

            # the console port: hvc0, both ways
            if c.run("ls /dev/hvc0") != "/dev/hvc0":
                print("FAIL: no /dev/hvc0: %s" % c.run("dmesg | grep -i virtio | tail"))
                return 1
            c.run("echo hello-from-hvc0 > /dev/hvc0")
            got = recv_until(sc, b"hello-from-hvc0")
            if b"hello-from-hvc0" not in got:
                print("FAIL: host read %r from the console port" % got)
                return 1
            c.run("(head -n 1 /dev/hvc0 > /tmp/hvc-in) & sleep 1")
            sc.sendall(b"typed-on-hvc0\n")
            line = c.run("sleep 1; cat /tmp/hvc-in", timeout=60)
            if line != "typed-on-hvc0":
                print("FAIL: guest read %r from hvc0" % line)
                return 1

            # the named port
            dev = c.run("for p in /sys/class/virtio-ports/*; do "
                        "[ \"$(cat $p/name 2>/dev/null)\" = %s ] && echo ${p##*/}; done" % PORT_NAME)
            if not dev.startswith("vport"):
                print("FAIL: no port named %s: %r" % (PORT_NAME, dev))
                return 1
            c.run("(head -c 5 /dev/%s > /tmp/port-in) & sleep 1" % dev)
            sp.sendall(b"12345")
            if c.run("sleep 1; cat /tmp/port-in", timeout=60) != "12345":
                print("FAIL: guest read nothing from /dev/%s" % dev)
                return 1
            c.run("echo out-of-port > /dev/%s" % dev)
            got = recv_until(sp, b"out-of-port")
            if b"out-of-port" not in got:
                print("FAIL: host read %r from the named port" % got)
                return 1

            # virtio-rng behind /dev/hwrng
            cur = c.run("cat /sys/class/misc/hw_random/rng_current")
            if not cur.startswith("virtio_rng"):
                print("FAIL: hw_random uses %r" % cur)
                return 1
            a = c.run("dd if=/dev/hwrng bs=64 count=4 2>/dev/null | md5sum")
            b = c.run("dd if=/dev/hwrng bs=64 count=4 2>/dev/null | md5sum")
            empty = "f5c8e3c31c044bae0e65569560b54332"  # md5 of 256 zero bytes
            if a == b or not a or a.startswith(empty):
                print("FAIL: /dev/hwrng reads %r, %r" % (a, b))
                return 1
            c.poweroff()
    print("PASS: hvc0 both ways, %s both ways, /dev/hwrng from virtio_rng (%s)"
          % (PORT_NAME, args.transport))
    return 0


if __name__ == "__main__":
    sys.exit(main())
