/* Memory-heavy loop: sieve of Eratosthenes over a byte array, repeated a few
 * times with shrinking limits so the result depends on every pass. */
#include "common.h"

#define MAX_LIMIT (1 << 23)
static uint8_t composite[MAX_LIMIT + 1];

static NOINLINE uint64_t sieve(int32_t limit) {
    for (int32_t i = 0; i <= limit; i++)
        composite[i] = 0;
    uint64_t count = 0, sum = 0;
    for (int32_t i = 2; i <= limit; i++) {
        if (composite[i])
            continue;
        count++;
        sum += (uint64_t)i;
        for (int64_t j = (int64_t)i * i; j <= limit; j += i)
            composite[j] = 1;
    }
    return count * 1000003u + sum;
}

EXPORT_RUN int64_t run(int32_t limit) {
    if (limit > MAX_LIMIT)
        limit = MAX_LIMIT;
    uint64_t acc = 0;
    for (int pass = 0; pass < 4; pass++)
        acc = acc * 31u + sieve(limit - pass * 1000);
    return (int64_t)acc;
}
