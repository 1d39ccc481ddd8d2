#!/usr/bin/env python3
"""Development aid: compare the A64 decode tables with binutils on random
instruction words.

Feeds N random words (optionally constrained by --mask/--value) to
aarch64-linux-gnu-objdump and to `test-a64-decode --names`, and prints the
words where one calls the word undefined and the other does not, grouped by
objdump's mnemonic.  Extensions the tables leave out on purpose (SVE, SME,
MTE, pointer authentication loads/branches, ...) show up as "objdump only";
read the list, do not expect it to be empty.

Usage: fuzz-a64-objdump.py TEST_A64_DECODE [-n N] [--mask M --value V] [--seed S]
"""
import argparse
import collections
import random
import re
import struct
import subprocess
import tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('prog')
    ap.add_argument('-n', type=int, default=100000)
    ap.add_argument('--mask', type=lambda x: int(x, 0), default=0)
    ap.add_argument('--value', type=lambda x: int(x, 0), default=0)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--show', type=int, default=3)
    ap.add_argument('--all', action='store_true',
                    help='also list SVE/SME instructions')
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    words = [(rnd.getrandbits(32) & ~args.mask) | (args.value & args.mask)
             for _ in range(args.n)]
    with tempfile.NamedTemporaryFile(suffix='.bin') as f:
        f.write(b''.join(struct.pack('<I', w) for w in words))
        f.flush()
        out = subprocess.run(['aarch64-linux-gnu-objdump', '-D', '-b', 'binary',
                              '-m', 'aarch64', f.name], capture_output=True,
                             text=True, check=True).stdout
    dis = {}
    for ln in out.splitlines():
        parts = ln.split('\t')
        if len(parts) >= 3 and parts[0].strip().endswith(':'):
            off = int(parts[0].strip()[:-1], 16)
            text = '\t'.join(parts[2:]).strip()
            dis[off // 4] = text
    names = subprocess.run([args.prog, '--names'], input='\n'.join(
        f'{w:08x}' for w in words) + '\n', capture_output=True, text=True,
        check=True).stdout.split('\n')
    only_objdump = collections.defaultdict(list)
    only_ours = collections.defaultdict(list)
    several = []
    for i, w in enumerate(words):
        d = dis.get(i, '')
        undefined = d.startswith('.inst') or 'undefined' in d or not d
        name = names[i].split()[1]
        if name == '(several)':
            several.append(w)
        elif undefined and name != '-':
            only_ours[name].append((w, d))
        elif not undefined and name == '-':
            if not args.all and re.search(r'\b(z\d|p\d|za)', d):
                continue        # SVE/SME
            only_objdump[d.split()[0]].append((w, d))
    print(f'{len(words)} words; claimed by several patterns: {len(several)}')
    for w in several[:args.show]:
        print(f'  several: {w:08x}')
    print('Claimed by us, undefined for objdump:')
    for k, v in sorted(only_ours.items(), key=lambda kv: -len(kv[1])):
        print(f'  {k}: {len(v)}  e.g. ' + ', '.join(f'{w:08x}' for w, _ in v[:args.show]))
    print('Decoded by objdump, unclaimed by us:')
    for k, v in sorted(only_objdump.items(), key=lambda kv: -len(kv[1])):
        print(f'  {k}: {len(v)}  e.g. ' + '; '.join(f'{w:08x} {d}' for w, d in v[:args.show]))


if __name__ == '__main__':
    main()
