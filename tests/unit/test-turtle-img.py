#!/usr/bin/env python3
"""turtle-img against qemu-img, and the emulator's drive options.

Every command of turtle-img is run on small images and its results are
checked with qemu-img (check, compare, info, map, snapshot -l); images
made by qemu-img go the other way.  Then turtle-system-aarch64 with
-drive/-blockdev/-snapshot: image locks seen by QEMU's tools, snapshot=on
leaving the image alone, option errors.  Skips what needs qemu-img when
it is absent.  Output is TAP.

Usage: test-turtle-img.py TURTLE_IMG TURTLE_SYSTEM
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

TIMG, SYSTEM = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
HAVE_QEMU = shutil.which('qemu-img') is not None
results = []


def run(*args, check=None, stdin=None):
    p = subprocess.run(list(args), capture_output=True, text=True,
                       stdin=stdin)
    if check is not None and p.returncode != check:
        raise AssertionError('%s -> %d (wanted %d)\n%s%s' %
                             (' '.join(args), p.returncode, check, p.stdout,
                              p.stderr))
    return p


def timg(*args, check=0):
    return run(TIMG, *args, check=check)


def qimg(*args, check=0):
    return run('qemu-img', *args, check=check)


def test(fn):
    results.append(fn)
    return fn


def write_file(path, data):
    with open(path, 'wb') as f:
        f.write(data)


def pattern(n, seed):
    out = bytearray(n)
    x = seed
    for i in range(0, n, 64):
        x = (x * 1103515245 + 12345) & 0xffffffff
        out[i:i + 64] = bytes([(x >> (i % 24)) & 0xff]) * min(64, n - i)
    return bytes(out)


@test
def create_info_check(d):
    """create with each option; qemu-img sees what turtle-img says"""
    for opts in ['cluster_size=512', 'cluster_size=2M', 'compat=0.10',
                 'refcount_bits=1', 'lazy_refcounts=on',
                 'preallocation=metadata', 'preallocation=falloc',
                 'preallocation=full', 'compression_type=zlib']:
        img = os.path.join(d, 'c.qcow2')
        timg('create', '-q', '-f', 'qcow2', '-o', opts, img, '3M')
        mine = json.loads(timg('info', '--output=json', img).stdout)
        assert mine['virtual-size'] == 3 * 2**20, mine
        assert mine['format'] == 'qcow2'
        if HAVE_QEMU:
            qimg('check', '-q', img)
            theirs = json.loads(qimg('info', '--output=json', img).stdout)
            for k in ['virtual-size', 'cluster-size', 'format', 'dirty-flag',
                      'format-specific']:
                assert mine.get(k) == theirs.get(k), (opts, k, mine, theirs)
        out = timg('check', img).stdout
        assert 'No errors were found on the image.' in out, out
    raw = os.path.join(d, 'c.raw')
    timg('create', '-q', '-f', 'raw', '-o', 'preallocation=full', raw, '1M')
    assert os.path.getsize(raw) == 2**20
    assert os.stat(raw).st_blocks * 512 >= 2**20
    # errors: bad option, bad size, unknown format
    assert 'Invalid parameter' in timg('create', '-f', 'qcow2', '-o',
                                       'bogus=1', img, '1M', check=1).stderr
    timg('create', '-f', 'qcow2', img, '12Q', check=1)
    timg('create', '-f', 'vmdk', img, '1M', check=1)
    assert 'Supported options' in timg('create', '-f', 'qcow2', '-o', 'help',
                                       img).stdout


@test
def backing_files(d):
    """-b/-F, backing shown by info, relative names, size from backing"""
    base = os.path.join(d, 'base.raw')
    write_file(base, pattern(2 * 2**20, 3))
    top = os.path.join(d, 'top.qcow2')
    timg('create', '-q', '-f', 'qcow2', '-b', 'base.raw', '-F', 'raw', top)
    info = json.loads(timg('info', '--output=json', top).stdout)
    assert info['virtual-size'] == 2 * 2**20
    assert info['backing-filename'] == 'base.raw'
    assert info['backing-filename-format'] == 'raw'
    assert info['full-backing-filename'] == base
    chain = json.loads(timg('info', '--output=json', '--backing-chain',
                            top).stdout)
    assert [c['format'] for c in chain] == ['qcow2', 'raw']
    timg('compare', top, base)
    if HAVE_QEMU:
        qimg('compare', top, base)
        assert 'backing file: base.raw' in qimg('info', top).stdout


@test
def convert_compare(d):
    """convert raw<->qcow2, -c, flattening a chain; qemu-img compare"""
    raw = os.path.join(d, 'data.raw')
    data = pattern(3 * 2**20, 7) + bytes(2**20) + pattern(2**20, 8)
    write_file(raw, data)
    q = os.path.join(d, 'data.qcow2')
    qc = os.path.join(d, 'data-c.qcow2')
    back = os.path.join(d, 'back.raw')
    timg('convert', '-f', 'raw', '-O', 'qcow2', raw, q)
    timg('convert', '-c', '-O', 'qcow2', '-o', 'cluster_size=4k', raw, qc)
    timg('convert', '-O', 'raw', qc, back)
    with open(back, 'rb') as f:
        assert f.read() == data
    for img in [q, qc]:
        timg('compare', '-f', 'qcow2', '-F', 'raw', img, raw)
        out = timg('check', img).stdout
        assert 'No errors' in out, out
        if HAVE_QEMU:
            qimg('check', img)
            qimg('compare', img, raw)
    if HAVE_QEMU:
        assert os.path.getsize(qc) < os.path.getsize(q)
        # qemu-img's compressed image converts back identically
        qq = os.path.join(d, 'qemu-c.qcow2')
        qimg('convert', '-c', '-O', 'qcow2', raw, qq)
        timg('compare', qq, raw)
        # a chain made by qemu-img, flattened by turtle-img
        ov = os.path.join(d, 'ov.qcow2')
        qimg('create', '-q', '-f', 'qcow2', '-b', 'data.qcow2', '-F',
             'qcow2', ov)
        run('qemu-io', '-c', 'write -P 0x33 1M 512k', ov, check=0)
        flat = os.path.join(d, 'flat.qcow2')
        timg('convert', '-O', 'qcow2', ov, flat)
        qimg('compare', ov, flat)
        assert 'backing' not in qimg('info', flat).stdout


@test
def compare_mismatch(d):
    a = os.path.join(d, 'a.raw')
    b = os.path.join(d, 'b.qcow2')
    data = bytearray(pattern(2**20, 1))
    write_file(a, data)
    timg('convert', '-q', '-O', 'qcow2', a, b)
    data[300000] ^= 1
    write_file(a, data)
    p = timg('compare', a, b, check=1)
    if HAVE_QEMU:
        q = qimg('compare', a, b, check=1)
        assert p.stdout == q.stdout, (p.stdout, q.stdout)
    assert 'Content mismatch at offset 299520!' in p.stdout, p.stdout
    # a longer image: identical only if the extra part is zero
    timg('resize', '-q', b, '2M')
    timg('compare', '-F', 'raw', b, os.path.join(d, 'a.raw'), check=1)
    timg('compare', '-s', b, a, check=1)


@test
def snapshots(d):
    img = os.path.join(d, 's.qcow2')
    timg('create', '-q', '-f', 'qcow2', img, '1M')
    raw1 = os.path.join(d, 's1.raw')
    write_file(raw1, pattern(2**20, 5))
    timg('convert', '-q', '-O', 'qcow2', raw1, img)
    timg('snapshot', '-c', 'first', img)
    timg('snapshot', '-c', 'first', img, check=1)
    if HAVE_QEMU:
        run('qemu-io', '-c', 'write -P 0x77 0 1M', img, check=0)
    mine = timg('snapshot', '-l', img).stdout
    assert 'first' in mine, mine
    if HAVE_QEMU:
        theirs = qimg('snapshot', '-l', img).stdout
        assert mine.splitlines()[:2] == theirs.splitlines()[:2], (mine,
                                                                   theirs)
        assert mine.split()[-6:-4] == theirs.split()[-6:-4]
    timg('snapshot', '-a', 'first', img)
    timg('compare', '-F', 'raw', img, raw1)
    timg('snapshot', '-d', 'first', img)
    timg('snapshot', '-a', 'first', img, check=1)
    assert timg('snapshot', '-l', img).stdout == ''
    if HAVE_QEMU:
        qimg('check', img)


@test
def resize(d):
    img = os.path.join(d, 'r.qcow2')
    timg('create', '-q', '-f', 'qcow2', img, '1M')
    timg('resize', img, '+3M')
    timg('resize', '--preallocation=metadata', img, '6M')
    timg('resize', img, '2M', check=1)            # shrinking needs --shrink
    timg('resize', '--shrink', img, '2M')
    timg('resize', '--shrink', img, '-1M')
    info = json.loads(timg('info', '--output=json', img).stdout)
    assert info['virtual-size'] == 2**20
    raw = os.path.join(d, 'r.raw')
    timg('create', '-q', '-f', 'raw', raw, '1M')
    timg('resize', '-f', 'raw', raw, '3M')
    assert os.path.getsize(raw) == 3 * 2**20
    if HAVE_QEMU:
        qimg('check', img)
        assert '1 MiB (1048576 bytes)' in qimg('info', img).stdout


def leak_one_cluster(img):
    """raise the refcount of a free cluster (a leak)"""
    with open(img, 'r+b') as f:
        hdr = f.read(104)
        cluster_bits = struct.unpack('>I', hdr[20:24])[0]
        rt_off = struct.unpack('>Q', hdr[48:56])[0]
        f.seek(rt_off)
        rb_off = struct.unpack('>Q', f.read(8))[0]
        size = os.path.getsize(img)
        f.truncate(size + (1 << cluster_bits))   # one unused cluster
        free = size >> cluster_bits
        f.seek(rb_off + 2 * free)
        f.write(struct.pack('>H', 1))


@test
def check_repair(d):
    img = os.path.join(d, 'k.qcow2')
    timg('create', '-q', '-f', 'qcow2', img, '4M')
    leak_one_cluster(img)
    p = timg('check', img, check=3)
    assert '1 leaked clusters were found on the image.' in p.stdout, p.stdout
    if HAVE_QEMU:
        qimg('check', img, check=3)
    j = json.loads(timg('check', '--output=json', img, check=3).stdout)
    assert j['leaks'] == 1 and j['corruptions'] == 0
    p = timg('check', '-r', 'leaks', img)
    assert 'The following inconsistencies were found and repaired' in p.stdout
    timg('check', img)
    if HAVE_QEMU:
        qimg('check', img)
        # and the other way: qemu-img repairs what we... find
        leak_one_cluster(img)
        qimg('check', '-r', 'leaks', img)
        timg('check', img)


@test
def map_output(d):
    base = os.path.join(d, 'm.raw')
    write_file(base, pattern(2**20, 2) + bytes(2**20))
    top = os.path.join(d, 'm.qcow2')
    timg('create', '-q', '-f', 'qcow2', '-b', 'm.raw', '-F', 'raw', top)
    if not HAVE_QEMU:
        timg('map', top)
        return
    run('qemu-io', '-c', 'write -P 1 64k 128k', '-c', 'write -z 512k 64k',
        top, check=0)
    # a top larger than its backing file, preallocated metadata (file
    # holes read as zeroes), compressed clusters (human output refuses)
    top2 = os.path.join(d, 'm2.qcow2')
    timg('create', '-q', '-f', 'qcow2', '-b', 'm.qcow2', '-F', 'qcow2',
         top2, '3M')
    run('qemu-io', '-c', 'write -P 2 2560k 64k', top2, check=0)
    pre = os.path.join(d, 'pre.qcow2')
    timg('create', '-q', '-f', 'qcow2', '-o',
         'preallocation=metadata,cluster_size=4096', pre, '4M')
    comp = os.path.join(d, 'comp.qcow2')
    timg('convert', '-c', '-O', 'qcow2', base, comp)
    for img in [top, top2, pre, comp]:
        for out in ['json', 'human']:
            # relative names in the working directory, as a user types
            args = ['map', '--output=' + out, os.path.basename(img)]
            mine = subprocess.run([TIMG] + args, cwd=d, capture_output=True,
                                  text=True)
            theirs = subprocess.run(['qemu-img'] + args, cwd=d,
                                    capture_output=True, text=True)
            assert (mine.returncode, mine.stdout) == \
                (theirs.returncode, theirs.stdout), \
                (img, out, mine.stdout, mine.stderr, theirs.stdout,
                 theirs.stderr)


@test
def emulator_drives(d):
    img = os.path.join(d, 'e.qcow2')
    timg('create', '-q', '-f', 'qcow2', img, '1M')
    before = open(img, 'rb').read()
    base = [SYSTEM, '-M', 'virt', '-display', 'none', '-nodefaults',
            '-accel', 'qtest', '-qtest', 'stdio']

    def running(*extra):
        return subprocess.Popen(base + list(extra), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def wait_ready(p):
        p.stdin.write('clock_step 1\n')
        p.stdin.flush()
        assert p.stdout.readline().startswith('OK'), 'emulator not ready'

    def stop(p):
        p.stdin.close()
        p.wait(timeout=30)
        assert p.returncode == 0, p.stderr.read()

    p = running('-drive', 'file=%s,format=qcow2,if=none,id=d0' % img)
    wait_ready(p)
    if HAVE_QEMU:
        r = run('qemu-img', 'info', img)
        assert r.returncode != 0 and 'lock' in r.stderr, r.stderr
        run('qemu-img', 'info', '-U', img, check=0)
    r = run(*base, '-drive', 'file=%s,if=none' % img, stdin=subprocess.DEVNULL)
    assert r.returncode == 1 and 'lock' in r.stderr, r.stderr
    stop(p)

    # snapshot=on / -snapshot: the image is only read
    for extra in [['-drive', 'file=%s,if=none,id=s,snapshot=on' % img],
                  ['-snapshot', '-drive', 'file=%s,if=none,id=s' % img],
                  ['-blockdev', 'driver=qcow2,node-name=n0,file.driver=file,'
                   'file.filename=%s,read-only=on' % img]]:
        p = running(*extra)
        wait_ready(p)
        if HAVE_QEMU:
            # readers may share it, writers may not
            run('qemu-img', 'info', '--force-share', img, check=0)
            r = run('qemu-io', '-c', 'read 0 512', img)
            assert r.returncode != 0 and 'lock' in r.stderr, r.stderr
        stop(p)
    assert open(img, 'rb').read() == before

    bad = [
        (['-drive', 'file=%s,if=none,cache=sometimes' % img], 'cache'),
        (['-drive', 'file=/nonexistent,if=none'], 'No such file'),
        # (-drive if=virtio and -hda are virtio-blk-pci disks on virt now)
        (['-blockdev', 'driver=qcow2,node-name=x,file=nope'], 'nope'),
        (['-blockdev', 'driver=qcow2,file.driver=file,file.filename=%s' % img],
         'node-name'),
        (['-drive', 'file=%s,if=none,aio=native9' % img], 'aio'),
    ]
    for args, msg in bad:
        r = run(*base, *args, stdin=subprocess.DEVNULL)
        assert r.returncode == 1 and msg in r.stderr, (args, r.stderr)


def main():
    print('1..%d' % len(results))
    failed = 0
    for i, fn in enumerate(results, 1):
        with tempfile.TemporaryDirectory(prefix='test-turtle-img-') as d:
            try:
                fn(d)
                print('ok %d %s' % (i, fn.__name__))
            except AssertionError as e:
                failed += 1
                print('not ok %d %s' % (i, fn.__name__))
                for line in str(e).splitlines():
                    print('# ' + line)
    if not HAVE_QEMU:
        print('# qemu-img not installed (qemu-utils): QEMU cross-checks '
              'skipped')
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
