#!/usr/bin/env python3
"""
The human monitor's output compared with QEMU 7.2's on the same guest
state, for both targets:

aarch64: Debian's arm64 kernel and initramfs loaded on the virt board and
not started (-S).  Compared exactly (after masking what legitimately
differs: addresses, thread ids): memory dumps of the kernel image in
every format (each emulator's own load address), print expressions,
syntax errors, info status, the command sequence stop/cont/system_reset/
system_powerdown/quit.  Compared by shape (every kind of line turtle
prints must be a kind QEMU prints, numbers and names masked, since the
two machines' devices differ): info registers [-a], info cpus, info mtree
[-f], info qtree, info chardev, info version, help, info.

x86_64: hmp-x86-state.S (built here with gcc and objcopy), a multiboot
guest that sets every register the monitor shows and halts in long mode,
on the pc board.  Compared exactly: info registers [-a], $registers in
expressions, x (through the guest's page tables) and xp in every format,
x /i, errors; again after system_reset, which runs the guest again.  By
shape: info cpus, info mtree [-f], info qtree, info pci, info chardev.

Skips (exit 77) without the QEMU executable, the arm64 guest images
(tests/functional/fetch-guests.sh) or, for x86_64, gcc and objcopy.
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

X86_HIGH_VA = 0xffff800000000000     # the guest maps its data page here
X86_DUMP_FORMATS = ["/2xg", "/3d", "/3o", "/3u", "/5xb", "/9xh", "/3c",
                    "/3dg", "", "/2wx", "/7dh", "/5ob", "/17cb", "/3ug",
                    "/6xb", "/0x", "/8xw", "/40xb", "/4ub", "/3dw"]
X86_EXACT = [
    "info registers", "info registers -a", "info status",
    "p $eax", "p $ebx", "p $ecx", "p $edx", "p $esi", "p $edi", "p $esp",
    "p $ebp", "p $sp", "p $fp", "p $r8", "p $r9", "p $r10", "p $r11",
    "p $r12", "p $r13", "p $r14", "p $r15", "p $eip", "p $pc",
    "p $eflags", "p/x $eflags & 0x400", "p $cs", "p $ds", "p $es",
    "p $fs", "p $gs", "p $cs.base", "p $fs.base", "p $gs.base",
    "p $es.base", "p $es.limit", "p/d $eax", "p/u $r15",
    "p/o $cs", "p/c $eax", "p $eax + $ebx * 2", "p ($r15 ^ $eax) & 0xff",
    "p $nosuch", "p $cs.nosuch", "x /4i $pc", "x /2i $pc - 1",
    "x /2xg 0x7fffffff0000", "x /3xb 0xffff900000000000", "xp /2xg 0x9000000",
    "x /1xg $gs.base", "xp /8xb $fs.base",
    "cpu 1", "cpu 0", "info registers 1", "sendkey a", "sendkey nosuch",
]

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
ALSO_QEMU = {"~H-H (prio N, rom): NAME",
             # turtle's pc maps the unassigned PCI ranges as regions of
             # their own (QEMU's format; QEMU's board has no such region)
             "~H-H (prio -N, i/o): NAME"}


class Monitor:
    started = []

    def __init__(self, argv, path):
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        Monitor.started.append(self)
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
    # PCI ids (8086:1237) and any depth in a tree: the machines differ
    line = re.sub(r"\b[0-9a-f]{4}:[0-9a-f]{4}\b", "ID:ID", line)
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
    return re.sub(r"^ +", "~", line)


class Compare:
    """Two monitors on the same guest state, and what differed."""

    def __init__(self, mons):
        self.mons = mons
        self.failures = []
        self.exact = self.shapes = 0

    def exact_cmd(self, qline, tline=None, mask=None):
        q = self.mons["qemu"].cmd(qline)
        t = self.mons["turtle"].cmd(tline or qline)
        if mask:
            q, t = mask(q, "qemu"), mask(t, "turtle")
        self.exact += 1
        if q != t:
            self.failures.append("%s:\n--- qemu\n%s--- turtle\n%s"
                                 % (tline or qline, q, t))

    def shape_cmd(self, line):
        q = {shape(l) for l in self.mons["qemu"].cmd(line).splitlines()}
        q |= ALSO_QEMU
        t = [shape(l) for l in self.mons["turtle"].cmd(line).splitlines()]
        extra = sorted({l for l in t if l not in q})
        self.shapes += len(t)
        if not t and q:
            self.failures.append("%s: turtle printed nothing" % line)
        if extra:
            self.failures.append("%s: line kinds QEMU never prints:\n  %s"
                                 % (line, "\n  ".join(extra)))

    def line_ends(self):
        """Lines ended by CR LF, CR alone, CR CR LF, and a CR inside a
        line: the same commands run and the same prompts come back.  The
        echo is left out: QEMU redraws the line after every key."""
        for raw in (b"info status\r\n", b"info status\r", b"\r\n",
                    b"info status\r\r\n", b"info st\ratus\n",
                    b"p 1\n\rp 2\r\n"):
            outs = {}
            for n, m in self.mons.items():
                m.sock.sendall(raw)
                # CR and LF each end a line (as in QEMU): one prompt each
                ends = raw.count(b"\r") + raw.count(b"\n")
                out = b""
                m.sock.settimeout(30)
                while out.count(b"\r\n" + PROMPT) < ends:
                    data = m.sock.recv(65536)
                    if not data:
                        break
                    out += data
                segs = out.split(b"\r\n")
                outs[n] = [b"ECHO" if i == 0 else
                           PROMPT + b"ECHO" if seg.startswith(PROMPT) else seg
                           for i, seg in enumerate(segs)]
            self.exact += 1
            if outs["qemu"] != outs["turtle"]:
                self.failures.append("line ends %r:\n--- qemu\n%r\n--- "
                                     "turtle\n%r" % (raw, outs["qemu"],
                                                      outs["turtle"]))

    def version(self):
        # info version: the version number leads, as in QEMU's
        for n, m in self.mons.items():
            v = m.cmd("info version")
            if not re.match(r"\d+\.\d+\.\d+\S*", v):
                self.failures.append("info version (%s): %r" % (n, v))

    def finish(self):
        status = {n: m.quit() for n, m in self.mons.items()}
        if status["turtle"] != 0:
            self.failures.append("quit: turtle exited with %s"
                                 % status["turtle"])
        for f in self.failures:
            print("MISMATCH " + f)
        print("%d exact commands, %d shaped lines compared; %d mismatches"
              % (self.exact, self.shapes, len(self.failures)))
        return 1 if self.failures else 0


def start(tmp, qemu, turtle, argv, qemu_only=()):
    mons = {}
    for name, binary in (("qemu", qemu), ("turtle", turtle)):
        path = os.path.join(tmp, name + ".sock")
        mons[name] = Monitor([binary] + argv +
                             ["-monitor", "unix:%s,server=on,wait=off" % path]
                             + (list(qemu_only) if name == "qemu" else []),
                             path)
    return mons


def run_aarch64(args, tmp):
    qemu = shutil.which(args.qemu or "qemu-system-aarch64")
    guest_dir = args.guest_dir or os.path.expanduser(
        "~/.cache/turtle-guests/arm64")
    kernel = os.path.join(guest_dir, "kernel")
    initrd = os.path.join(guest_dir, "initramfs.cpio.gz")
    if not qemu:
        print("SKIP: qemu-system-aarch64 is not installed")
        return SKIP
    if not (os.path.exists(kernel) and os.path.exists(initrd)):
        print("SKIP: no arm64 guest in %s (tests/functional/fetch-guests.sh)"
              % guest_dir)
        return SKIP

    mons = start(tmp, qemu, args.turtle,
                 ["-M", "virt", "-cpu", "cortex-a57", "-m", "512", "-smp",
                  "2", "-kernel", kernel, "-initrd", initrd, "-display",
                  "none", "-serial", "null", "-S"], ["-nodefaults"])
    c = Compare(mons)
    images = {"qemu": QEMU_IMAGE, "turtle": TURTLE_IMAGE}

    def mask(text, who):
        return mask_exact(text, images[who])

    for fmt in DUMP_FORMATS:
        c.exact_cmd("xp %s 0x%x" % (fmt, QEMU_IMAGE),
                    "xp %s 0x%x" % (fmt, TURTLE_IMAGE), mask)
        c.exact_cmd("x %s 0x%x" % (fmt, QEMU_IMAGE + 0x40),
                    "x %s 0x%x" % (fmt, TURTLE_IMAGE + 0x40), mask)
    for line in EXACT:
        c.exact_cmd(line)
    for line in SHAPE:
        c.shape_cmd(line)
    c.version()
    c.line_ends()
    for line in RUN:
        c.exact_cmd(line)
    return c.finish()


def build_x86_guest(tmp):
    """hmp-x86-state.S as a multiboot ELF32 (QEMU's loader takes no
    other); returns its path and symbols, or None without the tools."""
    gcc, objcopy, nm = (shutil.which(t) for t in ("gcc", "objcopy", "nm"))
    if not (gcc and objcopy and nm):
        return None, None
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "hmp-x86-state.S")
    obj, elf64, elf = (os.path.join(tmp, n) for n in
                       ("guest.o", "guest.elf64", "guest.elf"))
    subprocess.run([gcc, "-c", "-o", obj, src], check=True)
    subprocess.run([gcc, "-nostdlib", "-static", "-no-pie", "-Wl,-N",
                    "-Wl,-Ttext=0x100000", "-Wl,--build-id=none",
                    "-Wl,-e,_start", "-Wl,--no-warn-rwx-segments",
                    "-z", "noexecstack", "-o", elf64, obj], check=True)
    subprocess.run([objcopy, "-O", "elf32-i386", elf64, elf], check=True)
    syms = {}
    for line in subprocess.run([nm, elf64], check=True, capture_output=True,
                               text=True).stdout.splitlines():
        addr, _, name = line.split()
        syms[name] = int(addr, 16)
    return elf, syms


def wait_halted(mons):
    """Both guests reached their HLT (the CPU state is then final)."""
    deadline = time.time() + 60
    for name, m in mons.items():
        while "HLT=1" not in m.cmd("info registers"):
            if time.time() > deadline:
                raise RuntimeError("the x86 guest never halted under %s"
                                   % name)
            time.sleep(0.1)


def mask_x86(text, who):
    """What QEMU 7.2 gets wrong: after LTR its TCG keeps the TSS type as
    available in TR's cache (the descriptor in memory becomes busy);
    hardware and KVM cache it busy, as turtle does."""
    if who == "qemu":
        text = text.replace("00008900 DPL=0 TSS64-avl", "00008b00 DPL=0 "
                            "TSS64-busy")
    return re.sub(r"thread_id=\d+", "thread_id=N", text)


def run_x86_64(args, tmp):
    qemu = shutil.which(args.qemu or "qemu-system-x86_64")
    if not qemu:
        print("SKIP: qemu-system-x86_64 is not installed")
        return SKIP
    elf, syms = build_x86_guest(tmp)
    if not elf:
        print("SKIP: gcc, objcopy or nm is missing (the x86 guest is "
              "built here)")
        return SKIP

    mons = start(tmp, qemu, args.turtle,
                 ["-M", "pc", "-cpu", "qemu64", "-m", "128", "-smp", "1",
                  "-kernel", elf, "-display", "none", "-nodefaults",
                  "-serial", "null"])
    c = Compare(mons)
    wait_halted(mons)
    data = syms["data_page"]
    for fmt in X86_DUMP_FORMATS:
        c.exact_cmd("x %s 0x%x" % (fmt, X86_HIGH_VA), mask=mask_x86)
        c.exact_cmd("xp %s 0x%x" % (fmt, data + 0x18), mask=mask_x86)
    c.exact_cmd("x /6i 0x%x" % syms["long_mode"], mask=mask_x86)
    for line in X86_EXACT:
        c.exact_cmd(line, mask=mask_x86)
    for line in ("info cpus", "info mtree", "info mtree -f", "info qtree",
                 "info pci", "info chardev"):
        c.shape_cmd(line)
    c.version()
    # a reset runs the guest again, to the same state
    for line in ("stop", "info status", "system_reset", "cont"):
        c.exact_cmd(line, mask=mask_x86)
    wait_halted(mons)
    c.exact_cmd("info registers", mask=mask_x86)
    for line in ("system_powerdown", "stop", "info status", "cont",
                 "info status"):
        c.exact_cmd(line, mask=mask_x86)
    return c.finish()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("turtle")
    ap.add_argument("--arch", choices=("aarch64", "x86_64"),
                    default="aarch64")
    ap.add_argument("--qemu", help="QEMU executable (default: "
                    "qemu-system-ARCH)")
    ap.add_argument("--guest-dir", help="the arm64 guest (default: "
                    "~/.cache/turtle-guests/arm64)")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="hmp-compare-")
    try:
        return (run_x86_64 if args.arch == "x86_64" else run_aarch64)(args,
                                                                       tmp)
    finally:
        for m in Monitor.started:
            if m.proc.poll() is None:
                m.proc.kill()
                m.proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
