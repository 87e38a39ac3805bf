/* Mutual recursion and text parsing: generates random arithmetic
 * expressions as text, then evaluates them with a recursive-descent parser
 * whose functions call each other (expr -> term -> unary -> primary -> expr). */
#include "common.h"

#define CAP 16384

static char text[CAP];
static uint32_t len;
static uint32_t rng;
static const char *at;

static void put(char c) { text[len++] = c; }

static void gen_number(uint32_t r) {
    char digits[10];
    uint32_t n = (r >> 8) % 100000, k = 0;
    do {
        digits[k++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    while (k)
        put(digits[--k]);
}

static void gen(int depth) {
    uint32_t r = xorshift32(&rng);
    if (depth <= 0 || r % 5 == 0 || len > CAP - 64) {
        gen_number(r);
        return;
    }
    if ((r >> 3) % 8 == 1) {
        put('(');
        gen(depth - 1);
        put(')');
        return;
    }
    if ((r >> 3) % 8 == 2) {
        put('-');
        gen(depth - 1);
        return;
    }
    gen(depth - 1);
    if (r & 0x10000)
        put(' ');
    put("+-*/%+*-"[(r >> 6) % 8]);
    if (r & 0x20000)
        put(' ');
    gen(depth - 1);
}

static void skip_spaces(void) {
    while (*at == ' ')
        at++;
}

static uint32_t expr(void);

static uint32_t primary(void) {
    skip_spaces();
    if (*at == '(') {
        at++;
        uint32_t v = expr();
        skip_spaces();
        at++; /* ')' */
        return v;
    }
    uint32_t v = 0;
    while (*at >= '0' && *at <= '9')
        v = v * 10 + (uint32_t)(*at++ - '0');
    return v;
}

static uint32_t unary(void) {
    skip_spaces();
    if (*at == '-') {
        at++;
        return 0u - unary();
    }
    return primary();
}

static uint32_t term(void) {
    uint32_t v = unary();
    for (;;) {
        skip_spaces();
        char op = *at;
        if (op != '*' && op != '/' && op != '%')
            return v;
        at++;
        uint32_t rhs = unary() | 1; /* never divide by zero */
        v = op == '*' ? v * rhs : op == '/' ? v / rhs : v % rhs;
    }
}

static uint32_t expr(void) {
    uint32_t v = term();
    for (;;) {
        skip_spaces();
        char op = *at;
        if (op != '+' && op != '-')
            return v;
        at++;
        uint32_t rhs = term();
        v = op == '+' ? v + rhs : v - rhs;
    }
}

EXPORT_RUN int64_t run(int32_t size) {
    rng = 0x1234567;
    uint64_t total = 0;
    for (int32_t pass = 0; pass < size; pass++) {
        len = 0;
        gen(14);
        put('\0');
        for (int repeat = 0; repeat < 4; repeat++) {
            at = text;
            total = total * 1000003 + expr() + len;
        }
    }
    return (int64_t)total;
}
