#!/usr/bin/env python3
"""savevm / loadvm / delvm on the arm64 guest (issue 14 section 2).

    savevm-guest.py [--arch arm64|amd64] TURTLE-SYSTEM-AARCH64|X86_64

1. The guest writes a file, sets a shell variable and hashes 1 MiB of
   random data; `savevm s1` stores the machine in the qcow2 disk.
2. The guest keeps running and changes all three; `loadvm s1`; the guest
   answers with the snapshot's file, variable and hash, its uptime went
   back and its timers still fire.
3. `-loadvm s1` at start-up resumes the same shell without a boot.
4. The same through QMP's snapshot-save/-load/-delete jobs (events,
   query-jobs, job-dismiss, a failing job's error).
5. Refusals that must leave the running guest alone: an unknown snapshot,
   and a snapshot of a machine with another RAM size (the state is
   checked before anything is loaded); `delvm` of an unknown name;
   savevm without a writable qcow2 disk.
Exit status 0 pass, 1 fail, 77 skip (guest images not fetched).

KNOWN BUG (open, docs/migration.md "Known problem"): now and then the
restored guest echoes a command but never runs it, and this test fails
with a timeout waiting for the command's output.  That is a real
save/restore bug, not a slow machine: do not raise the timeouts.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vmctl import HMP, QMP, Console, guest_cmd, boot  # noqa: E402


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print("ok:", what, flush=True)


def make_disk(turtle, path):
    build = os.path.dirname(os.path.abspath(turtle))
    img = next((p for p in (os.path.join(build, "turtle-img"),
                            os.path.join(build, "tools", "turtle-img"))
                if os.path.exists(p)), shutil.which("qemu-img"))
    subprocess.run([img, "create", "-f", "qcow2", path, "64M"], check=True,
                   stdout=subprocess.DEVNULL)


def state(c):
    return c.run("cat /tmp/f; echo $X; md5sum /tmp/r | cut -d' ' -f1")


def main():
    args = sys.argv[1:]
    arch = "arm64"
    if args[0] == "--arch":
        arch, args = args[1], args[2:]
    turtle = args[0]

    def arm64_cmd(turtle, tmp, tag, **kw):
        return guest_cmd(turtle, tmp, tag, arch, **kw)

    tmp = tempfile.mkdtemp(prefix="savevm-")
    disk = os.path.join(tmp, "disk.qcow2")
    drive = ["-drive", "if=none,id=d0,format=qcow2,file=" + disk]
    try:
        make_disk(turtle, disk)
        with Console(arm64_cmd(turtle, tmp, "a", extra=drive),
                     log=os.path.join(tmp, "a.log")) as c:
            boot(c)
            hmp = HMP(os.path.join(tmp, "a-hmp.sock"))
            c.run("echo alpha > /tmp/f; X=41; "
                  "head -c 1048576 /dev/urandom > /tmp/r")
            before = state(c)
            check(re.fullmatch(r"alpha\n41\n[0-9a-f]{32}", before),
                  "guest state set: %r" % before)
            up_saved = float(c.run("cut -d' ' -f1 /proc/uptime"))
            out = hmp.cmd("savevm s1")
            check(out == "", "savevm s1 printed nothing (%r)" % out)
            info = hmp.cmd("info snapshots")
            check(re.search(r"^--\s+s1\s+\S+ \S*iB ", info, re.M),
                  "info snapshots lists s1 with its VM state size")

            c.run("echo beta > /tmp/f; X=99; "
                  "head -c 1048576 /dev/urandom > /tmp/r")
            changed = state(c)
            check(changed != before and changed.startswith("beta\n99\n"),
                  "guest changed after savevm")
            c.run("sleep 3")
            up_before = float(c.run("cut -d' ' -f1 /proc/uptime"))

            out = hmp.cmd("loadvm s1")
            check(out == "", "loadvm s1 printed nothing (%r)" % out)
            check(hmp.cmd("info status") == "VM status: running",
                  "running after loadvm")
            up_after = float(c.run("cut -d' ' -f1 /proc/uptime"))
            check(up_saved <= up_after < up_before - 2,
                  "uptime back to the snapshot's (%.2f at savevm, %.2f "
                  "before loadvm, %.2f after)" % (up_saved, up_before,
                                                   up_after))
            after = state(c)
            check(after == before, "file, variable and hash are the "
                  "snapshot's (%r)" % after)
            c.run("sleep 1")
            check(c.last_status == 0, "timers fire after loadvm (sleep 1)")

            # QMP jobs
            qmp = QMP(os.path.join(tmp, "a-qmp.sock"))

            def job(cmd, jid, **args):
                qmp.cmd(cmd, job_id=jid, **args)
                seen = []
                while "concluded" not in seen:
                    seen.append(qmp.wait_event(
                        "JOB_STATUS_CHANGE",
                        lambda d: d["id"] == jid)["data"]["status"])
                info = [j for j in qmp.cmd("query-jobs") if j["id"] == jid]
                qmp.cmd("job-dismiss", id=jid)
                return seen, info[0]

            seen, info = job("snapshot-save", "j1", tag="q1", vmstate="d0",
                             devices=["d0"])
            check(seen == ["created", "running", "waiting", "pending",
                           "concluded"] and "error" not in info and
                  info["type"] == "snapshot-save",
                  "snapshot-save job concluded: %s %s" % (seen, info))
            c.run("echo delta > /tmp/f")
            seen, info = job("snapshot-load", "j2", tag="q1", vmstate="d0",
                             devices=["d0"])
            check("error" not in info and c.run("cat /tmp/f") == "alpha",
                  "snapshot-load job brought the state back")
            seen, info = job("snapshot-load", "j3", tag="nope", vmstate="d0",
                             devices=["d0"])
            check("aborting" in seen and "does not exist" in info["error"],
                  "a failing job concludes with its error: %s"
                  % info["error"])
            seen, info = job("snapshot-save", "j4", tag="q2", vmstate="d0",
                             devices=["nodisk"])
            check("not found" in info.get("error", ""),
                  "unknown device in devices: %s" % info.get("error"))
            seen, info = job("snapshot-delete", "j5", tag="q1",
                             devices=["d0"])
            check("error" not in info and "q1" not in
                  hmp.cmd("info snapshots"), "snapshot-delete job")
            qmp.close()

            out = hmp.cmd("loadvm nope")
            check("Snapshot 'nope' does not exist" in out,
                  "loadvm of an unknown name refused: %r" % out)
            out = hmp.cmd("delvm nope")
            check(out.startswith("Error:") and "nope" in out,
                  "delvm of an unknown name refused: %r" % out)
            check(state(c) == before, "guest unaffected by the refusals")
            hmp.quit()
            c.wait_exit(30)

        # the same machine from the snapshot at start-up: no boot, the shell
        # that was waiting at savevm answers
        with Console(arm64_cmd(turtle, tmp, "b", extra=drive +
                               ["-loadvm", "s1"]),
                     log=os.path.join(tmp, "b.log")) as c:
            c.sendline("")
            c.expect(r"turtle# ", timeout=60)
            after = state(c)
            check(after == before, "-loadvm s1 resumes the saved shell")
            hmp = HMP(os.path.join(tmp, "b-hmp.sock"))
            hmp.quit()
            c.wait_exit(30)

        # another RAM size: refused before anything changes
        with Console(arm64_cmd(turtle, tmp, "c", mem="256", extra=drive),
                     log=os.path.join(tmp, "c.log")) as c:
            boot(c)
            hmp = HMP(os.path.join(tmp, "c-hmp.sock"))
            c.run("echo gamma > /tmp/f")
            out = hmp.cmd("loadvm s1")
            check(out.startswith("Error:") and "RAM block" in out,
                  "snapshot of a 512M machine refused by a 256M one: %r" % out)
            check(c.run("cat /tmp/f") == "gamma" and
                  hmp.cmd("info status") == "VM status: running",
                  "the running guest is unaffected")
            info = hmp.cmd("info snapshots")
            check("turtle-loadvm-undo" not in info and "s1" in info,
                  "no undo point left behind")
            out = hmp.cmd("delvm s1")
            check(out == "", "delvm s1 (%r)" % out)
            check("There is no snapshot available." in
                  hmp.cmd("info snapshots"), "s1 is gone")
            hmp.quit()
            c.wait_exit(30)

        # no writable qcow2 disk
        with Console(arm64_cmd(turtle, tmp, "d", extra=["-S"]),
                     log=os.path.join(tmp, "d.log")) as c:
            hmp = HMP(os.path.join(tmp, "d-hmp.sock"))
            out = hmp.cmd("savevm s1")
            check(out == "Error: No block device can accept snapshots",
                  "savevm without a disk refused: %r" % out)
            hmp.quit()
            c.wait_exit(30)
        qemu_img = shutil.which("qemu-img")
        if qemu_img:
            r = subprocess.run([qemu_img, "check", disk], capture_output=True)
            check(r.returncode == 0, "qemu-img check finds the image clean")
    except Exception as e:               # noqa: BLE001
        print("FAIL:", e, "\n(logs in %s)" % tmp)
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
