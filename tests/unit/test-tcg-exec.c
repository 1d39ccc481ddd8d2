/*
 * accel/tcg end to end: a toy 32-bit ISA front end, registered only here,
 * runs guest programs through cpu_exec on a machine built by the test
 * (1 MB of RAM at 0, a recording MMIO device at 0x100000), on both back
 * ends.  It checks direct chaining, lookup_and_goto_ptr, self-modifying
 * code (same TB and another TB), DMA into code, TLB fill and flush, the
 * MMIO slow path, unaligned and page-crossing accesses, alignment faults
 * with state restore, and tb_flush when the code buffer fills.
 */
#include "turtle/osdep.h"
#include "hw/core/cpu.h"
#include "hw/core/qdev.h"
#include "exec/memory.h"
#include "exec/ramblock.h"
#include "exec/exec-all.h"
#include "exec/cpu-ldst.h"
#include "exec/translator.h"
#include "exec/tcg-cpu-ops.h"
#include "exec/gdbstub.h"
#include "sysemu/main-loop.h"
#include "sysemu/cpus.h"
#include "sysemu/runstate.h"
#include "sysemu/target-info.h"
#include "accel/accel.h"
#include "turtle/option.h"
#include "turtle/log.h"
#include "tcg/tcg.h"
#include "tcg/tcg-op.h"
#include "../../accel/tcg/internal.h"
#include "tcg-toy.h"

static void setup(gconstpointer data)
{
    toy_use_backend((TCGBackendKind)GPOINTER_TO_INT(data));
    memset(toy_env0()->regs, 0, sizeof(toy_env0()->regs));
    toy_env0()->vector = 0x8000;
    {
        uint32_t halt = INSN(OP_HALT, 0, 0, 0);
        toy_load_code(0x8000, &halt, 1);
        toy_load_code(0x8010, &halt, 1);     /* interrupt handler */
    }
}

/* ------------------------------------------------------------------ */
/* tests                                                                */

static void test_chaining(gconstpointer data)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 1, 0, 1000),
        INSN(OP_LI, 2, 0, 0),
        INSN(OP_ADD, 2, 1, 0),          /* loop: r2 += r1 */
        INSN(OP_BDEC, 1, 0, -2),        /* if (--r1) goto loop */
        INSN(OP_HALT, 0, 0, 0),
    };
    uint64_t tr0, ent0, ch0;

    setup(data);
    toy_load_code(CODE_BASE, prog, G_N_ELEMENTS(prog));
    tr0 = tcg_stats.tb_translated;
    ent0 = tcg_stats.tb_exec_entries;
    ch0 = tcg_stats.tb_chained;
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    g_assert_cmpuint(toy_env0()->regs[2], ==, 1000 * 1001 / 2);
    g_assert_cmpuint(toy_env0()->pc, ==, CODE_BASE + 5 * 4);
    /* loop body translated once, then chained to itself */
    g_assert_cmpuint(tcg_stats.tb_translated - tr0, <=, 4);
    g_assert_cmpuint(tcg_stats.tb_chained - ch0, >=, 1);
    g_assert_cmpuint(tcg_stats.tb_exec_entries - ent0, <, 10);
}

static void test_indirect(gconstpointer data)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 1, 0, 100),
        INSN(OP_LI, 3, 0, CODE_BASE + 12),
        INSN(OP_LI, 2, 0, 0),
        INSN(OP_ADDI, 2, 0, 1),         /* L */
        INSN(OP_ADDI, 1, 0, -1),
        INSN(OP_BNEZ, 1, 0, 1),         /* skip HALT */
        INSN(OP_HALT, 0, 0, 0),
        INSN(OP_JR, 0, 3, 0),           /* pc = r3 = L */
    };
    uint64_t tr0, hits0, ent0;

    setup(data);
    toy_load_code(CODE_BASE, prog, G_N_ELEMENTS(prog));
    tr0 = tcg_stats.tb_translated;
    hits0 = tcg_stats.tb_lookup_ptr_hits;
    ent0 = tcg_stats.tb_exec_entries;
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    g_assert_cmpuint(toy_env0()->regs[2], ==, 100);
    g_assert_cmpuint(tcg_stats.tb_translated - tr0, <=, 5);
    g_assert_cmpuint(tcg_stats.tb_lookup_ptr_hits - hits0, >=, 98);
    g_assert_cmpuint(tcg_stats.tb_exec_entries - ent0, <, 10);
}

static void test_smc_same_tb(gconstpointer data)
{
    uint32_t newinsn = INSN(OP_LI, 2, 0, 42);
    const uint32_t prog[] = {
        INSN(OP_LUI, 5, 0, newinsn >> 16),
        INSN(OP_ORI, 5, 0, newinsn & 0xffff),
        INSN(OP_LI, 6, 0, CODE_BASE + 5 * 4),
        INSN(OP_LI, 7, 0, 3),
        INSN(OP_STW, 5, 6, 0),          /* rewrite the insn after next */
        INSN(OP_LI, 2, 0, 1),           /* becomes LI r2, 42 */
        INSN(OP_ADD, 2, 7, 0),
        INSN(OP_HALT, 0, 0, 0),
    };
    uint64_t smc0;

    setup(data);
    toy_load_code(CODE_BASE, prog, G_N_ELEMENTS(prog));
    smc0 = tcg_stats.smc_current_tb;
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    g_assert_cmpuint(toy_env0()->regs[2], ==, 45);
    g_assert_cmpuint(tcg_stats.smc_current_tb - smc0, ==, 1);
    /* again, now that the code is stable */
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    g_assert_cmpuint(toy_env0()->regs[2], ==, 45);
}

/* A store rewrites an insn of another, already executed and chained TB. */
static void test_smc_other_tb(gconstpointer data)
{
    uint32_t newinsn = INSN(OP_LI, 7, 0, 100);
    const uint32_t prog[] = {
        INSN(OP_LUI, 5, 0, newinsn >> 16),
        INSN(OP_ORI, 5, 0, newinsn & 0xffff),
        INSN(OP_LI, 6, 0, CODE_BASE + 8 * 4),
        INSN(OP_LI, 1, 0, 2),
        INSN(OP_LI, 2, 0, 0),
        INSN(OP_B, 0, 0, 2),            /* L: goto T */
        INSN(OP_STW, 5, 6, 0),          /* back: rewrite T's first insn */
        INSN(OP_BDEC, 1, 0, -3),        /* if (--r1) goto L */
        INSN(OP_LI, 7, 0, 1),           /* T: becomes LI r7, 100 */
        INSN(OP_ADD, 2, 7, 0),
        INSN(OP_BNEZ, 1, 0, -5),        /* goto back (r1 != 0) */
    };
    const uint32_t tail = INSN(OP_HALT, 0, 0, 0);
    uint64_t inv0;

    setup(data);
    toy_load_code(CODE_BASE, prog, G_N_ELEMENTS(prog));
    toy_load_code(CODE_BASE + G_N_ELEMENTS(prog) * 4, &tail, 1);
    inv0 = tcg_stats.tb_invalidated;
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    /* T runs 3 times: once as written, twice rewritten */
    g_assert_cmpuint(toy_env0()->regs[2], ==, 201);
    g_assert_cmpuint(tcg_stats.tb_invalidated - inv0, >=, 1);
}

static void test_dma_invalidate(gconstpointer data)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 2, 0, 1),
        INSN(OP_HALT, 0, 0, 0),
    };
    const uint32_t patch = INSN(OP_LI, 2, 0, 7);
    uint64_t inv0;

    setup(data);
    toy_load_code(CODE_BASE, prog, G_N_ELEMENTS(prog));
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    g_assert_cmpuint(toy_env0()->regs[2], ==, 1);
    g_assert_false(ram_dirty_get(CODE_BASE, 4, DIRTY_MEMORY_CODE));
    inv0 = tcg_stats.tb_invalidated;
    /* a device writes the code page */
    bql_lock();
    address_space_write(&toy_machine.as, CODE_BASE, MEMTXATTRS_UNSPECIFIED, &patch, 4);
    bql_unlock();
    g_assert_cmpuint(tcg_stats.tb_invalidated - inv0, >=, 1);
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    g_assert_cmpuint(toy_env0()->regs[2], ==, 7);
}

static void test_mmio(gconstpointer data)
{
    const uint32_t prog[] = {
        INSN(OP_LUI, 3, 0, MMIO_BASE >> 16),
        INSN(OP_LI, 4, 0, 0x1234),
        INSN(OP_STW, 4, 3, 0x10),
        INSN(OP_STB, 4, 3, 0x21),
        INSN(OP_STH, 4, 3, 0x32),
        INSN(OP_LDW, 5, 3, 0x40),
        INSN(OP_LDB, 6, 3, 0x51),
        INSN(OP_LDH, 7, 3, 0x62),
        INSN(OP_LDW, 1, 3, 0x200),      /* the hole after the device */
        INSN(OP_HALT, 0, 0, 0),
    };
    const MMIOAccess expect[] = {
        { 0x10, 4, 0x1234, true },
        { 0x21, 1, 0x34, true },
        { 0x32, 2, 0x1234, true },
        { 0x40, 4, 0, false },
        { 0x51, 1, 0, false },
        { 0x62, 2, 0, false },
    };
    guint i;

    setup(data);
    g_array_set_size(toy_machine.mmio_log, 0);
    toy_load_code(CODE_BASE, prog, G_N_ELEMENTS(prog));
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    g_assert_cmpuint(toy_machine.mmio_log->len, ==, G_N_ELEMENTS(expect));
    for (i = 0; i < G_N_ELEMENTS(expect); i++) {
        MMIOAccess *a = &g_array_index(toy_machine.mmio_log, MMIOAccess, i);

        g_assert_cmphex(a->addr, ==, expect[i].addr);
        g_assert_cmpuint(a->size, ==, expect[i].size);
        g_assert(a->write == expect[i].write);
        if (a->write) {
            g_assert_cmphex(a->val, ==, expect[i].val);
        }
    }
    g_assert_cmphex(toy_env0()->regs[5], ==, 0xd0004004);
    g_assert_cmphex(toy_env0()->regs[6], ==, 0x01);
    g_assert_cmphex(toy_env0()->regs[7], ==, 0x6202);
    g_assert_cmphex(toy_env0()->regs[1], ==, 0xffffffff);   /* unassigned */
}

static void test_tlb(gconstpointer data)
{
    const uint32_t prog[] = {
        INSN(OP_LUI, 3, 0, 0x8000),     /* r3 = 0x80000000 */
        INSN(OP_LDW, 2, 3, 0x10),
        INSN(OP_HALT, 0, 0, 0),
    };
    const uint32_t a = 0xaaaa5555, b = 0xbbbb6666;
    uint64_t fills0;

    setup(data);
    address_space_stl_le(&toy_machine.as, 0x20010, a, MEMTXATTRS_UNSPECIFIED, NULL);
    address_space_stl_le(&toy_machine.as, 0x30010, b, MEMTXATTRS_UNSPECIFIED, NULL);
    toy_load_code(CODE_BASE, prog, G_N_ELEMENTS(prog));
    toy_env0()->window_base = 0x20000;
    tlb_flush(toy_cpu0());
    fills0 = tcg_stats.tlb_fills;
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    g_assert_cmphex(toy_env0()->regs[2], ==, a);
    g_assert_cmpuint(tcg_stats.tlb_fills - fills0, >=, 2);  /* code + data */

    /* remap: the stale entry is used until the page is flushed */
    toy_env0()->window_base = 0x30000;
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    g_assert_cmphex(toy_env0()->regs[2], ==, a);
    tlb_flush_page(toy_cpu0(), 0x80000000);
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    g_assert_cmphex(toy_env0()->regs[2], ==, b);

    /* the victim TLB: two pages that share an index */
    toy_env0()->window_base = 0x20000;
    tlb_flush(toy_cpu0());
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    g_assert_cmphex(toy_env0()->regs[2], ==, a);
}

static void test_unaligned(gconstpointer data)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 3, 0, 0x2000),
        INSN(OP_LDW, 2, 3, 0xffe),      /* crosses 0x3000 */
        INSN(OP_LI, 4, 0, 0x1122),
        INSN(OP_ORI, 4, 0, 0),
        INSN(OP_STW, 4, 3, 0x1ffd),     /* crosses 0x4000 */
        INSN(OP_LDW, 5, 3, 0x1ffd),
        INSN(OP_LDWA, 6, 3, 0x2),       /* alignment fault */
        INSN(OP_HALT, 0, 0, 0),
    };
    const uint8_t bytes[4] = { 0x11, 0x22, 0x33, 0x44 };

    setup(data);
    address_space_write(&toy_machine.as, 0x2ffe, MEMTXATTRS_UNSPECIFIED, bytes, 4);
    toy_load_code(CODE_BASE, prog, G_N_ELEMENTS(prog));
    toy_env0()->excp_count = 0;
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    g_assert_cmphex(toy_env0()->regs[2], ==, 0x44332211);
    g_assert_cmphex(toy_env0()->regs[5], ==, 0x1122);
    g_assert_cmphex(address_space_ldl_le(&toy_machine.as, 0x3ffd, MEMTXATTRS_UNSPECIFIED,
                                         NULL), ==, 0x1122);
    /* the fault restored the pc of the LDWA and went to the vector */
    g_assert_cmpuint(toy_env0()->excp_count, ==, 1);
    g_assert_cmpint(toy_env0()->last_excp, ==, TOY_EXCP_ALIGN);
    g_assert_cmphex(toy_env0()->epc, ==, CODE_BASE + 6 * 4);
    g_assert_cmphex(toy_env0()->fault_addr, ==, 0x2002);
    g_assert_cmphex(toy_env0()->pc, ==, 0x8004);
}

static void test_page_fault(gconstpointer data)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 1, 0, 5),
        INSN(OP_LUI, 3, 0, 0xc000),
        INSN(OP_LDW, 2, 3, 0x44),       /* data abort */
        INSN(OP_HALT, 0, 0, 0),
    };

    setup(data);
    toy_load_code(CODE_BASE, prog, G_N_ELEMENTS(prog));
    toy_env0()->excp_count = 0;
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    g_assert_cmpuint(toy_env0()->excp_count, ==, 1);
    g_assert_cmpint(toy_env0()->last_excp, ==, TOY_EXCP_FAULT);
    g_assert_cmphex(toy_env0()->epc, ==, CODE_BASE + 2 * 4);
    g_assert_cmphex(toy_env0()->fault_addr, ==, 0xc0000044);
    g_assert_cmpuint(toy_env0()->regs[1], ==, 5);
}

/*
 * Each iteration rewrites the immediate of the insn at T, so T is
 * retranslated every time: the 1 MB code buffer fills and is flushed.
 */
static void test_tb_flush(gconstpointer data)
{
    const int n = 12000;
    const uint32_t prog[] = {
        INSN(OP_LI, 1, 0, n),
        INSN(OP_LI, 2, 0, 0),
        INSN(OP_LI, 6, 0, CODE_BASE + 0x800),
        INSN(OP_B, 0, 0, (0x800 - 16) / 4),     /* L: goto T */
        INSN(OP_LDW, 5, 6, 0),                  /* back: T's imm += 1 */
        INSN(OP_ADDI, 5, 0, 1),
        INSN(OP_STW, 5, 6, 0),
        INSN(OP_BDEC, 1, 0, -5),
        INSN(OP_HALT, 0, 0, 0),
    };
    const uint32_t t[] = {
        INSN(OP_LI, 7, 0, 1),                   /* T */
        INSN(OP_ADD, 2, 7, 0),
        INSN(OP_B, 0, 0, -(0x800 + 12 - 16) / 4),     /* goto back */
    };
    uint64_t fl0;

    setup(data);
    toy_load_code(CODE_BASE, prog, G_N_ELEMENTS(prog));
    toy_load_code(CODE_BASE + 0x800, t, G_N_ELEMENTS(t));
    fl0 = tcg_stats.tb_flushes;
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    g_assert_cmpuint(toy_env0()->regs[2], ==, (uint64_t)n * (n + 1) / 2);
    g_assert_cmpuint(tcg_stats.tb_flushes - fl0, >=, 1);
}

/* -d in_asm,exec,op,out_asm,nochain reach the log file */
static void test_logging(gconstpointer data)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 1, 0, 3),
        INSN(OP_BDEC, 1, 0, -1),        /* spins on itself: chaining off */
        INSN(OP_HALT, 0, 0, 0),
    };
    char *path, *text = NULL, *msg = NULL;
    int fd;
    uint64_t ch0;

    setup(data);
    fd = g_file_open_tmp("tcg-exec-log-XXXXXX", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_assert(turtle_set_log_file(path, &msg));
    turtle_set_log(CPU_LOG_TB_IN_ASM | CPU_LOG_EXEC | CPU_LOG_TB_OP |
                   CPU_LOG_TB_OUT_ASM | CPU_LOG_TB_NOCHAIN);
    tcg_exec_update_log();
    toy_load_code(CODE_BASE, prog, G_N_ELEMENTS(prog));
    ch0 = tcg_stats.tb_chained;
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    turtle_set_log(0);
    tcg_exec_update_log();
    fflush(turtle_logfile);
    g_assert(g_file_get_contents(path, &text, NULL, NULL));
    g_assert(strstr(text, "IN: [pc=0x0000000000001000"));
    g_assert(strstr(text, "0x0000000000001000: 03 00 10 01"));
    g_assert(strstr(text, "Trace 0:"));
    g_assert(strstr(text, "OUT: [size="));
    g_assert_cmpuint(tcg_stats.tb_chained, ==, ch0);
    g_free(text);
    unlink(path);
    g_free(path);
}

/* gdb: single step and breakpoints end cpu_exec with EXCP_DEBUG */
static void test_debug(gconstpointer data)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 1, 0, 3),
        INSN(OP_LI, 2, 0, 0),
        INSN(OP_ADD, 2, 1, 0),          /* loop */
        INSN(OP_BDEC, 1, 0, -2),
        INSN(OP_HALT, 0, 0, 0),
    };
    CPUState *cpu = toy_cpu0();
    vaddr bp = CODE_BASE + 12;
    int i, r;

    setup(data);
    toy_load_code(CODE_BASE, prog, G_N_ELEMENTS(prog));

    /* single step: one insn per cpu_exec */
    cpu->singlestep_enabled = 1;
    toy_env0()->pc = CODE_BASE;
    cpu->halted = 0;
    cpu->exception_index = -1;
    for (i = 0; i < 4; i++) {
        r = cpu_exec(cpu);
        g_assert_cmpint(r, ==, EXCP_DEBUG);
    }
    g_assert_cmphex(toy_env0()->pc, ==, CODE_BASE + 8);  /* back in the loop */
    g_assert_cmpuint(toy_env0()->regs[2], ==, 3);
    g_assert_cmpuint(toy_env0()->regs[1], ==, 2);
    cpu->singlestep_enabled = 0;
    current_cpu = NULL;

    /* breakpoint on the BDEC: hit on every iteration */
    g_array_append_val(cpu->breakpoints, bp);
    tb_flush(cpu);
    toy_env0()->pc = CODE_BASE;
    cpu->exception_index = -1;
    g_assert_cmpint(cpu_exec(cpu), ==, EXCP_DEBUG);
    g_assert_cmphex(toy_env0()->pc, ==, bp);
    g_assert_cmpuint(toy_env0()->regs[2], ==, 3);
    current_cpu = NULL;
    /* remove it (as gdb does to step over it) and run to the end */
    g_array_set_size(cpu->breakpoints, 0);
    tb_flush(cpu);
    g_assert_cmpint(cpu_exec(cpu), ==, EXCP_HLT);
    current_cpu = NULL;
    g_assert_cmpuint(toy_env0()->regs[2], ==, 6);
}

/*
 * gdb's single step with an interrupt pending: by default (SSTEP_NOIRQ)
 * the step runs the instruction at the pc and the interrupt stays
 * pending; with SSTEP_ENABLE alone the step enters the handler and stops
 * after its first instruction.
 */
static void test_debug_step_irq(gconstpointer data)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 1, 0, 3),
        INSN(OP_LI, 2, 0, 5),
        INSN(OP_HALT, 0, 0, 0),
    };
    CPUState *cpu = toy_cpu0();
    CPUArchState *env = toy_env0();
    uint64_t irqs;

    setup(data);
    toy_load_code(CODE_BASE, prog, G_N_ELEMENTS(prog));
    env->vector = CODE_BASE - 0x10;     /* the handler is the program */
    irqs = env->irq_count;
    env->pc = CODE_BASE + 4;
    cpu->halted = 0;
    cpu->exception_index = -1;
    __atomic_fetch_or(&cpu->interrupt_request, CPU_INTERRUPT_HARD,
                      __ATOMIC_SEQ_CST);

    cpu->singlestep_enabled = SSTEP_ENABLE | SSTEP_NOIRQ;
    g_assert_cmpint(cpu_exec(cpu), ==, EXCP_DEBUG);
    g_assert_cmphex(env->pc, ==, CODE_BASE + 8);
    g_assert_cmpuint(env->regs[2], ==, 5);
    g_assert_cmpuint(env->irq_count, ==, irqs);
    g_assert_true(cpu->interrupt_request & CPU_INTERRUPT_HARD);
    current_cpu = NULL;

    cpu->singlestep_enabled = SSTEP_ENABLE;
    g_assert_cmpint(cpu_exec(cpu), ==, EXCP_DEBUG);
    g_assert_cmpuint(env->irq_count, ==, irqs + 1);
    g_assert_cmphex(env->epc, ==, CODE_BASE + 8);
    g_assert_cmphex(env->pc, ==, CODE_BASE + 4);    /* handler's 1st insn */
    g_assert_cmpuint(env->regs[1], ==, 3);
    cpu->singlestep_enabled = 0;
    current_cpu = NULL;
}

static gpointer irq_thread_fn(gpointer data)
{
    CPUState *cpu = data;

    g_usleep(20 * 1000);
    /* what the accelerator's handle_interrupt + kick do */
    __atomic_fetch_or(&cpu->interrupt_request, CPU_INTERRUPT_HARD,
                      __ATOMIC_SEQ_CST);
    cpu_exit(cpu);
    return NULL;
}

/* An interrupt from another thread leaves a chained endless loop; a
 * halted vCPU with a pending interrupt wakes up. */
static void test_interrupt(gconstpointer data)
{
    const uint32_t prog[] = {
        INSN(OP_ADDI, 2, 0, 1),         /* loop */
        INSN(OP_B, 0, 0, -2),
    };
    CPUState *cpu = toy_cpu0();
    GThread *t;
    int r;

    setup(data);
    toy_env0()->irq_count = 0;
    toy_load_code(CODE_BASE, prog, G_N_ELEMENTS(prog));
    t = g_thread_new("irq", irq_thread_fn, cpu);
    r = toy_run(CODE_BASE);
    g_thread_join(t);
    g_assert_cmpint(r, ==, EXCP_HLT);
    g_assert_cmpuint(toy_env0()->irq_count, ==, 1);
    g_assert_cmphex(toy_env0()->pc, ==, 0x8014);
    g_assert(toy_env0()->epc == CODE_BASE || toy_env0()->epc == CODE_BASE + 4);
    g_assert_cmpuint(toy_env0()->regs[2], >, 0);

    /* halted: sleeps (EXCP_HALTED) until an interrupt is pending */
    g_assert(cpu->halted);
    g_assert_cmpint(cpu_exec(cpu), ==, EXCP_HALTED);
    cpu_interrupt(cpu, CPU_INTERRUPT_HARD);
    g_assert_cmpint(cpu_exec(cpu), ==, EXCP_HLT);
    current_cpu = NULL;
    g_assert_cmpuint(toy_env0()->irq_count, ==, 2);
    g_assert_cmphex(toy_env0()->epc, ==, 0x8014);
}

#define SHARED_XADD 0x5000
#define SHARED_CAS  0x5004

/* m iterations of an atomic add (XADD) and a CAS-loop increment */
static void load_atomics(hwaddr base, uint32_t m)
{
    const uint32_t prog[] = {
        INSN(OP_LUI, 1, 0, m >> 16),
        INSN(OP_ORI, 1, 0, m & 0xffff),
        INSN(OP_LI, 6, 0, SHARED_XADD),
        INSN(OP_LI, 7, 0, SHARED_CAS),
        INSN(OP_LI, 3, 0, 1),           /* L */
        INSN(OP_XADD, 3, 6, 0),
        INSN(OP_LDW, 0, 7, 0),          /* C: r0 = old */
        INSN(OP_LI, 4, 0, 1),
        INSN(OP_ADD, 4, 0, 0),          /* r4 = old + 1 */
        INSN(OP_CAS, 4, 7, 0),
        INSN(OP_BNEZ, 4, 0, 1),         /* success: skip the retry */
        INSN(OP_B, 0, 0, -6),           /* goto C */
        INSN(OP_BDEC, 1, 0, -9),        /* goto L */
        INSN(OP_HALT, 0, 0, 0),
    };

    toy_load_code(base, prog, G_N_ELEMENTS(prog));
}

static void test_atomics(gconstpointer data)
{
    setup(data);
    address_space_stl_le(&toy_machine.as, SHARED_XADD, 5, MEMTXATTRS_UNSPECIFIED, NULL);
    address_space_stl_le(&toy_machine.as, SHARED_CAS, 7, MEMTXATTRS_UNSPECIFIED, NULL);
    load_atomics(CODE_BASE, 1000);
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    g_assert_cmpuint(address_space_ldl_le(&toy_machine.as, SHARED_XADD,
                                          MEMTXATTRS_UNSPECIFIED, NULL), ==, 1005);
    g_assert_cmpuint(address_space_ldl_le(&toy_machine.as, SHARED_CAS,
                                          MEMTXATTRS_UNSPECIFIED, NULL), ==, 1007);
}

/*
 * Every tcg_gen_atomic_* form (op, fetch_op/op_fetch, size, sign, i32/i64
 * builder, byte order, MO_ALIGN) against a C model, at an aligned, a
 * misaligned and a page-crossing address, both as the plain expansion and
 * as the CF_PARALLEL helper call (host atomics; with one vCPU the helper's
 * fallback for misaligned data is a plain load and store).
 */
static uint64_t amo_sext(uint64_t v, unsigned size)
{
    unsigned sh = 64 - 8 * size;

    return sh ? (uint64_t)((int64_t)(v << sh) >> sh) : v;
}

static void amo_model(unsigned imm, uint64_t old, uint64_t val, uint64_t cmp,
                      uint64_t *ret, uint64_t *mem)
{
    unsigned kind = imm & 15, size = 1u << ((imm >> 5) & 3);
    uint64_t m = size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
    uint64_t o = old & m, v = val & m, nv, r;

    switch (kind) {
    case TCG_ATOMIC_XCHG: nv = v; break;
    case TCG_ATOMIC_ADD:  nv = o + v; break;
    case TCG_ATOMIC_AND:  nv = o & v; break;
    case TCG_ATOMIC_OR:   nv = o | v; break;
    case TCG_ATOMIC_XOR:  nv = o ^ v; break;
    case TCG_ATOMIC_SMIN:
        nv = (int64_t)amo_sext(o, size) < (int64_t)amo_sext(v, size) ? o : v;
        break;
    case TCG_ATOMIC_SMAX:
        nv = (int64_t)amo_sext(o, size) > (int64_t)amo_sext(v, size) ? o : v;
        break;
    case TCG_ATOMIC_UMIN: nv = o < v ? o : v; break;
    case TCG_ATOMIC_UMAX: nv = o > v ? o : v; break;
    default:              nv = o == (cmp & m) ? v : o; break;
    }
    nv &= m;
    r = (imm & AMO_NEW) && kind != TCG_ATOMIC_XCHG && kind != AMO_CMPXCHG
        ? nv : o;
    if (imm & AMO_SIGN) {
        r = amo_sext(r, size);
    }
    *ret = (imm & AMO_I32) ? (uint32_t)r : r;
    *mem = nv;
}

static void amo_mem_write(hwaddr a, uint64_t v, unsigned size, bool be)
{
    unsigned i;

    for (i = 0; i < size; i++) {
        uint8_t b = v >> (8 * (be ? size - 1 - i : i));
        address_space_write(&toy_machine.as, a + i, MEMTXATTRS_UNSPECIFIED, &b, 1);
    }
}

static uint64_t amo_mem_read(hwaddr a, unsigned size, bool be)
{
    uint64_t v = 0;
    unsigned i;

    for (i = 0; i < size; i++) {
        uint8_t b;
        address_space_read(&toy_machine.as, a + i, MEMTXATTRS_UNSPECIFIED, &b, 1);
        v |= (uint64_t)b << (8 * (be ? size - 1 - i : i));
    }
    return v;
}

/* run "AMO r2, [r1], imm; HALT" once */
static void amo_run_one(unsigned imm, bool parallel, hwaddr addr, uint64_t old,
                        uint64_t val, uint64_t cmp)
{
    unsigned size = 1u << ((imm >> 5) & 3);
    bool be = imm & AMO_BE;
    bool fault = (imm & AMO_ALIGN) && (addr & (size - 1));
    CPUArchState *env = toy_env0();
    uint64_t ret, mem, guard = 0x5a5a5a5a5a5a5a5aull;

    amo_model(imm, old, val, cmp, &ret, &mem);
    amo_mem_write(addr - 8, guard, 8, false);
    amo_mem_write(addr + size, guard, 8, false);
    amo_mem_write(addr, old, size, be);
    env->regs[0] = cmp;
    env->regs[1] = addr;
    env->regs[2] = val;
    env->last_excp = -1;
    if (parallel) {
        toy_cpu0()->cflags_next_tb = curr_cflags(toy_cpu0()) | CF_PARALLEL;
    }
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    if (fault) {
        g_assert_cmpint(env->last_excp, ==, TOY_EXCP_ALIGN);
        ret = val;
        mem = old & (size == 8 ? ~0ull : (1ull << (8 * size)) - 1);
    } else if (env->regs[2] != ret ||
               amo_mem_read(addr, size, be) != mem) {
        g_error("AMO imm %#x %s at %#" PRIx64 " old %#" PRIx64 " val %#"
                PRIx64 " cmp %#" PRIx64 ": ret %#" PRIx64 " (want %#" PRIx64
                ") mem %#" PRIx64 " (want %#" PRIx64 ")", imm,
                parallel ? "parallel" : "serial", (uint64_t)addr, old, val,
                cmp, env->regs[2], ret, amo_mem_read(addr, size, be), mem);
    }
    g_assert_cmphex(env->regs[2], ==, ret);
    g_assert_cmphex(amo_mem_read(addr, size, be), ==, mem);
    g_assert_cmphex(amo_mem_read(addr - 8, 8, false), ==, guard);
    g_assert_cmphex(amo_mem_read(addr + size, 8, false), ==, guard);
}

static void test_amo_ops(gconstpointer data)
{
    static const uint64_t vals[][3] = {     /* old, val, cmp */
        { 0, 0, 0 },
        { 1, -1ull, 1 },
        { 0x80, 0x7f, 0x80 },
        { 0x7fffffffffffffffull, 0x8000000000000000ull, 0 },
        { -1ull, 1, -1ull },
        { 0xfedcba9876543210ull, 0x0123456789abcdefull, 0x76543210 },
        { 0x8000, 0xffff8001ull, 0x8000 },
        { 0x00ff00ff80000000ull, 0x00ff00ff7fffffffull, 0x00ff00ff80000000ull },
    };
    unsigned kind, flags, size, i, par;

    setup(data);
    for (kind = 0; kind <= AMO_CMPXCHG; kind++) {
        for (size = 0; size < 4; size++) {
            for (flags = 0; flags < 32; flags++) {
                unsigned imm = kind | AMO_SIZE(size);
                unsigned bytes = 1u << size;
                const uint32_t prog[] = {
                    INSN(OP_AMO, 2, 1, 0), INSN(OP_HALT, 0, 0, 0),
                };
                hwaddr addrs[3] = { 0x6008, 0x6011, 0x7000 - bytes / 2 };
                uint32_t code[2];
                int na = bytes > 1 ? 3 : 1;

                imm |= (flags & 1 ? AMO_NEW : 0) | (flags & 2 ? AMO_SIGN : 0) |
                       (flags & 4 ? AMO_I32 : 0) | (flags & 8 ? AMO_BE : 0) |
                       (flags & 16 ? AMO_ALIGN : 0);
                if (((imm & AMO_NEW) && (kind == 0 || kind == AMO_CMPXCHG)) ||
                    ((imm & AMO_I32) && size == 3) ||
                    ((imm & (AMO_BE | AMO_ALIGN)) && size == 0)) {
                    continue;
                }
                memcpy(code, prog, sizeof(code));
                code[0] |= imm;
                toy_load_code(CODE_BASE, code, 2);
                for (par = 0; par < 2; par++) {
                    int a;

                    for (a = 0; a < na; a++) {
                        for (i = 0; i < G_N_ELEMENTS(vals); i++) {
                            amo_run_one(imm, par, addrs[a], vals[i][0],
                                        vals[i][1], vals[i][2]);
                            /* cmpxchg: also the equal case */
                            amo_run_one(imm, par, addrs[a], vals[i][0],
                                        vals[i][1], vals[i][0]);
                        }
                    }
                }
            }
        }
    }
}

/*
 * A parallel TB calls the helpers (the serial one inlines); MMIO atomics
 * are a read and a write of the device; CAS16 both ways.
 */
static void test_amo_paths(gconstpointer data)
{
    const uint32_t prog[] = {
        INSN(OP_AMO, 2, 1, TCG_ATOMIC_ADD | AMO_SIZE(2)),
        INSN(OP_HALT, 0, 0, 0),
    };
    const uint32_t prog16[] = {
        INSN(OP_CAS16, 4, 5, 0),
        INSN(OP_HALT, 0, 0, 0),
    };
    CPUArchState *env = toy_env0();
    char *path, *text = NULL, *msg = NULL;
    int fd, par;
    MMIOAccess *m;

    setup(data);
    toy_load_code(CODE_BASE, prog, G_N_ELEMENTS(prog));
    fd = g_file_open_tmp("tcg-exec-amo-XXXXXX", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_assert(turtle_set_log_file(path, &msg));
    turtle_set_log(CPU_LOG_TB_OP);
    tcg_exec_update_log();
    env->regs[1] = 0x6000;
    toy_cpu0()->cflags_next_tb = curr_cflags(toy_cpu0()) | CF_PARALLEL;
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    turtle_set_log(0);
    tcg_exec_update_log();
    fflush(turtle_logfile);
    g_assert(g_file_get_contents(path, &text, NULL, NULL));
    g_assert(strstr(text, "call atomic_rmw"));
    g_free(text);
    unlink(path);
    g_free(path);

    for (par = 0; par < 2; par++) {
        g_array_set_size(toy_machine.mmio_log, 0);
        env->regs[1] = MMIO_BASE + 0x10;
        env->regs[2] = 5;
        if (par) {
            toy_cpu0()->cflags_next_tb = curr_cflags(toy_cpu0()) | CF_PARALLEL;
        }
        g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
        g_assert_cmpuint(env->regs[2], ==, 0xd0001004);
        g_assert_cmpuint(toy_machine.mmio_log->len, ==, 2);
        m = &g_array_index(toy_machine.mmio_log, MMIOAccess, 0);
        g_assert(!m->write && m->addr == 0x10 && m->size == 4);
        m = &g_array_index(toy_machine.mmio_log, MMIOAccess, 1);
        g_assert(m->write && m->addr == 0x10 && m->size == 4);
        g_assert_cmphex(m->val, ==, 0xd0001009);
    }

    toy_load_code(CODE_BASE, prog16, G_N_ELEMENTS(prog16));
    for (par = 0; par < 4; par++) {
        bool equal = par & 2;

        amo_mem_write(0x6020, 0x1111222233334444ull, 8, false);
        amo_mem_write(0x6028, 0x5555666677778888ull, 8, false);
        env->regs[0] = equal ? 0x1111222233334444ull : 0x1111222233334445ull;
        env->regs[1] = 0x5555666677778888ull;
        env->regs[2] = 0xaaaa;
        env->regs[3] = 0xbbbb;
        env->regs[5] = 0x6020;
        if (par & 1) {
            toy_cpu0()->cflags_next_tb = curr_cflags(toy_cpu0()) | CF_PARALLEL;
        }
        g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
        g_assert_cmpuint(env->regs[4], ==, equal);
        g_assert_cmphex(env->regs[0], ==, 0x1111222233334444ull);
        g_assert_cmphex(env->regs[1], ==, 0x5555666677778888ull);
        g_assert_cmphex(amo_mem_read(0x6020, 8, false), ==,
                        equal ? 0xaaaa : 0x1111222233334444ull);
        g_assert_cmphex(amo_mem_read(0x6028, 8, false), ==,
                        equal ? 0xbbbb : 0x5555666677778888ull);
    }
    /* misaligned: the alignment fault, nothing written */
    amo_mem_write(0x6038, 7, 8, false);
    env->regs[0] = 0;
    env->regs[5] = 0x6038;
    env->last_excp = -1;
    toy_cpu0()->cflags_next_tb = curr_cflags(toy_cpu0()) | CF_PARALLEL;
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    g_assert_cmpint(env->last_excp, ==, TOY_EXCP_ALIGN);
    g_assert_cmphex(amo_mem_read(0x6038, 8, false), ==, 7);
}

/* tb_flush requested from inside cpu_exec goes through queued work. */
static void test_async_flush(gconstpointer data)
{
    const uint32_t prog[] = {
        INSN(OP_LI, 2, 0, 9),
        INSN(OP_HALT, 0, 0, 0),
    };
    uint64_t fl0;

    setup(data);
    toy_load_code(CODE_BASE, prog, G_N_ELEMENTS(prog));
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    fl0 = tcg_stats.tb_flushes;
    current_cpu = toy_cpu0();
    tb_flush(toy_cpu0());               /* as a helper would */
    current_cpu = NULL;
    g_assert_cmpuint(tcg_stats.tb_flushes, ==, fl0);
    g_assert_cmpint(toy_run(CODE_BASE), ==, EXCP_HLT);
    g_assert_cmpuint(tcg_stats.tb_flushes - fl0, ==, 1);
    g_assert_cmpuint(toy_env0()->regs[2], ==, 9);
}

/*
 * MTTCG: vCPUs on their own threads (the accelerator's real thread loop).
 * First two of them retranslate code of their own in a loop so the 1 MB
 * code buffer fills while the other runs: the flush goes through
 * exclusive work; both must finish with exact results.  Then four of them
 * hammer shared memory with atomics (see mt_load_atomics).
 */
#define MT_NCPU 4
#define MT_N 15000
#define MT_ATOMIC_N 30000   /* < 32768: an LI immediate */
#define MT_SLOW_N 100           /* page-crossing atomics: exclusive steps */

static ToyCPU *mt_cpu[MT_NCPU];
/* TCG_EXEC_THREAD=single: the vCPU test uses the round-robin thread */
static bool thread_single;

static void mt_load(int i)
{
    hwaddr base = 0x10000 + 0x10000 * i;
    const uint32_t prog[] = {
        INSN(OP_LI, 1, 0, MT_N),
        INSN(OP_LI, 2, 0, 0),
        INSN(OP_LUI, 6, 0, base >> 16),
        INSN(OP_ORI, 6, 0, 0x800),
        INSN(OP_B, 0, 0, (0x800 - 20) / 4),     /* L: goto T */
        INSN(OP_LDW, 5, 6, 0),                  /* back: T's imm += 1 */
        INSN(OP_ADDI, 5, 0, 1),
        INSN(OP_STW, 5, 6, 0),
        INSN(OP_BDEC, 1, 0, -5),
        INSN(OP_HALT, 0, 0, 0),
    };
    const uint32_t t[] = {
        INSN(OP_LI, 7, 0, 1),                   /* T */
        INSN(OP_ADD, 2, 7, 0),
        INSN(OP_B, 0, 0, -(0x800 + 12 - 20) / 4),
    };

    toy_load_code(base, prog, G_N_ELEMENTS(prog));
    toy_load_code(base + 0x800, t, G_N_ELEMENTS(t));
    memset(mt_cpu[i]->env.regs, 0, sizeof(mt_cpu[i]->env.regs));
    mt_cpu[i]->env.pc = base;
}

/* shared words of the atomics phase */
#define MT_XADD    0x5000       /* fetch_add helper */
#define MT_CASIR   0x5004       /* tcg_gen_atomic_cmpxchg retry loop */
#define MT_CASC    0x5008       /* cpu_atomic_cmpxchgl_le_mmu retry loop */
#define MT_LOCK    0x5040       /* xchg spinlock ... */
#define MT_PLAIN   0x5044       /* ... around a plain load/add/store */
#define MT_PAIR    0x5080       /* {n, -n} by CAS16 */
#define MT_SLOW    0x5ffe       /* 4 bytes across a page boundary */
#define MT_GO      0x50c0       /* start barrier: one word per vCPU */

/*
 * With plain load/op/store any of these loses updates when vCPUs run in
 * parallel; the totals must be exact.
 */
static void mt_load_atomics(int i)
{
    hwaddr base = 0x30000 + 0x1000 * i;
    const uint32_t prog[] = {
        /* all start together, so the loops below really overlap */
        INSN(OP_LI, 6, 0, MT_GO),
        INSN(OP_LI, 3, 0, 1),
        INSN(OP_STW, 3, 6, 4 * i),
        INSN(OP_LDW, 3, 6, 0),                          /* W: */
        INSN(OP_LDW, 4, 6, 4),
        INSN(OP_ADD, 3, 4, 0),
        INSN(OP_LDW, 4, 6, 8),
        INSN(OP_ADD, 3, 4, 0),
        INSN(OP_LDW, 4, 6, 12),
        INSN(OP_ADD, 3, 4, 0),
        INSN(OP_ADDI, 3, 0, -MT_NCPU),
        INSN(OP_BNEZ, 3, 0, -9),                        /* -> W */
        INSN(OP_LI, 7, 0, MT_ATOMIC_N),
        INSN(OP_LI, 6, 0, MT_XADD),
        INSN(OP_LI, 5, 0, MT_CASIR),
        INSN(OP_LI, 3, 0, 1),                           /* 3 L: */
        INSN(OP_XADD, 3, 6, 0),
        INSN(OP_LDW, 0, 5, 0),                          /* 5 C1: r0 = old */
        INSN(OP_LI, 4, 0, 1),
        INSN(OP_ADD, 4, 0, 0),
        INSN(OP_AMO, 4, 5, AMO_CMPXCHG | AMO_SIZE(2) | AMO_ALIGN),
        INSN(OP_XOR, 4, 0, 0),                          /* 0: swapped */
        INSN(OP_BNEZ, 4, 0, -6),                        /* -> C1 */
        INSN(OP_LDW, 0, 5, 4),                          /* 11 C2: MT_CASC */
        INSN(OP_LI, 4, 0, 1),
        INSN(OP_ADD, 4, 0, 0),
        INSN(OP_ADDI, 5, 0, 4),
        INSN(OP_CAS, 4, 5, 0),
        INSN(OP_ADDI, 5, 0, -4),
        INSN(OP_BNEZ, 4, 0, 1),
        INSN(OP_B, 0, 0, -9),                           /* -> C2 */
        INSN(OP_LI, 2, 0, MT_LOCK),                     /* 19 */
        INSN(OP_LI, 3, 0, 1),                           /* 20 S: */
        INSN(OP_AMO, 3, 2, TCG_ATOMIC_XCHG | AMO_SIZE(2)),
        INSN(OP_BNEZ, 3, 0, -3),                        /* held: -> S */
        INSN(OP_LDW, 4, 2, 4),
        INSN(OP_ADDI, 4, 0, 1),
        INSN(OP_STW, 4, 2, 4),
        INSN(OP_AMO, 3, 2, TCG_ATOMIC_XCHG | AMO_SIZE(2)),  /* r3 = 0 */
        INSN(OP_BDEC, 7, 0, -25),                       /* -> L */
        INSN(OP_LI, 7, 0, MT_ATOMIC_N),                 /* 28 */
        INSN(OP_LI, 5, 0, MT_PAIR),
        INSN(OP_LI, 0, 0, 0),
        INSN(OP_LI, 1, 0, 0),
        INSN(OP_LI, 2, 0, 1),                           /* 32 P: */
        INSN(OP_ADD, 2, 0, 0),
        INSN(OP_LI, 3, 0, -1),
        INSN(OP_ADD, 3, 1, 0),
        INSN(OP_CAS16, 4, 5, 0),
        INSN(OP_BNEZ, 4, 0, 1),
        INSN(OP_B, 0, 0, -7),                           /* -> P, r0,r1 = old */
        INSN(OP_BDEC, 7, 0, -8),                        /* -> P */
        INSN(OP_LI, 7, 0, MT_SLOW_N),                   /* 40 */
        INSN(OP_LI, 6, 0, MT_SLOW),
        INSN(OP_LI, 3, 0, 1),                           /* 42 M: */
        INSN(OP_AMO, 3, 6, TCG_ATOMIC_ADD | AMO_SIZE(2)),
        INSN(OP_BDEC, 7, 0, -3),                        /* -> M */
        INSN(OP_HALT, 0, 0, 0),
    };

    toy_load_code(base, prog, G_N_ELEMENTS(prog));
    mt_cpu[i]->env.pc = base;
}

static uint64_t mt_ld(hwaddr a, unsigned size)
{
    return amo_mem_read(a, size, false);
}

static void mt_wait_halted(int n, gint64 deadline)
{
    int i;

    for (i = 0; i < n; i++) {
        while (!__atomic_load_n(&mt_cpu[i]->parent_obj.halted, __ATOMIC_ACQUIRE)) {
            g_assert_cmpint(g_get_monotonic_time(), <, deadline);
            g_usleep(1000);
        }
    }
}

static void test_mttcg(gconstpointer data)
{
    static bool started;
    uint64_t fl0 = tcg_stats.tb_flushes;
    uint64_t atomic0;
    gint64 deadline;
    int i;

    setup(data);
    tcg_exec.mttcg = !thread_single;
    bql_lock();
    if (!started) {
        Error *err = NULL;
        const AccelOps *ops = accel_find("tcg");

        started = true;
        if (thread_single) {
            Opts *o = opts_parse("accel", "thread=single", NULL, &err);

            g_assert(o && ops->parse_opts(o, &err));
            opts_free(o);
            /* the round-robin thread adopts every vCPU: keep cpu 0 out */
            toy_cpu0()->stop = toy_cpu0()->stopped = true;
        }
        accel_set_current(ops);
        runstate_set(RUN_STATE_RUNNING);
        for (i = 0; i < MT_NCPU; i++) {
            DeviceState *dev = qdev_new(TYPE_TOY_CPU);

            g_assert(qdev_realize(dev, NULL, &err));
            mt_cpu[i] = (ToyCPU *)dev;
            mt_cpu[i]->parent_obj.as = &toy_machine.as;
            mt_cpu[i]->parent_obj.halted = i >= 2;
            if (i < 2) {
                mt_load(i);
            }
            g_assert_true(cpus_start_vcpu(&mt_cpu[i]->parent_obj, &error_abort));
        }
    } else {
        for (i = 0; i < 2; i++) {
            mt_load(i);
        }
    }
    for (i = 0; i < 2; i++) {
        CPUState *cpu = &mt_cpu[i]->parent_obj;

        cpu->halted = 0;
        cpu->stop = false;
        cpu->stopped = false;
        qemu_cpu_kick(cpu);
    }
    bql_unlock();

    deadline = g_get_monotonic_time() + 120 * G_USEC_PER_SEC;
    mt_wait_halted(2, deadline);
    for (i = 0; i < 2; i++) {
        g_assert_cmpuint(mt_cpu[i]->env.regs[2], ==, (uint64_t)MT_N * (MT_N + 1) / 2);
        g_assert_cmphex(mt_cpu[i]->env.pc, ==, 0x10000 + 0x10000 * i + 40);
    }
    g_assert_cmpuint(tcg_stats.tb_flushes - fl0, >=, 1);

    /* all four on the shared words */
    atomic0 = tcg_stats.atomic_steps;
    bql_lock();
    for (i = 0; i < 0x100; i += 4) {
        address_space_stl_le(&toy_machine.as, 0x5000 + i, 0,
                             MEMTXATTRS_UNSPECIFIED, NULL);
    }
    address_space_stl_le(&toy_machine.as, MT_SLOW, 0, MEMTXATTRS_UNSPECIFIED,
                         NULL);
    for (i = 0; i < MT_NCPU; i++) {
        CPUState *cpu = &mt_cpu[i]->parent_obj;

        mt_load_atomics(i);
        cpu->halted = 0;
        cpu->stop = false;
        cpu->stopped = false;
        qemu_cpu_kick(cpu);
    }
    bql_unlock();
    /* cross-thread TLB flushes while they run */
    for (i = 0; i < 20; i++) {
        tlb_flush(&mt_cpu[i % MT_NCPU]->parent_obj);
        g_usleep(100);
    }
    mt_wait_halted(MT_NCPU, deadline);
    g_assert_cmpuint(mt_ld(MT_XADD, 4), ==, MT_NCPU * MT_ATOMIC_N);
    g_assert_cmpuint(mt_ld(MT_CASIR, 4), ==, MT_NCPU * MT_ATOMIC_N);
    g_assert_cmpuint(mt_ld(MT_CASC, 4), ==, MT_NCPU * MT_ATOMIC_N);
    g_assert_cmpuint(mt_ld(MT_LOCK, 4), ==, 0);
    g_assert_cmpuint(mt_ld(MT_PLAIN, 4), ==, MT_NCPU * MT_ATOMIC_N);
    g_assert_cmpuint(mt_ld(MT_PAIR, 8), ==, MT_NCPU * MT_ATOMIC_N);
    g_assert_cmpuint(mt_ld(MT_PAIR + 8, 8), ==, -(uint64_t)(MT_NCPU * MT_ATOMIC_N));
    g_assert_cmpuint(mt_ld(MT_SLOW, 4), ==, MT_NCPU * MT_SLOW_N);
    /*
     * In parallel, aligned RAM atomics are host atomics: only the
     * page-crossing ones stop the world.  Round robin: no CF_PARALLEL,
     * no exclusive steps.
     */
    g_assert_cmpuint(tcg_stats.atomic_steps - atomic0, ==,
                     thread_single ? 0 : MT_NCPU * MT_SLOW_N);
    tcg_exec.mttcg = false;
}

/* -accel tcg,... option validation */
static void test_options(void)
{
    static const struct {
        const char *str;
        const char *error;     /* substring, or NULL if valid */
    } cases[] = {
        { "tcg,backend=tci,tb-size=64,thread=multi,split-wx=off", NULL },
        { "tcg,backend=native", NULL },
        { "tcg,backend=jit", "backend='jit'" },
        { "tcg,tb-size=0", "out of range" },
        { "tcg,tb-size=lots", "tb-size" },
        { "tcg,thread=many", "thread='many'" },
        { "tcg,split-wx=perhaps", "split-wx" },
    };
    const AccelOps *ops;
    TCGBackendKind kind;
    Error *err = NULL;
    size_t i;

    /* also links tcg-accel-ops.c, which registers the accelerator */
    g_assert(tcg_accel_parse_backend("tci", &kind, &err));
    g_assert_cmpint(kind, ==, TCG_BACKEND_TCI);
    ops = accel_find("tcg");
    g_assert(ops && ops->parse_opts);
    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        Opts *o = opts_parse("accel", cases[i].str, "accel", &err);
        bool ok;

        g_assert(o);
        g_assert_cmpstr(opts_get(o, "accel"), ==, "tcg");   /* main's key */
        ok = ops->parse_opts(o, &err);
        if (!cases[i].error) {
            g_assert(ok);
            g_assert(opts_check_all_used(o, &err));
        } else {
            g_assert(!ok && err);
            if (!strstr(error_get_pretty(err), cases[i].error)) {
                g_error("'%s': unexpected error '%s'", cases[i].str,
                        error_get_pretty(err));
            }
            error_free(err);
            err = NULL;
        }
        opts_free(o);
    }
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        TCGBackendKind kind;
    } backends[] = {
        { "native", TCG_BACKEND_NATIVE },
        { "tci", TCG_BACKEND_TCI },
    };
    static const struct {
        const char *name;
        GTestDataFunc fn;
    } tests[] = {
        { "chaining", test_chaining },
        { "lookup-and-goto-ptr", test_indirect },
        { "smc-same-tb", test_smc_same_tb },
        { "smc-other-tb", test_smc_other_tb },
        { "dma-invalidate", test_dma_invalidate },
        { "mmio", test_mmio },
        { "tlb-fill-flush", test_tlb },
        { "unaligned", test_unaligned },
        { "page-fault", test_page_fault },
        { "tb-flush-buffer-full", test_tb_flush },
        { "tb-flush-queued", test_async_flush },
        { "logging", test_logging },
        { "debug", test_debug },
        { "debug-step-irq", test_debug_step_irq },
        { "interrupt", test_interrupt },
        { "atomics", test_atomics },
        { "atomic-ops", test_amo_ops },
        { "atomic-paths", test_amo_paths },
    };
    size_t b, t;

    g_test_init(&argc, &argv, NULL);
    /* TCG_EXEC_SPLIT_WX=on: everything again with a split W^X buffer */
    toy_split_wx = !g_strcmp0(g_getenv("TCG_EXEC_SPLIT_WX"), "on");
    toy_machine_init(1 << 20, false);
    thread_single = !g_strcmp0(g_getenv("TCG_EXEC_THREAD"), "single");
    if (thread_single) {
        /* only the vCPU-thread test, on one back end (a back-end switch
         * flushes asynchronously once the round-robin thread owns cpu 0) */
        g_test_add_data_func("/tcg-exec/thread-single/native",
                             GINT_TO_POINTER(tcg_have_native_backend()
                                             ? TCG_BACKEND_NATIVE
                                             : TCG_BACKEND_TCI),
                             test_mttcg);
        return g_test_run();
    }
    g_test_add_func("/tcg-exec/options", test_options);
    for (b = 0; b < G_N_ELEMENTS(backends); b++) {
        if (backends[b].kind == TCG_BACKEND_NATIVE && !tcg_have_native_backend()) {
            continue;
        }
        for (t = 0; t < G_N_ELEMENTS(tests); t++) {
            char *path = g_strdup_printf("/tcg-exec/%s/%s", backends[b].name,
                                         tests[t].name);

            g_test_add_data_func(path, GINT_TO_POINTER(backends[b].kind),
                                 tests[t].fn);
            g_free(path);
        }
    }
    for (b = 0; b < G_N_ELEMENTS(backends); b++) {
        char *path;

        if (backends[b].kind == TCG_BACKEND_NATIVE && !tcg_have_native_backend()) {
            continue;
        }
        path = g_strdup_printf("/tcg-exec/mttcg/%s", backends[b].name);
        g_test_add_data_func(path, GINT_TO_POINTER(backends[b].kind), test_mttcg);
        g_free(path);
    }
    return g_test_run();
}
