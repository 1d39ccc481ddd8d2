#!/usr/bin/env python3
"""SeaBIOS boots from a virtio-blk-pci disk on the pc board.

    seabios-virtio-blk.py TURTLE-SYSTEM-X86_64

The disk holds one boot sector (written here): it prints a marker on COM1
and halts.  Debian's SeaBIOS (/usr/share/seabios/bios.bin) must find the
disk and load the sector through its own virtio driver, on the
transitional function (SeaBIOS picks the modern interface), a legacy-only
one (disable-modern=on) and a modern-only one (disable-legacy=on).
Exit status: 0 pass, 1 fail, 77 skip (no seabios package).
"""
import os
import select
import subprocess
import sys
import tempfile
import time

BIOS = "/usr/share/seabios/bios.bin"
MARKER = b"TURTLE-VIRTIO-BOOT-OK"


def boot_sector():
    """xor ax,ax; mov ds,ax; mov si,msg; mov dx,0x3f8;
    1: lodsb; test al,al; jz 2f; out dx,al; jmp 1b; 2: cli; hlt; jmp 2b"""
    code = bytearray([0x31, 0xC0, 0x8E, 0xD8, 0xBE, 0, 0, 0xBA, 0xF8, 0x03,
                      0xAC, 0x84, 0xC0, 0x74, 0x03, 0xEE, 0xEB, 0xF8,
                      0xFA, 0xF4, 0xEB, 0xFD])
    msg = 0x7c00 + len(code)
    code[5], code[6] = msg & 0xff, msg >> 8
    sec = bytes(code) + MARKER + b"\r\n\0"
    return sec + bytes(510 - len(sec)) + b"\x55\xaa"


def run_until_marker(cmd, timeout):
    """The emulator's output until MARKER (the sector then halts, so the
    emulator is stopped) or the timeout."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    out, end = b"", time.monotonic() + timeout
    os.set_blocking(p.stdout.fileno(), False)
    while MARKER not in out and time.monotonic() < end and p.poll() is None:
        if select.select([p.stdout], [], [], 0.5)[0]:
            out += p.stdout.read() or b""
    p.kill()
    p.wait()
    return out


def main():
    turtle = sys.argv[1]
    if not os.path.exists(BIOS):
        print("SKIP: %s not installed (seabios)" % BIOS)
        return 77
    failed = 0
    with tempfile.TemporaryDirectory(prefix="seabios-virtio-") as tmp:
        img = os.path.join(tmp, "boot.img")
        with open(img, "wb") as f:
            f.write(boot_sector() + bytes((1 << 20) - 512))
        for opts in ("", ",disable-modern=on", ",disable-legacy=on"):
            cmd = [turtle, "-M", "pc", "-m", "128", "-display", "none",
                   "-serial", "stdio", "-bios", BIOS,
                   "-drive", "file=%s,format=raw,if=none,id=d0" % img,
                   "-device", "virtio-blk-pci,drive=d0" + opts]
            out = run_until_marker(cmd, 60)
            ok = MARKER in out
            failed += not ok
            print("%s: virtio-blk-pci%s" % ("ok" if ok else "FAIL", opts))
            if not ok:
                print(out.decode(errors="replace")[-2000:])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
