#!/usr/bin/env python3
"""Initramfs archives for the software KVM host (see kvmhost.py).

Two cpio "newc" archives, concatenated into one -initrd (Linux unpacks
concatenated archives in order):

  base   busybox, the kernel package's irqbypass/kvm/kvm-amd modules and
         /init, which loads them, opens the job channel (ttyS1) and runs
         the jobs the harness names there; cached per kernel version.
  batch  what one batch runs: programs with the shared libraries `ldd`
         lists (at their own paths, so the dynamic loader finds them),
         data files under /batch/files, one shell script per job under
         /batch/jobs.  Built per batch, uncompressed (the software host
         unpacks it faster than it would gunzip it).

The job protocol on ttyS1 (raw mode, both directions):
  host -> harness  "\\n@@KVMHOST:READY <kernel release> <svm> <nested>@@\\n"
                   "\\n@@KVMHOST:NOKVM <reason>@@\\n"  (then it powers off)
  harness -> host  "RUN <job> <timeout seconds> <stdin: tty|null>\\n"
  host -> harness  "\\n@@KVMHOST:BEGIN <job>@@\\n", the job's stdout (and
                   stderr, merged), "\\n@@KVMHOST:END <job> <status>@@\\n"
  harness -> host  "QUIT\\n": the host powers off.
"""

import os
import re
import stat
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "functional"))
from mkinitramfs import Newc  # noqa: E402

# /init of the software host.  Kept in busybox sh; everything the harness
# needs to know comes back on the job channel as one marker line.
HOST_INIT = r"""#!/bin/sh
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
/bin/busybox --install -s /bin 2>/dev/null
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/shm /dev/pts /tmp /batch/work
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /tmp
mount -t devpts devpts /dev/pts
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
exec 3<>/dev/ttyS1
stty -F /dev/ttyS1 raw -echo 115200 2>/dev/null
say() { printf '\n@@KVMHOST:%s@@\n' "$*" >&3; }
fail() { say "NOKVM $*"; poweroff -f; sleep 5; }
grep -qw svm /proc/cpuinfo || fail "the software host CPU has no SVM"
for m in irqbypass kvm; do
    insmod /lib/kvm/$m.ko 2>/tmp/insmod.err ||
        fail "insmod $m.ko: $(cat /tmp/insmod.err)"
done
insmod /lib/kvm/kvm-amd.ko nested=1 2>/tmp/insmod.err ||
    fail "insmod kvm-amd.ko: $(cat /tmp/insmod.err)"
[ -c /dev/kvm ] || fail "the modules loaded but /dev/kvm did not appear"
ulimit -c 0
say "READY $(uname -r) svm $(cat /sys/module/kvm_amd/parameters/nested)"
cd /batch/work
while read -r cmd job secs input <&3; do
    case "$cmd" in
    RUN)
        say "BEGIN $job"
        if [ "$input" = tty ]; then exec 4<&3; else exec 4</dev/null; fi
        # its own session: ttyS1 is init's controlling terminal, and a
        # job outside its foreground group that sets the terminal up (as
        # -nographic does) would be stopped by SIGTTOU
        setsid timeout -s TERM -k 5 "$secs" sh /batch/jobs/"$job".sh \
            <&4 >&3 2>&3 &
        wait $!
        st=$?
        exec 4<&-
        say "END $job $st"
        ;;
    QUIT) break ;;
    *) [ -z "$cmd" ] || say "ERROR unknown command $cmd" ;;
    esac
done
poweroff -f
"""


def build_base(busybox, modules, out):
    """busybox + modules (a dict name -> .ko bytes) + /init."""
    a = Newc()
    for d in ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "dev", "proc",
              "sys", "tmp", "root", "etc", "lib", "lib/kvm", "run", "batch"]:
        a.dir(d)
    a.chardev("dev/console", 5, 1)
    a.chardev("dev/null", 1, 3, 0o666)
    a.file("bin/busybox", busybox, 0o755)
    a.symlink("bin/sh", "busybox")
    a.file("init", HOST_INIT.encode(), 0o755)
    a.file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n")
    a.file("etc/group", b"root:x:0:\n")
    for name, data in modules.items():
        a.file("lib/kvm/%s.ko" % name, data)
    with open(out, "wb") as f:
        f.write(a.finish())


def shared_libs(program):
    """The shared libraries and the dynamic loader `ldd` lists, resolved."""
    p = subprocess.run(["ldd", program], capture_output=True, text=True)
    if p.returncode != 0:
        if "not a dynamic executable" in p.stdout + p.stderr:
            return []
        raise RuntimeError("ldd %s: %s" % (program, p.stderr.strip()))
    libs = []
    for line in p.stdout.splitlines():
        m = re.search(r"=> (/\S+)", line) or re.match(r"\s*(/\S+)", line)
        if m:
            libs.append(m.group(1))
        elif "not found" in line:
            raise RuntimeError("ldd %s: %s" % (program, line.strip()))
    return libs


class Batch:
    """The batch archive: add programs, files and job scripts, then write."""

    def __init__(self):
        self.a = Newc()
        self.dirs = set(["batch", "batch/work"])
        self.paths = set()
        for d in ["batch", "batch/bin", "batch/files", "batch/jobs"]:
            self._dir(d)

    def _dir(self, d):
        parts = d.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            sub = "/".join(parts[:i])
            if sub not in self.dirs:
                self.dirs.add(sub)
                self.a.dir(sub)

    def _file(self, path, data, perm):
        path = path.strip("/")
        if path in self.paths:
            return
        self._dir(os.path.dirname(path))
        self.paths.add(path)
        self.a.file(path, data, perm)

    def _copy(self, src, dst, perm=None):
        """A host file at dst; symlinks in src are followed (the archive
        holds a library under the name ldd printed, which is the name the
        dynamic loader looks for)."""
        with open(src, "rb") as f:
            data = f.read()
        if perm is None:
            perm = stat.S_IMODE(os.stat(src).st_mode)
        self._file(dst, data, perm)

    def program(self, path):
        """A program at /batch/bin/<name> and its libraries at their own
        absolute paths.  Returns the path inside the host."""
        dst = "/batch/bin/" + os.path.basename(path)
        self._copy(path, dst, 0o755)
        for lib in shared_libs(path):
            self._copy(lib, lib, 0o755)
        return dst

    def data(self, path, name):
        dst = "/batch/files/" + name
        self._copy(path, dst, 0o755 if os.access(path, os.X_OK) else 0o644)
        return dst

    def same_path(self, path):
        """A host file at the same absolute path inside."""
        self._copy(path, path)

    def job(self, name, script):
        self._file("/batch/jobs/%s.sh" % name, script.encode(), 0o755)

    def write(self, out):
        with open(out, "wb") as f:
            f.write(self.a.finish())
