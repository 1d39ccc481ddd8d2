#!/usr/bin/env python3
"""Run jobs on a real /dev/kvm: this machine's, or a software host's.

Where no usable /dev/kvm exists, a *software host* gives one: Debian's
cloud-amd64 kernel (the one tests/functional/fetch-guests.sh caches) under
`qemu-system-x86_64 -M pc -cpu max -accel tcg`, whose TCG emulates AMD SVM
with nested paging, loads the kernel package's own irqbypass, kvm and
kvm-amd (nested=1) modules and gets a real /dev/kvm.  The host boots once
per batch and runs the batch's jobs one after the other; each job's output
comes back as it is written, then its exit status.

As a library (tests/kvm/run-guest.py, tests/kvm/linux-guest.py):

    host = kvmhost.open_host(log_dir=..., echo=False)  # raises Skip
    host.add_job("hello", [turtle, "-M", "pc", ...], timeout=60)
    host.add_script("sigterm", "...shell...", programs={"TURTLE": turtle},
                    files={"BIOS": path})
    with host:                             # boots the software host
        status, out = host.run("hello")
        s = host.begin("shell")            # interactive: a Console-like
        s.expect("turtle# "); s.run("uname -m"); st = s.finish(60)

Arguments of an argv job that name existing files are carried into the
software host (argv[0] as a program with the libraries ldd lists); script
jobs get their programs and files as shell variables.  In direct mode the
same scripts run on this machine with the original paths.

As a command (by hand):

    kvmhost.py [-v] [--timeout S] -- turtle-system-x86_64 -M pc ...
    kvmhost.py --info            # which mode, why, the cached kernel

Environment: TURTLE_KVM_HOST=auto (default: /dev/kvm if usable, i.e. it
runs kvmprobe.py's tiny protected-mode guest, else the software host) | direct | software | none; TURTLE_GUEST_CACHE (default
~/.cache/turtle-guests); TURTLE_KVM_HOST_SMP / _MEM (the software host's
CPUs, default 2, and RAM in MiB, default 3072).
Exit status of the command: the job's, or 77 (skip) with a reason.
"""

import fcntl
import glob
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "functional"))
from console import Console, ConsoleError  # noqa: E402
import mkhostinitramfs  # noqa: E402
import kvmprobe  # noqa: E402

SKIP = 77
KVM_GET_API_VERSION = 0xae00
MODULES = ["irqbypass", "kvm", "kvm-amd"]


class Skip(Exception):
    """No real KVM can be had here; the message says why."""


def cache_dir():
    return os.environ.get("TURTLE_GUEST_CACHE",
                          os.path.expanduser("~/.cache/turtle-guests"))


def dev_kvm_usable(path="/dev/kvm"):
    """(True, '') if path opens read-write, speaks KVM API 12 and runs a
    protected-mode probe guest (kvmprobe.py)."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
    except OSError as e:
        return False, "%s: %s" % (path, e.strerror)
    try:
        ver = fcntl.ioctl(fd, KVM_GET_API_VERSION)
    except OSError as e:
        return False, "%s: KVM_GET_API_VERSION: %s" % (path, e.strerror)
    finally:
        os.close(fd)
    if ver != 12:
        return False, "%s: API version %d, not 12" % (path, ver)
    # API 12 is not enough: a PVM host answers it too, and cannot run
    # firmware (kvmprobe.py says why); run a tiny guest to be sure
    return kvmprobe.probe(path)
    return True, ""


# ---- the software host's kernel and modules --------------------------------

def _kernel_deb(cache):
    """The cloud-amd64 kernel .deb fetch-guests.sh downloaded."""
    debs = sorted(glob.glob(os.path.join(
        cache, "debs", "linux-image-*-cloud-amd64*_amd64.deb")))
    if not debs:
        raise Skip("no Debian cloud-amd64 kernel package in %s/debs: run "
                   "tests/functional/fetch-guests.sh amd64" % cache)
    try:
        with open(os.path.join(cache, "amd64", "VERSION")) as f:
            pkg, ver = f.readline().split()
        want = "%s_%s_amd64.deb" % (pkg, ver.replace(":", "%3a"))
        for d in debs:
            if os.path.basename(d) == want:
                return d
    except (OSError, ValueError):
        pass
    return debs[-1]


def _decompress(path):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".xz"):
        import lzma
        data = lzma.decompress(data)
    elif path.endswith(".zst"):
        data = subprocess.run(["zstd", "-dc", path], check=True,
                              capture_output=True).stdout
    elif path.endswith(".gz"):
        import gzip
        data = gzip.decompress(data)
    return data


def prepare_host_kernel(busybox="/bin/busybox"):
    """Extract vmlinuz and the kvm modules from the cached .deb once and
    build the base archive; returns (vmlinuz, base.cpio, kernel version)."""
    cache = cache_dir()
    deb = _kernel_deb(cache)
    tag = os.path.basename(deb)[:-4]
    out = os.path.join(cache, "kvm-host", tag)
    vmlinuz = os.path.join(out, "vmlinuz")
    base = os.path.join(out, "base.cpio")
    stamp = os.path.join(out, "kver")
    me = os.path.join(HERE, "mkhostinitramfs.py")
    fresh = (os.path.exists(base) and os.path.exists(vmlinuz) and
             os.path.exists(stamp) and
             os.path.getmtime(base) >= os.path.getmtime(me))
    if fresh:
        with open(stamp) as f:
            return vmlinuz, base, f.read().strip()
    if not os.access(busybox, os.X_OK):
        raise Skip("%s missing (install busybox-static)" % busybox)
    with open(busybox, "rb") as f:
        bb = f.read()
    if bb[:4] != b"\x7fELF" or b"/ld-linux" in bb[:4096]:
        raise Skip("%s is not statically linked (install busybox-static)"
                   % busybox)
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        subprocess.run(["dpkg-deb", "-x", deb, tmp], check=True)
        kvers = os.listdir(os.path.join(tmp, "lib", "modules"))
        if len(kvers) != 1:
            raise Skip("%s: expected one module directory, found %s"
                       % (deb, kvers))
        kver = kvers[0]
        mods = {}
        mdir = os.path.join(tmp, "lib", "modules", kver, "kernel")
        for name in MODULES:
            found = (glob.glob(os.path.join(mdir, "**", name + ".ko"),
                               recursive=True) +
                     glob.glob(os.path.join(mdir, "**", name + ".ko.*"),
                               recursive=True))
            if not found:
                raise Skip("%s has no %s.ko" % (deb, name))
            mods[name] = _decompress(found[0])
        shutil.copy(os.path.join(tmp, "boot", "vmlinuz-" + kver),
                    vmlinuz + ".tmp")
        os.rename(vmlinuz + ".tmp", vmlinuz)
        mkhostinitramfs.build_base(bb, mods, base + ".tmp")
        os.rename(base + ".tmp", base)
        with open(stamp, "w") as f:
            f.write(kver + "\n")
    return vmlinuz, base, kver


# ---- jobs -------------------------------------------------------------------

class Job:
    def __init__(self, name, script, programs, files, timeout, interactive,
                 same_path=()):
        self.same_path = list(same_path)   # files wanted at their own path
        self.name = name
        self.script = script
        self.programs = programs        # shell variable -> host path
        self.files = files              # shell variable -> host path
        self.timeout = timeout
        self.interactive = interactive


def _argv_script(argv, programs, files):
    """An argv job as a script: existing files become variables."""
    words = []
    for i, a in enumerate(argv):
        if i == 0:
            programs["P0"] = a
            words.append('"$P0"')
        elif os.path.isfile(a):
            var = "F%d" % i
            files[var] = a
            words.append('"$%s"' % var)
        else:
            words.append(shlex.quote(a))
    return "exec " + " ".join(words) + "\n"


class _Host:
    """What both kinds of host share: the job list."""

    def __init__(self, echo=False, log_dir=None):
        self.jobs = {}
        self.echo = echo
        self.log_dir = log_dir

    def add_job(self, name, argv, timeout=60, interactive=False):
        programs, files = {}, {}
        script = _argv_script(argv, programs, files)
        self.add_script(name, script, programs, files, timeout, interactive)

    def add_script(self, name, script, programs=None, files=None, timeout=60,
                   interactive=False, same_path=()):
        """A shell script job; programs and files are shell variables
        naming them inside the host, same_path files are installed at
        their own absolute path (data a program looks for there, such as
        QEMU's firmware)."""
        if name in self.jobs or not name.replace("-", "").replace(
                "_", "").replace(".", "").isalnum():
            raise ValueError("bad or duplicate job name %r" % name)
        self.jobs[name] = Job(name, script, dict(programs or {}),
                              dict(files or {}), timeout, interactive,
                              same_path)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


def _prelude(job, mapping):
    lines = ["#!/bin/sh"]
    for var, path in sorted(list(job.programs.items()) +
                            list(job.files.items())):
        lines.append("%s=%s" % (var, shlex.quote(mapping(var, path))))
    return "\n".join(lines) + "\n" + job.script


class _DirectSession:
    def __init__(self, console):
        self.c = console

    def __getattr__(self, name):
        return getattr(self.c, name)

    def finish(self, timeout=60):
        try:
            return self.c.wait_exit(timeout)
        finally:
            self.c.close()


class DirectHost(_Host):
    """This machine's /dev/kvm: jobs run here."""
    kind = "direct"
    description = "this machine's /dev/kvm"

    def start(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="turtle-kvmhost-")
        self.started = time.monotonic()

    def stop(self):
        self.tmp.cleanup()

    def _script(self, job):
        path = os.path.join(self.tmp.name, job.name + ".sh")
        with open(path, "w") as f:
            f.write(_prelude(job, lambda var, p: os.path.abspath(p)))
        return path

    def run(self, name):
        job = self.jobs[name]
        log = self._log_path(name)
        start = time.monotonic()
        self.timed_out = False
        try:
            p = subprocess.run(["sh", self._script(job)],
                               stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=job.timeout)
            status, out = p.returncode, p.stdout
        except subprocess.TimeoutExpired as e:
            self.timed_out = True
            status, out = 124, e.stdout or b""
        self.elapsed = time.monotonic() - start
        text = out.decode("latin-1")
        if self.echo:
            sys.stdout.write(text)
        if log:
            with open(log, "w") as f:
                f.write(text)
        return status, text

    def begin(self, name):
        job = self.jobs[name]
        c = Console(["sh", self._script(job)], log=self._log_path(name),
                    echo=self.echo)
        return _DirectSession(c)

    def _log_path(self, name):
        if not self.log_dir:
            return None
        os.makedirs(self.log_dir, exist_ok=True)
        return os.path.join(self.log_dir, name + ".log")


class _NestedSession:
    """An interactive job inside the software host: the host's console
    stream, from the job's BEGIN to its END marker."""

    def __init__(self, host, name):
        self.h = host
        self.name = name

    def expect(self, pattern, timeout=60):
        return self.h.c.expect(pattern, timeout)

    def run(self, cmd, timeout=60):
        return self.h.c.run(cmd, timeout)

    def send(self, text):
        self.h.c.send(text)

    def sendline(self, line):
        self.h.c.sendline(line)

    def elapsed(self):
        return time.monotonic() - self.h.job_started

    @property
    def last_status(self):
        return self.h.c.last_status

    def poweroff(self, timeout=60):
        self.sendline("poweroff -f")
        return self.finish(timeout)

    def finish(self, timeout=60):
        return self.h._end(self.name, timeout)


class SoftwareHost(_Host):
    """Debian's cloud kernel with real KVM under qemu-system-x86_64 TCG."""
    kind = "software"

    def __init__(self, echo=False, log_dir=None, boot_timeout=300):
        super().__init__(echo, log_dir)
        self.qemu = shutil.which("qemu-system-x86_64")
        if not self.qemu:
            raise Skip("no /dev/kvm here and qemu-system-x86_64 (the "
                       "software host) is not installed")
        self.vmlinuz, self.base, self.kver = prepare_host_kernel()
        self.description = ("software host: Debian %s under "
                            "qemu-system-x86_64 -cpu max -accel tcg"
                            % self.kver)
        self.boot_timeout = boot_timeout
        self.c = None

    def start(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="turtle-kvmhost-")
        batch = mkhostinitramfs.Batch()
        maps = {}
        for job in self.jobs.values():
            m = {}
            for var, path in job.programs.items():
                m[var] = batch.program(path)
            for var, path in job.files.items():
                name = "%s-%s-%s" % (job.name, var, os.path.basename(path))
                m[var] = batch.data(path, name)
            for path in job.same_path:
                batch.same_path(path)
            maps[job.name] = m
            batch.job(job.name, _prelude(job, lambda var, p, m=m: m[var]))
        initrd = os.path.join(self.tmp.name, "initrd.cpio")
        batch_cpio = os.path.join(self.tmp.name, "batch.cpio")
        batch.write(batch_cpio)
        with open(initrd, "wb") as out:
            for part in (self.base, batch_cpio):
                with open(part, "rb") as f:
                    shutil.copyfileobj(f, out)
        os.unlink(batch_cpio)
        if self.log_dir:
            os.makedirs(self.log_dir, exist_ok=True)
            self.console_log = os.path.join(self.log_dir, "host-console.log")
        else:
            self.console_log = os.path.join(self.tmp.name, "host-console.log")
        smp = os.environ.get("TURTLE_KVM_HOST_SMP", "2")
        mem = os.environ.get("TURTLE_KVM_HOST_MEM", "3072")
        cmd = [self.qemu, "-M", "pc", "-cpu", "max", "-accel", "tcg",
               "-smp", smp, "-m", mem, "-nodefaults", "-display", "none",
               "-no-reboot", "-kernel", self.vmlinuz, "-initrd", initrd,
               "-append", "console=ttyS0 panic=-1 loglevel=4 "
               "nokaslr mitigations=off tsc=reliable",
               "-serial", "file:" + self.console_log, "-serial", "stdio"]
        self.started = time.monotonic()
        self.c = Console(cmd, log=self._log_path("host-channel"),
                         echo=self.echo)
        try:
            m = self.c.expect(r"@@KVMHOST:(READY|NOKVM) ([^@]*)@@\n",
                              self.boot_timeout)
        except ConsoleError as e:
            self.stop()
            raise ConsoleError("the software host did not come up: %s\n%s"
                               % (e, self.console_tail()))
        if m.group(1) == "NOKVM":
            self.stop()
            raise Skip("the software host has no KVM: " + m.group(2))
        self.ready = m.group(2).split()
        self.boot_time = time.monotonic() - self.started

    def console_tail(self, lines=30):
        try:
            with open(self.console_log, errors="replace") as f:
                text = f.read().splitlines()[-lines:]
        except OSError:
            return ""
        return "software host console (last lines):\n  " + "\n  ".join(text)

    def stop(self):
        if self.c:
            if self.c.proc.poll() is None:
                try:
                    self.c.sendline("QUIT")
                    self.c.wait_exit(20)
                except ConsoleError:
                    pass
            self.c.close()
            self.c = None
        self.tmp.cleanup()

    def _begin(self, name, interactive):
        job = self.jobs[name]
        self.c.sendline("RUN %s %d %s" % (name, job.timeout,
                                          "tty" if interactive else "null"))
        self.c.expect(r"@@KVMHOST:BEGIN %s@@\n" % name, 30)
        self.job_started = time.monotonic()
        return job

    def _end(self, name, timeout):
        m = self.c.expect(r"\n@@KVMHOST:END %s (\d+)@@\n" % name, timeout)
        return int(m.group(1))

    def run(self, name):
        """Run a job to its end: (exit status, output).  A job still
        running after its timeout gets SIGTERM, 5 s later SIGKILL;
        self.timed_out says whether that happened."""
        job = self._begin(name, False)
        start = self.c._pos
        status = self._end(name, job.timeout + 30)
        self.elapsed = time.monotonic() - self.job_started
        self.timed_out = self.elapsed >= job.timeout
        out = self.c.output[start:self.c._pos]
        out = out[:out.rfind("\n@@KVMHOST:END")]
        return status, out

    def begin(self, name):
        self._begin(name, True)
        return _NestedSession(self, name)

    def _log_path(self, name):
        if not self.log_dir:
            return None
        os.makedirs(self.log_dir, exist_ok=True)
        return os.path.join(self.log_dir, name + ".log")


def open_host(echo=False, log_dir=None):
    """The host jobs run on, as TURTLE_KVM_HOST says; raises Skip."""
    mode = os.environ.get("TURTLE_KVM_HOST", "auto")
    if mode == "none":
        raise Skip("TURTLE_KVM_HOST=none")
    ok, why = dev_kvm_usable()
    if mode == "direct" or (mode == "auto" and ok):
        if not ok:
            raise Skip("TURTLE_KVM_HOST=direct but " + why)
        return DirectHost(echo, log_dir)
    if mode not in ("auto", "software"):
        raise Skip("TURTLE_KVM_HOST=%s: not auto, direct, software or none"
                   % mode)
    host = SoftwareHost(echo, log_dir)
    if mode == "auto":
        host.description += " (not %s)" % why
    return host


def main():
    import argparse
    argv = sys.argv[1:]
    cmd = []
    if "--" in argv:
        i = argv.index("--")
        argv, cmd = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(
        description="Run a command on a real /dev/kvm (this machine's or "
                    "a software host's).",
        usage="%(prog)s [-v] [--timeout S] [--log-dir D] -- COMMAND...")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="echo the software host's job channel as it comes")
    ap.add_argument("--timeout", type=int, default=300)
    ap.add_argument("--log-dir")
    ap.add_argument("--info", action="store_true")
    args = ap.parse_args(argv)
    try:
        host = open_host(echo=args.verbose, log_dir=args.log_dir)
    except Skip as e:
        print("SKIP: %s" % e)
        return SKIP
    print("kvmhost: %s" % host.description, file=sys.stderr)
    if args.info:
        return 0
    if not cmd:
        ap.error("no command after --")
    host.add_job("cmd", cmd, timeout=args.timeout)
    try:
        with host:
            if host.kind == "software":
                print("kvmhost: host up in %.1fs (%s)" % (
                    host.boot_time, " ".join(host.ready)), file=sys.stderr)
            status, out = host.run("cmd")
    except Skip as e:
        print("SKIP: %s" % e)
        return SKIP
    if not args.verbose:
        sys.stdout.write(out)
    return status


if __name__ == "__main__":
    sys.exit(main())
