#!/usr/bin/env python3
"""Glue the test kernel's setup and payload into a bzImage-format file.

usage: mkbzimage.py setup.bin payload.bin out.img

Patches the setup header (boot protocol, Documentation/arch/x86/boot.rst):
setup_sects (0x1f1), syssize (0x1f4, 16-byte units) and init_size (0x260).
"""
import struct
import sys


def main():
    setup = bytearray(open(sys.argv[1], 'rb').read())
    payload = open(sys.argv[2], 'rb').read()
    if len(setup) % 512 or len(setup) < 1024:
        sys.exit('setup size %d is not whole sectors' % len(setup))
    if setup[0x202:0x206] != b'HdrS':
        sys.exit('setup lacks the HdrS header')
    setup[0x1f1] = len(setup) // 512 - 1
    struct.pack_into('<I', setup, 0x1f4, (len(payload) + 15) // 16)
    init_size = (len(payload) + 0xfff) & ~0xfff
    struct.pack_into('<I', setup, 0x260, init_size)
    with open(sys.argv[3], 'wb') as f:
        f.write(setup)
        f.write(payload)


if __name__ == '__main__':
    main()
