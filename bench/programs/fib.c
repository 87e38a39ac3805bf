/* Calls and recursion: naive doubly recursive Fibonacci. */
#include "common.h"

static NOINLINE uint32_t fib(int32_t n) {
    if (n < 2)
        return (uint32_t)n;
    return fib(n - 1) + fib(n - 2);
}

EXPORT_RUN int64_t run(int32_t n) {
    return (int64_t)fib(n);
}
