#!/usr/bin/env python3
"""A virtio-blk disk in the arm64 guest: ext4 on qcow2 over a backing file.

    disk-guest.py --turtle-img build/tools/turtle-img [--device virtio-blk-device]
                  [--log FILE] -- EMULATOR ARGS...

The host builds an ext4 file system with files in it (mke2fs -d), converts
it to qcow2 (turtle-img convert) and puts a qcow2 overlay on top of it
(turtle-img create -b).  The guest, given the overlay as a virtio-blk disk
(`--device` names the device: virtio-blk-device on virtio-mmio, or
virtio-blk-pci; `--device if=virtio` gives the image as `-drive
file=...` with the default interface instead, as `-hda` does, which the
virt board turns into a virtio-blk-pci), mounts it, checks every file's SHA-256, writes new files,
deletes some, syncs, unmounts and powers off.  The host then checks:
  - `qemu-img check` finds the overlay clean, the backing file unchanged;
  - `e2fsck -fn` finds the file system (flattened to raw) clean;
  - the new files read back on the host (debugfs) with the guest's hashes,
    the deleted ones are gone, the untouched ones unchanged.
Exit status: 0 pass, 1 fail, 77 skip (no guest images, or no mke2fs /
debugfs / e2fsck / qemu-img on the host).
"""

import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console import Console  # noqa: E402
from guests import guest_images  # noqa: E402



def sh(*cmd, check=True):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if check and r.returncode:
        raise SystemExit("FAIL: %s: exit %d\n%s" % (" ".join(cmd), r.returncode,
                                                   r.stdout.decode(errors="replace")))
    return r.returncode, r.stdout.decode(errors="replace")


def make_tree(root, rnd):
    """Files of several sizes (one spanning many extents); name -> sha256."""
    files = {}
    sizes = {"small.txt": 37, "page.bin": 4096, "odd.bin": 12345,
             "big.bin": 3 * 1024 * 1024 + 7, "dir/a.bin": 70000,
             "dir/sub/b.bin": 1, "dir/sub/c.bin": 200000}
    for name, size in sizes.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = rnd.randbytes(size)
        with open(path, "wb") as f:
            f.write(data)
        files[name] = hashlib.sha256(data).hexdigest()
    return files


def guest_hashes(c, names):
    out = c.run("cd /mnt && sha256sum %s; cd /" % " ".join(names), timeout=300)
    got = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2:
            got[parts[1]] = parts[0]
    return got


def main():
    argv = sys.argv[1:]
    emu = []
    if "--" in argv:
        i = argv.index("--")
        argv, emu = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--turtle-img", required=True)
    ap.add_argument("--device", default="virtio-blk-device")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--log")
    args = ap.parse_args(argv)
    if not emu:
        ap.error("no emulator command after --")

    for tool in ("mke2fs", "e2fsck", "debugfs", "qemu-img"):
        if not shutil.which(tool) and not os.path.exists("/sbin/" + tool):
            print("SKIP: %s not found (e2fsprogs, qemu-utils)" % tool)
            return 77
    images = guest_images("arm64")
    if not images:
        return 77
    kernel, initrd = images

    tmp = tempfile.mkdtemp(prefix="disk-guest-")
    try:
        return run(args, emu, kernel, initrd, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, emu, kernel, initrd, tmp):
    img = args.turtle_img
    rnd = random.Random(12)
    tree = os.path.join(tmp, "tree")
    files = make_tree(tree, rnd)
    raw = os.path.join(tmp, "base.raw")
    base = os.path.join(tmp, "base.qcow2")
    top = os.path.join(tmp, "top.qcow2")
    flat = os.path.join(tmp, "flat.raw")
    with open(raw, "wb") as f:
        f.truncate(64 * 1024 * 1024)
    sh("mke2fs", "-q", "-F", "-t", "ext4", "-d", tree, raw)
    sh(img, "convert", "-f", "raw", "-O", "qcow2", raw, base)
    sh(img, "create", "-f", "qcow2", "-b", base, "-F", "qcow2", top)
    base_sha = hashlib.sha256(open(base, "rb").read()).hexdigest()

    cmd = emu + ["-kernel", kernel, "-initrd", initrd,
                 "-append", "console=ttyAMA0 panic=-1"]
    if args.device == "if=virtio":
        cmd += ["-drive", "file=%s,format=qcow2" % top]
        serial = ""
    else:
        cmd += ["-drive", "file=%s,format=qcow2,if=none,id=disk0" % top,
                "-device", "%s,drive=disk0,serial=turtle-disk" % args.device]
        serial = "turtle-disk"
    deleted = ["odd.bin", "dir/sub/b.bin"]
    new = {"new/one.bin": 1 << 20, "new/two.bin": 5000, "dir/three.bin": 262144}
    with Console(cmd, log=args.log) as c:
        c.expect(r"TURTLE-GUEST-READY", timeout=args.timeout)
        c.expect(r"turtle# ")
        if c.run("ls /lib/modules/ 2>/dev/null | grep -c virtio_blk") != "1":
            print("FAIL: the initramfs has no kernel modules (rebuild it: "
                  "tests/functional/fetch-guests.sh --refresh arm64)")
            return 1
        disk = c.run("for d in /sys/block/vd*; do "
                     "[ \"$(cat $d/serial)\" = '%s' ] && echo ${d##*/}; done" % serial)
        if not disk.startswith("vd") or "\n" in disk:
            print("FAIL: not one virtio disk with serial %r: %r" % (serial, disk))
            return 1
        size = c.run("cat /sys/block/%s/size" % disk)
        if size != str(64 * 1024 * 1024 // 512):
            print("FAIL: /dev/%s has %s sectors" % (disk, size))
            return 1
        c.run("mount -t ext4 /dev/%s /mnt" % disk, timeout=120)
        if c.last_status != 0:
            print("FAIL: mount: %s" % c.run("dmesg | tail -5"))
            return 1
        got = guest_hashes(c, sorted(files))
        if got != files:
            print("FAIL: files in the guest differ: %r" % {
                k: (files[k], got.get(k)) for k in files if got.get(k) != files[k]})
            return 1
        c.run("mkdir -p /mnt/new")
        for name, size in new.items():
            c.run("dd if=/dev/urandom of=/mnt/%s bs=%d count=1 2>/dev/null" % (name, size),
                  timeout=120)
        new_sha = guest_hashes(c, sorted(new))
        if len(new_sha) != len(new):
            print("FAIL: new files not hashed: %r" % new_sha)
            return 1
        c.run("rm /mnt/%s" % " /mnt/".join(deleted))
        c.run("sync && umount /mnt", timeout=120)
        if c.last_status != 0:
            print("FAIL: sync/umount failed")
            return 1
        c.poweroff()

    # the host's view
    rc, out = sh("qemu-img", "check", top, check=False)
    if rc != 0:
        print("FAIL: qemu-img check %s:\n%s" % (top, out))
        return 1
    if hashlib.sha256(open(base, "rb").read()).hexdigest() != base_sha:
        print("FAIL: the backing file changed")
        return 1
    sh(img, "convert", "-f", "qcow2", "-O", "raw", top, flat)
    rc, out = sh("e2fsck", "-fn", flat, check=False)
    if rc != 0:
        print("FAIL: e2fsck -fn:\n%s" % out)
        return 1
    expect = dict(files)
    for name in deleted:
        del expect[name]
    expect.update(new_sha)
    for name, sha in sorted(expect.items()):
        dump = os.path.join(tmp, "dump")
        sh("debugfs", "-R", "dump /%s %s" % (name, dump), flat)
        data = open(dump, "rb").read() if os.path.exists(dump) else b""
        if hashlib.sha256(data).hexdigest() != sha:
            print("FAIL: %s on the host differs from the guest's" % name)
            return 1
        os.unlink(dump)
    for name in deleted:
        rc, out = sh("debugfs", "-R", "stat /%s" % name, flat, check=False)
        if "File not found" not in out:
            print("FAIL: %s still exists: %s" % (name, out))
            return 1
    print("PASS: %d files checked, %d written, %d deleted; qemu-img check and "
          "e2fsck clean" % (len(files), len(new), len(deleted)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
