#!/usr/bin/env python3
"""QMP block commands against the arm64 guest with a virtio-blk disk
(issue 12): query-block, query-blockstats, query-named-block-nodes,
block_resize (the guest sees the new capacity), blockdev-add/-del, and
their errors.

    block-qmp.py TURTLE-SYSTEM-AARCH64
Exit status 0 pass, 1 fail, 77 skip (guest images not fetched).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vmctl import QMP, QMPError, Console, arm64_cmd, boot  # noqa: E402

MiB = 1 << 20


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print("ok:", what, flush=True)


def error_of(qmp, cmd, **args):
    try:
        qmp.cmd(cmd, **args)
    except QMPError as e:
        return e.err["desc"]
    raise AssertionError("%s %s did not fail" % (cmd, args))


def main():
    turtle = sys.argv[1]
    build = os.path.dirname(os.path.abspath(turtle))
    img = os.path.join(build, "tools", "turtle-img")
    if not os.path.exists(img):
        img = shutil.which("qemu-img")
    tmp = tempfile.mkdtemp(prefix="blockqmp-")
    a, b, ro = (os.path.join(tmp, n) for n in ("a.qcow2", "b.qcow2",
                                                 "ro.raw"))
    try:
        for path, fmt in ((a, "qcow2"), (b, "qcow2"), (ro, "raw")):
            subprocess.run([img, "create", "-f", fmt, path, "64M"],
                           check=True, stdout=subprocess.DEVNULL)
        extra = ["-drive", "if=none,id=d0,format=qcow2,file=" + a,
                 "-device", "virtio-blk-device,drive=d0",
                 "-drive", "if=none,id=r0,format=raw,readonly=on,file=" + ro]
        with Console(arm64_cmd(turtle, tmp, "g", extra=extra),
                     log=os.path.join(tmp, "g.log")) as c:
            boot(c)
            q = QMP(os.path.join(tmp, "g-qmp.sock"))
            blk = {d["device"]: d for d in q.cmd("query-block")}
            d0 = blk["d0"]["inserted"]
            check(d0["drv"] == "qcow2" and d0["image"]["virtual-size"] ==
                  64 * MiB and d0["file"] == a and not d0["ro"] and
                  "qdev" in blk["d0"],
                  "query-block: d0 qcow2, 64 MiB, attached")
            check(blk["r0"]["inserted"]["ro"], "query-block: r0 read-only")

            c.run("dd if=/dev/vda of=/dev/null bs=64k count=32 "
                  "iflag=direct 2>/dev/null; "
                  "dd if=/dev/urandom of=/dev/vda bs=64k count=8 "
                  "oflag=direct 2>/dev/null; sync")
            st = {s["device"]: s["stats"] for s in q.cmd("query-blockstats")}
            check(st["d0"]["rd_bytes"] >= 2 * MiB and
                  st["d0"]["wr_bytes"] >= 512 * 1024 and
                  st["d0"]["rd_operations"] > 0 and
                  st["r0"]["rd_operations"] == 0,
                  "query-blockstats counts the guest's I/O (%d read, %d "
                  "written)" % (st["d0"]["rd_bytes"], st["d0"]["wr_bytes"]))

            q.cmd("block_resize", device="d0", size=128 * MiB)
            size = q.cmd("query-block")[0]["inserted"]["image"]["virtual-size"]
            check(size == 128 * MiB, "block_resize: 128 MiB in query-block")
            sectors = c.run("cat /sys/block/vda/size")
            check(sectors == str(128 * MiB // 512),
                  "the guest sees the new capacity (%s sectors)" % sectors)
            check("Device 'nope' not found" in
                  error_of(q, "block_resize", device="nope", size=MiB),
                  "block_resize of an unknown device refused")
            check("read only" in error_of(q, "block_resize", device="r0",
                                          size=MiB),
                  "block_resize of a read-only drive refused")
            check("exactly one" in error_of(q, "block_resize", size=MiB),
                  "block_resize without device or node-name refused")

            q.cmd("blockdev-add", driver="file", node_name="f1", filename=b)
            q.cmd("blockdev-add", driver="qcow2", node_name="q1", file="f1")
            nodes = {n["node-name"]: n
                     for n in q.cmd("query-named-block-nodes")}
            check(nodes["q1"]["drv"] == "qcow2" and
                  nodes["f1"]["drv"] == "file" and
                  nodes["q1"]["image"]["virtual-size"] == 64 * MiB,
                  "blockdev-add: q1 over f1 in query-named-block-nodes")
            q.cmd("block_resize", node_name="q1", size=96 * MiB)
            info = json.loads(subprocess.run(
                [img, "info", "-U", "--output=json", b], check=True,
                capture_output=True, text=True).stdout)
            check(info["virtual-size"] == 96 * MiB,
                  "block_resize by node-name reached the image")
            err = error_of(q, "blockdev-add", driver="qcow2", node_name="q1",
                           file="f1")
            check("q1" in err, "a duplicate node-name refused: %s" % err)
            err = error_of(q, "blockdev-add", driver="nosuch",
                           node_name="x1", filename=b)
            check("nosuch" in err, "an unknown driver refused: %s" % err)
            err = error_of(q, "blockdev-add", driver="file", node_name="x2",
                           filename=os.path.join(tmp, "missing.img"))
            check("missing.img" in err, "a missing file refused: %s" % err)
            err = error_of(q, "blockdev-del", node_name="f1")
            check("busy" in err, "blockdev-del of q1's file refused: %s" % err)
            q.cmd("blockdev-del", node_name="q1")
            q.cmd("blockdev-del", node_name="f1")
            names = [n["node-name"] for n in q.cmd("query-named-block-nodes")]
            check("q1" not in names and "f1" not in names,
                  "blockdev-del removed q1 and f1")
            err = error_of(q, "blockdev-del", node_name="q1")
            check("q1" in err, "blockdev-del of a gone node refused: %s" % err)
            q.cmd("quit")
            c.wait_exit(30)
        r = subprocess.run(["qemu-img", "check", a], capture_output=True)
        check(r.returncode == 0, "qemu-img check finds d0 clean")
    except Exception as e:               # noqa: BLE001
        print("FAIL:", e, "\n(logs in %s)" % tmp)
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
