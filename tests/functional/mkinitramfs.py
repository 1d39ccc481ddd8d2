#!/usr/bin/env python3
"""Build a busybox initramfs (cpio "newc", gzip) for Turtle's functional tests.

Written in Python so it needs neither cpio(1) nor root: device nodes and
ownership are only archive metadata here.

The archive holds busybox, one symlink per applet the tests use, /dev/console
and /dev/null nodes, and /init, which mounts proc/sys/dev, prints the banner
line "TURTLE-GUEST-READY <arch>" and runs a shell on the console with the
prompt 'turtle# '.  `poweroff -f` ends the guest.
"""

import argparse
import gzip
import io
import stat
import sys

APPLETS = [
    "sh", "ash", "cttyhack", "setsid", "mount", "umount", "mkdir", "mknod",
    "echo", "cat", "ls", "uname", "poweroff", "reboot", "halt", "sleep",
    "dmesg", "ps", "free", "ifconfig", "ip", "grep", "sed", "awk", "wc",
    "head", "tail", "md5sum", "sha256sum", "dd", "sync", "true", "false",
    "test", "[", "env", "date", "hostname", "mdev", "rm", "cp", "mv",
    "ln", "chmod", "stty", "seq", "expr", "printf", "nproc", "uptime",
    "gzip", "gunzip", "zcat", "cmp", "sort", "sha1sum",
]

INIT = """#!/bin/sh
# Turtle functional-test guest: mount the pseudo file systems, print the
# banner the host waits for, and give it a shell on the console.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null || mdev -s
mkdir -p /dev/pts /tmp
mount -t devpts devpts /dev/pts 2>/dev/null
mount -t tmpfs tmpfs /tmp
hostname turtle-guest
# Keep kernel messages off the console from here on: the host parses it.
dmesg -n 1
echo "TURTLE-GUEST-READY @ARCH@ $(uname -r)"
export PS1='turtle# '
export HOME=/root
while true; do
    setsid cttyhack sh -l
    echo "TURTLE-GUEST shell exited, restarting"
done
"""

PROFILE = """export PS1='turtle# '
"""


class Newc:
    """Minimal writer of the SVR4 "newc" cpio format (magic 070701)."""

    def __init__(self):
        self.out = io.BytesIO()
        self.ino = 1

    def _pad(self):
        n = (-self.out.tell()) % 4
        self.out.write(b"\0" * n)

    def add(self, name, mode, data=b"", rdev=(0, 0), nlink=1):
        nameb = name.encode() + b"\0"
        fields = [
            self.ino, mode, 0, 0, nlink, 0, len(data),
            0, 0, rdev[0], rdev[1], len(nameb), 0,
        ]
        self.ino += 1
        self.out.write(b"070701" + b"".join(b"%08X" % f for f in fields))
        self.out.write(nameb)
        self._pad()
        self.out.write(data)
        self._pad()

    def dir(self, name):
        self.add(name, stat.S_IFDIR | 0o755, nlink=2)

    def file(self, name, data, perm=0o644):
        self.add(name, stat.S_IFREG | perm, data)

    def symlink(self, name, target):
        self.add(name, stat.S_IFLNK | 0o777, target.encode())

    def chardev(self, name, major, minor, perm=0o600):
        self.add(name, stat.S_IFCHR | perm, rdev=(major, minor))

    def finish(self):
        self.add("TRAILER!!!", 0)
        n = (-self.out.tell()) % 512
        self.out.write(b"\0" * n)
        return self.out.getvalue()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", required=True)
    ap.add_argument("--busybox", required=True, help="static busybox binary")
    ap.add_argument("--output", required=True)
    args = ap.parse_args()

    with open(args.busybox, "rb") as f:
        busybox = f.read()
    if busybox[:4] != b"\x7fELF":
        sys.exit("mkinitramfs: %s is not an ELF file" % args.busybox)

    a = Newc()
    for d in ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "dev", "proc",
              "sys", "tmp", "root", "etc", "mnt", "run"]:
        a.dir(d)
    a.chardev("dev/console", 5, 1)
    a.chardev("dev/null", 1, 3, 0o666)
    a.file("bin/busybox", busybox, 0o755)
    for app in APPLETS:
        # poweroff/reboot/halt live in /sbin by convention; all in /bin works.
        a.symlink("bin/" + app, "busybox")
    a.symlink("sbin/init", "/init")
    a.file("init", INIT.replace("@ARCH@", args.arch).encode(), 0o755)
    a.file("etc/profile", PROFILE.encode())
    a.file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n")
    a.file("etc/group", b"root:x:0:\n")

    data = a.finish()
    with open(args.output, "wb") as f:
        # mtime=0: the same inputs give the same bytes.
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
            g.write(data)


if __name__ == "__main__":
    main()
