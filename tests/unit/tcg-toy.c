/*
 * The toy guest CPU and machine (see tcg-toy.h).
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
#include "sysemu/main-loop.h"
#include "sysemu/target-info.h"
#include "tcg/tcg.h"
#include "tcg/tcg-op.h"
#include "../../accel/tcg/internal.h"
#include "tcg-toy.h"
#include "accel/accel.h"

static ToyCPU *toy_env_cpu(CPUArchState *env)
{
    return container_of(env, ToyCPU, env);
}

/* ------------------------------------------------------------------ */
/* helpers                                                              */

#define HELPER_H "tcg-toy-helpers.h"
#include "tcg/helper-gen.h"

void helper_toy_halt(CPUArchState *env)
{
    CPUState *cpu = &toy_env_cpu(env)->parent_obj;

    cpu->halted = 1;
    cpu->exception_index = EXCP_HLT;
    cpu_loop_exit(cpu);
}

void helper_toy_raise(CPUArchState *env, uint32_t excp)
{
    CPUState *cpu = &toy_env_cpu(env)->parent_obj;

    cpu->exception_index = excp;
    cpu_loop_exit(cpu);
}

uint64_t helper_toy_cas(CPUArchState *env, uint64_t addr, uint64_t cmp,
                        uint64_t newv)
{
    uint32_t old = cpu_atomic_cmpxchgl_le_mmu(env, addr, cmp, newv,
                                              make_memop_idx(MO_LEUL | MO_ALIGN, 0),
                                              GETPC());

    return old == (uint32_t)cmp;
}

/* ------------------------------------------------------------------ */
/* front end                                                            */

static TCGv_i64 cpu_regs[8];
static TCGv_i64 cpu_pc;

#define DISAS_JUMP DISAS_TARGET_0   /* pc set: lookup_and_goto_ptr */

static void toy_initialize(void)
{
    static const char *const names[8] = {
        "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"
    };
    int i;

    for (i = 0; i < 8; i++) {
        cpu_regs[i] = tcg_global_mem_new_i64(tcg_env,
                                             offsetof(CPUArchState, regs[i]),
                                             names[i]);
    }
    cpu_pc = tcg_global_mem_new_i64(tcg_env, offsetof(CPUArchState, pc), "pc");
}

static void gen_goto_tb(DisasContextBase *db, int n, vaddr dest)
{
    if (translator_use_goto_tb(db, dest)) {
        tcg_gen_goto_tb(n);
        tcg_gen_movi_i64(cpu_pc, dest);
        tcg_gen_exit_tb(db->tb, n);
    } else {
        tcg_gen_movi_i64(cpu_pc, dest);
        tcg_gen_lookup_and_goto_ptr();
    }
}

static void toy_init_disas_context(DisasContextBase *db, CPUState *cpu)
{
}

static void toy_insn_start(DisasContextBase *db, CPUState *cpu)
{
    tcg_gen_insn_start(db->pc_next);
}

static void gen_mem(uint32_t op, int rd, int rs, int16_t imm)
{
    TCGv_i64 addr = tcg_temp_new_i64();
    static const MemOp mops[] = {
        [OP_LDW] = MO_LEUL, [OP_STW] = MO_LEUL, [OP_LDB] = MO_UB,
        [OP_STB] = MO_UB, [OP_LDH] = MO_LEUW, [OP_STH] = MO_LEUW,
        [OP_LDWA] = MO_LEUL | MO_ALIGN,
    };

    tcg_gen_addi_i64(addr, cpu_regs[rs], imm);
    if (op == OP_STW || op == OP_STB || op == OP_STH) {
        tcg_gen_qemu_st_i64(cpu_regs[rd], addr, 0, mops[op]);
    } else {
        tcg_gen_qemu_ld_i64(cpu_regs[rd], addr, 0, mops[op]);
    }
}

typedef void AtomicGen64(TCGv_i64, TCGv_i64, TCGv_i64, unsigned, MemOp);
typedef void AtomicGen32(TCGv_i32, TCGv_i64, TCGv_i32, unsigned, MemOp);

static void gen_amo(int rd, int rs, uint32_t imm)
{
    static AtomicGen64 *const gen64[2][9] = { {
        tcg_gen_atomic_xchg_i64, tcg_gen_atomic_fetch_add_i64,
        tcg_gen_atomic_fetch_and_i64, tcg_gen_atomic_fetch_or_i64,
        tcg_gen_atomic_fetch_xor_i64, tcg_gen_atomic_fetch_smin_i64,
        tcg_gen_atomic_fetch_smax_i64, tcg_gen_atomic_fetch_umin_i64,
        tcg_gen_atomic_fetch_umax_i64,
    }, {
        tcg_gen_atomic_xchg_i64, tcg_gen_atomic_add_fetch_i64,
        tcg_gen_atomic_and_fetch_i64, tcg_gen_atomic_or_fetch_i64,
        tcg_gen_atomic_xor_fetch_i64, tcg_gen_atomic_smin_fetch_i64,
        tcg_gen_atomic_smax_fetch_i64, tcg_gen_atomic_umin_fetch_i64,
        tcg_gen_atomic_umax_fetch_i64,
    } };
    static AtomicGen32 *const gen32[2][9] = { {
        tcg_gen_atomic_xchg_i32, tcg_gen_atomic_fetch_add_i32,
        tcg_gen_atomic_fetch_and_i32, tcg_gen_atomic_fetch_or_i32,
        tcg_gen_atomic_fetch_xor_i32, tcg_gen_atomic_fetch_smin_i32,
        tcg_gen_atomic_fetch_smax_i32, tcg_gen_atomic_fetch_umin_i32,
        tcg_gen_atomic_fetch_umax_i32,
    }, {
        tcg_gen_atomic_xchg_i32, tcg_gen_atomic_add_fetch_i32,
        tcg_gen_atomic_and_fetch_i32, tcg_gen_atomic_or_fetch_i32,
        tcg_gen_atomic_xor_fetch_i32, tcg_gen_atomic_smin_fetch_i32,
        tcg_gen_atomic_smax_fetch_i32, tcg_gen_atomic_umin_fetch_i32,
        tcg_gen_atomic_umax_fetch_i32,
    } };
    unsigned kind = imm & 15, fetch_new = !!(imm & AMO_NEW);
    MemOp mop = ((imm >> 5) & 3) | (imm & AMO_SIGN ? MO_SIGN : 0) |
                (imm & AMO_BE ? MO_BE : MO_LE) |
                (imm & AMO_ALIGN ? MO_ALIGN : 0);

    if (kind > AMO_CMPXCHG) {
        return;
    }
    if (imm & AMO_I32) {
        TCGv_i32 r = tcg_temp_new_i32(), v = tcg_temp_new_i32();

        tcg_gen_extrl_i64_i32(v, cpu_regs[rd]);
        if (kind == AMO_CMPXCHG) {
            TCGv_i32 c = tcg_temp_new_i32();

            tcg_gen_extrl_i64_i32(c, cpu_regs[0]);
            tcg_gen_atomic_cmpxchg_i32(r, cpu_regs[rs], c, v, 0, mop);
        } else {
            gen32[fetch_new][kind](r, cpu_regs[rs], v, 0, mop);
        }
        tcg_gen_extu_i32_i64(cpu_regs[rd], r);
    } else if (kind == AMO_CMPXCHG) {
        tcg_gen_atomic_cmpxchg_i64(cpu_regs[rd], cpu_regs[rs], cpu_regs[0],
                                   cpu_regs[rd], 0, mop);
    } else {
        gen64[fetch_new][kind](cpu_regs[rd], cpu_regs[rs], cpu_regs[rd], 0,
                               mop);
    }
}

static void gen_cas16(int rd, int rs)
{
    TCGv_i64 lo = tcg_temp_new_i64(), hi = tcg_temp_new_i64();
    TCGv_i64 x = tcg_temp_new_i64();

    tcg_gen_atomic_cmpxchg_i128(lo, hi, cpu_regs[rs], cpu_regs[0], cpu_regs[1],
                                cpu_regs[2], cpu_regs[3], 0, MO_LE | MO_ALIGN);
    tcg_gen_xor_i64(x, lo, cpu_regs[0]);
    tcg_gen_xor_i64(cpu_regs[1], hi, cpu_regs[1]);
    tcg_gen_or_i64(x, x, cpu_regs[1]);
    tcg_gen_mov_i64(cpu_regs[0], lo);
    tcg_gen_mov_i64(cpu_regs[1], hi);
    tcg_gen_setcondi_i64(TCG_COND_EQ, cpu_regs[rd], x, 0);
}

static void toy_translate_insn(DisasContextBase *db, CPUState *cpu)
{
    CPUArchState *env = cpu->env_ptr;
    vaddr pc = db->pc_next;
    uint32_t insn = translator_ldl(env, db, pc);
    uint32_t op = insn >> 24;
    int rd = (insn >> 20) & 7, rs = (insn >> 16) & 7;
    int16_t simm = insn & 0xffff;
    vaddr next = pc + 4;

    db->pc_next = next;
    switch (op) {
    case OP_LI:
        tcg_gen_movi_i64(cpu_regs[rd], simm);
        break;
    case OP_LUI:
        tcg_gen_movi_i64(cpu_regs[rd], (uint64_t)(insn & 0xffff) << 16);
        break;
    case OP_ADD:
        tcg_gen_add_i64(cpu_regs[rd], cpu_regs[rd], cpu_regs[rs]);
        break;
    case OP_ADDI:
        tcg_gen_addi_i64(cpu_regs[rd], cpu_regs[rd], simm);
        break;
    case OP_XOR:
        tcg_gen_xor_i64(cpu_regs[rd], cpu_regs[rd], cpu_regs[rs]);
        break;
    case OP_ORI:
        tcg_gen_ori_i64(cpu_regs[rd], cpu_regs[rd], insn & 0xffff);
        break;
    case OP_LDW: case OP_STW: case OP_LDB: case OP_STB: case OP_LDH:
    case OP_STH: case OP_LDWA:
        gen_mem(op, rd, rs, simm);
        break;
    case OP_BNEZ:
    case OP_BDEC: {
        TCGLabel *taken = gen_new_label();

        if (op == OP_BDEC) {
            tcg_gen_subi_i64(cpu_regs[rd], cpu_regs[rd], 1);
        }
        tcg_gen_brcondi_i64(TCG_COND_NE, cpu_regs[rd], 0, taken);
        gen_goto_tb(db, 0, next);
        gen_set_label(taken);
        gen_goto_tb(db, 1, next + (int64_t)simm * 4);
        db->is_jmp = DISAS_NORETURN;
        break;
    }
    case OP_B:
        gen_goto_tb(db, 0, next + (int64_t)simm * 4);
        db->is_jmp = DISAS_NORETURN;
        break;
    case OP_JR:
        tcg_gen_mov_i64(cpu_pc, cpu_regs[rs]);
        db->is_jmp = DISAS_JUMP;
        break;
    case OP_XADD:
        tcg_gen_atomic_fetch_add_i64(tcg_temp_new_i64(), cpu_regs[rs],
                                     cpu_regs[rd], 0, MO_LEUL);
        break;
    case OP_AMO:
        gen_amo(rd, rs, insn & 0xffff);
        break;
    case OP_CAS16:
        gen_cas16(rd, rs);
        break;
    case OP_CAS:
        gen_helper_toy_cas(cpu_regs[rd], tcg_env, cpu_regs[rs], cpu_regs[0],
                           cpu_regs[rd]);
        break;
    case OP_HALT:
        tcg_gen_movi_i64(cpu_pc, next);
        gen_helper_toy_halt(tcg_env);
        db->is_jmp = DISAS_NORETURN;
        break;
    default:
        tcg_gen_movi_i64(cpu_pc, pc);
        gen_helper_toy_raise(tcg_env, tcg_constant_i32(TOY_EXCP_FAULT));
        db->is_jmp = DISAS_NORETURN;
        break;
    }
}

static void toy_tb_stop(DisasContextBase *db, CPUState *cpu)
{
    switch (db->is_jmp) {
    case DISAS_TOO_MANY:
        gen_goto_tb(db, 0, db->pc_next);
        break;
    case DISAS_JUMP:
        tcg_gen_lookup_and_goto_ptr();
        break;
    default:
        break;
    }
}

static const TranslatorOps toy_translator_ops = {
    .init_disas_context = toy_init_disas_context,
    .insn_start = toy_insn_start,
    .translate_insn = toy_translate_insn,
    .tb_stop = toy_tb_stop,
};

static void toy_translate_code(CPUState *cpu, TranslationBlock *tb,
                               int *max_insns, vaddr pc, void *host_pc)
{
    DisasContextBase db;

    translator_loop(cpu, tb, max_insns, pc, host_pc, &toy_translator_ops, &db);
}

static void toy_get_tb_cpu_state(CPUArchState *env, vaddr *pc,
                                 uint64_t *cs_base, uint32_t *flags)
{
    *pc = env->pc;
    *cs_base = 0;
    *flags = 0;
}

static void toy_restore_state_to_opc(CPUState *cpu, const TranslationBlock *tb,
                                     const uint64_t *data)
{
    ((CPUArchState *)cpu->env_ptr)->pc = data[0];
}

static void toy_do_interrupt(CPUState *cpu)
{
    CPUArchState *env = cpu->env_ptr;

    env->last_excp = cpu->exception_index;
    env->epc = env->pc;
    env->pc = env->vector;
    env->excp_count++;
}

static bool toy_tlb_fill(CPUState *cpu, vaddr addr, int size,
                         MMUAccessType access_type, int mmu_idx, bool probe,
                         uintptr_t retaddr)
{
    CPUArchState *env = cpu->env_ptr;
    hwaddr paddr;

    if (addr >= 0xc0000000u) {
        if (probe) {
            return false;
        }
        env->fault_addr = addr;
        cpu->exception_index = TOY_EXCP_FAULT;
        cpu_loop_exit_restore(cpu, retaddr);
    }
    paddr = addr >= 0x80000000u ? addr - 0x80000000u + env->window_base : addr;
    tlb_set_page(cpu, addr, paddr, PAGE_RWX, mmu_idx, 4096);
    return true;
}

static void toy_do_unaligned_access(CPUState *cpu, vaddr addr,
                                    MMUAccessType access_type, int mmu_idx,
                                    uintptr_t retaddr)
{
    ((CPUArchState *)cpu->env_ptr)->fault_addr = addr;
    cpu->exception_index = TOY_EXCP_ALIGN;
    cpu_loop_exit_restore(cpu, retaddr);
}

/* CPU_INTERRUPT_HARD: always enabled; the handler is at vector + 0x10 */
static bool toy_cpu_exec_interrupt(CPUState *cpu, int request)
{
    CPUArchState *env = cpu->env_ptr;

    if (!(request & CPU_INTERRUPT_HARD)) {
        return false;
    }
    cpu_reset_interrupt(cpu, CPU_INTERRUPT_HARD);
    env->epc = env->pc;
    env->pc = env->vector + 0x10;
    env->irq_count++;
    return true;
}

static bool toy_has_work(CPUState *cpu)
{
    return __atomic_load_n(&cpu->interrupt_request, __ATOMIC_ACQUIRE) &
           CPU_INTERRUPT_HARD;
}

static int toy_mmu_index(CPUState *cpu, bool ifetch)
{
    return 0;
}

static void toy_set_pc(CPUState *cpu, vaddr pc)
{
    ((CPUArchState *)cpu->env_ptr)->pc = pc;
}

static vaddr toy_get_pc(CPUState *cpu)
{
    return ((CPUArchState *)cpu->env_ptr)->pc;
}

static const TCGCPUOps toy_tcg_ops = {
    .initialize = toy_initialize,
    .translate_code = toy_translate_code,
    .get_tb_cpu_state = toy_get_tb_cpu_state,
    .mmu_index = toy_mmu_index,
    .restore_state_to_opc = toy_restore_state_to_opc,
    .do_interrupt = toy_do_interrupt,
    .tlb_fill = toy_tlb_fill,
    .do_unaligned_access = toy_do_unaligned_access,
    .cpu_exec_interrupt = toy_cpu_exec_interrupt,
};

static void toy_cpu_instance_init(Object *obj)
{
    ToyCPU *t = (ToyCPU *)obj;

    t->parent_obj.env_ptr = &t->env;
    t->parent_obj.neg_ptr = &t->neg;
}

static void toy_cpu_class_init(ObjectClass *oc, void *data)
{
    CPUClass *cc = CPU_CLASS(oc);

    cc->tcg_ops = &toy_tcg_ops;
    cc->set_pc = toy_set_pc;
    cc->get_pc = toy_get_pc;
    cc->has_work = toy_has_work;
}

static const TypeInfo toy_cpu_info = {
    .name = TYPE_TOY_CPU,
    .parent = TYPE_CPU,
    .instance_size = sizeof(ToyCPU),
    .instance_init = toy_cpu_instance_init,
    .class_init = toy_cpu_class_init,
};
TYPE_REGISTER(toy_cpu_info)

/* ------------------------------------------------------------------ */
/* machine                                                              */

ToyMachine toy_machine;
bool toy_split_wx;

static uint64_t mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    uint64_t v = 0xd0000000ull | (addr << 8) | size;
    MMIOAccess a = { addr, size, 0, false };

    g_assert(bql_locked());
    g_array_append_val(toy_machine.mmio_log, a);
    return v & (size == 8 ? ~0ull : ((1ull << (size * 8)) - 1));
}

static void mmio_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    MMIOAccess a = { addr, size, val, true };

    g_assert(bql_locked());
    g_array_append_val(toy_machine.mmio_log, a);
}

static const MemoryRegionOps mmio_ops = {
    .read = mmio_read,
    .write = mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 1, .max_access_size = 8 },
};

static const AccelOps toy_accel = {
    .name = "tcg-toy",
    .ram_code_written = tcg_ram_code_written,
};

TCGTargetInfo toy_target_info = {
    .page_bits = 12,
    .nb_mmu_modes = 1,
    .insn_start_words = 1,
    .guest_big_endian = false,
};

/* tcg-accel-ops.c (the real vCPU threads) wants the executable's target */
const TargetInfo turtle_target = {
    .name = "toy",
    .tcg = &toy_target_info,
};

void toy_machine_init(size_t tb_size, bool mttcg)
{
    Error *err = NULL;
    TCGOptions opts = { .backend = TCG_BACKEND_NATIVE, .tb_size = tb_size,
                        .split_wx = toy_split_wx };
    DeviceState *dev;

    memory_region_init(&toy_machine.root, NULL, "root", UINT64_MAX);
    g_assert(memory_region_init_ram(&toy_machine.ram, NULL, "ram", RAM_SIZE, &err));
    memory_region_add_subregion(&toy_machine.root, 0, &toy_machine.ram);
    /* a sub-page device: the rest of its page is a hole */
    memory_region_init_io(&toy_machine.mmio, NULL, &mmio_ops, NULL, "mmio", 0x100);
    memory_region_add_subregion(&toy_machine.root, MMIO_BASE, &toy_machine.mmio);
    address_space_init(&toy_machine.as, &toy_machine.root, "toy");
    toy_machine.mmio_log = g_array_new(false, false, sizeof(MMIOAccess));

    toy_target_info.tlb_neg_offset =
        (intptr_t)offsetof(ToyCPU, neg) - (intptr_t)offsetof(ToyCPU, env);
    g_assert(tcg_exec_init(&toy_target_info, &opts, mttcg, &err));
    /* DMA into code reaches TCG through the current accelerator */
    accel_set_current(&toy_accel);

    dev = qdev_new(TYPE_TOY_CPU);
    g_assert(qdev_realize(dev, NULL, &err));
    toy_machine.cpu = (ToyCPU *)dev;
    toy_machine.cpu->parent_obj.as = &toy_machine.as;
}

CPUState *toy_cpu0(void)
{
    return &toy_machine.cpu->parent_obj;
}

CPUArchState *toy_env0(void)
{
    return &toy_machine.cpu->env;
}

void toy_load_code(hwaddr addr, const uint32_t *code, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        address_space_stl_le(&toy_machine.as, addr + 4 * i, code[i],
                             MEMTXATTRS_UNSPECIFIED, NULL);
    }
}

int toy_run(vaddr pc)
{
    CPUState *cpu = toy_cpu0();
    int r, rounds = 0;

    toy_env0()->pc = pc;
    cpu->halted = 0;
    cpu->exception_index = -1;
    do {
        r = cpu_exec(cpu);
        current_cpu = NULL;
        if (!g_queue_is_empty(&cpu->work_list)) {
            bql_lock();
            process_queued_cpu_work(cpu);
            bql_unlock();
        }
        g_assert_cmpint(++rounds, <, 100000);
    } while (r == EXCP_INTERRUPT);
    return r;
}

void toy_use_backend(TCGBackendKind kind)
{
    if (tcg_get_backend() != kind) {
        tcg_set_backend(kind);
        tb_flush(toy_cpu0());
    }
}

