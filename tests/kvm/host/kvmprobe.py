#!/usr/bin/env python3
"""Does this /dev/kvm run an ordinary x86 guest?  A functional probe.

    kvmprobe.py [PATH]      exit 0: usable; 1: not (the reason on stdout)

Opening /dev/kvm and reading API version 12 is not enough: a PVM host
(kvm_pvm, the page-table based KVM that needs no VT-x/SVM; Firecracker
guests with nested_pvm=1 have it) answers the same, but runs a guest that
has paging off through KVM's instruction emulator, which has no protected-
mode IRET: firmware and the tests/kvm guests then die with an emulation
failure (QEMU's too) or spin for minutes.  So this creates a VM with a few
pages of memory and one vCPU in 32-bit protected mode, paging off, and
runs

    mov esp, 0x8000; pushfd; push 8; push next; iretd
    next: mov al, 0x42; out 0xf4, al; hlt

A usable KVM exits with the OUT (port 0xf4, 0x42) at once; anything else
(an internal error, another exit, no exit within 3 s) means unusable.
Only the KVM ioctls, through ctypes: no compiler and no emulator needed.
"""

import ctypes
import fcntl
import mmap
import os
import signal
import sys

KVMIO = 0xae


def _io(nr):
    return (KVMIO << 8) | nr


def _iow(nr, size):
    return (1 << 30) | (size << 16) | (KVMIO << 8) | nr


def _ior(nr, size):
    return (2 << 30) | (size << 16) | (KVMIO << 8) | nr


class Segment(ctypes.Structure):
    _fields_ = [("base", ctypes.c_uint64), ("limit", ctypes.c_uint32),
                ("selector", ctypes.c_uint16), ("type", ctypes.c_uint8),
                ("present", ctypes.c_uint8), ("dpl", ctypes.c_uint8),
                ("db", ctypes.c_uint8), ("s", ctypes.c_uint8),
                ("l", ctypes.c_uint8), ("g", ctypes.c_uint8),
                ("avl", ctypes.c_uint8), ("unusable", ctypes.c_uint8),
                ("padding", ctypes.c_uint8)]


class DTable(ctypes.Structure):
    _fields_ = [("base", ctypes.c_uint64), ("limit", ctypes.c_uint16),
                ("padding", ctypes.c_uint16 * 3)]


class Sregs(ctypes.Structure):
    _fields_ = [(n, Segment) for n in
                ("cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt")] + \
               [("gdt", DTable), ("idt", DTable)] + \
               [(n, ctypes.c_uint64) for n in
                ("cr0", "cr2", "cr3", "cr4", "cr8", "efer", "apic_base")] + \
               [("interrupt_bitmap", ctypes.c_uint64 * 4)]


class Regs(ctypes.Structure):
    _fields_ = [(n, ctypes.c_uint64) for n in
                ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp",
                 "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
                 "rip", "rflags")]


class MemRegion(ctypes.Structure):
    _fields_ = [("slot", ctypes.c_uint32), ("flags", ctypes.c_uint32),
                ("guest_phys_addr", ctypes.c_uint64),
                ("memory_size", ctypes.c_uint64),
                ("userspace_addr", ctypes.c_uint64)]


KVM_CREATE_VM = _io(0x01)
KVM_GET_VCPU_MMAP_SIZE = _io(0x04)
KVM_CREATE_VCPU = _io(0x41)
KVM_SET_USER_MEMORY_REGION = _iow(0x46, ctypes.sizeof(MemRegion))
KVM_SET_TSS_ADDR = _io(0x47)
KVM_RUN = _io(0x80)
KVM_SET_REGS = _iow(0x82, ctypes.sizeof(Regs))
KVM_GET_SREGS = _ior(0x83, ctypes.sizeof(Sregs))
KVM_SET_SREGS = _iow(0x84, ctypes.sizeof(Sregs))
KVM_EXIT_IO = 2
KVM_EXIT_INTERNAL_ERROR = 17

MEM_SIZE = 0x10000
CODE = 0x1000
GDT = 0x500
# mov esp,0x8000; pushfd; push 8; push 0x1011; iretd;
# mov al,0x42; out 0xf4,al; hlt
GUEST = bytes([0xbc, 0x00, 0x80, 0x00, 0x00, 0x9c,
               0x68, 0x08, 0x00, 0x00, 0x00,
               0x68, 0x11, 0x10, 0x00, 0x00, 0xcf,
               0xb0, 0x42, 0xe6, 0xf4, 0xf4])
# null, flat 32-bit code (selector 8), flat data (0x10)
GDT_BYTES = bytes(8) + (0x00cf9b000000ffff).to_bytes(8, "little") + \
    (0x00cf93000000ffff).to_bytes(8, "little")


def _flat(seg, selector, type_):
    seg.base, seg.limit, seg.selector, seg.type = 0, 0xffffffff, selector, \
        type_
    seg.present, seg.dpl, seg.db, seg.s, seg.l, seg.g = 1, 0, 1, 1, 0, 1
    seg.avl = seg.unusable = 0


def _ioctl(fd, req, arg=0):
    return fcntl.ioctl(fd, req, arg)


def probe(path="/dev/kvm"):
    """(True, '') if a protected-mode guest runs its IRET and OUT."""
    fds = []
    maps = []
    old = signal.signal(signal.SIGALRM, lambda *a: None)
    try:
        kvm = os.open(path, os.O_RDWR | os.O_CLOEXEC)
        fds.append(kvm)
        vm = _ioctl(kvm, KVM_CREATE_VM)
        fds.append(vm)
        _ioctl(vm, KVM_SET_TSS_ADDR, 0x100000)   # above the probe RAM
        mem = mmap.mmap(-1, MEM_SIZE)
        maps.append(mem)
        mem[GDT:GDT + len(GDT_BYTES)] = GDT_BYTES
        mem[CODE:CODE + len(GUEST)] = GUEST
        addr = ctypes.addressof(ctypes.c_char.from_buffer(mem))
        region = MemRegion(0, 0, 0, MEM_SIZE, addr)
        _ioctl(vm, KVM_SET_USER_MEMORY_REGION, region)
        vcpu = _ioctl(vm, KVM_CREATE_VCPU, 0)
        fds.append(vcpu)
        size = _ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE)
        run = mmap.mmap(vcpu, size, mmap.MAP_SHARED,
                        mmap.PROT_READ | mmap.PROT_WRITE)
        maps.append(run)

        sregs = Sregs()
        _ioctl(vcpu, KVM_GET_SREGS, sregs)
        _flat(sregs.cs, 8, 0xb)
        for name in ("ds", "es", "fs", "gs", "ss"):
            _flat(getattr(sregs, name), 0x10, 0x3)
        sregs.gdt.base, sregs.gdt.limit = GDT, len(GDT_BYTES) - 1
        sregs.cr0 = 0x11                # PE, ET; paging off
        _ioctl(vcpu, KVM_SET_SREGS, sregs)
        regs = Regs()
        regs.rip, regs.rflags = CODE, 2
        _ioctl(vcpu, KVM_SET_REGS, regs)

        signal.setitimer(signal.ITIMER_REAL, 3)
        try:
            _ioctl(vcpu, KVM_RUN)
        except InterruptedError:
            return False, "%s: the probe guest made no exit in 3 s" % path
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        reason = int.from_bytes(run[8:12], "little")
        if reason == KVM_EXIT_IO:
            port = int.from_bytes(run[34:36], "little")
            off = int.from_bytes(run[40:48], "little")
            if port == 0xf4 and run[off] == 0x42:
                return True, ""
            return False, "%s: the probe guest wrote 0x%x to port 0x%x" % (
                path, run[off], port)
        if reason == KVM_EXIT_INTERNAL_ERROR:
            return False, ("%s: KVM could not run the probe guest (internal "
                           "error: protected-mode IRET with paging off; a "
                           "PVM host?)" % path)
        return False, "%s: the probe guest exited with reason %d" % (
            path, reason)
    except OSError as e:
        return False, "%s: %s" % (path, e.strerror or e)
    finally:
        signal.signal(signal.SIGALRM, old)
        for m in maps:
            try:
                m.close()
            except BufferError:
                pass
        for fd in reversed(fds):
            os.close(fd)


def main():
    ok, why = probe(sys.argv[1] if len(sys.argv) > 1 else "/dev/kvm")
    print("usable" if ok else why)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
