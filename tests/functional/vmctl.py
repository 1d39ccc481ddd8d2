"""Monitor clients and guest launching shared by the snapshot and
migration tests (stdlib only).

    hmp = HMP(path)            # -monitor unix:PATH,server=on,wait=off
    hmp.cmd("savevm s1")       # -> what the monitor printed, prompt removed
    qmp = QMP(path)            # -qmp unix:PATH,server=on,wait=off
    qmp.cmd("query-migrate")   # -> the "return" value (QMPError on error)
    qmp.wait_event("MIGRATION", lambda d: d["status"] == "completed")
"""

import json
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console import Console, ConsoleError  # noqa: E402,F401

CACHE = os.environ.get("TURTLE_GUEST_CACHE",
                       os.path.expanduser("~/.cache/turtle-guests"))


def guest_files(arch="arm64"):
    """The kernel and initramfs, or exit 77 (skip) when not fetched."""
    k = os.path.join(CACHE, arch, "kernel")
    i = os.path.join(CACHE, arch, "initramfs.cpio.gz")
    if not (os.path.exists(k) and os.path.exists(i)):
        print("SKIP: guest images not fetched (tests/functional/fetch-guests.sh)")
        sys.exit(77)
    return k, i


def connect_unix(path, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class HMP:
    PROMPT = b"(qemu) "

    def __init__(self, path):
        self.sock = connect_unix(path)
        self._read_prompt(30)

    def _read_prompt(self, timeout):
        buf = b""
        self.sock.settimeout(timeout)
        while not buf.endswith(self.PROMPT):
            d = self.sock.recv(65536)
            if not d:
                raise ConsoleError("monitor closed; got %r" % buf)
            buf += d
        return buf[:-len(self.PROMPT)].decode(errors="replace")

    def cmd(self, line, timeout=120):
        self.sock.sendall((line + "\n").encode())
        out = self._read_prompt(timeout).replace("\r", "")
        # the monitor echoes the line first
        first, _, rest = out.partition("\n")
        return rest.strip() if line in first else out.strip()

    def quit(self):
        """'quit': the monitor closes without a prompt."""
        self.sock.sendall(b"quit\n")
        self.sock.settimeout(30)
        try:
            while self.sock.recv(4096):
                pass
        except OSError:
            pass
        self.sock.close()

    def close(self):
        self.sock.close()


class QMPError(Exception):
    def __init__(self, err):
        super().__init__("%s: %s" % (err.get("class"), err.get("desc")))
        self.err = err


class QMP:
    def __init__(self, path):
        self.sock = connect_unix(path)
        self.file = self.sock.makefile("rwb", buffering=0)
        self.events = []
        self._recv()                                   # greeting
        self.cmd("qmp_capabilities")

    def _recv(self, timeout=120):
        self.sock.settimeout(timeout)
        line = self.file.readline()
        if not line:
            raise ConsoleError("QMP connection closed")
        return json.loads(line)

    def cmd(self, name, timeout=120, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = {k.replace("_", "-"): v for k, v in args.items()}
        self.file.write((json.dumps(msg) + "\n").encode())
        while True:
            r = self._recv(timeout)
            if "event" in r:
                self.events.append(r)
            elif "error" in r:
                raise QMPError(r["error"])
            elif "return" in r:
                return r["return"]

    def wait_event(self, name, pred=lambda d: True, timeout=120):
        deadline = time.monotonic() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e["event"] == name and pred(e.get("data", {})):
                    del self.events[:i + 1]
                    return e
            left = deadline - time.monotonic()
            if left <= 0:
                raise ConsoleError("timeout waiting for event %s; got %s"
                                   % (name, [e["event"] for e in self.events]))
            self.events.append(self._recv(left))

    def close(self):
        self.sock.close()


def guest_cmd(turtle, tmp, tag, arch="arm64", mem="512", smp="1",
              extra=()):
    """A Turtle running the cached guest of arch (arm64 on virt, amd64 on
    pc), its serial on the console pipe, HMP on tmp/TAG-hmp.sock and QMP
    on tmp/TAG-qmp.sock."""
    k, i = guest_files(arch)
    board = (["-M", "virt", "-cpu", "cortex-a57"] if arch == "arm64"
             else [])
    console = "ttyAMA0" if arch == "arm64" else "ttyS0"
    return [turtle] + board + [
        "-m", mem, "-smp", smp, "-nographic", "-no-reboot", "-nic", "none",
        "-kernel", k, "-initrd", i, "-append", "console=%s panic=-1" % console,
        "-monitor", "unix:%s/%s-hmp.sock,server=on,wait=off" % (tmp, tag),
        "-qmp", "unix:%s/%s-qmp.sock,server=on,wait=off" % (tmp, tag),
    ] + list(extra)


def arm64_cmd(turtle, tmp, tag, mem="512", smp="1", extra=()):
    return guest_cmd(turtle, tmp, tag, "arm64", mem, smp, extra)


def boot(con, timeout=600):
    con.expect(r"TURTLE-GUEST-READY", timeout=timeout)
    con.expect(r"turtle# ", timeout=60)
