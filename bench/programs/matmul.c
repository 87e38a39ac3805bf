/* Memory-heavy loop: integer matrix multiply C = A * B (row-major, i-k-j
 * order), wrapping 32-bit arithmetic. */
#include "common.h"

#define MAX_N 512
static uint32_t a[MAX_N * MAX_N], b[MAX_N * MAX_N], c[MAX_N * MAX_N];

EXPORT_RUN int64_t run(int32_t n) {
    if (n > MAX_N)
        n = MAX_N;
    uint32_t seed = 0x12345678u;
    for (int32_t i = 0; i < n * n; i++) {
        a[i] = xorshift32(&seed) & 0xffff;
        b[i] = xorshift32(&seed) & 0xffff;
        c[i] = 0;
    }
    for (int32_t i = 0; i < n; i++)
        for (int32_t k = 0; k < n; k++) {
            uint32_t aik = a[i * n + k];
            for (int32_t j = 0; j < n; j++)
                c[i * n + j] += aik * b[k * n + j];
        }
    uint64_t sum = 0;
    for (int32_t i = 0; i < n * n; i++)
        sum = sum * 1099511628211u + c[i];
    return (int64_t)sum;
}
