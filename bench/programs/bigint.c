/* i64 arithmetic: n! in base-2^32 limbs (64-bit products and carries), then
 * its conversion to base 10^9 by repeated 64-bit division. */
#include "common.h"

#define MAX_LIMBS 16384

static uint32_t limbs[MAX_LIMBS];
static uint32_t decimal[MAX_LIMBS * 2];

EXPORT_RUN int64_t run(int32_t n) {
    int32_t len = 1;
    limbs[0] = 1;
    for (uint32_t k = 2; k <= (uint32_t)n; k++) {
        uint64_t carry = 0;
        for (int32_t i = 0; i < len; i++) {
            uint64_t p = (uint64_t)limbs[i] * k + carry;
            limbs[i] = (uint32_t)p;
            carry = p >> 32;
        }
        if (carry && len < MAX_LIMBS)
            limbs[len++] = (uint32_t)carry;
    }
    /* Divide the whole number by 10^9 until it is zero; the remainders are
     * the decimal digits in groups of nine, least significant first. */
    int32_t groups = 0;
    while (len > 0) {
        uint64_t rem = 0;
        for (int32_t i = len - 1; i >= 0; i--) {
            uint64_t cur = rem << 32 | limbs[i];
            limbs[i] = (uint32_t)(cur / 1000000000u);
            rem = cur % 1000000000u;
        }
        decimal[groups++] = (uint32_t)rem;
        while (len > 0 && limbs[len - 1] == 0)
            len--;
    }
    uint64_t sum = (uint64_t)groups;
    for (int32_t i = 0; i < groups; i++)
        sum = sum * 6364136223846793005u + decimal[i];
    return (int64_t)sum;
}
