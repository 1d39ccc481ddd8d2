#!/usr/bin/env python3
"""Live migration of the arm64 guest between Turtle processes (issue 14
section 3).

    migrate-guest.py [--arch arm64|amd64] [--smp N] [--back-and-forth]
                     [--refusals] TURTLE-SYSTEM-AARCH64|X86_64

The guest runs a shell loop in the background that chains md5 hashes
(each step hashes the previous hash and the counter) and appends to a
file, so one lost or repeated step, a stale page or a lost timer changes
the answer.  Mid-loop it is migrated over loopback TCP to a second Turtle
(with --back-and-forth, back again to a third), finishes there, and its
answer is compared with the host's.  The source ends in "postmigrate" and
exits with status 0 on quit; the downtime each hop measured is printed.

Then the refusals: migrate_cancel of a slow migration (the source runs
on, the destination exits 1), a destination with another RAM size refuses the stream
(one error line, exit status 1) and the source's guest keeps running; a
migration to a file (file:) restores in a new process, and the same file
truncated or with one byte flipped is refused.
Exit status 0 pass, 1 fail, 77 skip (guest images not fetched).

KNOWN BUG (open, docs/migration.md "Known problem"): now and then the
restored guest echoes a command but never runs it, and this test fails
with a timeout waiting for the command's output.  That is a real
save/restore bug, not a slow machine: do not raise the timeouts.
"""

import argparse
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vmctl  # noqa: E402
from vmctl import QMP, Console, boot  # noqa: E402

LOOP_N = 1500
ARCH = "arm64"


def arm64_cmd(turtle, tmp, tag, **kw):
    """The guest of --arch (the arm64 one by default)."""
    return vmctl.guest_cmd(turtle, tmp, tag, ARCH, **kw)
DOWNTIME_LIMIT_MS = 300


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print("ok:", what, flush=True)


def expected_hash(n):
    h = ""
    for i in range(n):
        h = hashlib.md5(("%s%d\n" % (h, i)).encode()).hexdigest() + "  -"
    return h


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_loop(c):
    c.run("rm -f /tmp/done /tmp/count; touch /tmp/count; (h=; i=0; while [ $i -lt %d ]; do "
          "h=$(echo \"$h$i\" | md5sum); echo \"$i\" >> /tmp/count; "
          "i=$((i+1)); done; echo \"$h\" > /tmp/done) > /dev/null 2>&1 & true"
          % LOOP_N)


def loop_progress(c):
    return int(c.run("wc -l < /tmp/count") or 0)


def finish_loop(c):
    out = c.run("while [ ! -f /tmp/done ]; do sleep 0.5; done; "
                "cat /tmp/done; wc -l < /tmp/count", timeout=900)
    h, count = out.split("\n")
    return h.strip(), int(count)


def migrate(src_qmp, uri):
    """Migrate, wait for the end; return query-migrate's answer."""
    src_qmp.cmd("migrate-set-capabilities", capabilities=[
        {"capability": "events", "state": True}])
    src_qmp.cmd("migrate-set-parameters", downtime_limit=DOWNTIME_LIMIT_MS)
    src_qmp.cmd("migrate", uri=uri)
    src_qmp.wait_event("MIGRATION", lambda d: d["status"] in
                       ("completed", "failed", "cancelled"), timeout=600)
    return src_qmp.cmd("query-migrate")


def hop(turtle, tmp, smp, src_con, src_qmp, tag):
    """Start a destination TAG, migrate the guest of src into it."""
    port = free_port()
    dst = Console(arm64_cmd(turtle, tmp, tag, smp=smp,
                            extra=["-incoming", "tcp:127.0.0.1:%d" % port]),
                  log=os.path.join(tmp, tag + ".log"))
    dst_qmp = QMP(os.path.join(tmp, tag + "-qmp.sock"))
    check(dst_qmp.cmd("query-status")["status"] == "inmigrate",
          "%s waits in 'inmigrate'" % tag)
    before = loop_progress(src_con)
    info = migrate(src_qmp, "tcp:127.0.0.1:%d" % port)
    check(info["status"] == "completed", "migration to %s completed: %s"
          % (tag, info))
    ram = info["ram"]
    print("   %s: downtime %d ms (limit %d), total %d ms, %d MiB sent, "
          "%d dirty syncs, %d zero pages"
          % (tag, info["downtime"], DOWNTIME_LIMIT_MS, info["total-time"],
             ram["transferred"] >> 20, ram["dirty-sync-count"],
             ram["duplicate"]), flush=True)
    check(src_qmp.cmd("query-status")["status"] == "postmigrate",
          "the source is in 'postmigrate'")
    dst_qmp.wait_event("RESUME", timeout=60) if \
        dst_qmp.cmd("query-status")["status"] != "running" else None
    check(dst_qmp.cmd("query-status")["status"] == "running",
          "%s runs the guest" % tag)
    after = loop_progress(dst)
    check(after >= before and after < LOOP_N,
          "migrated mid-loop (%d steps before, %d on %s)" % (before, after,
                                                             tag))
    return dst, dst_qmp


def quit_source(con, qmp):
    qmp.cmd("quit")
    status = con.wait_exit(30)
    check(status == 0, "the source exits with status 0")
    con.close()


def run_live(turtle, tmp, smp, back_and_forth):
    src = Console(arm64_cmd(turtle, tmp, "src", smp=smp),
                  log=os.path.join(tmp, "src.log"))
    try:
        boot(src)
        src_qmp = QMP(os.path.join(tmp, "src-qmp.sock"))
        start_loop(src)
        while loop_progress(src) < 100:
            time.sleep(0.5)
        dst, dst_qmp = hop(turtle, tmp, smp, src, src_qmp, "dst")
        quit_source(src, src_qmp)
        src = None
        if back_and_forth:
            while loop_progress(dst) < LOOP_N // 3:
                time.sleep(0.5)
            back, back_qmp = hop(turtle, tmp, smp, dst, dst_qmp, "back")
            quit_source(dst, dst_qmp)
            dst, dst_qmp = back, back_qmp
        h, count = finish_loop(dst)
        check(count == LOOP_N, "every loop step ran once (%d)" % count)
        check(h == expected_hash(LOOP_N), "the hash chain is right")
        check(dst.run("nproc") == smp, "%s CPUs after migration" % smp)
        dst_qmp.cmd("quit")
        dst.wait_exit(30)
        dst.close()
    finally:
        if src:
            src.close()


def run_refusals(turtle, tmp):
    src = Console(arm64_cmd(turtle, tmp, "r", extra=[]),
                  log=os.path.join(tmp, "r.log"))
    with src:
        boot(src)
        qmp = QMP(os.path.join(tmp, "r-qmp.sock"))
        src.run("echo kept > /tmp/mark")
        # a destination with another RAM size refuses; the source goes on
        port = free_port()
        bad = subprocess.Popen(arm64_cmd(turtle, tmp, "bad", mem="256",
                                         extra=["-incoming",
                                                "tcp:127.0.0.1:%d" % port,
                                                "-display", "none"]),
                               stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
        QMP(os.path.join(tmp, "bad-qmp.sock")).close()  # it is listening
        info = migrate(qmp, "tcp:127.0.0.1:%d" % port)
        err = bad.communicate(timeout=60)[1]
        check(bad.returncode == 1 and "RAM block" in err and
              err.count("\n") == 1,
              "the 256M destination refuses: %r" % err.strip())
        check(info["status"] == "failed" and
              "the destination" in info["error-desc"],
              "the source reports the failure: %s" % info.get("error-desc"))
        check(qmp.cmd("query-status")["status"] == "running" and
              src.run("cat /tmp/mark") == "kept",
              "the source's guest keeps running")

        # migrate_cancel mid-stream: the source goes on, the destination
        # sees a truncated stream and exits 1
        port = free_port()
        slow = subprocess.Popen(arm64_cmd(turtle, tmp, "slow", extra=[
            "-incoming", "tcp:127.0.0.1:%d" % port, "-display", "none"]),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True)
        QMP(os.path.join(tmp, "slow-qmp.sock")).close()
        qmp.cmd("migrate-set-parameters", max_bandwidth=4 << 20)
        qmp.cmd("migrate", uri="tcp:127.0.0.1:%d" % port)
        time.sleep(2)
        info = qmp.cmd("query-migrate")
        check(info["status"] == "active" and
              0 < info["ram"]["transferred"] < 12 << 20 and
              info["ram"]["remaining"] > 0 and "expected-downtime" in info,
              "active at max-bandwidth 4 MiB/s: %d KiB sent, %d MiB left"
              % (info["ram"]["transferred"] >> 10,
                 info["ram"]["remaining"] >> 20))
        qmp.cmd("migrate_cancel")
        qmp.wait_event("MIGRATION", lambda d: d["status"] == "cancelled")
        err = slow.communicate(timeout=60)[1]
        check(slow.returncode == 1 and "truncated" in err,
              "the destination of a cancelled migration exits 1: %r"
              % err.strip())
        check(qmp.cmd("query-status")["status"] == "running" and
              src.run("cat /tmp/mark") == "kept",
              "the source's guest runs on after migrate_cancel")
        qmp.cmd("migrate-set-parameters", max_bandwidth=128 << 20)

        # to a file and back: saving a VM without qcow2 (written through
        # exec:, read back with file:)
        state = os.path.join(tmp, "vm.state")
        info = migrate(qmp, "exec:cat > " + state)
        check(info["status"] == "completed", "migrate to exec:cat > FILE "
              "completed")
        qmp.cmd("quit")
        src.wait_exit(30)
    data = open(state, "rb").read()
    with Console(arm64_cmd(turtle, tmp, "f", extra=["-incoming",
                                                     "file:" + state]),
                 log=os.path.join(tmp, "f.log")) as c:
        fq = QMP(os.path.join(tmp, "f-qmp.sock"))
        # input sent before the state is in would be lost with the old UART
        while fq.cmd("query-status")["status"] != "running":
            time.sleep(0.2)
        c.sendline("")
        c.expect(r"turtle# ", timeout=120)
        check(c.run("cat /tmp/mark") == "kept", "-incoming file: resumes it")
        fq.cmd("quit")
        c.wait_exit(30)
    cases = [("truncated", data[:len(data) // 2], "truncated"),
             ("corrupt", data[:len(data) // 3] + bytes([data[len(data) // 3] ^ 1])
              + data[len(data) // 3 + 1:], "checksum mismatch"),
             ("foreign", b"QEVM\0\0\0\3" + data[8:], "not a Turtle VM state")]
    for name, blob, msg in cases:
        path = os.path.join(tmp, name + ".state")
        open(path, "wb").write(blob)
        r = subprocess.run(arm64_cmd(turtle, tmp, name, extra=[
            "-incoming", "file:" + path, "-display", "none"]),
            stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=120)
        check(r.returncode == 1 and msg in r.stderr and
              r.stderr.count("\n") == 1,
              "%s stream refused: %r" % (name, r.stderr.strip()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", default="arm64", choices=["arm64", "amd64"])
    ap.add_argument("--smp", default="1")
    ap.add_argument("--back-and-forth", action="store_true")
    ap.add_argument("--refusals", action="store_true",
                    help="also the refused streams and file: migration")
    ap.add_argument("--no-live", action="store_true",
                    help="skip the live migration of the loop")
    ap.add_argument("turtle")
    args = ap.parse_args()
    global ARCH
    ARCH = args.arch
    tmp = tempfile.mkdtemp(prefix="migrate-")
    try:
        if not args.no_live:
            run_live(args.turtle, tmp, args.smp, args.back_and_forth)
        if args.refusals:
            run_refusals(args.turtle, tmp)
    except Exception as e:               # noqa: BLE001
        print("FAIL:", e, "\n(logs in %s)" % tmp)
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
