#!/usr/bin/env python3
"""Hostile and malformed packets at the gdb stub, over a raw socket.

    gdb-hostile.py EMULATOR [EMULATOR ARGS...]

Starts EMULATOR (the aarch64 gdb-target program, -S, -gdb unix:SOCK),
then sends what a broken or malicious client might: bad checksums, bad
checksum digits, an over-long packet, out-of-range register numbers,
huge and overflowing lengths, memory outside the guest, malformed
breakpoints, thread ids and hex.  Each must get the protocol's answer (a
'-' for a damaged packet, an Exx error, or the empty "unsupported"
reply); afterwards the stub still works (registers read, a breakpoint
hits), and after detach the program runs to its end.
Environment: TCG_BUILD_DIR: where the program is built.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from gdbclient import Client, frame  # noqa: E402


def main():
    emu = sys.argv[1]
    extra = sys.argv[2:]
    if not shutil.which('aarch64-linux-gnu-gcc'):
        print('SKIP: aarch64-linux-gnu-gcc is not installed')
        sys.exit(77)
    bdir = os.environ.get('TCG_BUILD_DIR') or tempfile.mkdtemp()
    elf = os.path.join(bdir, 'gdb-target.elf')
    subprocess.check_call(['make', '-s', '-C',
                           os.path.join(HERE, '..', 'aarch64'),
                           'B=' + bdir, elf])
    tmp = tempfile.mkdtemp(prefix='turtle-gdb-')
    sock = os.path.join(tmp, 'gdb.sock')
    vm = subprocess.Popen([emu, '-M', 'virt', '-display', 'none',
                           '-semihosting', '-cpu', 'cortex-a57', '-m', '128',
                           '-kernel', elf, '-S', '-gdb', 'unix:' + sock] +
                          extra, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    failed = []

    def check(name, got, want):
        ok = re.fullmatch(want, got, re.S) is not None
        print('%s %-34s %r' % ('ok  ' if ok else 'FAIL', name, got[:60]))
        if not ok:
            failed.append(name)

    try:
        for _ in range(100):
            if os.path.exists(sock) or vm.poll() is not None:
                break
            time.sleep(0.1)
        c = Client(sock)
        check('qSupported', c.cmd('qSupported:multiprocess+'),
              r'PacketSize=[0-9a-f]+;.*')
        # damaged packets: '-' and nothing else; the next one works
        c.raw(b'$g#00')
        c.expect_ack(b'-')
        c.raw(b'$g#zz')
        c.expect_ack(b'-')
        c.raw(b'$' + b'm' * 100000 + b'#00')
        c.expect_ack(b'-')
        big = 'M0,1:' + '00' * 40000
        c.raw(frame(big))
        c.expect_ack(b'-')          # longer than PacketSize: dropped
        check('after damage: ?', c.cmd('?'), r'T05thread:1;')
        # registers
        check('p out of range', c.cmd('p1000'), r'E\w\w')
        check('p huge', c.cmd('pffffffffffffffff'), r'E\w\w')
        check('p overflowing hex', c.cmd('p1' + '0' * 20), r'E\w\w')
        check('p no number', c.cmd('p'), r'E\w\w')
        check('P out of range', c.cmd('P1000=00'), r'E\w\w')
        check('P short value', c.cmd('P0=12'), r'E\w\w')
        check('P bad hex', c.cmd('P0=zz' + '00' * 7), r'E\w\w')
        check('G short', c.cmd('G0011'), r'E\w\w')
        # memory
        check('m huge length', c.cmd('m40000000,ffffffffffffffff'), r'E\w\w')
        check('m too long for a reply', c.cmd('m40000000,100000'), r'E\w\w')
        check('m unmapped', c.cmd('mffffffffffff0000,10'), r'E\w\w')
        check('m wrapping', c.cmd('mfffffffffffffff8,10'), r'E\w\w')
        check('m malformed', c.cmd('m40000000'), r'E\w\w')
        check('M length mismatch', c.cmd('M40000000,4:00'), r'E\w\w')
        check('M huge length', c.cmd('M40000000,ffffffff:00'), r'E\w\w')
        check('X length mismatch', c.cmd('X40000000,10:ab'), r'E\w\w')
        check('M outside RAM', c.cmd('Mffffffffff000000,1:00'), r'E\w\w')
        # physical mode: the same bounds
        check('Qqemu.PhyMemMode:1', c.cmd('Qqemu.PhyMemMode:1'), 'OK')
        check('m phys outside RAM', c.cmd('mfffffffff000,10'), r'E\w\w')
        check('m phys RAM', c.cmd('m40000000,4'), r'[0-9a-f]{8}')
        check('Qqemu.PhyMemMode:0', c.cmd('Qqemu.PhyMemMode:0'), 'OK')
        # breakpoints, threads, queries
        check('Z bad type', c.cmd('Z9,40000000,4'), r'')
        check('Z malformed', c.cmd('Z0,zz,4'), r'E\w\w')
        check('z not set', c.cmd('z0,40000004,4'), r'E\w\w')
        check('Z2 zero length', c.cmd('Z2,40000000,0'), r'E\w\w')
        check('Z2 huge length', c.cmd('Z2,40000000,ffffffffffff'), r'E\w\w')
        check('Z2 wrapping', c.cmd('Z2,fffffffffffffff0,20'), r'E\w\w')
        check('z2 not set', c.cmd('z2,40000000,8'), r'E\w\w')
        check('Hg unknown thread', c.cmd('Hg99'), r'E\w\w')
        check('T unknown thread', c.cmd('T99'), r'E\w\w')
        check('T huge thread', c.cmd('Tffffffffffffffff'), r'E\w\w')
        check('qXfer bad annex', c.cmd('qXfer:features:read:x.xml:0,10'),
              r'E\w\w')
        check('qXfer offset past end',
              c.cmd('qXfer:features:read:target.xml:ffffff,10'), r'E\w\w')
        check('qXfer huge length',
              c.cmd('qXfer:features:read:target.xml:0,ffffffffffff'),
              r'm<\?xml.*')
        check('qRcmd odd hex', c.cmd('qRcmd,123'), r'E\w\w')
        check('Qqemu.sstep bad', c.cmd('Qqemu.sstep=0'), r'E\w\w')
        check('vCont bad action', c.cmd('vCont;x'), r'E\w\w')
        check('vCont bad thread', c.cmd('vCont;c:zz'), r'E\w\w')
        check('unknown packet', c.cmd('Jabberwocky'), r'')
        # still alive and working: registers, a breakpoint, continue
        regs = c.cmd('g')
        check('g', regs, r'[0-9a-f]+')
        check('qXfer target.xml',
              c.cmd('qXfer:features:read:target.xml:0,400'),
              r'[ml]<\?xml.*aarch64.*')
        bump = subprocess.run(['aarch64-linux-gnu-nm', elf],
                              stdout=subprocess.PIPE, text=True).stdout
        addr = re.search(r'([0-9a-f]+) T bump\n', bump).group(1)
        check('Z0 bump', c.cmd('Z0,%s,4' % addr), 'OK')
        c.raw(frame('c'))
        c.expect_ack()
        check('breakpoint hit', c.reply(), r'T05thread:1;')
        check('p pc at bump', c.cmd('p20'),
              ''.join('%02x' % b for b in int(addr, 16).to_bytes(8, 'little')))
        check('z0 bump', c.cmd('z0,%s,4' % addr), 'OK')
        # Ctrl-C while running (the program spins while `hold` is set):
        # the stub stops the VM and answers T02
        hold = re.search(r'([0-9a-f]+) [BbDd] hold\n', bump).group(1)
        check('M hold=1', c.cmd('M%s,1:01' % hold), 'OK')
        c.raw(frame('vCont;c'))
        c.expect_ack()
        time.sleep(0.3)
        c.raw(b'\x03')
        check('Ctrl-C', c.reply(), r'T02thread:1;')
        check('M hold=0', c.cmd('M%s,1:00' % hold), 'OK')
        check('D', c.cmd('D'), 'OK')
        out = vm.communicate(timeout=60)[0].decode()
        check('program finished after detach', out.strip(), r'result=22')
        # kill: a second machine, ended by gdb's k packet
        vm2 = subprocess.Popen([emu, '-M', 'virt', '-display', 'none',
                                '-semihosting', '-cpu', 'cortex-a57',
                                '-m', '128', '-kernel', elf, '-S', '-gdb',
                                'unix:' + sock + '2'] + extra,
                               stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
        for _ in range(100):
            if os.path.exists(sock + '2') or vm2.poll() is not None:
                break
            time.sleep(0.1)
        c2 = Client(sock + '2')
        c2.raw(frame('k'))
        c2.expect_ack()
        out2 = vm2.communicate(timeout=30)[0].decode()
        check('k ends the emulator', '%d %s' % (vm2.returncode, out2.strip()),
              r'0 ?')
    except (EOFError, OSError, AssertionError, subprocess.TimeoutExpired) as e:
        print('FAIL', e)
        failed.append(str(e))
    finally:
        if vm.poll() is None:
            vm.kill()
        vm.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print('gdb-hostile: %s' % ('FAIL ' + ', '.join(failed) if failed
                               else 'PASS'))
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
