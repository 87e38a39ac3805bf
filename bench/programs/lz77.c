/* Byte processing: LZ77 compression with hash chains over generated text,
 * then decompression, checked against the input (a mismatch returns -1).
 * Each pass generates new text; the checksum mixes compressed sizes and a
 * hash of the decompressed bytes. */
#include "common.h"

#define N 65536
#define HASH_BITS 12
#define MAX_MATCH 258
#define MAX_CHAIN 16

static uint8_t input[N], packed[N + N / 8 + 16], output[N];
static int32_t head[1 << HASH_BITS], prev[N];

static const char *const words[16] = {
    "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog",
    "compress", "window", "match", "literal", "offset", "length", "stream", "byte",
};

static uint32_t generate(uint32_t *rng) {
    uint32_t n = 0;
    while (n < N - 16) {
        uint32_t r = xorshift32(rng);
        const char *w = words[r % 16];
        while (*w && n < N)
            input[n++] = (uint8_t)*w++;
        if ((r >> 8) % 7 == 0)
            input[n++] = (uint8_t)('0' + (r >> 12) % 10);
        input[n++] = (r >> 16) % 9 == 0 ? '.' : ' ';
    }
    return n;
}

static uint32_t hash3(const uint8_t *p) {
    return ((uint32_t)p[0] << 16 ^ (uint32_t)p[1] << 8 ^ p[2]) * 2654435761u >> (32 - HASH_BITS);
}

static void insert(uint32_t i) {
    uint32_t h = hash3(&input[i]);
    prev[i] = head[h];
    head[h] = (int32_t)i;
}

static uint32_t compress(uint32_t n) {
    for (int32_t h = 0; h < (1 << HASH_BITS); h++)
        head[h] = -1;
    uint32_t out = 0, flag_at = 0, items = 0, i = 0;
    while (i < n) {
        if (items % 8 == 0) {
            flag_at = out++;
            packed[flag_at] = 0;
        }
        uint32_t best_len = 0, best_off = 0;
        if (i + 3 <= n) {
            int32_t cand = head[hash3(&input[i])];
            for (int chain = 0; cand >= 0 && i - (uint32_t)cand <= 65535 && chain < MAX_CHAIN; chain++) {
                uint32_t l = 0;
                while (l < MAX_MATCH && i + l < n && input[(uint32_t)cand + l] == input[i + l])
                    l++;
                if (l > best_len) {
                    best_len = l;
                    best_off = i - (uint32_t)cand;
                }
                cand = prev[cand];
            }
            insert(i);
        }
        if (best_len >= 3) {
            packed[flag_at] |= (uint8_t)(1u << (items % 8));
            packed[out++] = (uint8_t)best_off;
            packed[out++] = (uint8_t)(best_off >> 8);
            packed[out++] = (uint8_t)(best_len - 3);
            for (uint32_t k = 1; k < best_len; k++)
                if (i + k + 3 <= n)
                    insert(i + k);
            i += best_len;
        } else {
            packed[out++] = input[i++];
        }
        items++;
    }
    return out;
}

static uint32_t decompress(uint32_t packed_len) {
    uint32_t in = 0, n = 0, items = 0;
    uint8_t flags = 0;
    while (in < packed_len) {
        if (items % 8 == 0)
            flags = packed[in++];
        if (in >= packed_len)
            break;
        if (flags & (1u << (items % 8))) {
            uint32_t off = packed[in] | (uint32_t)packed[in + 1] << 8;
            uint32_t len = (uint32_t)packed[in + 2] + 3;
            in += 3;
            for (uint32_t k = 0; k < len; k++, n++)
                output[n] = output[n - off];
        } else {
            output[n++] = packed[in++];
        }
        items++;
    }
    return n;
}

EXPORT_RUN int64_t run(int32_t size) {
    uint32_t rng = 0xC0FFEE;
    uint64_t total = 0;
    for (int32_t pass = 0; pass < size; pass++) {
        uint32_t n = generate(&rng);
        uint32_t packed_len = compress(n);
        if (decompress(packed_len) != n)
            return -1;
        uint32_t h = 2166136261u;
        for (uint32_t i = 0; i < n; i++) {
            if (output[i] != input[i])
                return -1;
            h = (h ^ output[i]) * 16777619u;
        }
        total = total * 31 + packed_len + ((uint64_t)h << 20);
    }
    return (int64_t)total;
}
