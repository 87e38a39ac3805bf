/* i64-heavy crypto: SipHash-2-4 (64-bit adds, rotates, xors) over buffers
 * of varying length, and a Poly1305-style one-time authenticator that
 * evaluates a polynomial modulo 2^130 - 5 in 26-bit limbs with 64-bit
 * multiplies. The buffer is perturbed by each result. */
#include "common.h"

#define BUF 1024

static uint8_t buf[BUF];

static uint64_t rotl64(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

static uint64_t load64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static uint32_t load32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#define SIP_ROUND(v0, v1, v2, v3)                                                          \
    do {                                                                                   \
        v0 += v1; v1 = rotl64(v1, 13); v1 ^= v0; v0 = rotl64(v0, 32);                     \
        v2 += v3; v3 = rotl64(v3, 16); v3 ^= v2;                                           \
        v0 += v3; v3 = rotl64(v3, 21); v3 ^= v0;                                           \
        v2 += v1; v1 = rotl64(v1, 17); v1 ^= v2; v2 = rotl64(v2, 32);                     \
    } while (0)

NOINLINE static uint64_t siphash24(const uint8_t *in, uint32_t len, uint64_t k0, uint64_t k1) {
    uint64_t v0 = k0 ^ 0x736f6d6570736575ull, v1 = k1 ^ 0x646f72616e646f6dull;
    uint64_t v2 = k0 ^ 0x6c7967656e657261ull, v3 = k1 ^ 0x7465646279746573ull;
    uint32_t blocks = len / 8;
    for (uint32_t i = 0; i < blocks; i++) {
        uint64_t m = load64(in + 8 * i);
        v3 ^= m;
        SIP_ROUND(v0, v1, v2, v3);
        SIP_ROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    uint64_t last = (uint64_t)len << 56;
    for (uint32_t i = 0; i < len % 8; i++)
        last |= (uint64_t)in[8 * blocks + i] << (8 * i);
    v3 ^= last;
    SIP_ROUND(v0, v1, v2, v3);
    SIP_ROUND(v0, v1, v2, v3);
    v0 ^= last;
    v2 ^= 0xff;
    for (int i = 0; i < 4; i++)
        SIP_ROUND(v0, v1, v2, v3);
    return v0 ^ v1 ^ v2 ^ v3;
}

/* Polynomial evaluation mod 2^130 - 5 over 16-byte blocks (len a multiple
 * of 16); key r is clamped like Poly1305's. Returns the low 64 bits of h. */
NOINLINE static uint64_t poly_mac(const uint8_t *in, uint32_t len, uint64_t key_lo, uint64_t key_hi) {
    uint32_t t0 = (uint32_t)key_lo & 0x0fffffff, t1 = (uint32_t)(key_lo >> 32) & 0x0ffffffc;
    uint32_t t2 = (uint32_t)key_hi & 0x0ffffffc, t3 = (uint32_t)(key_hi >> 32) & 0x0ffffffc;
    uint32_t r0 = t0 & 0x3ffffff, r1 = (t0 >> 26 | t1 << 6) & 0x3ffffff;
    uint32_t r2 = (t1 >> 20 | t2 << 12) & 0x3ffffff, r3 = (t2 >> 14 | t3 << 18) & 0x3ffffff;
    uint32_t r4 = t3 >> 8;
    uint32_t s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
    uint32_t h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0;
    for (uint32_t at = 0; at + 16 <= len; at += 16) {
        const uint8_t *m = in + at;
        h0 += load32(m) & 0x3ffffff;
        h1 += (load32(m + 3) >> 2) & 0x3ffffff;
        h2 += (load32(m + 6) >> 4) & 0x3ffffff;
        h3 += (load32(m + 9) >> 6) & 0x3ffffff;
        h4 += (load32(m + 12) >> 8) | (1u << 24);
        uint64_t d0 = (uint64_t)h0 * r0 + (uint64_t)h1 * s4 + (uint64_t)h2 * s3 + (uint64_t)h3 * s2 + (uint64_t)h4 * s1;
        uint64_t d1 = (uint64_t)h0 * r1 + (uint64_t)h1 * r0 + (uint64_t)h2 * s4 + (uint64_t)h3 * s3 + (uint64_t)h4 * s2;
        uint64_t d2 = (uint64_t)h0 * r2 + (uint64_t)h1 * r1 + (uint64_t)h2 * r0 + (uint64_t)h3 * s4 + (uint64_t)h4 * s3;
        uint64_t d3 = (uint64_t)h0 * r3 + (uint64_t)h1 * r2 + (uint64_t)h2 * r1 + (uint64_t)h3 * r0 + (uint64_t)h4 * s4;
        uint64_t d4 = (uint64_t)h0 * r4 + (uint64_t)h1 * r3 + (uint64_t)h2 * r2 + (uint64_t)h3 * r1 + (uint64_t)h4 * r0;
        uint64_t c;
        c = d0 >> 26; h0 = (uint32_t)d0 & 0x3ffffff; d1 += c;
        c = d1 >> 26; h1 = (uint32_t)d1 & 0x3ffffff; d2 += c;
        c = d2 >> 26; h2 = (uint32_t)d2 & 0x3ffffff; d3 += c;
        c = d3 >> 26; h3 = (uint32_t)d3 & 0x3ffffff; d4 += c;
        c = d4 >> 26; h4 = (uint32_t)d4 & 0x3ffffff;
        h0 += (uint32_t)c * 5;
        h1 += h0 >> 26;
        h0 &= 0x3ffffff;
    }
    return ((uint64_t)h0 | (uint64_t)h1 << 26 | (uint64_t)h2 << 52) ^ ((uint64_t)h3 << 14 | (uint64_t)h4 << 40);
}

EXPORT_RUN int64_t run(int32_t size) {
    uint64_t state = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < BUF; i++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        buf[i] = (uint8_t)(state * 0x2545F4914F6CDD1Dull >> 56);
    }
    uint64_t k0 = 0x0706050403020100ull, k1 = 0x0f0e0d0c0b0a0908ull, total = 0;
    for (int32_t pass = 0; pass < size; pass++) {
        uint32_t len = (uint32_t)(pass * 37) % BUF + 1;
        uint64_t tag = siphash24(buf, len, k0 ^ (uint64_t)pass, k1);
        uint64_t mac = poly_mac(buf, BUF, tag, rotl64(tag, 29) * 0x2545F4914F6CDD1Dull);
        buf[pass % BUF] ^= (uint8_t)(mac >> 3);
        total = rotl64(total, 7) ^ tag ^ mac;
    }
    return (int64_t)total;
}
