#!/usr/bin/env python3
"""
The human monitor's output compared with QEMU 7.2's on the same guest
state: Debian's arm64 kernel and initramfs loaded on the virt board and
not started (-S), the same commands typed into both monitors.

Compared exactly (after masking what legitimately differs: addresses,
thread ids): memory dumps of the kernel image in every format (each
emulator's own load address), print expressions, syntax errors, info
status, the command sequence stop/cont/system_reset/system_powerdown/quit.

Compared by shape (every kind of line turtle prints must be a kind QEMU
prints, numbers and names masked, since the two machines' devices
differ): info registers [-a], info cpus, info mtree [-f], info qtree,
info chardev, info version, help, info.

Skips (exit 77) without qemu-system-aarch64 or the guest images
(tests/functional/fetch-guests.sh).
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

SKIP = 77
PROMPT = b"(qemu) "

# (command for QEMU, command for turtle) on memory: QEMU loads the Image
# 2 MiB into RAM behind its boot stub, turtle at the start of RAM.
QEMU_IMAGE, TURTLE_IMAGE = 0x40200000, 0x40000000
DUMP_FORMATS = ["/2xg", "/3d", "/3o", "/3u", "/5xb", "/9xh", "/3c", "/3dg",
                "/4i", "", "/2wx", "/7dh", "/5ob", "/17cb", "/3ug", "/6xb",
                "/0x", "/1i"]

EXACT = [
    "info status", "p 1+2*3", "p/x 255", "p /d -1", "p/u -1", "p/o 8",
    "p/c 65", "p 0x10 % 3 | 8", "p 2 + 3 * 4 & 6", "p -(3+4)*2", "p ~0",
    "p 'A'", "p 10/0", "p (1+2", "p 1 2", "p", "foo", "info foo",
    "x", "x /4qw 0", "xp /4xw 0x1zz", "c extra", "stop 1",
    "system_reset extra", "info status extra", "sendkey", "sendkey foo",
    "cpu 7", "info registers 9", "help nosuch", "xp /x 0x7fffffffff00",
    "xp /20xb 0x3fffff8",
]
# after the shapes: these start the guests, whose states then differ
RUN = ["stop", "info status", "cont", "info status", "stop",
       "info status", "system_reset", "system_powerdown", "cont",
       "info status"]
SHAPE = ["info registers", "info registers -a", "info cpus", "info mtree",
         "info mtree -f", "info qtree", "info chardev", "help", "info"]
# kinds of line QEMU prints on other machines (a ROM region on pc)
ALSO_QEMU = {"    H-H (prio N, rom): NAME", "  H-H (prio N, rom): NAME"}


class Monitor:
    def __init__(self, argv, path):
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        deadline = time.time() + 30
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.time() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("cannot reach the monitor of %s"
                                       % argv[0])
                time.sleep(0.05)
        self.read_until(PROMPT)

    def read_until(self, end, timeout=30):
        out = b""
        self.sock.settimeout(timeout)
        while not out.endswith(end):
            data = self.sock.recv(65536)
            if not data:
                break
            out += data
        return out

    def cmd(self, line):
        """What the command printed: after the echoed line, before the
        next prompt; LF line ends."""
        self.sock.sendall(line.encode() + b"\n")
        out = self.read_until(b"\n" + PROMPT)
        out = out[out.find(b"\r\n") + 2:]
        if out.endswith(PROMPT):
            out = out[:-len(PROMPT)]
        return out.decode(errors="replace").replace("\r\n", "\n")

    def quit(self):
        self.sock.sendall(b"quit\n")
        try:
            self.proc.wait(timeout=30)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        self.sock.close()
        return self.proc.returncode


def mask_exact(text, image):
    text = text.replace("%016x" % image, "IMAGE").replace("0x%08x" % image,
                                                          "IMAGE")
    text = re.sub(r"0x%x([0-9a-f]{2})\b" % (image >> 8), r"IMAGE+\1", text)
    text = re.sub(r"%014x([0-9a-f]{2}):" % (image >> 8), r"IMAGE+\1:", text)
    # a branch target is relative to where the image is
    text = re.sub(r"(\bb +)#0x[0-9a-f]+", r"\1TARGET", text)
    return text


def shape(line):
    """A line with its numbers and names masked: the kind of line it is."""
    line = re.sub(r"^(\S.*?)(  | \S.*)? -- .*", r"CMD -- HELP", line)
    line = re.sub(r"thread_id=\d+", "thread_id=N", line)
    line = re.sub(r"\): (alias )?.*$", r"): \1NAME", line)
    line = re.sub(r'"[^"]*"', "S", line)
    line = re.sub(r"(dev: )[^,]+", r"\1TYPE", line)
    line = re.sub(r"(bus: |type |root: |region: |AS S, root: ).*",
                  r"\1NAME", line)
    line = re.sub(r"^(\s*)[\w.-]+ = (S|true|false|-?\d+ \(.*\))$",
                  lambda m: m.group(1) + "PROP = " +
                  ("S" if m.group(2) == "S" else
                   "B" if m.group(2) in ("true", "false") else "N"), line)
    line = re.sub(r"0x[0-9a-f]+|\b[0-9a-f]{8,}\b", "H", line)
    line = re.sub(r"\b\d+\b", "N", line)
    line = re.sub(r"^[\w.-]+: filename=.*", "LABEL: filename=F", line)
    line = re.sub(r"(?<= )[NZCV-]{4}(?= )", "FLAGS", line)
    return line


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("turtle")
    ap.add_argument("--qemu", default="qemu-system-aarch64")
    ap.add_argument("--guest-dir",
                    default=os.path.expanduser("~/.cache/turtle-guests/arm64"))
    args = ap.parse_args()

    qemu = shutil.which(args.qemu)
    kernel = os.path.join(args.guest_dir, "kernel")
    initrd = os.path.join(args.guest_dir, "initramfs.cpio.gz")
    if not qemu:
        print("SKIP: %s is not installed" % args.qemu)
        return SKIP
    if not (os.path.exists(kernel) and os.path.exists(initrd)):
        print("SKIP: no arm64 guest in %s (tests/functional/fetch-guests.sh)"
              % args.guest_dir)
        return SKIP

    tmp = tempfile.mkdtemp(prefix="hmp-compare-")
    mons = {}
    try:
        for name, binary in (("qemu", qemu), ("turtle", args.turtle)):
            path = os.path.join(tmp, name + ".sock")
            argv = [binary, "-M", "virt", "-cpu", "cortex-a57", "-m", "512",
                    "-smp", "2", "-kernel", kernel, "-initrd", initrd,
                    "-display", "none", "-serial", "null", "-S",
                    "-monitor", "unix:%s,server=on,wait=off" % path]
            if name == "qemu":
                argv += ["-nodefaults"]
            mons[name] = Monitor(argv, path)
        failures = []

        def compare_exact(qline, tline, image_q=None, image_t=None):
            q = mons["qemu"].cmd(qline)
            t = mons["turtle"].cmd(tline)
            if image_q is not None:
                q, t = mask_exact(q, image_q), mask_exact(t, image_t)
            if q != t:
                failures.append("%s:\n--- qemu\n%s--- turtle\n%s"
                                % (tline, q, t))

        for fmt in DUMP_FORMATS:
            compare_exact("xp %s 0x%x" % (fmt, QEMU_IMAGE),
                          "xp %s 0x%x" % (fmt, TURTLE_IMAGE),
                          QEMU_IMAGE, TURTLE_IMAGE)
            compare_exact("x %s 0x%x" % (fmt, QEMU_IMAGE + 0x40),
                          "x %s 0x%x" % (fmt, TURTLE_IMAGE + 0x40),
                          QEMU_IMAGE, TURTLE_IMAGE)
        for line in EXACT:
            compare_exact(line, line)
        shapes = 0
        for line in SHAPE:
            q = {shape(l) for l in mons["qemu"].cmd(line).splitlines()}
            q |= ALSO_QEMU
            t = [shape(l) for l in mons["turtle"].cmd(line).splitlines()]
            extra = sorted({l for l in t if l not in q})
            shapes += len(t)
            if not t and q:
                failures.append("%s: turtle printed nothing" % line)
            if extra:
                failures.append("%s: line kinds QEMU never prints:\n  %s"
                                % (line, "\n  ".join(extra)))
        # info version: the version number leads, as in QEMU's
        for n, m in mons.items():
            v = m.cmd("info version")
            if not re.match(r"\d+\.\d+\.\d+\S*", v):
                failures.append("info version (%s): %r" % (n, v))
        for line in RUN:
            compare_exact(line, line)
        status = {n: m.quit() for n, m in mons.items()}
        if status["turtle"] != 0:
            failures.append("quit: turtle exited with %s" % status["turtle"])
        for f in failures:
            print("MISMATCH " + f)
        print("%d dumps, %d exact commands, %d shaped lines compared; "
              "%d mismatches" % (2 * len(DUMP_FORMATS), len(EXACT) + len(RUN),
                                 shapes,
                                 len(failures)))
        return 1 if failures else 0
    finally:
        for m in mons.values():
            if m.proc.poll() is None:
                m.proc.kill()
                m.proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
