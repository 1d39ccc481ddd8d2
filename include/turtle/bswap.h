/* Byte swapping and unaligned little/big-endian loads and stores. */
#ifndef TURTLE_BSWAP_H
#define TURTLE_BSWAP_H

#include <stdint.h>
#include <string.h>

static inline uint16_t bswap16(uint16_t x) { return __builtin_bswap16(x); }
static inline uint32_t bswap32(uint32_t x) { return __builtin_bswap32(x); }
static inline uint64_t bswap64(uint64_t x) { return __builtin_bswap64(x); }

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define HOST_BIG_ENDIAN 1
#define le_bswap(v, size) bswap##size(v)
#define be_bswap(v, size) (v)
#else
#define HOST_BIG_ENDIAN 0
#define le_bswap(v, size) (v)
#define be_bswap(v, size) bswap##size(v)
#endif

#define DEFINE_LDST(end, size, type)                                   \
static inline type ld##size##_##end##_p(const void *p)                 \
{                                                                      \
    type v;                                                            \
    memcpy(&v, p, sizeof(v));                                          \
    return end##_bswap(v, size);                                       \
}                                                                      \
static inline void st##size##_##end##_p(void *p, type v)               \
{                                                                      \
    v = end##_bswap(v, size);                                          \
    memcpy(p, &v, sizeof(v));                                          \
}
DEFINE_LDST(le, 16, uint16_t)
DEFINE_LDST(le, 32, uint32_t)
DEFINE_LDST(le, 64, uint64_t)
DEFINE_LDST(be, 16, uint16_t)
DEFINE_LDST(be, 32, uint32_t)
DEFINE_LDST(be, 64, uint64_t)
#undef DEFINE_LDST

static inline uint8_t ldub_p(const void *p) { return *(const uint8_t *)p; }
static inline void stb_p(void *p, uint8_t v) { *(uint8_t *)p = v; }

static inline uint16_t cpu_to_le16(uint16_t v) { return le_bswap(v, 16); }
static inline uint32_t cpu_to_le32(uint32_t v) { return le_bswap(v, 32); }
static inline uint64_t cpu_to_le64(uint64_t v) { return le_bswap(v, 64); }
static inline uint16_t le16_to_cpu(uint16_t v) { return le_bswap(v, 16); }
static inline uint32_t le32_to_cpu(uint32_t v) { return le_bswap(v, 32); }
static inline uint64_t le64_to_cpu(uint64_t v) { return le_bswap(v, 64); }
static inline uint16_t cpu_to_be16(uint16_t v) { return be_bswap(v, 16); }
static inline uint32_t cpu_to_be32(uint32_t v) { return be_bswap(v, 32); }
static inline uint64_t cpu_to_be64(uint64_t v) { return be_bswap(v, 64); }
static inline uint16_t be16_to_cpu(uint16_t v) { return be_bswap(v, 16); }
static inline uint32_t be32_to_cpu(uint32_t v) { return be_bswap(v, 32); }
static inline uint64_t be64_to_cpu(uint64_t v) { return be_bswap(v, 64); }

/* Load/store of 1, 2, 4 or 8 bytes in little-endian order. */
static inline uint64_t ldn_le_p(const void *p, unsigned size)
{
    switch (size) {
    case 1: return ldub_p(p);
    case 2: return ld16_le_p(p);
    case 4: return ld32_le_p(p);
    default: return ld64_le_p(p);
    }
}

static inline void stn_le_p(void *p, unsigned size, uint64_t v)
{
    switch (size) {
    case 1: stb_p(p, v); break;
    case 2: st16_le_p(p, v); break;
    case 4: st32_le_p(p, v); break;
    default: st64_le_p(p, v); break;
    }
}

#endif
