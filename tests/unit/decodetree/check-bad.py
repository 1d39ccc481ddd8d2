#!/usr/bin/env python3
"""Run scripts/decodetree.py on every bad/*.decode file and check that it
fails with exit status 1, writes no output file and reports the error on
the line and with the message given by the file's '# expect: LINE: TEXT'
first line.

Usage: check-bad.py DECODETREE_PY BAD_DIR
"""
import os
import subprocess
import sys
import tempfile


def main():
    script, bad_dir = sys.argv[1], sys.argv[2]
    files = sorted(f for f in os.listdir(bad_dir) if f.endswith('.decode'))
    failed = 0
    print(f'1..{len(files)}')
    for n, name in enumerate(files, 1):
        path = os.path.join(bad_dir, name)
        with open(path) as f:
            first = f.readline()
        assert first.startswith('# expect: '), path
        line, text = first[len('# expect: '):].strip().split(': ', 1)
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, 'out.h')
            r = subprocess.run([sys.executable, script, '-o', out, path],
                               capture_output=True, text=True)
            wrote = os.path.exists(out)
        want = f'{path}:{line}: error: {text}'
        ok = r.returncode == 1 and not wrote and want in r.stderr
        if not ok:
            failed += 1
            print(f'# {name}: exit {r.returncode}, output written: {wrote}')
            print(f'# expected: {want}')
            for ln in r.stderr.splitlines():
                print(f'# got:      {ln}')
        print(f'{"ok" if ok else "not ok"} {n} {name}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
