#!/usr/bin/env python3
"""SeaBIOS (Debian's `seabios` package) on turtle-system-x86_64 -M pc.

    seabios-boot.py [--firmware-dir DIR] EMULATOR

For bios.bin (128 KiB) and bios-256k.bin: boot with -smp 2 -m 256 and
-nographic until the firmware says it has nothing to boot, and check from
its serial console and its debug log (isa-debugcon on port 0x402) that it
found what the board gives it: fw_cfg with DMA, both CPUs, the PM block,
the ACPI tables through etc/table-loader (bios-256k.bin finds the FADT
through our RSDT), our SMBIOS tables, the e820 map, the serial console.

Exit status 0 pass, 1 fail, 77 skip (the seabios package is not installed).
"""

import argparse
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console import Console, ConsoleError  # noqa: E402

CHECKS = [
    (r"Found QEMU fw_cfg", "fw_cfg found"),
    (r"QEMU fw_cfg DMA interface supported", "fw_cfg DMA"),
    (r"Moving pm_base to 0x600", "table-loader seen, PM base 0x600"),
    (r"Found 2 cpu\(s\) max supported 2 cpu\(s\)", "both CPUs started"),
    (r"Copying SMBIOS", "SMBIOS from etc/smbios"),
    (r"e820 map has \d+ items", "e820 map"),
    (r"sercon: using ioport 0x3f8", "serial console"),
]
# bios-256k.bin parses the ACPI tables it installed (the 128 KiB build
# does not say)
CHECKS_256K = [
    (r"table\(50434146\)=0x[0-9a-f]+ \(via rsdt\)", "FADT found via our RSDT"),
]


def run(emulator, fw, tmp):
    dbg = os.path.join(tmp, os.path.basename(fw) + ".debug")
    argv = [emulator, "-M", "pc", "-m", "256", "-smp", "2", "-bios", fw,
            "-nographic", "-no-reboot",
            "-chardev", "file,id=dbg,path=" + dbg,
            "-device", "isa-debugcon,iobase=0x402,chardev=dbg"]
    with Console(argv, prompt=r"\$ ") as c:
        c.expect(r"SeaBIOS \(version", timeout=120)
        c.expect(r"No bootable device", timeout=120)
    with open(dbg, encoding="latin-1") as f:
        log = f.read()
    checks = CHECKS + (CHECKS_256K if fw.endswith("256k.bin") else [])
    missing = [what for pat, what in checks if not re.search(pat, log)]
    if missing:
        raise ConsoleError("%s: not in the debug log: %s" %
                           (os.path.basename(fw), ", ".join(missing)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--firmware-dir", default="/usr/share/seabios")
    ap.add_argument("emulator")
    args = ap.parse_args()

    fws = [os.path.join(args.firmware_dir, f)
           for f in ("bios.bin", "bios-256k.bin")]
    if not all(os.path.exists(f) for f in fws):
        print("SKIP: no SeaBIOS in %s (apt-get install seabios)" %
              args.firmware_dir)
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        for fw in fws:
            try:
                run(args.emulator, fw, tmp)
            except ConsoleError as e:
                print("FAIL: %s" % e)
                return 1
            print("PASS: %s boots to its boot menu" % os.path.basename(fw))
    return 0


if __name__ == "__main__":
    sys.exit(main())
