#!/usr/bin/env python3
"""Randomised test of the decision trees scripts/decodetree.py builds.

Generates random 16-bit pattern files with nested { } and [ ] groups,
compiles each generated decoder (with --trans-stubs) into a small program,
runs it on all 65536 instruction words with several sets of refusing trans_
functions, and compares every call sequence and result with a direct
interpretation of the pattern file's meaning.

Usage: check-random.py DECODETREE_PY CC [ROUNDS] [SEED]
"""
import os
import random
import shlex
import subprocess
import sys
import tempfile

WIDTH = 16
FULL = (1 << WIDTH) - 1

HARNESS = r'''
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <stdint.h>
typedef struct DisasContext { unsigned long long refuse; } DisasContext;
static bool decodetree_trans_stub(DisasContext *ctx, const char *name,
                                  const char *fmt, ...)
{
    int n = atoi(name + 1);
    printf(" %d", n);
    return !((ctx->refuse >> n) & 1);
}
#include "dec.h"
int main(int argc, char **argv)
{
    DisasContext ctx;
    for (int r = 1; r < argc; r++) {
        ctx.refuse = strtoull(argv[r], NULL, 0);
        for (unsigned w = 0; w < 65536; w++) {
            printf("%x:", w);
            bool ok = decode(&ctx, (uint16_t)w);
            printf(" =%d\n", ok);
        }
    }
    return 0;
}
'''


class Pat:
    def __init__(self, idx, mask, value):
        self.idx, self.mask, self.value = idx, mask, value

    def leaves(self):
        return [self]


class Grp:
    def __init__(self, overlap, items):
        self.overlap, self.items = overlap, items

    def leaves(self):
        return [leaf for it in self.items for leaf in it.leaves()]


def overlap(a, b):
    return any(((x.value ^ y.value) & x.mask & y.mask) == 0
               for x in a.leaves() for y in b.leaves())


class Gen:
    def __init__(self, rnd):
        self.rnd = rnd
        self.n = 0

    def pattern(self, rmask, rval):
        # Fix a random set of extra bits on top of the region.
        extra = 0
        for b in range(WIDTH):
            if not (rmask >> b) & 1 and self.rnd.random() < 0.3:
                extra |= 1 << b
        mask = rmask | extra
        value = rval | (self.rnd.getrandbits(WIDTH) & extra)
        p = Pat(self.n, mask, value)
        self.n += 1
        return p

    def region(self, rmask, rval):
        extra = 0
        for b in range(WIDTH):
            if not (rmask >> b) & 1 and self.rnd.random() < 0.15:
                extra |= 1 << b
        return rmask | extra, rval | (self.rnd.getrandbits(WIDTH) & extra)

    def group(self, ordered, rmask, rval, depth, size):
        """A { } group (ordered=True) or [ ] group of up to size items
        inside the region rmask/rval."""
        items = []
        tries = 0
        while len(items) < size and tries < size * 20 and self.n < 60:
            tries += 1
            r = self.rnd.random()
            if depth < 3 and r < 0.15:
                m, v = self.region(rmask, rval)
                it = self.group(not ordered, m, v, depth + 1,
                                self.rnd.randint(1, 5))
                if not it.items:
                    continue
            else:
                it = self.pattern(rmask, rval)
            if not ordered and any(overlap(it, o) for o in items):
                continue
            items.append(it)
        return Grp(ordered, items)


def bits(mask, value):
    out = ''
    for b in range(WIDTH - 1, -1, -1):
        if (mask >> b) & 1:
            out += '1' if (value >> b) & 1 else '0'
        else:
            out += '.'
    return out


def write(g, out, ind=0):
    for it in g.items:
        if isinstance(it, Pat):
            out.append('  ' * ind + f'P{it.idx} {bits(it.mask, it.value)}')
        else:
            out.append('  ' * ind + ('{' if it.overlap else '['))
            write(it, out, ind + 1)
            out.append('  ' * ind + ('}' if it.overlap else ']'))


def interp(g, w, refuse, calls):
    """True if handled; appends trans_ calls made."""
    if g.overlap:
        for it in g.items:
            if run(it, w, refuse, calls):
                return True
        return False
    for it in g.items:
        if any(((w ^ p.value) & p.mask) == 0 for p in it.leaves()):
            return run(it, w, refuse, calls)
    return False


def run(it, w, refuse, calls):
    if isinstance(it, Grp):
        return interp(it, w, refuse, calls)
    if ((w ^ it.value) & it.mask) != 0:
        return False
    calls.append(it.idx)
    return not (refuse >> it.idx) & 1


def one_round(script, cc, rnd, tmp):
    gen = Gen(rnd)
    root = gen.group(False, 0, 0, 0, rnd.randint(2, 25))
    if not root.items:
        return True
    lines = []
    write(root, lines)
    src = os.path.join(tmp, 'r.decode')
    with open(src, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    subprocess.run([sys.executable, script, '--insnwidth', '16',
                    '--static-decode', '--trans-stubs', '-o',
                    os.path.join(tmp, 'dec.h'), src], check=True)
    with open(os.path.join(tmp, 'h.c'), 'w') as f:
        f.write(HARNESS)
    exe = os.path.join(tmp, 'h')
    subprocess.run(shlex.split(cc) + ['-O0', '-w', '-I', tmp, '-o', exe,
                                      os.path.join(tmp, 'h.c')], check=True)
    refusals = [0, rnd.getrandbits(64), rnd.getrandbits(64), (1 << 64) - 1]
    out = subprocess.run([exe] + [str(r) for r in refusals], check=True,
                         capture_output=True, text=True).stdout.splitlines()
    k = 0
    for refuse in refusals:
        for w in range(1 << WIDTH):
            calls = []
            ok = interp(root, w, refuse, calls)
            want = f'{w:x}:' + ''.join(f' {c}' for c in calls) + f' ={int(ok)}'
            if out[k] != want:
                print(f'# mismatch for refuse={refuse:#x}: got "{out[k]}", '
                      f'expected "{want}"\n# pattern file:')
                for ln in lines:
                    print('#   ' + ln)
                return False
            k += 1
    return True


def main():
    script, cc = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    rnd = random.Random(seed)
    print(f'1..{rounds}')
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(1, rounds + 1):
            ok = one_round(script, cc, rnd, tmp)
            failed += not ok
            print(f'{"ok" if ok else "not ok"} {i} random pattern file')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
