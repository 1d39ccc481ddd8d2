#!/usr/bin/env python3
"""Drive a guest's serial console: a small expect-like helper (stdlib only).

As a library:

    from console import Console
    with Console(["turtle-system-aarch64", "-M", "virt", ...],
                 log="boot.log") as c:
        c.expect(r"TURTLE-GUEST-READY", timeout=300)
        c.expect(r"turtle# ")
        out = c.run("uname -m")          # -> "aarch64"
        c.poweroff()

The emulator's stdin and stdout are pipes (use -nographic or
-serial stdio).  Output is read by a thread into a buffer; expect() searches
the not yet consumed part of it.  Carriage returns are dropped, so patterns
see "\\n" line ends.  On exit (or close()) the process is asked to stop,
then terminated, then killed, and always reaped.

As a command (a sequence of steps, run in order; exit 0 if all succeed):

    console.py [--timeout S] [--log FILE] [--echo]
               [--expect RE] [--send LINE] [--run CMD=RE] ... -- EMULATOR ARGS...

  --expect RE      wait for RE on the console
  --send LINE      send LINE and a newline
  --run CMD=RE     run shell command CMD (the prompt must be showing) and
                   check its output matches RE (re.search)
  --poweroff       send 'poweroff -f' and wait for the emulator to exit
Each step reports its elapsed time since start on stderr.
"""

import argparse
import os
import re
import subprocess
import sys
import threading
import time

PROMPT = r"turtle# "


class ConsoleError(Exception):
    """A wait timed out or the emulator exited early."""


class Console:
    def __init__(self, argv, log=None, echo=False, prompt=PROMPT):
        self.argv = list(argv)
        self.prompt = prompt
        self.echo = echo
        self.start = time.monotonic()
        self._buf = ""
        self._pos = 0
        self._cond = threading.Condition()
        self._eof = False
        self._log = open(log, "w", encoding="utf-8", errors="replace") if log else None
        self.proc = subprocess.Popen(
            self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, bufsize=0, start_new_session=True)
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # -- output ---------------------------------------------------------
    def _read_loop(self):
        fd = self.proc.stdout.fileno()
        while True:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            if not data:
                break
            text = data.decode("utf-8", errors="replace").replace("\r", "")
            if self._log:
                self._log.write(text)
                self._log.flush()
            if self.echo:
                sys.stdout.write(text)
                sys.stdout.flush()
            with self._cond:
                self._buf += text
                self._cond.notify_all()
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def elapsed(self):
        return time.monotonic() - self.start

    @property
    def output(self):
        """Everything the console printed so far."""
        with self._cond:
            return self._buf

    def expect(self, pattern, timeout=60):
        """Wait for regex `pattern` in the unread output; consume up to the
        end of the match and return the match object."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                m = rx.search(self._buf, self._pos)
                if m:
                    self._pos = m.end()
                    return m
                if self._eof:
                    raise ConsoleError("emulator exited (status %s) while waiting for %r; "
                                       "last output:\n%s" % (self.proc.poll(), pattern,
                                                             self._buf[-2000:]))
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ConsoleError("timeout (%ss) waiting for %r; last output:\n%s"
                                       % (timeout, pattern, self._buf[-2000:]))
                self._cond.wait(left)

    # -- input ----------------------------------------------------------
    def send(self, text):
        """Send text as is."""
        try:
            self.proc.stdin.write(text.encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as e:
            raise ConsoleError("cannot write to the emulator: %s" % e)

    def sendline(self, line):
        self.send(line + "\n")

    def run(self, cmd, timeout=60):
        """Run a shell command at the prompt and return its output (without
        the echoed command line and the next prompt), stripped.  The exit
        status is left in self.last_status.

        The command is bracketed by two printf calls whose output
        ("@@S<n>@@", "@@E<n>:<status>@@") never appears literally in the
        echoed command line, so the answer is delimited exactly even when
        the terminal wraps the echo or the command prints a prompt."""
        self._seq = getattr(self, "_seq", 0) + 1
        tag = "%d" % self._seq
        self.sendline("printf '@@%%s@@\\n' S%s; %s; printf '@@%%s:%%d@@\\n' E%s $?"
                      % (tag, cmd, tag))
        start = self.expect(r"@@S%s@@\n" % tag, timeout)
        end = self.expect(r"@@E%s:(\d+)@@\n" % tag, timeout)
        with self._cond:
            out = self._buf[start.end():end.start()]
        self.last_status = int(end.group(1))
        self.expect(re.escape(self.prompt), timeout)
        return out.strip()

    # -- shutdown -------------------------------------------------------
    def wait_exit(self, timeout=30):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise ConsoleError("emulator did not exit within %ss" % timeout)

    def poweroff(self, timeout=60):
        """Power the guest off from its shell and wait for the emulator."""
        self.sendline("poweroff -f")
        return self.wait_exit(timeout)

    def close(self):
        """Stop the emulator: terminate, then kill; always reap."""
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                os.killpg(self.proc.pid, 15)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, 9)
                except ProcessLookupError:
                    pass
                self.proc.wait()
        self._reader.join(2)
        if self._log:
            self._log.close()
            self._log = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def main():
    ap = argparse.ArgumentParser(
        description="Drive an emulator's serial console.",
        usage="%(prog)s [options] [steps] -- EMULATOR ARGS...")
    ap.add_argument("--timeout", type=float, default=300, help="per step, seconds")
    ap.add_argument("--log", help="write the console output to this file")
    ap.add_argument("--echo", action="store_true", help="copy console output to stdout")
    steps = []

    class Step(argparse.Action):
        def __call__(self, parser, ns, value, option=None):
            steps.append((self.dest, value))

    ap.add_argument("--expect", action=Step, dest="expect", metavar="RE")
    ap.add_argument("--send", action=Step, dest="send", metavar="LINE")
    ap.add_argument("--run", action=Step, dest="run", metavar="CMD=RE")
    ap.add_argument("--poweroff", action=Step, dest="poweroff", nargs=0)
    if "--" not in sys.argv:
        ap.error("missing '--' before the emulator command")
    split = sys.argv.index("--")
    args = ap.parse_args(sys.argv[1:split])
    emu = sys.argv[split + 1:]
    if not emu:
        ap.error("no emulator command")

    status = 0
    with Console(emu, log=args.log, echo=args.echo) as c:
        try:
            for kind, value in steps:
                if kind == "expect":
                    c.expect(value, args.timeout)
                    what = "saw %r" % value
                elif kind == "send":
                    c.sendline(value)
                    what = "sent %r" % value
                elif kind == "run":
                    cmd, _, rx = value.partition("=")
                    out = c.run(cmd, args.timeout)
                    if not re.search(rx, out):
                        raise ConsoleError("%r answered %r, not matching %r" % (cmd, out, rx))
                    what = "ran %r -> %r" % (cmd, out)
                else:
                    rc = c.poweroff(args.timeout)
                    what = "powered off, emulator exit status %d" % rc
                print("console: %7.1fs %s" % (c.elapsed(), what), file=sys.stderr)
        except ConsoleError as e:
            print("console: %7.1fs FAILED: %s" % (c.elapsed(), e), file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
