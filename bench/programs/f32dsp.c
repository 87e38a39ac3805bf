/* f32 code: a signal-processing chain in single precision: a cascade of
 * biquad filters over a generated signal, an RMS/peak envelope, and 4x4
 * matrix transforms of points with f32.sqrt normalisation. The checksum
 * hashes the bit patterns of the results. */
#include "common.h"

#define SAMPLES 4096
#define STAGES 4
#define POINTS 1024

static float signal[SAMPLES];
static float points[POINTS][4];

struct biquad {
    float b0, b1, b2, a1, a2;
    float z1, z2;
};

static float f32_bits_mix(float f, uint32_t *h) {
    union {
        float f;
        uint32_t u;
    } bits = {f};
    *h = (*h ^ bits.u) * 16777619u;
    return f;
}

NOINLINE static float filter_block(struct biquad *stages, float *data, int n) {
    float peak = 0, energy = 0;
    for (int i = 0; i < n; i++) {
        float x = data[i];
        for (int s = 0; s < STAGES; s++) {
            struct biquad *q = &stages[s];
            float y = q->b0 * x + q->z1;
            q->z1 = q->b1 * x - q->a1 * y + q->z2;
            q->z2 = q->b2 * x - q->a2 * y;
            x = y;
        }
        data[i] = x;
        float mag = __builtin_fabsf(x);
        if (mag > peak)
            peak = mag;
        energy += x * x;
    }
    return __builtin_sqrtf(energy / (float)n) + peak;
}

NOINLINE static float transform(const float m[16], int n) {
    float total = 0;
    for (int i = 0; i < n; i++) {
        float *p = points[i];
        float x = m[0] * p[0] + m[1] * p[1] + m[2] * p[2] + m[3] * p[3];
        float y = m[4] * p[0] + m[5] * p[1] + m[6] * p[2] + m[7] * p[3];
        float z = m[8] * p[0] + m[9] * p[1] + m[10] * p[2] + m[11] * p[3];
        float w = m[12] * p[0] + m[13] * p[1] + m[14] * p[2] + m[15] * p[3];
        float len = __builtin_sqrtf(x * x + y * y + z * z + w * w) + 1e-3f;
        p[0] = x / len;
        p[1] = y / len;
        p[2] = z / len;
        p[3] = w / len;
        total += p[0] - p[3] * 0.5f;
    }
    return total;
}

EXPORT_RUN int64_t run(int32_t size) {
    uint32_t rng = 88172645u, hash = 2166136261u;
    struct biquad stages[STAGES];
    for (int s = 0; s < STAGES; s++) {
        float k = 0.1f + 0.15f * (float)s;
        stages[s].b0 = k * k;
        stages[s].b1 = 2 * k * k;
        stages[s].b2 = k * k;
        stages[s].a1 = -1.2f + 0.1f * (float)s;
        stages[s].a2 = 0.45f - 0.05f * (float)s;
        stages[s].z1 = stages[s].z2 = 0;
    }
    for (int i = 0; i < POINTS; i++)
        for (int c = 0; c < 4; c++)
            points[i][c] = (float)(int32_t)(xorshift32(&rng) % 2001) / 1000.0f - 1.0f;
    float m[16];
    for (int i = 0; i < 16; i++)
        m[i] = (float)(int32_t)(xorshift32(&rng) % 2001) / 1000.0f - 1.0f + (i % 5 == 0 ? 1.5f : 0.0f);
    for (int32_t round = 0; round < size; round++) {
        for (int i = 0; i < SAMPLES; i++) {
            int32_t r = (int32_t)(xorshift32(&rng) & 0xffff) - 0x8000;
            signal[i] = (float)r * (1.0f / 32768.0f) + (float)((i + round) & 63) * 0.01f;
        }
        f32_bits_mix(filter_block(stages, signal, SAMPLES), &hash);
        f32_bits_mix(transform(m, POINTS), &hash);
        float min = signal[0], max = signal[0];
        for (int i = 1; i < SAMPLES; i += 7) {
            min = signal[i] < min ? signal[i] : min;
            max = signal[i] > max ? signal[i] : max;
        }
        f32_bits_mix(max - min, &hash);
    }
    return (int64_t)hash;
}
