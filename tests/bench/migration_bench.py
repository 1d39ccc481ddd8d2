#!/usr/bin/env python3
"""Live migration, Turtle against QEMU (see migration-bench.sh).

The guest (-m 512, TCG) fills 64 MiB of tmpfs with random data, then
rewrites 8 MiB of it every 100 ms in the background (about 60-80 MiB/s of
dirty memory, minus the guest's own copying speed) while it is migrated
over loopback TCP with the same parameters on both (max-bandwidth
256 MiB/s, downtime-limit 300 ms, auto-converge on).
Printed: total time, downtime, MiB sent, dirty syncs, and the ratios.
Never asserts on time.
"""

import argparse
import os
import shutil
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "functional"))
from vmctl import QMP, Console, boot, guest_files  # noqa: E402


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def cmd(emu, tmp, tag, extra=()):
    k, i = guest_files("arm64")
    return [emu, "-M", "virt", "-cpu", "cortex-a57", "-m", "512",
            "-nographic", "-no-reboot", "-nic", "none",
            "-kernel", k, "-initrd", i, "-append", "console=ttyAMA0 panic=-1",
            "-qmp", "unix:%s/%s-qmp.sock,server=on,wait=off" % (tmp, tag)] + \
        list(extra)


def one(emu, tmp, name):
    src = Console(cmd(emu, tmp, name + "-src"),
                  log=os.path.join(tmp, name + "-src.log"))
    dst = None
    try:
        boot(src)
        src.run("head -c 67108864 /dev/urandom > /tmp/big; "
                "head -c 8388608 /dev/urandom > /tmp/chunk", timeout=300)
        src.run("(i=0; while :; do dd if=/tmp/chunk of=/tmp/big bs=1M "
                "seek=$((i % 8 * 8)) conv=notrunc 2>/dev/null; i=$((i+1)); "
                "sleep 0.1; done) > /dev/null 2>&1 & true")
        time.sleep(2)
        port = free_port()
        dst = Console(cmd(emu, tmp, name + "-dst",
                          ["-incoming", "tcp:127.0.0.1:%d" % port]),
                      log=os.path.join(tmp, name + "-dst.log"))
        q = QMP(os.path.join(tmp, name + "-src-qmp.sock"))
        QMP(os.path.join(tmp, name + "-dst-qmp.sock")).close()
        q.cmd("migrate-set-capabilities", capabilities=[
            {"capability": "events", "state": True},
            {"capability": "auto-converge", "state": True}])
        q.cmd("migrate-set-parameters", downtime_limit=300,
              max_bandwidth=256 << 20)
        q.cmd("migrate", uri="tcp:127.0.0.1:%d" % port)
        q.wait_event("MIGRATION", lambda d: d["status"] in
                     ("completed", "failed"), timeout=900)
        info = q.cmd("query-migrate")
        if info["status"] != "completed":
            raise RuntimeError("%s: migration %s" % (name, info))
        dst.sendline("")
        dst.expect("turtle# ", timeout=60)
        return info
    finally:
        src.close()
        if dst:
            dst.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("turtle")
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    emus = [("turtle", args.turtle)]
    if shutil.which("qemu-system-aarch64"):
        emus.append(("qemu", "qemu-system-aarch64"))
    tmp = tempfile.mkdtemp(prefix="migbench-")
    res = {}
    for r in range(args.runs):
        for name, emu in emus:
            info = one(emu, tmp, name)
            ram = info["ram"]
            res.setdefault(name, []).append(info)
            print("%-7s run %d: total %5d ms, downtime %4d ms, %4d MiB sent, "
                  "%d dirty syncs, throttle %s%%" %
                  (name, r + 1, info["total-time"], info["downtime"],
                   ram["transferred"] >> 20, ram["dirty-sync-count"],
                   info.get("cpu-throttle-percentage", 0)), flush=True)
    if "qemu" in res:
        def avg(n, k):
            return sum(i[k] for i in res[n]) / len(res[n])
        print("turtle/qemu: total time %.2f, downtime %.2f" %
              (avg("turtle", "total-time") / avg("qemu", "total-time"),
               avg("turtle", "downtime") / max(avg("qemu", "downtime"), 1)))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
