#!/usr/bin/env python3
"""
The QMP reader and dispatcher compared byte for byte with QEMU 7.2's on
malformed and odd input: the error replies (class, text), whether `id`
is echoed and where, the order of members in replies, how many replies a
broken request gets, and where the reader starts afresh after it (a
control byte, a bracket, the end of a string).

Each case runs on a fresh connection of the same -machine none process
(QEMU's, then turtle's): greeting, qmp_capabilities unless the case is
about the state before it, the case's bytes, then a marker request whose
reply ends the case (or 0.5 s of silence when the case swallowed it, as
an unclosed bracket does).  Every reply line must be the same.

Deliberate differences are listed in DIFFERENT (see docs/running.md,
"QMP input"); they are checked to be what turtle documents.

Skips (exit 77) without qemu-system-aarch64.
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

SKIP = 77
MARK = b'{"execute": "query-name", "id": "mark"}'
NEGOTIATE = b'{"execute": "qmp_capabilities"}'

# (name, bytes sent after negotiation) -- bytes sent as they are, then
# "\n" and the marker
CASES = [
    # lexical errors and where reading resumes
    ("stray byte", b"@"),
    ("stray bytes then value", b"@@ {\"execute\": \"query-status\"}"),
    ("stray in object", b'{"execute": @ "query-status"}'),
    ("bare word", b"foo"),
    ("keyword prefix", b"tru"),
    ("keyword case", b"True"),
    ("null", b"null"),
    ("true", b"true"),
    ("number", b"42"),
    ("negative zero", b"-0"),
    ("leading zero", b"01"),
    ("minus alone", b"-"),
    ("dot fraction", b".5"),
    ("trailing dot", b"1."),
    ("exponent alone", b"1e"),
    ("plus sign", b"+1"),
    ("hex number", b"0x10"),
    ("huge integer id", b'{"execute": "query-name", "id": 123456789012345678901234}'),
    ("float id", b'{"execute": "query-name", "id": 1.5}'),
    ("exp id", b'{"execute": "query-name", "id": 1E+2}'),
    ("int64 max id", b'{"execute": "query-name", "id": 9223372036854775807}'),
    ("int64 min id", b'{"execute": "query-name", "id": -9223372036854775808}'),
    ("below int64 id", b'{"execute": "query-name", "id": -9223372036854775809}'),
    ("huge exponent id", b'{"execute": "query-name", "id": 1e999}'),
    # strings
    ("string", b'"a string"'),
    ("single-quoted string", b"'single'"),
    ("single quotes request", b"{'execute': 'query-name', 'id': 'sq'}"),
    ("escaped single quote", b"{'execute': 'query-name', 'id': 'a\\'b'}"),
    ("bad escape", b'{"execute": "query-name", "id": "\\x41"}'),
    ("unicode escape", b'{"execute": "query-name", "id": "\\u00e9\\u20ac"}'),
    ("surrogate pair", b'{"execute": "query-name", "id": "\\ud83d\\ude00"}'),
    ("lone high surrogate", b'{"execute": "query-name", "id": "\\ud800"}'),
    ("lone low surrogate", b'{"execute": "query-name", "id": "\\udc00"}'),
    ("escaped nul", b'{"execute": "query-name", "id": "\\u0000"}'),
    ("short unicode escape", b'{"execute": "query-name", "id": "\\u12"}'),
    ("bad hex escape", b'{"execute": "query-name", "id": "\\uZZZZ"}'),
    ("utf-8 in string", b'{"execute": "query-name", "id": "\xc3\xa9"}'),
    ("overlong utf-8", b'{"execute": "query-name", "id": "\xc0\xaf"}'),
    ("utf-8 surrogate", b'{"execute": "query-name", "id": "\xed\xa0\x80"}'),
    ("truncated utf-8", b'{"execute": "query-name", "id": "\xc3"}'),
    ("lone continuation", b'{"execute": "query-name", "id": "\x80"}'),
    ("five-byte utf-8", b'{"execute": "query-name", "id": "\xf8\x88\x80\x80\x80"}'),
    ("tab in string", b'{"execute": "query-name", "id": "a\tb"}'),
    ("newline in string", b'{"execute": "query-name", "id": "a\nb"}'),
    ("control byte in string", b'{"execute": "query-name", "id": "a\x01b"}'),
    ("control byte in key", b'{"exe\x02cute": "query-name"}'),
    ("escape in string then value", b'"a\x1b{"execute": "query-name", "id": 7}'),
    ("0xff in string", b'{"execute": "query-name", "id": "\xff"}'),
    ("0xfe between values", b'{"execute": "query-name", "id": 1}\xfe{"execute": "query-name", "id": 2}'),
    ("0xff outside string", b"\xff"),
    ("control byte between values", b'{"execute": "query-name", "id": 1}\x01{"execute": "query-name", "id": 2}'),
    ("control byte mid-object", b'{"execute": "query-name", \x03 "id": 3}'),
    ("unterminated string then nul", b'{"execute": "query-name", "id": "abc\x00'),
    ("control byte after error", b"@\x01\x02"),
    ("control byte after value", b'{"a": \x03 "b"}'),
    ("recovery stops at colon", b'@ "a": 3}'),
    ("recovery stops at comma", b"@,"),
    ("recovery skips values", b"@ 3 \"x\" true}"),
    ("keyword then 0xff", b"true\xff"),
    ("number then 0xff", b"1\xff"),
    ("whitespace then 0xff", b" \xff"),
    ("dot then bracket", b"1.}"),
    ("dot in array", b"[1.]"),
    ("zero exponent", b"0e1"),
    ("fraction exponent id", b'{"execute": "query-name", "id": 0.5e1}'),
    ("escape then control byte", b'"\\\x01"'),
    ("escape then 0xfe", b'"\\\xfe"'),
    ("escape then utf-8", b'"\\\xc3\xa9"'),
    ("surrogate then other escape", b'{"execute": "query-name", "id": "\\ud800\\u0041"}'),
    ("noncharacter escape", b'{"execute": "query-name", "id": "\\uffff"}'),
    ("noncharacter escape fdd0", b'{"execute": "query-name", "id": "\\ufdd0"}'),
    ("noncharacter utf-8", b'{"execute": "query-name", "id": "\xef\xbf\xbf"}'),
    ("modified utf-8 nul", b'{"execute": "query-name", "id": "\xc0\x80"}'),
    ("two-digit unicode escape", b'{"execute": "query-name", "id": "\\u00"}'),
    ("negative zero float id", b'{"execute": "query-name", "id": -0.0}'),
    ("float id digits", b'{"execute": "query-name", "id": 0.1}'),
    ("big float id", b'{"execute": "query-name", "id": 1e300}'),
    ("uint64 id", b'{"execute": "query-name", "id": 18446744073709551615}'),
    ("key containing container", b'{[1 2]: 3}'),
    ("container as key", b'{[1]: 3}'),
    ("duplicate key inner error", b'{"a": 1, "a": [1 2]}'),
    ("mixed brackets", b"[[}"),
    ("mixed brackets 2", b'{"a": [1}]'),
    # structure
    ("empty object", b"{}"),
    ("empty array", b"[]"),
    ("array request", b'[{"execute": "query-name"}]'),
    ("stray close", b"]"),
    ("stray close curly", b"}"),
    ("mismatched close", b"[1}"),
    ("mismatched close object", b'{"a": 1]'),
    ("missing colon", b'{"execute" "query-name"}'),
    ("missing comma", b'{"execute": "query-name" "id": 1}'),
    ("trailing comma object", b'{"execute": "query-name",}'),
    ("trailing comma array", b'{"execute": "query-name", "id": [1,]}'),
    ("leading comma", b'[,1]'),
    ("double comma", b'[1,,2]'),
    ("non-string key", b'{1: 2}'),
    ("keyword key", b'{true: 2}'),
    ("duplicate key", b'{"execute": "query-name", "execute": "query-status"}'),
    ("colon at top", b":"),
    ("comma at top", b","),
    ("two values", b'{"execute": "query-name", "id": 1} {"execute": "query-name", "id": 2}'),
    ("no whitespace between values", b'{"execute":"query-name","id":1}{"execute":"query-name","id":2}'),
    ("value glued to number", b'1{"execute": "query-name", "id": 5}'),
    ("deep nesting", b"[" * 1025 + b"]" * 1025),
    ("nesting at the limit", b'{"execute": "query-name", "id": ' + b"[" * 1023 + b"]" * 1023 + b"}"),
    ("deep unclosed then close", b"[" * 2000 + b"]" * 2000),
    ("nested error", b'{"execute": "query-name", "id": [1, [2, @]]}'),
    # requests that parse but are wrong
    ("no execute", b'{"id": 1}'),
    ("execute not string", b'{"execute": 1, "id": 1}'),
    ("execute null", b'{"execute": null}'),
    ("arguments not object", b'{"execute": "query-name", "arguments": [], "id": "x"}'),
    ("unknown member", b'{"execute": "query-name", "foo": 1, "id": 2}'),
    ("unknown command", b'{"execute": "no-such-command", "id": {"a": [1]}}'),
    ("unknown command no id", b'{"execute": "no-such-command"}'),
    ("unexpected argument", b'{"execute": "query-name", "arguments": {"x": 1}, "id": 3}'),
    ("wrong argument type", b'{"execute": "human-monitor-command", "arguments": {"command-line": 1}, "id": 4}'),
    ("missing argument", b'{"execute": "human-monitor-command", "arguments": {}, "id": 5}'),
    ("null id", b'{"execute": "query-name", "id": null}'),
    ("object id", b'{"id": {"b": 2, "a": 1}, "execute": "query-name"}'),
    ("id before execute", b'{"id": "first", "execute": "no-such"}'),
    ("negotiate again", b'{"execute": "qmp_capabilities", "id": 6}'),
    ("oob without capability", b'{"exec-oob": "query-name", "id": 7}'),
    ("execute and exec-oob", b'{"execute": "query-name", "exec-oob": "query-name"}'),
    ("capabilities arguments", b'{"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}}'),
    ("hmp error", b'{"execute": "human-monitor-command", "arguments": {"command-line": "nosuch"}, "id": 8}'),
    ("hmp output", b'{"execute": "human-monitor-command", "arguments": {"command-line": "info status"}, "id": 9}'),
    ("capabilities bad argument after", b'{"execute": "qmp_capabilities", "arguments": {"x": 1}}'),
    ("unexpected arguments order", b'{"execute": "query-name", "arguments": {"b": 1, "a": 2}}'),
    # replies whose every byte is QEMU's on -machine none
    ("query-status", b'{"execute": "query-status", "id": 10}'),
    ("query-name", b'{"execute": "query-name"}'),
    ("query-kvm", b'{"execute": "query-kvm"}'),
    ("query-cpus-fast", b'{"execute": "query-cpus-fast"}'),
    ("stop", b'{"execute": "stop", "id": "s"}'),
]

# before qmp_capabilities
BEFORE = [
    ("before: command", b'{"execute": "query-name", "id": 1}'),
    ("before: unknown", b'{"execute": "no-such", "id": 2}'),
    ("before: bad json", b"@"),
    ("before: no execute", b'{"id": 3}'),
    ("before: capabilities with bad enable",
     b'{"execute": "qmp_capabilities", "arguments": {"enable": ["nosuch"]}, "id": 4}'),
    ("before: capabilities with oob",
     b'{"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}, "id": 5}'),
    ("before: capabilities bad arg",
     b'{"execute": "qmp_capabilities", "arguments": {"x": 1}, "id": 6}'),
    ("before: capabilities enable not list",
     b'{"execute": "qmp_capabilities", "arguments": {"enable": "oob"}}'),
    ("before: capabilities enable element type",
     b'{"execute": "qmp_capabilities", "arguments": {"enable": [1]}}'),
    ("before: capabilities unknown after oob",
     b'{"execute": "qmp_capabilities", "arguments": {"enable": ["oob", "x"]}}'),
    ("before: capabilities empty enable",
     b'{"execute": "qmp_capabilities", "arguments": {"enable": []}, "id": 7}'),
    ("before: unexpected order",
     b'{"execute": "qmp_capabilities", "arguments": {"b": 1, "a": 2, "enable": []}}'),
]

# Deliberate differences: case name -> what turtle answers instead (its
# reply lines), with the reason in docs/running.md ("QMP input").
MARK_OK = b'{"return": {}, "id": "mark"}'
DIFFERENT = {
    # QEMU echoes inf, which is not JSON
    "huge exponent id": [
        b'{"error": {"class": "GenericError", "desc": "JSON parse error, '
        b'number \'1e999\' is out of range"}}', MARK_OK],
    # integers above int64 are floating point (QEMU keeps uint64)
    "uint64 id": [b'{"return": {}, "id": 1.8446744073709552e+19}', MARK_OK],
    # no out-of-band execution: the capability is not offered
    "before: capabilities with oob": [
        b'{"id": 5, "error": {"class": "GenericError", "desc": "Capability '
        b'\'oob\' not available"}}',
        b'{"id": "mark", "error": {"class": "CommandNotFound", "desc": '
        b'"Expecting capabilities negotiation with \'qmp_capabilities\'"}}'],
}


class QMP:
    def __init__(self, argv, path):
        self.path = path
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        deadline = time.time() + 30
        while not os.path.exists(path):
            if time.time() > deadline or self.proc.poll() is not None:
                raise RuntimeError("no QMP socket from %s" % argv[0])
            time.sleep(0.05)

    def run(self, data, negotiate):
        """The reply lines to data (greeting and negotiation left out)."""
        s = socket.socket(socket.AF_UNIX)
        s.connect(self.path)
        buf = b""
        buf = self.read_lines(s, buf, 1)[1]
        if negotiate:
            s.sendall(NEGOTIATE + b"\n")
            buf = self.read_lines(s, buf, 1)[1]
        s.sendall(data + b"\n" + MARK + b"\n")
        lines = []
        while True:
            got, buf = self.read_lines(s, buf, 1, timeout=0.5)
            if not got:
                break
            lines += got
            if b'"id": "mark"' in got[0]:
                break
        s.close()
        return lines

    @staticmethod
    def read_lines(s, buf, n, timeout=10.0):
        lines = []
        s.settimeout(timeout)
        while len(lines) < n:
            if b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                lines.append(line.rstrip(b"\r"))
                continue
            try:
                data = s.recv(65536)
            except socket.timeout:
                break
            if not data:
                break
            buf += data
        return lines, buf

    def quit(self):
        s = socket.socket(socket.AF_UNIX)
        s.connect(self.path)
        s.settimeout(10)
        s.sendall(NEGOTIATE + b'{"execute": "quit"}\n')
        try:
            self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("turtle")
    ap.add_argument("--qemu", default="qemu-system-aarch64")
    ap.add_argument("-v", action="store_true", help="print every case")
    args = ap.parse_args()
    qemu = shutil.which(args.qemu)
    if not qemu:
        print("SKIP: no %s" % args.qemu)
        return SKIP
    tmp = tempfile.mkdtemp(prefix="qmp-compare.")
    common = ["-M", "none", "-S", "-display", "none", "-nodefaults"]
    mons = {}
    try:
        for name, exe in (("qemu", qemu), ("turtle", args.turtle)):
            path = os.path.join(tmp, name + ".sock")
            mons[name] = QMP([exe] + common +
                             ["-qmp", "unix:%s,server=on,wait=off" % path],
                             path)
        failures = []
        cases = [(n, d, True) for n, d in CASES] + \
                [(n, d, False) for n, d in BEFORE]
        for name, data, negotiate in cases:
            q = mons["qemu"].run(data, negotiate)
            t = mons["turtle"].run(data, negotiate)
            if name in DIFFERENT:
                want = DIFFERENT[name]
                if t != want:
                    failures.append("%s: turtle no longer answers as "
                                    "documented\n  documented: %r\n"
                                    "  turtle:     %r" % (name, want, t))
                continue
            if args.v:
                print("%s:\n  %r" % (name, q))
            if q != t:
                failures.append("%s (sent %r):\n  qemu:   %s\n  turtle: %s"
                                % (name, data[:80],
                                   "\n          ".join(map(repr, q)),
                                   "\n          ".join(map(repr, t))))
        for m in mons.values():
            m.quit()
    finally:
        for m in mons.values():
            if m.proc.poll() is None:
                m.proc.kill()
                m.proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d cases compared with QEMU, %d documented differences"
          % (len(cases) - len(DIFFERENT), len(DIFFERENT)))
    for f in failures:
        print("DIFFERS: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
