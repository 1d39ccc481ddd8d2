#!/usr/bin/env python3
"""Debug a tests/tcg program with gdb-multiarch through Turtle's gdb stub.

    gdb-test.py EMULATOR ARCH [EMULATOR ARGS...]

Builds ARCH's gdb-target program (tests/tcg/ARCH/gdb-target.c), starts
EMULATOR with it under -S and -gdb on a Unix socket, runs gdb-multiarch in
batch mode with the session below (breakpoint by symbol, continue, read
registers and variables, write a variable and a register, step, watch a
write, threads, a monitor command), and checks what gdb printed, then
what the program printed (it prints a value computed from the register
gdb changed).  Exit 77 (skip) without gdb-multiarch or the compiler.
Environment: TCG_BUILD_DIR: where the program is built.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# Per architecture: how to build and run the program, and the session as
# (gdb command, regex its output must match or None).  The program runs
# bump(1..5) (writing `watched`), then compute(counter) = counter * 3 + 7
# and prints result=N.
SESSIONS = {
    'aarch64': {
        'make': ['make', '-s', '-C', os.path.join(HERE, '..', 'aarch64')],
        'cross': 'aarch64-linux-gnu-gcc',
        'vm': ['-M', 'virt', '-display', 'none', '-semihosting',
               '-cpu', 'cortex-a57', '-m', '128', '-smp', '2'],
        'pc': 'pc', 'arg0': 'x0', 'symbols': 'gdb-target.elf',
        # system registers: plain ones writable, translation ones not
        'extra': [
            ('info registers cpsr', r'cpsr +0x[0-9a-f]+ +\[ .*EL=1'),
            ('set var $tpidr_el1 = 0x1234abcd', None),
            ('print/x $tpidr_el1', r'= 0x1234abcd\b'),
            ('print/x $sctlr_el1', r'= 0x[0-9a-f]+'),
            ('set var $sctlr_el1 = 0', r'Could not write register'),
            ('print/x $v0.d.u[0]', r'= 0x[0-9a-f]+'),
        ],
    },
    'x86_64': {
        'make': ['make', '-s', '-C', os.path.join(HERE, '..', 'x86_64')],
        'cross': 'gcc',
        'vm': ['-M', 'pc', '-display', 'none', '-m', '128', '-smp', '2',
               '-serial', 'stdio', '-device',
               'isa-debug-exit,iobase=0xf4,iosize=0x04'],
        'pc': 'rip', 'arg0': 'rdi',
        # the multiboot loader takes the ELF32 copy; gdb reads the original
        'symbols': 'gdb-target.elf64',
        'extra': [
            ('info registers eflags', r'eflags +0x[0-9a-f]+ +\['),
            ('set var $gs_base = 0x5000', None),
            ('print/x $gs_base', r'= 0x5000\b'),
            ('print/x $cr0', r'= 0x8[0-9a-f]{7}\b'),    # paging on
            ('set var $cr0 = 0', r'Could not write register'),
            ('print $xmm0.v2_int64[0]', r'= -?\d+'),
        ],
    },
}


# x86_64 under KVM (this host's /dev/kvm; skipped without one): the same
# program and session with hardware breakpoints (KVM_SET_GUEST_DEBUG's
# DR0-3), stepping and register writes through the kernel's vCPU state.
# Software breakpoints (INT3) and watchpoints under KVM are covered by
# tests/unit/test-kvm-vcpu (fake /dev/kvm): nested hosts such as CI
# machines often do not deliver them (QEMU fails there the same way).
SESSIONS['x86_64-kvm'] = dict(SESSIONS['x86_64'])
SESSIONS['x86_64-kvm']['vm'] = SESSIONS['x86_64']['vm'] + ['-accel', 'kvm']


def session(arch):
    s = SESSIONS[arch]
    pc, arg0 = s['pc'], s['arg0']
    steps = full_session(s, pc, arg0)
    if arch.endswith('-kvm'):
        steps = [(c.replace('break ', 'hbreak '),
                  w.replace('Breakpoint 1 at', 'Hardware assisted breakpoint 1 at')
                   .replace('Breakpoint 4 at', 'Hardware assisted breakpoint 2 at')
                   .replace('Breakpoint 4,', 'Breakpoint 2,')
                  if w else w)
                 for c, w in steps if 'watch' not in c and
                 not (w and 'atchpoint' in w)]
    return steps


def full_session(s, pc, arg0):
    return [
        ('info threads', r'\* 1 +Thread 1 \(CPU#0 \[\w+\]\)[^\n]*\n'
                         r' +2 +Thread 2 \(CPU#1 \[\w+\]\)'),
        ('break bump', r'Breakpoint 1 at 0x[0-9a-f]+: file .*gdb-target\.c'),
        ('continue', r'Breakpoint 1, bump \(i=(i@entry=)?1\)'),
        ('print counter', r'\$1 = 1\b'),
        ('info registers %s' % pc, r'%s +0x[0-9a-f]+ +0x[0-9a-f]+ <bump>' % pc),
        ('continue', r'Breakpoint 1, bump \(i=(i@entry=)?2\)'),
        ('print counter', r'\$2 = 2\b'),
        ('print/x $%s' % arg0, r'\$3 = 0x2\b'),
        # writing memory: the guest's variable changes
        ('set var counter = 0x1234', None),
        ('print/x counter', r'\$4 = 0x1234\b'),
        # a hardware watchpoint on a write, and one on a read
        ('watch watched', r'Hardware watchpoint 2: watched'),
        ('continue', r'Hardware watchpoint 2: watched\s+Old value = 2\s+'
                     r'New value = 4'),
        ('print/x counter', r'\$5 = 0x1234\b'),
        ('delete', None),
        ('rwatch watched', r'Hardware read watchpoint 3: watched'),
        ('continue', r'Hardware read watchpoint 3: watched\s+Value = 4'),
        ('delete', None),
        ('break compute', r'Breakpoint 4 at'),
        ('continue', r'Breakpoint 4, compute \(x=5\)'),
        # writing a register: compute's argument becomes 10 -> result=37
        ('set var $%s = 10' % arg0, None),
        ('print $%s' % arg0, r'= 10\b'),
        # single instruction step: the pc moves on, within compute
        ('stepi', None),
        ('print $pc', r'<compute\+\d+>'),
    ] + s.get('extra', []) + [
        ('monitor info status', r'VM status: paused'),
        ('thread 2', r'Switching to thread 2'),
        ('info registers %s' % pc, r'%s +0x[0-9a-f]+' % pc),
        ('thread 1', r'Switching to thread 1'),
        # the program ends: gdb hears it as the process exiting (W packet)
        ('continue', r'\[Inferior 1 \(Remote target\) exited '
                     r'(normally|with code \d+)\]'),
    ]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    emu, arch = sys.argv[1], sys.argv[2]
    extra = sys.argv[3:]
    spec = SESSIONS[arch]
    if arch.endswith('-kvm') and not os.access('/dev/kvm', os.R_OK | os.W_OK):
        print('SKIP: no usable /dev/kvm')
        sys.exit(77)
    gdb = shutil.which('gdb-multiarch')
    if not gdb:
        print('SKIP: gdb-multiarch is not installed')
        sys.exit(77)
    if not shutil.which(spec['cross']):
        print('SKIP: %s is not installed' % spec['cross'])
        sys.exit(77)
    bdir = os.environ.get('TCG_BUILD_DIR') or tempfile.mkdtemp()
    os.makedirs(bdir, exist_ok=True)
    elf = os.path.join(bdir, 'gdb-target.elf')
    symbols = os.path.join(bdir, spec['symbols'])
    subprocess.check_call(spec['make'] + ['B=' + bdir, elf, symbols])

    tmp = tempfile.mkdtemp(prefix='turtle-gdb-')
    sock = os.path.join(tmp, 'gdb.sock')
    vm_out = open(os.path.join(tmp, 'vm.out'), 'w+')
    vm = subprocess.Popen([emu] + spec['vm'] + extra +
                          ['-kernel', elf, '-S', '-gdb', 'unix:' + sock],
                          stdin=subprocess.DEVNULL, stdout=vm_out,
                          stderr=subprocess.STDOUT)
    try:
        steps = session(arch)
        # each command's output is delimited by an echo of a marker
        cmds = ['set pagination off', 'set confirm off',
                'target remote ' + sock]
        for i, (cmd, _) in enumerate(steps):
            cmds += ['echo @@%d@@\\n' % i, cmd]
        cmds.append('echo @@end@@\\n')
        args = [gdb, '-nx', '-batch', symbols]
        for c in cmds:
            args += ['-ex', c]
        # the socket appears once the VM is up
        for _ in range(100):
            if os.path.exists(sock):
                break
            if vm.poll() is not None:
                break
            subprocess.call(['sleep', '0.1'])
        out = subprocess.run(args, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=120,
                             text=True).stdout
        try:
            vm.wait(timeout=30)
        except subprocess.TimeoutExpired:
            vm.kill()
            vm.wait()
        vm_out.seek(0)
        vm_text = vm_out.read()
    finally:
        if vm.poll() is None:
            vm.kill()
            vm.wait()
        shutil.rmtree(tmp, ignore_errors=True)

    failed = 0
    parts = re.split(r'@@(\d+|end)@@\n', out)
    outputs = dict(zip(parts[1::2], parts[2::2]))
    for i, (cmd, want) in enumerate(steps):
        got = outputs.get(str(i))
        if got is None:
            print('FAIL %-28s (no output: gdb stopped early)' % cmd)
            failed += 1
        elif want and not re.search(want, got):
            print('FAIL %-28s expected /%s/, got:\n%s' % (cmd, want, got))
            failed += 1
        else:
            print('ok   %-28s %s' % (cmd, got.strip().split('\n')[-1][:60]))
    if 'result=37' not in vm_text:
        print('FAIL the program did not print result=37 (the register '
              'gdb wrote):\n' + vm_text)
        failed += 1
    if failed:
        print('---- gdb output ----\n' + out)
    print('gdb-%s: %s' % (arch, 'FAIL' if failed else 'PASS'))
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
