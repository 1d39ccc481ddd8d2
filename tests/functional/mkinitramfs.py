#!/usr/bin/env python3
"""Build a busybox initramfs (cpio "newc", gzip) for Turtle's functional tests.

Written in Python so it needs neither cpio(1) nor root: device nodes and
ownership are only archive metadata here.

The archive holds busybox, one symlink per applet the tests use, /dev/console
and /dev/null nodes, and /init, which mounts proc/sys/dev, prints the banner
line "TURTLE-GUEST-READY <arch>" and runs a shell on the console with the
prompt 'turtle# '.  `poweroff -f` ends the guest.

With --modules DIR (the kernel package's lib/modules/<release>), the kernel
modules of the devices the tests use (Debian builds them as modules: virtio
transports, virtio-blk, virtio-console, virtio-rng, ext4) and what they
depend on are added under /lib/modules, and /init loads them with insmod
before the banner, dependencies first.
"""

import argparse
import gzip
import io
import os
import stat
import sys

APPLETS = [
    "sh", "ash", "cttyhack", "setsid", "mount", "umount", "mkdir", "mknod",
    "echo", "cat", "ls", "uname", "poweroff", "reboot", "halt", "sleep",
    "dmesg", "ps", "free", "ifconfig", "ip", "grep", "sed", "awk", "wc",
    "head", "tail", "md5sum", "sha256sum", "dd", "sync", "true", "false",
    "test", "[", "env", "date", "hostname", "mdev", "rm", "cp", "mv",
    "ln", "chmod", "stty", "seq", "expr", "printf", "nproc", "uptime",
    "gzip", "gunzip", "zcat", "cmp", "sort", "sha1sum", "insmod", "lsmod",
    "find", "stat", "od", "tr", "cut", "xargs", "fsync", "acpid",
    # networking (tests/functional/net-guest.py)
    "udhcpc", "wget", "nslookup", "httpd", "nc", "route", "ping",
]

# Modules /init loads when --modules is given (dependencies are added).
MODULES = [
    "virtio_mmio", "virtio_pci", "virtio_blk", "virtio_console",
    "virtio_rng", "ext4", "crc32c_generic",   # ext4's metadata checksums
    "virtio_net", "e1000",
    "button", "evdev",      # the ACPI power button as an input device
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
# Device drivers Debian builds as modules (mkinitramfs.py --modules).
if [ -f /etc/modules ]; then
    for m in $(cat /etc/modules); do
        insmod /lib/modules/$m.ko 2>/dev/null
    done
fi
# The ACPI power button (system_powerdown on the pc board) powers off:
# acpid watches its input device (button.ko, evdev.ko), which devtmpfs may
# show a moment after insmod.
if [ -d /sys/bus/acpi/devices/LNXPWRBN:00 ]; then
    for i in 1 2 3 4 5; do
        [ -e /dev/input/event0 ] && break
        sleep 1
    done
    acpid -c /etc/acpi -l /tmp/acpid.log
fi
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

POWER_BUTTON = """#!/bin/sh
echo "TURTLE-GUEST power button: powering off" > /dev/console
sync
poweroff -f
"""

# What udhcpc runs on a lease (its default script): address, default route
# and resolv.conf from the DHCP answer, as Debian's script does.
UDHCPC_SCRIPT = """#!/bin/sh
case "$1" in
deconfig)
    ip addr flush dev "$interface"
    ip link set "$interface" up
    ;;
bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/${mask:-24}" dev "$interface"
    for r in $router; do
        ip route add default via "$r" dev "$interface"
        break
    done
    : > /etc/resolv.conf
    for d in $dns; do
        echo "nameserver $d" >> /etc/resolv.conf
    done
    ;;
esac
exit 0
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


def module_name(path):
    return os.path.basename(path)[:-3].replace("-", "_")


def builtin_modules(moddir):
    """Names of the drivers built into the kernel (modules.builtin)."""
    try:
        with open(os.path.join(moddir, "modules.builtin")) as f:
            return {module_name(line.strip()) for line in f if line.strip()}
    except FileNotFoundError:
        return set()


def module_index(moddir):
    """Module name ('-' as '_') -> path of its .ko under moddir."""
    index = {}
    for root, _dirs, files in os.walk(moddir):
        for f in files:
            if f.endswith(".ko"):
                index[module_name(f)] = os.path.join(root, f)
    return index


def module_depends(data):
    """The names in a module's .modinfo "depends=" string."""
    i = data.find(b"\0depends=")
    if i < 0:
        return []
    val = data[i + 9:data.index(b"\0", i + 9)].decode()
    return [d.replace("-", "_") for d in val.split(",") if d]


def add_modules(a, moddir, wanted):
    """Add wanted modules and their dependencies; write /etc/modules in
    load order (each module after what it depends on)."""
    index = module_index(moddir)
    builtin = builtin_modules(moddir)
    order, seen = [], set()

    def visit(name):
        if name in seen:
            return
        seen.add(name)
        if name in builtin:
            return          # e.g. ext4 in the amd64 cloud kernel
        if name not in index:
            sys.exit("mkinitramfs: module %s not found in %s" % (name, moddir))
        with open(index[name], "rb") as f:
            data = f.read()
        for dep in module_depends(data):
            visit(dep)
        order.append((name, data))

    for name in wanted:
        if name not in index and name not in builtin:
            # another kernel flavour may not build it at all
            print("mkinitramfs: no module %s, skipped" % name, file=sys.stderr)
            continue
        visit(name)
    a.dir("lib")
    a.dir("lib/modules")
    for name, data in order:
        a.file("lib/modules/%s.ko" % name, data)
    a.file("etc/modules", "".join(n + "\n" for n, _ in order).encode())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", required=True)
    ap.add_argument("--busybox", required=True, help="static busybox binary")
    ap.add_argument("--output", required=True)
    ap.add_argument("--modules", metavar="DIR",
                    help="the kernel's lib/modules/<release> directory")
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
    # busybox acpid runs etc/acpi/<event>/<code> for an ACPI event (the
    # power button's key: PWRF or PWRB, 00000080)
    a.dir("etc/acpi")
    for ev in ("PWRF", "PWRB"):
        a.dir("etc/acpi/" + ev)
        a.file("etc/acpi/%s/00000080" % ev, POWER_BUTTON.encode(), 0o755)
    a.dir("etc/udhcpc")       # Debian's busybox looks there
    a.file("etc/udhcpc/default.script", UDHCPC_SCRIPT.encode(), 0o755)
    if args.modules:
        add_modules(a, args.modules, MODULES)

    data = a.finish()
    with open(args.output, "wb") as f:
        # mtime=0: the same inputs give the same bytes.
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
            g.write(data)


if __name__ == "__main__":
    main()
