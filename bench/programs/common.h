/* Shared by every benchmark program: the export macro and a small PRNG.
 *
 * Each program defines `int64_t run(int32_t size)` and returns a checksum.
 * Built twice by ../build.sh: for wasm32 (exported as "run") and natively
 * with gcc plus native_main.c, whose output is the independent expected
 * checksum recorded in ../expected.tsv.
 *
 * Arithmetic that may overflow uses unsigned types, so both builds agree
 * without relying on undefined behaviour. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdint.h>

#ifdef NATIVE
#define EXPORT_RUN
#else
#define EXPORT_RUN __attribute__((export_name("run")))
#endif

#define NOINLINE __attribute__((noinline))

/* xorshift32: a deterministic input generator, identical on both targets. */
static inline uint32_t xorshift32(uint32_t *state) {
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

#endif
