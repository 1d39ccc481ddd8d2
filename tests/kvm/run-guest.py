#!/usr/bin/env python3
"""Run a tests/kvm guest under turtle (or QEMU for reference) and check it.

usage:
  run-guest.py [options] EMULATOR TEST [TEST...]
  run-guest.py --qemu [options] TEST [TEST...]
  run-guest.py --list

EMULATOR is turtle-system-x86_64 (default accel kvm) or, with --qemu,
qemu-system-x86_64 from PATH (accel tcg).  Each guest writes progress lines
("step N: ...") to COM1 and ends with a write to isa-debug-exit at 0xf4:
0x10 means pass (process status 0x21); 0x20 + N means step N failed
(status 0x41 + 2 * N).  The runner also checks the values the guest prints
against what the command line asked for (-m, -append, -initrd).

Under accel kvm the tests run as one batch on a real /dev/kvm: this
machine's if usable, else a software host booted once for the batch
(host/kvmhost.py: Debian's cloud kernel under qemu-system-x86_64 TCG,
whose emulated SVM gives it a real KVM).

Exit status: 0 all passed, 1 a test failed, 77 skipped (meson's SKIP), e.g.
no real KVM can be had or an emulator without -accel kvm.
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                'host'))
import kvmhost  # noqa: E402

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
APPEND = 'turtle-test foo=bar'
MODULE_SIZE = 70001     # odd on purpose: not page or sector sized
MiB = 1 << 20
GiB = 1 << 30

# name: (image kind, -m in MiB, -smp, extra kernel command line words)
# A name ending in -irqchip-off / -irqchip-split runs its guest with
# -accel kvm,kernel-irqchip=off|split (KVM only): the board's own 8259s,
# IOAPIC, PIT and (off) local APICs drive the vCPUs.
TESTS = {
    'bios-128M':      ('bios', 128, 1, ''),
    'bios-4G':        ('bios', 4096, 1, ''),
    'bios-smp2':      ('bios', 256, 2, ''),
    'bios-smp2-irqchip-off':   ('bios', 256, 2, ''),
    'bios-smp2-irqchip-split': ('bios', 256, 2, ''),
    'multiboot-128M': ('multiboot', 128, 1, ''),
    'multiboot-4G':   ('multiboot', 4096, 1, ''),
    'bzimage-128M':   ('bzimage', 128, 1, ''),
    'bzimage-4G':     ('bzimage', 4096, 1, ''),
    'bzimage-via64':  ('bzimage', 256, 1, 'bz_via64'),
}


# Known board bugs seen only under KVM, worked around until fixed (say why).
# (None now: the HPET's filtering of repeated RTC assertions, which lost
# the bios guest's step 14 interrupt, is fixed in hw/timer/hpet.c.)
KVM_WORKAROUNDS = {
}


class Failure(Exception):
    pass


def below_4g(mem):
    """RAM below 4 GiB on the i440fx `pc` board, as QEMU 7.2 lays it out:
    all of it up to 3.5 GiB, else 3 GiB below and the rest above 4 GiB."""
    return mem if mem < 0xe0000000 else 0xc0000000


def make_module(path):
    rnd = random.Random(20261123)
    data = bytes(rnd.getrandbits(8) for _ in range(MODULE_SIZE))
    with open(path, 'wb') as f:
        f.write(data)
    return zlib.crc32(data)


def find_all(pattern, text):
    return re.findall(pattern, text, re.M)


def find_one(pattern, text, what):
    m = re.search(pattern, text, re.M)
    if not m:
        raise Failure('no %s line in the output' % what)
    return m


def check_ram_total(kib, mem, what):
    """Usable RAM reported by the firmware/loader: within 2 MiB (firmware
    reservations: EBDA, the 0xf0000 BIOS area, a top-of-RAM window) of -m."""
    want = mem // 1024
    if not (want - 2048 <= kib <= want):
        raise Failure('%s: %u KiB usable, -m gives %u KiB' % (what, kib, want))


def check_bios(out, mem, smp):
    low = below_4g(mem)
    high = mem - low
    m = find_one(r'^cmos: base_kb=(\d+) ext_kb_17=(\d+) ext_kb_30=(\d+)', out,
                 'cmos base/ext')
    base, ext17, ext30 = map(int, m.groups())
    want_ext = min(0xffff, (low - MiB) // 1024)
    if base != 640:
        raise Failure('CMOS 0x15/0x16 base memory %u KiB, want 640' % base)
    if ext30 != want_ext or ext17 != want_ext:
        raise Failure('CMOS 0x17/0x30 extended memory %u/%u KiB, want %u'
                      % (ext17, ext30, want_ext))
    m = find_one(r'^cmos: above16m_64k=0x([0-9a-f]+) above4g_64k=0x([0-9a-f]+)',
                 out, 'cmos above16m')
    above16m, above4g = (int(x, 16) for x in m.groups())
    want16 = min(0xffff, (low - 16 * MiB) // 65536)
    if above16m != want16:
        raise Failure('CMOS 0x34/0x35 = 0x%x, want 0x%x' % (above16m, want16))
    if above4g != high // 65536:
        raise Failure('CMOS 0x5b-0x5d = 0x%x, want 0x%x'
                      % (above4g, high // 65536))
    devs = find_all(r'^pci: 00:([0-9a-f]{2})\.(\d) ([0-9a-f]{4}):([0-9a-f]{4})',
                    out)
    ids = {(d, f): (v, i) for d, f, v, i in devs}
    if ids.get(('00', '0')) != ('8086', '1237'):
        raise Failure('00:00.0 is %s, want i440FX host bridge 8086:1237'
                      % (ids.get(('00', '0')),))
    if ('8086', '7000') not in ids.values():
        raise Failure('no PIIX3 ISA bridge 8086:7000 on bus 0')
    m = find_one(r'^fw_cfg: signature QEMU id=0x[0-9a-f]+ ram_size=0x([0-9a-f]+)',
                 out, 'fw_cfg ram_size')
    if int(m.group(1), 16) != mem:
        raise Failure('fw_cfg RAM_SIZE 0x%s, want 0x%x' % (m.group(1), mem))
    m = re.search(r'^fw_cfg: etc/e820 RAM total 0x([0-9a-f]+)', out, re.M)
    if m and int(m.group(1), 16) != mem:
        raise Failure('fw_cfg etc/e820 RAM 0x%s, want 0x%x' % (m.group(1), mem))
    find_one(r'^i8042: self-test 0x55', out, 'i8042 self-test')
    find_one(r'^pic: \d+ ticks on vector 0x20', out, 'PIC tick')
    find_one(r'^pic: \d+ rtc ticks on vector 0x28', out, 'RTC via slave PIC')
    find_one(r'^lm: \d+ ticks on vector 0x30 via ioapic', out, 'IOAPIC tick')
    find_one(r'^lm: \d+ rtc ticks on vector 0x38', out, 'RTC via IOAPIC')
    find_one(r'^lm: \d+ lapic timer ticks', out, 'LAPIC timer')
    m = find_one(r'^fw_cfg: signature QEMU .* nb_cpus=(\d+)', out, 'nb_cpus')
    if int(m.group(1)) != smp:
        raise Failure('fw_cfg NB_CPUS %s, want %u' % (m.group(1), smp))
    if smp > 1:
        m = find_one(r'^smp: (\d+) of (\d+) APs checked in', out, 'smp')
        if int(m.group(1)) != smp - 1:
            raise Failure('%s APs started, want %u' % (m.group(1), smp - 1))
    return ('cmos ext=%u KiB above16m=0x%x above4g=0x%x, %d PCI functions, '
            '%d cpu' % (ext30, above16m, above4g, len(devs), smp))


def check_acpi(out):
    """ACPI is optional (a direct boot may have none); when an RSDP was
    found the MADT must describe the PC interrupt wiring."""
    if not re.search(r'^acpi: rsdp at', out, re.M):
        return 'no ACPI'
    tables = find_all(r'^acpi: table (\S+) at', out)
    if 'APIC' not in tables:
        raise Failure('ACPI without a MADT (tables: %s)' % ' '.join(tables))
    find_one(r'^madt: lapic_addr=0xfee00000', out, 'MADT local APIC address')
    find_one(r'^madt: ioapic id=\d+ addr=0xfec00000 gsi_base=0$', out,
             'MADT IOAPIC at 0xfec00000')
    find_one(r'^madt: override bus=0 irq=0 gsi=2 ', out,
             'MADT override IRQ0 -> GSI 2')
    return 'ACPI %s' % ','.join(tables)


def check_cmdline(got, append, allow_argv0):
    if got == append:
        return 'exact'
    if allow_argv0 and got.endswith(' ' + append):
        return 'kernel path + append'
    raise Failure('command line "%s", want "%s"' % (got, append))


def check_multiboot(out, mem, append, crc):
    m = find_one(r'^mb: mem_lower=(\d+) KiB mem_upper=(\d+) KiB', out,
                 'mem_lower/upper')
    lower, upper = map(int, m.groups())
    low = below_4g(mem)
    if not (512 <= lower <= 640):
        raise Failure('mem_lower %u KiB' % lower)
    if not ((low - MiB) // 1024 - 2048 <= upper <= (low - MiB) // 1024):
        raise Failure('mem_upper %u KiB, RAM below 4G from 1 MiB is %u KiB'
                      % (upper, (low - MiB) // 1024))
    m = find_one(r'^mmap: \d+ entries, usable RAM (\d+) KiB', out, 'mmap total')
    check_ram_total(int(m.group(1)), mem, 'multiboot mmap')
    m = find_one(r'^mb: cmdline="(.*)"\r?$', out, 'cmdline')
    how = check_cmdline(m.group(1), append, True)
    m = find_one(r'^module: 0 .*size=(\d+) crc32=([0-9a-f]{8})', out, 'module')
    if int(m.group(1)) != MODULE_SIZE or int(m.group(2), 16) != crc:
        raise Failure('module size %s crc %s, want %u %08x'
                      % (m.group(1), m.group(2), MODULE_SIZE, crc))
    return 'mem_upper=%u KiB, cmdline %s, module crc ok, %s' % (
        upper, how, check_acpi(out))


def check_bzimage(out, mem, append, crc, want_entry):
    m = find_one(r'^bz: entered through the (\d+)-bit entry', out, 'entry')
    entry = int(m.group(1))
    if want_entry and entry != want_entry:
        raise Failure('entered through the %u-bit entry, want %u'
                      % (entry, want_entry))
    m = find_one(r'^e820: usable RAM (\d+) KiB', out, 'e820 total')
    check_ram_total(int(m.group(1)), mem, 'e820')
    entries = find_all(r'^e820: \d+ addr=0x([0-9a-f]+) size=0x([0-9a-f]+) '
                       r'type=1', out)
    above = sum(int(s, 16) for a, s in entries if int(a, 16) >= 4 * GiB)
    if above != mem - below_4g(mem):
        raise Failure('e820 RAM above 4G 0x%x, want 0x%x'
                      % (above, mem - below_4g(mem)))
    m = find_one(r'^bz: cmdline="(.*)"\r?$', out, 'cmdline')
    check_cmdline(m.group(1), append, False)
    m = find_one(r'^bz: ramdisk_image=0x[0-9a-f]+ ramdisk_size=(\d+)', out,
                 'ramdisk')
    if int(m.group(1)) != MODULE_SIZE:
        raise Failure('ramdisk_size %s, want %u' % (m.group(1), MODULE_SIZE))
    m = find_one(r'^bz: initrd crc32=([0-9a-f]{8})', out, 'initrd crc')
    if int(m.group(1), 16) != crc:
        raise Failure('initrd crc %s, want %08x' % (m.group(1), crc))
    return '%u-bit entry, %d e820 RAM ranges, initrd crc ok, %s' % (
        entry, len(entries), check_acpi(out))


def accel_supported(emulator, accel):
    """Ask the emulator which accelerators it has (QEMU: -accel help).  An
    emulator that cannot answer gets the benefit of the doubt: the run
    itself then shows whether it refuses the accelerator."""
    try:
        p = subprocess.run([emulator, '-accel', 'help'], capture_output=True,
                           text=True, timeout=10)
    except subprocess.TimeoutExpired:
        return True, ''
    except OSError as e:
        return False, '%s -accel help: %s' % (emulator, e)
    # "Accelerators supported in ...:" then one per line, name first
    # (turtle adds a description after the name).
    names = [line.split()[0] for line in p.stdout.splitlines()
             if line.strip() and not line.rstrip().endswith(':')]
    if p.returncode != 0 or not names:
        return True, ''
    if accel not in names:
        return False, '%s does not list accelerator %s (-accel help: %s)' % (
            emulator, accel, (p.stdout + p.stderr).strip().replace('\n', ' '))
    return True, ''


UNSUPPORTED = re.compile(r'(accel(erator)?\b.*(not supported|unsupported|'
                         r'not available|invalid|unknown))|'
                         r'(kvm.*(not supported|unsupported|not available))|'
                         r'could not access KVM', re.I)


def build_cmd(name, args, emulator, accel, module, crc):
    kind, mem_mib, smp, extra = TESTS[name]
    append = (APPEND + ' ' + extra).strip()
    append_full = '%s initrd_crc=%08x' % (append, crc)
    if args.console == 'nographic':
        console = ['-nographic']
    else:
        console = ['-display', 'none', '-serial', 'stdio']
    m = re.search(r'-irqchip-(off|split)$', name)
    if m and accel == 'kvm':
        accel += ',kernel-irqchip=' + m.group(1)
    cmd = [emulator, '-M', 'pc', '-accel', accel, '-m', '%dM' % mem_mib,
           '-smp', str(smp)]
    cmd += console + ['-no-reboot', '-device',
                      'isa-debug-exit,iobase=0xf4,iosize=0x04']
    if kind == 'bios':
        cmd += ['-bios', os.path.join(args.guest_dir, 'bios.bin')]
    elif kind == 'multiboot':
        cmd += ['-kernel', os.path.join(args.guest_dir, 'mb.elf'),
                '-append', append_full, '-initrd', module]
    else:
        cmd += ['-kernel', os.path.join(args.guest_dir, 'bz.img'),
                '-append', append_full, '-initrd', module]
    if accel == 'kvm' and name in KVM_WORKAROUNDS:
        cmd += KVM_WORKAROUNDS[name]
    return cmd + args.extra


def run_local(cmd, timeout):
    """(status, stdout, stderr, timed out) of a run on this machine."""
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=timeout)
        return p.returncode, p.stdout, p.stderr, False
    except subprocess.TimeoutExpired as e:
        return None, e.stdout or b'', e.stderr or b'', True


def check_run(name, args, accel, crc, status, out, err, timed_out):
    """Judge one run from its exit status and COM1 output (stderr may be
    merged into it: the checks look at whole lines)."""
    kind, mem_mib, smp, extra = TESTS[name]
    mem = mem_mib * MiB
    append_full = '%s initrd_crc=%08x' % ((APPEND + ' ' + extra).strip(),
                                          crc)
    out = out.decode('latin-1').replace('\r\n', '\n')
    out = re.sub(r'\x1b\[[0-9;?]*[A-Za-z]', '', out)   # firmware's VT100 codes
    err = err.decode('latin-1')
    if args.save_logs:
        os.makedirs(args.save_logs, exist_ok=True)
        with open(os.path.join(args.save_logs, name + '.log'), 'w') as f:
            f.write(out)
    if args.verbose:
        sys.stdout.write(out)

    if not find_all(r'^step \d+:', out) and UNSUPPORTED.search(err or out):
        return SKIP, 'emulator refused -accel %s: %s' % (
            accel, (err or out).strip())
    steps = find_all(r'^step (\d+): (.*)$', out)
    last = 'step %s (%s)' % steps[-1] if steps else 'before any step'
    if timed_out:
        return 1, 'timed out after %ss in %s' % (args.timeout, last)
    fails = find_all(r'^FAIL step .*$', out)
    if fails:
        return 1, '%s (exit status 0x%x)' % (fails[-1].strip(), status & 0xff)
    if status != 0x21:
        tail = (err or out).strip().splitlines()[-1:] or ['']
        return 1, 'exit status 0x%x, want 0x21, in %s %s' % (
            status & 0xff if status >= 0 else status, last, tail[0])
    try:
        if kind == 'bios':
            detail = check_bios(out, mem, smp)
        elif kind == 'multiboot':
            detail = check_multiboot(out, mem, append_full, crc)
        else:
            want = 64 if 'bz_via64' in extra else args.bz_entry
            detail = check_bzimage(out, mem, append_full, crc, want)
    except Failure as e:
        return 1, str(e)
    return 0, detail


def run_on_kvm_host(tests, args, emulator, module, crc, report):
    """All tests in one batch on a real /dev/kvm (kvmhost: this machine's
    or the software host's, booted once)."""
    try:
        host = kvmhost.open_host(echo=False,
                                 log_dir=args.save_logs)
    except kvmhost.Skip as e:
        print('SKIP: %s' % e)
        return SKIP
    for t in tests:
        host.add_job(t, build_cmd(t, args, emulator, 'kvm', module, crc),
                     timeout=int(args.timeout))
    print('kvm host: %s' % host.description)
    rc = 0
    try:
        with host:
            if host.kind == 'software':
                print('kvm host: up in %.1fs' % host.boot_time)
            for t in tests:
                status, out = host.run(t)
                res, why = check_run(t, args, 'kvm', crc, status,
                                     out.encode('latin-1'), b'',
                                     host.timed_out)
                report(t, res, why + ' (%.1fs)' % host.elapsed)
                rc = merge_rc(rc, res)
    except kvmhost.Skip as e:
        print('SKIP: %s' % e)
        return SKIP
    except kvmhost.ConsoleError as e:
        print('FAIL: the kvm host: %s' % e)
        if host.kind == 'software':
            print(host.console_tail())
        return 1
    return rc


def merge_rc(rc, res):
    if res == SKIP and rc == 0:
        return SKIP
    if res not in (0, SKIP):
        return 1
    return rc


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument('--qemu', action='store_true',
                    help='reference run: qemu-system-x86_64, accel tcg')
    ap.add_argument('--accel', help='accelerator (default kvm; tcg with --qemu)')
    ap.add_argument('--guest-dir', default=os.path.join(HERE, 'out'),
                    help='where bios.bin, mb.elf, bz.img are (make O=...)')
    ap.add_argument('--timeout', type=float, default=60)
    ap.add_argument('--bz-entry', type=int, choices=(32, 64),
                    help='require this bzImage entry (turtle: 64)')
    ap.add_argument('--console', choices=('nographic', 'serial-stdio'),
                    default='nographic',
                    help='COM1 on stdout via -nographic (default) or via '
                         '-display none -serial stdio')
    ap.add_argument('--save-logs', metavar='DIR', help='write TEST.log files')
    ap.add_argument('--extra', action='append', default=[],
                    help='extra emulator argument (repeatable)')
    ap.add_argument('-v', '--verbose', action='store_true',
                    help='echo the guest output')
    ap.add_argument('--list', action='store_true', help='list the tests')
    ap.add_argument('words', nargs='*', metavar='[EMULATOR] TEST')
    args = ap.parse_intermixed_args()

    if args.list:
        print('\n'.join(TESTS))
        return 0
    words = args.words
    if args.qemu:
        emulator = shutil.which('qemu-system-x86_64')
        accel = args.accel or 'tcg'
        if not emulator:
            print('SKIP: qemu-system-x86_64 not installed')
            return SKIP
    else:
        if not words:
            ap.error('EMULATOR missing')
        emulator, words = words[0], words[1:]
        accel = args.accel or 'kvm'
    tests = words or list(TESTS)
    for t in tests:
        if t not in TESTS:
            ap.error('unknown test %s (--list)' % t)

    if not os.access(emulator, os.X_OK):
        print('FAIL: emulator %s not found or not executable' % emulator)
        return 1
    ok, why = accel_supported(emulator, accel)
    if not ok:
        print('SKIP: ' + why)
        return SKIP

    def report(t, res, why):
        word = {0: 'PASS', SKIP: 'SKIP'}.get(res, 'FAIL')
        print('%s: %s [%s, accel %s]: %s' % (
            word, t, os.path.basename(emulator), accel, why), flush=True)

    rc = 0
    with tempfile.TemporaryDirectory(prefix='turtle-kvm-') as tmp:
        module = os.path.join(tmp, 'module.bin')
        crc = make_module(module)
        if accel == 'kvm' and not args.qemu:
            return run_on_kvm_host(tests, args, emulator, module, crc, report)
        for t in tests:
            cmd = build_cmd(t, args, emulator, accel, module, crc)
            status, out, err, timed_out = run_local(cmd, args.timeout)
            res, why = check_run(t, args, accel, crc, status, out, err,
                                 timed_out)
            report(t, res, why)
            rc = merge_rc(rc, res)
    return rc


if __name__ == '__main__':
    sys.exit(main())
