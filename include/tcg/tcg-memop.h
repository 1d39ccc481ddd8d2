/*
 * Guest memory access descriptors for the TCG builder API.
 *
 * A MemOp describes one guest load or store: its size, whether a load
 * sign-extends, its byte order and the alignment the guest requires.
 * A MemOpIdx packs a MemOp with the MMU index whose TLB translates the
 * address; it is the `oi` argument the slow-path helpers receive.
 */
#ifndef TCG_TCG_MEMOP_H
#define TCG_TCG_MEMOP_H

#include <stdbool.h>
#include <stdint.h>

typedef enum MemOp {
    MO_8     = 0,
    MO_16    = 1,
    MO_32    = 2,
    MO_64    = 3,
    MO_SIZE  = 3,            /* size field mask (log2 of bytes) */

    MO_SIGN  = 1 << 2,       /* loads sign-extend to the value width */

    /* Byte order.  Both supported hosts are little-endian. */
    MO_BSWAP = 1 << 3,       /* opposite of host byte order */
    MO_LE    = 0,
    MO_BE    = MO_BSWAP,
#ifdef TARGET_BIG_ENDIAN
    MO_TE    = MO_BE,        /* the guest's own byte order */
#else
    MO_TE    = MO_LE,
#endif

    /*
     * Alignment.  MO_UNALN: none required.  MO_ALIGN: natural alignment
     * (the access size).  MO_ALIGN_n: n bytes.  A misaligned access with
     * an alignment requirement always takes the slow path, whose helper
     * raises the guest's alignment fault.
     */
    MO_ASHIFT   = 4,
    MO_AMASK    = 7 << MO_ASHIFT,
    MO_UNALN    = 0,
    MO_ALIGN_2  = 1 << MO_ASHIFT,
    MO_ALIGN_4  = 2 << MO_ASHIFT,
    MO_ALIGN_8  = 3 << MO_ASHIFT,
    MO_ALIGN_16 = 4 << MO_ASHIFT,
    MO_ALIGN_32 = 5 << MO_ASHIFT,
    MO_ALIGN_64 = 6 << MO_ASHIFT,
    MO_ALIGN    = 7 << MO_ASHIFT,

    /* Common combinations. */
    MO_UB   = MO_8,
    MO_UW   = MO_16,
    MO_UL   = MO_32,
    MO_UQ   = MO_64,
    MO_SB   = MO_SIGN | MO_8,
    MO_SW   = MO_SIGN | MO_16,
    MO_SL   = MO_SIGN | MO_32,
    MO_SQ   = MO_SIGN | MO_64,

    MO_LEUW = MO_LE | MO_UW,
    MO_LEUL = MO_LE | MO_UL,
    MO_LEUQ = MO_LE | MO_UQ,
    MO_LESW = MO_LE | MO_SW,
    MO_LESL = MO_LE | MO_SL,
    MO_BEUW = MO_BE | MO_UW,
    MO_BEUL = MO_BE | MO_UL,
    MO_BEUQ = MO_BE | MO_UQ,
    MO_BESW = MO_BE | MO_SW,
    MO_BESL = MO_BE | MO_SL,
    MO_TEUW = MO_TE | MO_UW,
    MO_TEUL = MO_TE | MO_UL,
    MO_TEUQ = MO_TE | MO_UQ,
    MO_TESW = MO_TE | MO_SW,
    MO_TESL = MO_TE | MO_SL,
} MemOp;

/* log2 of the access size in bytes */
static inline unsigned memop_size_bits(MemOp op)
{
    return op & MO_SIZE;
}

static inline unsigned memop_size(MemOp op)
{
    return 1u << (op & MO_SIZE);
}

/* log2 of the required alignment in bytes (0: none) */
static inline unsigned memop_alignment_bits(MemOp op)
{
    unsigned a = (op & MO_AMASK) >> MO_ASHIFT;

    return a == 7 ? (op & MO_SIZE) : a;
}

/*
 * MemOpIdx: bits 0-3 mmu_idx (up to 16 MMU modes), bits 4 and up the MemOp.
 */
typedef uint32_t MemOpIdx;

static inline MemOpIdx make_memop_idx(MemOp op, unsigned mmu_idx)
{
    return ((uint32_t)op << 4) | (mmu_idx & 15);
}

static inline MemOp get_memop(MemOpIdx oi)
{
    return (MemOp)(oi >> 4);
}

static inline unsigned get_mmuidx(MemOpIdx oi)
{
    return oi & 15;
}

#endif /* TCG_TCG_MEMOP_H */
