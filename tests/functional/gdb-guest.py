#!/usr/bin/env python3
"""gdb on a running arm64 Linux guest (issue 14 section 1).

    gdb-guest.py TURTLE-SYSTEM-AARCH64

The guest (-smp 2, -gdb unix:SOCK) boots to its shell; then a gdb client
(tests/tcg/gdb/gdbclient.py, the protocol gdb speaks) attaches to the
running machine, which stops; it lists the two vCPUs, reads their
registers (pc in the kernel, at EL1), steps the kernel instruction by
instruction with the timer interrupt pending (a step stays on the
instruction stream it was given), continues and interrupts with Ctrl-C,
sets a breakpoint where the kernel idles and hits it, reads kernel memory
and runs a monitor command; after detach the guest's shell answers and
its clock went on.  Exit 0 pass, 1 fail, 77 skip (guest images not
fetched).
"""

import os
import re
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, '..', 'tcg', 'gdb'))
from vmctl import Console, arm64_cmd, boot  # noqa: E402
from gdbclient import Client, frame  # noqa: E402


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print("ok:", what, flush=True)


def le64(hexstr):
    return int.from_bytes(bytes.fromhex(hexstr), 'little')


def reg(c, n):
    return le64(c.cmd('p%x' % n))


PC, CPSR = 32, 33
# Steps under the default NOIRQ: long enough for the guest's 4 ms timer
# tick to come due (stepping with interrupts allowed enters the vector
# after 50-500 steps here)
STEPS = 600


def regnum(g, name):
    """A register's number, from the target description gdb reads."""
    xml, off = '', 0
    while True:
        r = g.cmd('qXfer:features:read:target.xml:%x,800' % off)
        xml += r[1:]
        off += len(r) - 1
        if r[0] == 'l':
            break
    return int(re.search(r'name="%s" bitsize="\d+" regnum="(\d+)"' % name,
                         xml).group(1))


def monitor(g, line):
    """qRcmd: the output packets (O + hex) until OK."""
    out = ''
    r = g.cmd('qRcmd,' + line.encode().hex())
    while r.startswith('O') and r != 'OK':
        out += bytes.fromhex(r[1:]).decode()
        r = g.reply()
    if r != 'OK':
        raise AssertionError('qRcmd %r: %r' % (line, r))
    return out


def main():
    turtle = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="gdb-guest-")
    sock = os.path.join(tmp, "gdb.sock")
    try:
        with Console(arm64_cmd(turtle, tmp, "a", smp="2",
                               extra=["-gdb", "unix:" + sock]),
                     log=os.path.join(tmp, "a.log")) as con:
            boot(con)
            up0 = float(con.run("cut -d' ' -f1 /proc/uptime"))
            g = Client(sock)
            check(g.cmd('qSupported:swbreak+').startswith('PacketSize='),
                  "qSupported")
            stop = g.cmd('?')
            check(re.match(r'T05thread:[12];', stop),
                  "attaching stops the running guest (%s)" % stop)
            check(g.cmd('qfThreadInfo') == 'm1,2', "two vCPUs, two threads")
            for t in (1, 2):
                check(g.cmd('Hg%d' % t) == 'OK', "select thread %d" % t)
                pc = reg(g, PC)
                el = (le64(g.cmd('p%x' % CPSR) + '00000000') >> 2) & 3
                check(pc >> 48 == 0xffff and el == 1,
                      "vCPU %d stopped in the kernel at EL1 (pc %#x)"
                      % (t, pc))
            g.cmd('Hg1')
            # steps with the timer running: each one returns, on thread 1
            pcs = [reg(g, PC)]
            replies = set()
            unmasked = 0
            for _ in range(STEPS):
                replies.add(g.cmd('vCont;s:1'))
                pcs.append(reg(g, PC))
                unmasked += not (le64(g.cmd('p%x' % CPSR)) & (1 << 7))
            check(replies == {'T05thread:1;'},
                  "%d steps of vCPU 1 each stop it (%s)" % (STEPS, replies))
            check(all(p >> 48 == 0xffff for p in pcs),
                  "the steps stayed in the kernel (%d distinct pcs)"
                  % len(set(pcs)))
            check(len(set(pcs)) > 1, "steps moved the pc")
            vbar = reg(g, regnum(g, 'vbar_el1'))
            check(not any(vbar <= p < vbar + 0x800 for p in pcs),
                  "no step entered the exception vectors at %#x, though "
                  "%d were with IRQs unmasked" % (vbar, unmasked))
            check(unmasked > 0, "some steps ran with IRQs unmasked")
            # asked to (qqemu.sstep without NOIRQ), steps do take the
            # guest's timer interrupt (250 Hz) and land in the vectors
            check(g.cmd('Qqemu.sstep=1') == 'OK', "steps may take interrupts")
            for n in range(1, 3 * STEPS):
                g.cmd('vCont;s:1')
                p = reg(g, PC)
                if vbar <= p < vbar + 0x800:
                    break
            check(vbar <= p < vbar + 0x800,
                  "step %d entered the IRQ vector (%#x)" % (n, p))
            check(g.cmd('Qqemu.sstep=3') == 'OK', "default steps again")
            # continue and Ctrl-C
            g.raw(frame('c'))
            g.expect_ack()
            time.sleep(1.0)
            g.raw(b'\x03')
            r = g.reply()
            check(re.match(r'T02thread:[12];', r), "Ctrl-C stops (%s)" % r)
            cpu = int(re.match(r'T02thread:(\d+);', r).group(1))
            g.cmd('Hg%d' % cpu)
            idle = reg(g, PC)
            # memory at the pc: one A64 instruction
            insn = g.cmd('m%x,4' % idle)
            check(re.fullmatch(r'[0-9a-f]{8}', insn),
                  "kernel code read at %#x: %s" % (idle, insn))
            # a breakpoint where that vCPU was: the idle loop comes back
            check(g.cmd('Z0,%x,4' % idle) == 'OK', "breakpoint set")
            g.raw(frame('c'))
            g.expect_ack()
            g.s.settimeout(60)
            r = g.reply()
            check(r.startswith('T05thread:'), "breakpoint hit (%s)" % r)
            t = int(re.match(r'T05thread:(\d+);', r).group(1))
            g.cmd('Hg%d' % t)
            check(reg(g, PC) == idle, "stopped at the breakpoint")
            check(g.cmd('z0,%x,4' % idle) == 'OK', "breakpoint removed")
            check(monitor(g, 'info status').startswith('VM status: paused'),
                  "monitor info status")
            check(g.cmd('D') == 'OK', "detach")
            g.s.close()
            # the guest goes on: shell, clock
            check(con.run("echo alive") == "alive", "guest shell answers")
            up1 = float(con.run("cut -d' ' -f1 /proc/uptime"))
            check(up1 > up0, "guest clock went on (%.2f -> %.2f)"
                  % (up0, up1))
        print("gdb-guest: PASS")
        return 0
    except (AssertionError, EOFError, OSError) as e:
        print("FAIL:", e)
        log = os.path.join(tmp, "a.log")
        if os.path.exists(log):
            print(open(log, errors="replace").read()[-3000:])
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
