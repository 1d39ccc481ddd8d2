/*
 * Exceptions and their error codes and saved RIPs (SDM Vol. 3A 6.15):
 * #DE, #DB (single step), #BP, #UD (UD2, LOCK misuse, invalid in 64-bit
 * mode, too long), #GP (privileged insns at CPL 3, bad MSR, non-canonical
 * address, gate DPL), #NP (segment load), #PF, and #DF when delivering an
 * exception faults again.
 */
#include "lib.h"

static void op_div0(void *a)
{
    __asm__ volatile("xorl %%ecx, %%ecx; divl %%ecx" ::: "eax", "ecx", "edx");
}
extern char div0_insn[];

static void op_int3(void *a)
{
    __asm__ volatile("int3; .globl after_int3; after_int3: nop");
}
extern char after_int3[];

static void op_tf(void *a)
{
    __asm__ volatile("pushfq; orq $0x100, (%%rsp); popfq;"
                     ".globl tf_first; tf_first: nop;"
                     ".globl tf_second; tf_second: nop;"
                     "pushfq; andq $~0x100, (%%rsp); popfq" ::: "memory");
}
extern char tf_first[], tf_second[];

static void op_ud2(void *a)
{
    __asm__ volatile("ud2");
}

static void op_lock_nop(void *a)
{
    __asm__ volatile(".byte 0xf0, 0x90");
}

static void op_lock_reg(void *a)
{
    __asm__ volatile(".byte 0xf0, 0x01, 0xc0");   /* lock add %eax,%eax */
}

static void op_lock_mov(void *a)
{
    static uint32_t x;
    __asm__ volatile("lock; movl %%eax, %0" : "=m"(x) : : );
}

static void op_into(void *a)
{
    __asm__ volatile(".byte 0xce");             /* INTO: #UD in 64-bit */
}

static void op_pusha(void *a)
{
    __asm__ volatile(".byte 0x60");             /* PUSHA: #UD in 64-bit */
}

static void op_too_long(void *a)
{
    /* 15 prefixes + NOP: 16 bytes */
    __asm__ volatile(".byte 0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,"
                     "0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x90");
}

static void op_fifteen(void *a)
{
    /* 14 prefixes + NOP: 15 bytes, fine */
    __asm__ volatile(".byte 0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,"
                     "0x66,0x66,0x66,0x66,0x66,0x66,0x90");
}

static void op_bad_msr(void *a)
{
    __asm__ volatile("rdmsr" : : "c"(0xdeadbeef) : "eax", "edx");
}

/* an AMD model's (-cpu max) SYSCFG, K7 event select/counter, DE_CFG */
static uint64_t amd_msr_val;

static void op_amd_msrs(void *a)
{
    static const uint32_t m[] = { 0xc0010010, 0xc0010000, 0xc0010004,
                                  0xc0011029 };
    uint32_t lo, hi;

    amd_msr_val = 0;
    __asm__ volatile("wrmsr" : : "c"(0xc0010004), "a"(0xabcd), "d"(0));
    for (unsigned i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
        __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(m[i]));
        amd_msr_val |= lo | (uint64_t)hi << 32;
    }
}

static void op_noncanon(void *a)
{
    volatile uint64_t *p = (uint64_t *)0x8000000000001000ull;
    (void)*p;
}

static void op_np(void *a)
{
    __asm__ volatile("movw %0, %%ds" : : "r"((uint16_t)SEL_FREE));
}

static void op_gp_sel(void *a)
{
    __asm__ volatile("movw %0, %%ds" : : "r"((uint16_t)0x1000));
}

static void op_touch(void *a)
{
    volatile uint64_t *p = a;
    (void)*p;
}

int main(void)
{
    printf("x86-64 exceptions\n");

    check_eq(trap_run(op_div0, NULL), 0 + 1, "div by zero: #DE");
    check_eq(last_trap.error, 0, "#DE: no error code");

    check_eq(trap_run(op_int3, NULL), 3 + 1, "int3: #BP");
    check(last_trap.rip == (uint64_t)after_int3, "#BP: RIP after int3");

    check_eq(trap_run(op_tf, NULL), 1 + 1, "TF: #DB");
    check(last_trap.rip == (uint64_t)tf_second,
          "#DB trap after the first insn following POPF");
    {
        uint64_t dr6;
        __asm__ volatile("mov %%dr6, %0" : "=r"(dr6));
        check(dr6 & 0x4000, "DR6.BS set");
        __asm__ volatile("mov %0, %%dr6" : : "r"(0xffff0ff0ull));
    }

    check_eq(trap_run(op_ud2, NULL), 6 + 1, "ud2: #UD");
    check_eq(trap_run(op_lock_nop, NULL), 6 + 1, "lock nop: #UD");
    check_eq(trap_run(op_lock_reg, NULL), 6 + 1, "lock add reg,reg: #UD");
    check_eq(trap_run(op_lock_mov, NULL), 6 + 1, "lock mov mem: #UD");
    check_eq(trap_run(op_into, NULL), 6 + 1, "into in 64-bit mode: #UD");
    check_eq(trap_run(op_pusha, NULL), 6 + 1, "pusha in 64-bit mode: #UD");
    check_eq(trap_run(op_too_long, NULL), 13 + 1, "16-byte insn: #GP");
    check_eq(last_trap.error, 0, "16-byte insn: #GP(0)");
    check_eq(trap_run(op_fifteen, NULL), 0, "15-byte insn runs");

    check_eq(trap_run(op_bad_msr, NULL), 13 + 1, "rdmsr 0xdeadbeef: #GP");
    check_eq(last_trap.error, 0, "rdmsr: #GP(0)");
    check_eq(trap_run(op_amd_msrs, NULL), 0,
             "AMD SYSCFG, PERFEVTSEL0, PERFCTR0, DE_CFG: no #GP");
    check_eq(amd_msr_val, 0, "AMD MSRs read 0, PERFCTR0 write ignored");
    check_eq(trap_run(op_noncanon, NULL), 13 + 1,
             "non-canonical load: #GP");

    gdt_set(SEL_FREE, 0, 0xfffff, 0x13, 0xc);     /* data, not present */
    check_eq(trap_run(op_np, NULL), 11 + 1, "mov ds, non-present: #NP");
    check_eq(last_trap.error, SEL_FREE, "#NP error code = selector");
    check_eq(trap_run(op_gp_sel, NULL), 13 + 1,
             "mov ds, beyond GDT limit: #GP");
    check_eq(last_trap.error, 0x1000, "#GP error code = selector");

    /* CPL 3 */
    check_eq(run_user(user_ok), USER_BACK, "user mode runs");
    check_eq(run_user(user_hlt), 13 + 1, "hlt at CPL 3: #GP");
    check_eq(last_trap.error, 0, "hlt: #GP(0)");
    check_eq(last_trap.cs, SEL_UCODE64, "fault CS is the user's");
    check_eq(run_user(user_cli), 13 + 1, "cli at CPL 3, IOPL 0: #GP");
    check_eq(run_user(user_rdmsr), 13 + 1, "rdmsr at CPL 3: #GP");
    check_eq(run_user(user_int80), 13 + 1, "int 0x80 to a DPL 0 gate: #GP");
    check_eq(last_trap.error, 0x80 * 8 + 2, "#GP error = vector*8+2 (IDT)");

    /* #PF: a not-present 2 MiB page in the identity map (at 3 GiB + 2M) */
    {
        uint64_t *pde = &pd[3 * 512 + 1];
        uint64_t save = *pde;
        void *addr = (void *)(3ull << 30 | 2 << 20 | 0x123);

        *pde = 0;
        __asm__ volatile("invlpg (%0)" : : "r"(addr) : "memory");
        check_eq(trap_run(op_touch, addr), 14 + 1, "unmapped read: #PF");
        check_eq(last_trap.error, 0, "#PF error 0 (not present, read, "
                 "supervisor)");
        check_eq(last_trap.cr2, (uint64_t)addr, "CR2 = the address");
        /* #PF delivery through a non-present IDT gate: #DF */
        {
            extern uint64_t idt_raw[] __attribute__((weak));
            uint64_t v;

            idt_set(14, idt_stub(14), 0, 0, false);
            idt_set(8, idt_stub(8), 0, 1, false);    /* #DF on IST1 */
            (void)idt_raw;
            v = 0;
            /* clear P of the #PF gate */
            {
                struct __attribute__((packed)) { uint16_t l; uint64_t b; } d;
                uint64_t *idt;

                __asm__ volatile("sidt %0" : "=m"(d));
                idt = (uint64_t *)d.b;
                idt[2 * 14] &= ~(1ull << 47);
                v = trap_run(op_touch, addr);
                idt[2 * 14] |= 1ull << 47;
            }
            check_eq(v, 8 + 1, "#PF through a non-present gate: #DF");
            check_eq(last_trap.error, 0, "#DF error code 0");
        }
        *pde = save;
        __asm__ volatile("invlpg (%0)" : : "r"(addr) : "memory");
    }
    return finish();
}
