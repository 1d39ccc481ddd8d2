/*
 * Cipher and hash primitives of the guest CPUs' crypto instructions
 * (util/crypto-prim.c): AArch64 FEAT_AES/PMULL/SHA1/SHA256, x86 AES-NI
 * and PCLMULQDQ.
 */
#ifndef TURTLE_CRYPTO_PRIM_H
#define TURTLE_CRYPTO_PRIM_H

#include <stdbool.h>
#include <stdint.h>

/* AESE/AESD: AddRoundKey, then (Inv)SubBytes and (Inv)ShiftRows */
void crypto_aes_round(uint8_t *st, const uint8_t *key, bool decrypt);
void crypto_aes_mixcolumns(uint8_t *st, bool inverse);
void crypto_sha1_hash(uint32_t *x, uint32_t e, const uint32_t *w, int op);
void crypto_sha256_hash(uint32_t *x, uint32_t *y, const uint32_t *w,
                        bool part1);
void crypto_sha1_su0(uint32_t *d, const uint32_t *n, const uint32_t *m);
void crypto_sha1_su1(uint32_t *d, const uint32_t *n);
void crypto_sha256_su0(uint32_t *d, const uint32_t *n);
void crypto_sha256_su1(uint32_t *d, const uint32_t *n, const uint32_t *m);
void crypto_pmull64(uint64_t *lo, uint64_t *hi, uint64_t a, uint64_t b);

#endif
