/*
 * FEAT_AES, FEAT_PMULL, FEAT_SHA1, FEAT_SHA256 (Arm ARM C7 AESE..SHA256SU1
 * and the shared pseudocode SHA256hash, SHAchoose, SHAmajority...).
 * Called from the AArch64 helper_simd and x86's AES-NI/PCLMULQDQ helpers
 * with the register contents as 128-bit values (two little-endian 64-bit
 * halves).
 */
#include "turtle/osdep.h"
#include "turtle/crypto-prim.h"

/* ---- AES ---- */

static uint8_t sbox[256], inv_sbox[256];

static uint8_t gmul(uint8_t a, uint8_t b)
{
    uint8_t p = 0;

    while (b) {
        if (b & 1) {
            p ^= a;
        }
        a = (a << 1) ^ ((a & 0x80) ? 0x1b : 0);
        b >>= 1;
    }
    return p;
}

static void aes_init(void)
{
    static bool done;

    if (done) {
        return;
    }
    for (int i = 0; i < 256; i++) {
        uint8_t inv = 0, s;

        for (int j = 1; j < 256 && i; j++) {
            if (gmul(i, j) == 1) {
                inv = j;
                break;
            }
        }
        s = inv ^ (uint8_t)((inv << 1) | (inv >> 7)) ^
            (uint8_t)((inv << 2) | (inv >> 6)) ^
            (uint8_t)((inv << 3) | (inv >> 5)) ^
            (uint8_t)((inv << 4) | (inv >> 4)) ^ 0x63;
        sbox[i] = s;
        inv_sbox[s] = i;
    }
    done = true;
}

/* state byte i is row i % 4, column i / 4 */
void crypto_aes_round(uint8_t *st, const uint8_t *key, bool decrypt)
{
    uint8_t t[16];

    aes_init();
    for (int i = 0; i < 16; i++) {
        st[i] ^= key[i];
    }
    for (int c = 0; c < 4; c++) {
        for (int r = 0; r < 4; r++) {
            /* ShiftRows: row r moves left by r; InvShiftRows right */
            int src = decrypt ? ((c - r + 4) % 4) * 4 + r : ((c + r) % 4) * 4 + r;

            t[c * 4 + r] = decrypt ? inv_sbox[st[src]] : sbox[st[src]];
        }
    }
    memcpy(st, t, 16);
}

void crypto_aes_mixcolumns(uint8_t *st, bool inverse)
{
    for (int c = 0; c < 4; c++) {
        uint8_t *col = st + 4 * c, a[4];

        memcpy(a, col, 4);
        for (int r = 0; r < 4; r++) {
            if (!inverse) {
                col[r] = gmul(a[r], 2) ^ gmul(a[(r + 1) % 4], 3) ^
                         a[(r + 2) % 4] ^ a[(r + 3) % 4];
            } else {
                col[r] = gmul(a[r], 14) ^ gmul(a[(r + 1) % 4], 11) ^
                         gmul(a[(r + 2) % 4], 13) ^ gmul(a[(r + 3) % 4], 9);
            }
        }
    }
}

/* ---- SHA ---- */

static uint32_t rol32(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

static uint32_t ror32(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

/* op: 0 choose (SHA1C), 1 parity (SHA1P), 2 majority (SHA1M) */
void crypto_sha1_hash(uint32_t *x, uint32_t e, const uint32_t *w, int op)
{
    uint32_t y = e;

    for (int i = 0; i < 4; i++) {
        uint32_t b = x[1], c = x[2], d = x[3], t, tmp;

        switch (op) {
        case 0:
            t = (b & c) | (~b & d);
            break;
        case 1:
            t = b ^ c ^ d;
            break;
        default:
            t = (b & c) | (b & d) | (c & d);
            break;
        }
        y = y + rol32(x[0], 5) + t + w[i];
        x[1] = rol32(x[1], 30);
        /* <Y, X> = ROL(Y:X, 32): the 160-bit value rotates by one word */
        tmp = x[3];
        x[3] = x[2];
        x[2] = x[1];
        x[1] = x[0];
        x[0] = y;
        y = tmp;
    }
}

void crypto_sha256_hash(uint32_t *x, uint32_t *y, const uint32_t *w,
                        bool part1)
{
    uint32_t X[4], Y[4];

    memcpy(X, x, 16);
    memcpy(Y, y, 16);
    for (int e = 0; e < 4; e++) {
        uint32_t chs = (Y[0] & Y[1]) | (~Y[0] & Y[2]);
        uint32_t maj = (X[0] & X[1]) | (X[0] & X[2]) | (X[1] & X[2]);
        uint32_t s1 = ror32(Y[0], 6) ^ ror32(Y[0], 11) ^ ror32(Y[0], 25);
        uint32_t s0 = ror32(X[0], 2) ^ ror32(X[0], 13) ^ ror32(X[0], 22);
        uint32_t t = Y[3] + s1 + chs + w[e];
        uint32_t tmp;

        X[3] = t + X[3];
        Y[3] = t + s0 + maj;
        /* <Y, X> = ROL(Y:X, 32) on the 256-bit Y:X */
        tmp = Y[3];
        Y[3] = Y[2];
        Y[2] = Y[1];
        Y[1] = Y[0];
        Y[0] = X[3];
        X[3] = X[2];
        X[2] = X[1];
        X[1] = X[0];
        X[0] = tmp;
    }
    memcpy(x, part1 ? X : Y, 16);
}

void crypto_sha1_su0(uint32_t *d, const uint32_t *n, const uint32_t *m)
{
    uint32_t r[4] = { d[2], d[3], n[0], n[1] };

    for (int i = 0; i < 4; i++) {
        d[i] = r[i] ^ d[i] ^ m[i];
    }
}

void crypto_sha1_su1(uint32_t *d, const uint32_t *n)
{
    uint32_t t[4] = { d[0] ^ n[1], d[1] ^ n[2], d[2] ^ n[3], d[3] };

    d[0] = rol32(t[0], 1);
    d[1] = rol32(t[1], 1);
    d[2] = rol32(t[2], 1);
    d[3] = rol32(t[3], 1) ^ rol32(t[0], 2);
}

void crypto_sha256_su0(uint32_t *d, const uint32_t *n)
{
    uint32_t t[4] = { d[1], d[2], d[3], n[0] };

    for (int i = 0; i < 4; i++) {
        d[i] += ror32(t[i], 7) ^ ror32(t[i], 18) ^ (t[i] >> 3);
    }
}

void crypto_sha256_su1(uint32_t *d, const uint32_t *n, const uint32_t *m)
{
    uint32_t t0[4] = { n[1], n[2], n[3], m[0] };
    uint32_t t1[2] = { m[2], m[3] };
    uint32_t r[4];

    for (int e = 0; e < 4; e++) {
        uint32_t elt = e < 2 ? t1[e] : r[e - 2];

        elt = ror32(elt, 17) ^ ror32(elt, 19) ^ (elt >> 10);
        r[e] = elt + d[e] + t0[e];
    }
    memcpy(d, r, 16);
}

/* 64 x 64 -> 128 carry-less multiply */
void crypto_pmull64(uint64_t *lo, uint64_t *hi, uint64_t a, uint64_t b)
{
    uint64_t l = 0, h = 0;

    for (int i = 0; i < 64; i++) {
        if ((b >> i) & 1) {
            l ^= a << i;
            h ^= i ? a >> (64 - i) : 0;
        }
    }
    *lo = l;
    *hi = h;
}
