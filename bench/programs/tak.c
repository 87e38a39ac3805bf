/* Deep recursion with several arguments and results: Takeuchi's function
 * (three i32 arguments, ~millions of calls), and a recursive walk of an
 * implicit binary tree that passes four arguments (one i64) and returns
 * three results in a struct (returned through memory on wasm32). */
#include "common.h"

NOINLINE static int32_t tak(int32_t x, int32_t y, int32_t z) {
    if (y < x)
        return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y));
    return z;
}

struct summary {
    uint64_t hash;
    uint32_t leaves;
    uint32_t height;
};

/* Subtree sizes depend on the seed, so the recursion is irregular. */
NOINLINE static struct summary walk(uint32_t depth, uint64_t seed, uint32_t lo, uint32_t hi) {
    struct summary s;
    if (depth == 0) {
        s.hash = (seed * 0x9E3779B97F4A7C15ull) ^ lo;
        s.leaves = 1;
        s.height = 0;
        return s;
    }
    uint32_t mid = lo + (hi - lo) / 2;
    uint32_t right_depth = depth > 1 ? depth - 1 - (uint32_t)(seed & 1) : 0;
    struct summary l = walk(depth - 1, seed ^ lo, lo, mid);
    struct summary r = walk(right_depth, seed + hi + l.leaves, mid, hi);
    s.hash = ((l.hash << 1) | (l.hash >> 63)) ^ r.hash;
    s.leaves = l.leaves + r.leaves;
    s.height = 1 + (l.height > r.height ? l.height : r.height);
    return s;
}

EXPORT_RUN int64_t run(int32_t size) {
    uint64_t total = 0;
    for (int32_t i = 0; i < 4; i++)
        total = total * 31 + (uint32_t)tak(size + i, size * 2 / 3, size / 3);
    struct summary s = walk((uint32_t)size, 12345, 0, 1u << 30);
    total ^= s.hash + s.leaves * 7u + s.height;
    return (int64_t)total;
}
