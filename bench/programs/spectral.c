/* f64 kernel: the spectral norm of the infinite matrix
 * A(i,j) = 1 / ((i+j)(i+j+1)/2 + i + 1), by power iteration on A^T A
 * (f64 division in the inner loops). Checksum: the norm's bit pattern. */
#include "common.h"

#define MAX_N 4096

static double u[MAX_N], v[MAX_N], tmp[MAX_N];

static double a(int32_t i, int32_t j) { return 1.0 / ((double)((i + j) * (i + j + 1) / 2 + i + 1)); }

NOINLINE static void mul_a(int32_t n, const double *x, double *out) {
    for (int32_t i = 0; i < n; i++) {
        double sum = 0;
        for (int32_t j = 0; j < n; j++)
            sum += a(i, j) * x[j];
        out[i] = sum;
    }
}

NOINLINE static void mul_at(int32_t n, const double *x, double *out) {
    for (int32_t i = 0; i < n; i++) {
        double sum = 0;
        for (int32_t j = 0; j < n; j++)
            sum += a(j, i) * x[j];
        out[i] = sum;
    }
}

static void mul_ata(int32_t n, const double *x, double *out) {
    mul_a(n, x, tmp);
    mul_at(n, tmp, out);
}

EXPORT_RUN int64_t run(int32_t n) {
    if (n > MAX_N)
        n = MAX_N;
    for (int32_t i = 0; i < n; i++)
        u[i] = 1.0;
    for (int k = 0; k < 10; k++) {
        mul_ata(n, u, v);
        mul_ata(n, v, u);
    }
    double vbv = 0, vv = 0;
    for (int32_t i = 0; i < n; i++) {
        vbv += u[i] * v[i];
        vv += v[i] * v[i];
    }
    union {
        double d;
        int64_t i;
    } bits = {__builtin_sqrt(vbv / vv)};
    return bits.i;
}
