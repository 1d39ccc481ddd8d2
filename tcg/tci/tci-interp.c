/*
 * The TCI interpreter: runs bytecode from tci-backend.c.  Guest memory ops
 * do the same softmmu TLB lookup as the native fast path and call the
 * same slow-path helpers on a miss.
 *
 * Helper calls use one fixed signature: every argument register is passed
 * as uint64_t through uint64_t (*)(uint64_t x7).  On x86-64 SysV and
 * AArch64 AAPCS64 integer/pointer arguments travel in 64-bit registers
 * (the callee ignores the bits above a narrower type) and extra arguments
 * a callee does not declare are harmless, so any helper with up to 7
 * integer/pointer arguments is called correctly.
 */
#include "../tcg-internal.h"
#include "tci.h"

/* computed-goto dispatch: one indirect jump per bytecode instruction */
#define CASE(n) L_##n:
#define NEXT goto next

typedef uint64_t (*tci_helper_fn)(uint64_t, uint64_t, uint64_t, uint64_t,
                                  uint64_t, uint64_t, uint64_t);

static inline bool tci_cond32(unsigned c, uint64_t a, uint64_t b)
{
    uint32_t ua = a, ub = b;
    int32_t sa = a, sb = b;

    switch (c) {
    case TCG_COND_EQ:  return ua == ub;
    case TCG_COND_NE:  return ua != ub;
    case TCG_COND_LT:  return sa < sb;
    case TCG_COND_GE:  return sa >= sb;
    case TCG_COND_LE:  return sa <= sb;
    case TCG_COND_GT:  return sa > sb;
    case TCG_COND_LTU: return ua < ub;
    case TCG_COND_GEU: return ua >= ub;
    case TCG_COND_LEU: return ua <= ub;
    case TCG_COND_GTU: return ua > ub;
    default:           return tcg_cond_eval(c, TCG_TYPE_I32, a, b);
    }
}

static inline bool tci_cond64(unsigned c, uint64_t a, uint64_t b)
{
    uint64_t ua = a, ub = b;
    int64_t sa = a, sb = b;

    switch (c) {
    case TCG_COND_EQ:  return ua == ub;
    case TCG_COND_NE:  return ua != ub;
    case TCG_COND_LT:  return sa < sb;
    case TCG_COND_GE:  return sa >= sb;
    case TCG_COND_LE:  return sa <= sb;
    case TCG_COND_GT:  return sa > sb;
    case TCG_COND_LTU: return ua < ub;
    case TCG_COND_GEU: return ua >= ub;
    case TCG_COND_LEU: return ua <= ub;
    case TCG_COND_GTU: return ua > ub;
    default:           return tcg_cond_eval(c, TCG_TYPE_I64, a, b);
    }
}

static uint64_t host_load(const void *p, MemOp mop)
{
    uint64_t v;

    switch (mop & (MO_SIZE | MO_BSWAP)) {
    case MO_8:            v = *(const uint8_t *)p; break;
    case MO_16:           { uint16_t x; memcpy(&x, p, 2); v = x; } break;
    case MO_16 | MO_BSWAP: { uint16_t x; memcpy(&x, p, 2); v = __builtin_bswap16(x); } break;
    case MO_32:           { uint32_t x; memcpy(&x, p, 4); v = x; } break;
    case MO_32 | MO_BSWAP: { uint32_t x; memcpy(&x, p, 4); v = __builtin_bswap32(x); } break;
    case MO_64:           memcpy(&v, p, 8); break;
    default:              memcpy(&v, p, 8); v = __builtin_bswap64(v); break;
    }
    if (mop & MO_SIGN) {
        switch (mop & MO_SIZE) {
        case MO_8:  v = (int8_t)v; break;
        case MO_16: v = (int16_t)v; break;
        case MO_32: v = (int32_t)v; break;
        default:    break;
        }
    }
    return v;
}

static void host_store(void *p, uint64_t v, MemOp mop)
{
    switch (mop & (MO_SIZE | MO_BSWAP)) {
    case MO_8:            *(uint8_t *)p = v; break;
    case MO_16:           { uint16_t x = v; memcpy(p, &x, 2); } break;
    case MO_16 | MO_BSWAP: { uint16_t x = __builtin_bswap16(v); memcpy(p, &x, 2); } break;
    case MO_32:           { uint32_t x = v; memcpy(p, &x, 4); } break;
    case MO_32 | MO_BSWAP: { uint32_t x = __builtin_bswap32(v); memcpy(p, &x, 4); } break;
    case MO_64:           memcpy(p, &v, 8); break;
    default:              v = __builtin_bswap64(v); memcpy(p, &v, 8); break;
    }
}

/*
 * The fast path of the softmmu TLB: the host address if the access hits
 * (same page, tag equal with no flag bits, alignment satisfied), else NULL.
 */
static void *tlb_fast(CPUArchState *env, uint64_t addr, MemOpIdx oi, bool is_st)
{
    const TCGTargetInfo *ti = &tcg_ctx->target;
    MemOp mop = get_memop(oi);
    unsigned s_bits = mop & MO_SIZE;
    unsigned a_bits = memop_alignment_bits(mop);
    uint64_t page_mask = ~(uint64_t)0 << ti->page_bits;
    const CPUNegativeOffsetState *neg =
        (const CPUNegativeOffsetState *)((const char *)env + ti->tlb_neg_offset);
    const CPUTLBDescFast *f = &neg->tlb.f[get_mmuidx(oi)];
    uintptr_t ofs = (addr >> (ti->page_bits - CPU_TLB_ENTRY_BITS)) & f->mask;
    const CPUTLBEntry *e = (const CPUTLBEntry *)((const char *)f->table + ofs);
    uint64_t tag = is_st ? e->addr_write : e->addr_read;
    uint64_t a_mask = (1ull << a_bits) - 1, s_mask = (1ull << s_bits) - 1;
    /* last byte of the access, for the page-crossing check */
    uint64_t cmp = a_bits >= s_bits ? addr : addr + s_mask - a_mask;

    if ((cmp & (page_mask | a_mask)) != tag) {
        return NULL;
    }
    return (void *)(uintptr_t)(addr + e->addend);
}

uintptr_t tci_exec(CPUArchState *env, const void *code)
{
    uint64_t regs[TCI_NB_REGS];
    uint64_t frame[TCI_FRAME_SIZE / 8];
    const uint32_t *pc = code;

    static const void *const dispatch[TCI_NB_OPS] = {
#define X(n) [TCI_##n] = &&L_##n,
        TCI_OPCODES(X)
#undef X
    };
    const uint32_t *insn;
    uint32_t w;
    unsigned a, b, c;
    uint64_t x, y;

    regs[TCI_REG_ENV] = (uintptr_t)env;
    regs[TCI_REG_SP] = (uintptr_t)frame;

    goto next;
    {
        CASE(nop)
            NEXT;
        CASE(exit)
            return 0;
        CASE(movi32)
            regs[a] = (int64_t)(int32_t)*pc++;
            NEXT;
        CASE(movi64)
            memcpy(&regs[a], pc, 8);
            pc += 2;
            NEXT;
        CASE(mov)
            regs[a] = regs[b];
            NEXT;

#define LD(op, type) \
        CASE(op) { \
            type v; \
            memcpy(&v, (const char *)(uintptr_t)regs[b] + (int32_t)*pc++, sizeof(v)); \
            regs[a] = v; \
            NEXT; \
        }
        LD(ld8u, uint8_t) LD(ld8s, int8_t) LD(ld16u, uint16_t) LD(ld16s, int16_t)
        LD(ld32u, uint32_t) LD(ld32s, int32_t) LD(ld64, uint64_t)
#undef LD
#define ST(op, type) \
        CASE(op) { \
            type v = regs[a]; \
            memcpy((char *)(uintptr_t)regs[b] + (int32_t)*pc++, &v, sizeof(v)); \
            NEXT; \
        }
        ST(st8, uint8_t) ST(st16, uint16_t) ST(st32, uint32_t) ST(st64, uint64_t)
#undef ST

        CASE(add)  regs[a] = regs[b] + regs[c]; NEXT;
        CASE(addi) regs[a] = regs[b] + (int64_t)(int32_t)*pc++; NEXT;
        CASE(andi) regs[a] = regs[b] & (int64_t)(int32_t)*pc++; NEXT;
        CASE(ori)  regs[a] = regs[b] | (int64_t)(int32_t)*pc++; NEXT;
        CASE(xori) regs[a] = regs[b] ^ (int64_t)(int32_t)*pc++; NEXT;
        CASE(muli) regs[a] = regs[b] * (int64_t)(int32_t)*pc++; NEXT;
        CASE(shli32) regs[a] = (uint32_t)regs[b] << c; NEXT;
        CASE(shri32) regs[a] = (uint32_t)regs[b] >> c; NEXT;
        CASE(sari32) regs[a] = (uint32_t)((int32_t)regs[b] >> c); NEXT;
        CASE(shli64) regs[a] = regs[b] << c; NEXT;
        CASE(shri64) regs[a] = regs[b] >> c; NEXT;
        CASE(sari64) regs[a] = (int64_t)regs[b] >> c; NEXT;
        CASE(sub)  regs[a] = regs[b] - regs[c]; NEXT;
        CASE(mul)  regs[a] = regs[b] * regs[c]; NEXT;
        CASE(and)  regs[a] = regs[b] & regs[c]; NEXT;
        CASE(or)   regs[a] = regs[b] | regs[c]; NEXT;
        CASE(xor)  regs[a] = regs[b] ^ regs[c]; NEXT;
        CASE(andc) regs[a] = regs[b] & ~regs[c]; NEXT;
        CASE(neg)  regs[a] = -regs[b]; NEXT;
        CASE(not)  regs[a] = ~regs[b]; NEXT;

        CASE(shl32) regs[a] = (uint32_t)regs[b] << (regs[c] & 31); NEXT;
        CASE(shr32) regs[a] = (uint32_t)regs[b] >> (regs[c] & 31); NEXT;
        CASE(sar32) regs[a] = (uint32_t)((int32_t)regs[b] >> (regs[c] & 31)); NEXT;
        CASE(rotl32)
            x = (uint32_t)regs[b];
            y = regs[c] & 31;
            regs[a] = (uint32_t)(y ? (x << y) | (x >> (32 - y)) : x);
            NEXT;
        CASE(rotr32)
            x = (uint32_t)regs[b];
            y = regs[c] & 31;
            regs[a] = (uint32_t)(y ? (x >> y) | (x << (32 - y)) : x);
            NEXT;
        CASE(shl64) regs[a] = regs[b] << (regs[c] & 63); NEXT;
        CASE(shr64) regs[a] = regs[b] >> (regs[c] & 63); NEXT;
        CASE(sar64) regs[a] = (int64_t)regs[b] >> (regs[c] & 63); NEXT;
        CASE(rotl64)
            x = regs[b];
            y = regs[c] & 63;
            regs[a] = y ? (x << y) | (x >> (64 - y)) : x;
            NEXT;
        CASE(rotr64)
            x = regs[b];
            y = regs[c] & 63;
            regs[a] = y ? (x >> y) | (x << (64 - y)) : x;
            NEXT;

        /* division by zero / overflow are undefined in the IR: give 0 */
        CASE(div32)
            x = (int32_t)regs[b];
            y = (int32_t)regs[c];
            regs[a] = (int32_t)y == 0 || ((int32_t)y == -1 && (int32_t)x == INT32_MIN)
                ? 0 : (uint32_t)((int32_t)x / (int32_t)y);
            NEXT;
        CASE(rem32)
            x = (int32_t)regs[b];
            y = (int32_t)regs[c];
            regs[a] = (int32_t)y == 0 || ((int32_t)y == -1 && (int32_t)x == INT32_MIN)
                ? 0 : (uint32_t)((int32_t)x % (int32_t)y);
            NEXT;
        CASE(divu32)
            y = (uint32_t)regs[c];
            regs[a] = y ? (uint32_t)regs[b] / y : 0;
            NEXT;
        CASE(remu32)
            y = (uint32_t)regs[c];
            regs[a] = y ? (uint32_t)regs[b] % y : 0;
            NEXT;
        CASE(div64)
            regs[a] = regs[c] == 0 || ((int64_t)regs[c] == -1 && (int64_t)regs[b] == INT64_MIN)
                ? 0 : (uint64_t)((int64_t)regs[b] / (int64_t)regs[c]);
            NEXT;
        CASE(rem64)
            regs[a] = regs[c] == 0 || ((int64_t)regs[c] == -1 && (int64_t)regs[b] == INT64_MIN)
                ? 0 : (uint64_t)((int64_t)regs[b] % (int64_t)regs[c]);
            NEXT;
        CASE(divu64)
            regs[a] = regs[c] ? regs[b] / regs[c] : 0;
            NEXT;
        CASE(remu64)
            regs[a] = regs[c] ? regs[b] % regs[c] : 0;
            NEXT;

        CASE(clz32)
            x = (uint32_t)regs[b];
            regs[a] = x ? (uint64_t)__builtin_clz(x) : regs[c];
            NEXT;
        CASE(ctz32)
            x = (uint32_t)regs[b];
            regs[a] = x ? (uint64_t)__builtin_ctz(x) : regs[c];
            NEXT;
        CASE(ctpop32) regs[a] = __builtin_popcount((uint32_t)regs[b]); NEXT;
        CASE(clz64)
            regs[a] = regs[b] ? (uint64_t)__builtin_clzll(regs[b]) : regs[c];
            NEXT;
        CASE(ctz64)
            regs[a] = regs[b] ? (uint64_t)__builtin_ctzll(regs[b]) : regs[c];
            NEXT;
        CASE(ctpop64) regs[a] = __builtin_popcountll(regs[b]); NEXT;

        CASE(ext8s)  regs[a] = (int8_t)regs[b]; NEXT;
        CASE(ext8u)  regs[a] = (uint8_t)regs[b]; NEXT;
        CASE(ext16s) regs[a] = (int16_t)regs[b]; NEXT;
        CASE(ext16u) regs[a] = (uint16_t)regs[b]; NEXT;
        CASE(ext32s) regs[a] = (int32_t)regs[b]; NEXT;
        CASE(ext32u) regs[a] = (uint32_t)regs[b]; NEXT;
        CASE(bswap16)
            x = __builtin_bswap16((uint16_t)regs[b]);
            regs[a] = (c & TCG_BSWAP_OS) ? (uint64_t)(int16_t)x : x;
            NEXT;
        CASE(bswap32)
            x = __builtin_bswap32((uint32_t)regs[b]);
            regs[a] = (c & TCG_BSWAP_OS) ? (uint64_t)(int32_t)x : x;
            NEXT;
        CASE(bswap64) regs[a] = __builtin_bswap64(regs[b]); NEXT;

        CASE(mulu2_32) {
            uint64_t p = (uint64_t)(uint32_t)regs[c] * (uint32_t)regs[*pc++];
            regs[a] = (uint32_t)p;
            regs[b] = p >> 32;
            NEXT;
        }
        CASE(muls2_32) {
            int64_t p = (int64_t)(int32_t)regs[c] * (int32_t)regs[*pc++];
            regs[a] = (uint32_t)p;
            regs[b] = (uint64_t)p >> 32;
            NEXT;
        }
        CASE(mulu2_64) {
            unsigned __int128 p = (unsigned __int128)regs[c] * regs[*pc++];
            regs[a] = (uint64_t)p;
            regs[b] = (uint64_t)(p >> 64);
            NEXT;
        }
        CASE(muls2_64) {
            __int128 p = (__int128)(int64_t)regs[c] * (int64_t)regs[*pc++];
            regs[a] = (uint64_t)p;
            regs[b] = (uint64_t)((unsigned __int128)p >> 64);
            NEXT;
        }

        CASE(setcondi32) regs[a] = tci_cond32(c, regs[b], (int64_t)(int32_t)*pc++); NEXT;
        CASE(setcondi64) regs[a] = tci_cond64(c, regs[b], (int64_t)(int32_t)*pc++); NEXT;
        CASE(brcondi32)
            if (tci_cond32(c, regs[a], (int64_t)(int32_t)pc[0])) {
                pc = (const uint32_t *)((const char *)insn + (int32_t)pc[1]);
            } else {
                pc += 2;
            }
            NEXT;
        CASE(brcondi64)
            if (tci_cond64(c, regs[a], (int64_t)(int32_t)pc[0])) {
                pc = (const uint32_t *)((const char *)insn + (int32_t)pc[1]);
            } else {
                pc += 2;
            }
            NEXT;
        CASE(setcond32) regs[a] = tci_cond32(*pc++, regs[b], regs[c]); NEXT;
        CASE(setcond64) regs[a] = tci_cond64(*pc++, regs[b], regs[c]); NEXT;
        CASE(negsetcond32) regs[a] = -(uint64_t)tci_cond32(*pc++, regs[b], regs[c]); NEXT;
        CASE(negsetcond64) regs[a] = -(uint64_t)tci_cond64(*pc++, regs[b], regs[c]); NEXT;
        CASE(movcond32)
            x = *pc++;
            regs[a] = tci_cond32(x >> 16, regs[b], regs[c])
                ? regs[x & 0xff] : regs[(x >> 8) & 0xff];
            NEXT;
        CASE(movcond64)
            x = *pc++;
            regs[a] = tci_cond64(x >> 16, regs[b], regs[c])
                ? regs[x & 0xff] : regs[(x >> 8) & 0xff];
            NEXT;
        CASE(brcond32)
            if (tci_cond32(c, regs[a], regs[b])) {
                pc = (const uint32_t *)((const char *)insn + (int32_t)*pc);
            } else {
                pc++;
            }
            NEXT;
        CASE(brcond64)
            if (tci_cond64(c, regs[a], regs[b])) {
                pc = (const uint32_t *)((const char *)insn + (int32_t)*pc);
            } else {
                pc++;
            }
            NEXT;
        CASE(br)
            pc = (const uint32_t *)((const char *)insn + (int32_t)*pc);
            NEXT;

        CASE(call) {
            tci_helper_fn fn;
            memcpy(&fn, pc, sizeof(fn));
            pc += 2;
            tci_tb_ptr = (uintptr_t)pc;
            regs[0] = fn(regs[0], regs[1], regs[2], regs[3], regs[4], regs[5],
                         regs[6]);
            NEXT;
        }
        CASE(exit_tb) {
            uint64_t v;
            memcpy(&v, pc, 8);
            return v;
        }
        CASE(goto_tb)
            pc = (const uint32_t *)(uintptr_t)
                __atomic_load_n((const uint64_t *)pc, __ATOMIC_ACQUIRE);
            NEXT;
        CASE(goto_ptr)
            pc = (const uint32_t *)(uintptr_t)regs[a];
            NEXT;

        CASE(qemu_ld) {
            MemOpIdx oi = *pc++;
            void *host = tlb_fast(env, regs[b], oi, false);
            if (host) {
                x = host_load(host, get_memop(oi));
            } else {
                tci_tb_ptr = (uintptr_t)pc;
                x = helper_ld_mmu(env, regs[b], oi, (uintptr_t)pc);
            }
            regs[a] = c == TCG_TYPE_I32 ? (uint32_t)x : x;
            NEXT;
        }
        CASE(qemu_st) {
            MemOpIdx oi = *pc++;
            void *host = tlb_fast(env, regs[b], oi, true);
            if (host) {
                host_store(host, regs[a], get_memop(oi));
            } else {
                tci_tb_ptr = (uintptr_t)pc;
                helper_st_mmu(env, regs[b], regs[a], oi, (uintptr_t)pc);
            }
            NEXT;
        }
        CASE(mb)
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            NEXT;
    }
next:
    insn = pc;
    w = *pc++;
    a = (w >> 8) & 0xff;
    b = (w >> 16) & 0xff;
    c = w >> 24;
    goto *dispatch[w & 0xff];
}
