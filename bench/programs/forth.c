/* An interpreter written in C running a real script: a tiny Forth. Each run
 * compiles the script below (tokenizer, dictionary lookup, control-flow
 * patching) to threaded code, then the inner interpreter runs `main`, which
 * counts primes by trial division, sums Collatz chain lengths and computes
 * a recursive Fibonacci number. */
#include "common.h"

static const char script[] =
    ": prime? ( n -- f ) dup 2 < if drop 0 exit then\n"
    "  2 begin 2dup dup * < 0= while 2dup mod 0= if 2drop 0 exit then 1+ repeat 2drop 1 ;\n"
    ": count-primes ( n -- c ) 0 swap 2 do i prime? + loop ;\n"
    ": fib ( n -- f ) dup 2 < if exit then dup 1- fib swap 2 - fib + ;\n"
    ": collatz ( n -- steps ) 0 swap begin dup 1 > while\n"
    "  dup 2 mod if 3 * 1+ else 2 / then swap 1+ swap repeat drop ;\n"
    ": sum-collatz ( n -- s ) 0 swap 1 do i collatz + loop ;\n"
    ": main ( n -- ) dup count-primes emit dup 2 / sum-collatz emit drop 22 fib emit ;\n";

enum {
    LIT, CALL, RET, JMP, JZ, DO, LOOP,
    /* primitives, in the order of prim_names */
    I, ADD, SUB, MUL, DIV, MOD, DUP, DROP, SWAP, OVER, ROT, LT, GT, EQ, ZEQ, AND, OR,
    EMIT, INC, DEC, TWODUP, TWODROP, PRIM_END
};
static const char *const prim_names[PRIM_END - I] = {
    "i", "+", "-", "*", "/", "mod", "dup", "drop", "swap", "over", "rot", "<", ">", "=",
    "0=", "and", "or", "emit", "1+", "1-", "2dup", "2drop",
};

static int32_t code[2048];
static int32_t here;
struct entry {
    const char *name;
    int32_t len, addr;
};
static struct entry dict[64];
static int32_t ndict;
static uint64_t emitted;

static int same(const char *a, int32_t alen, const char *b) {
    int32_t i = 0;
    for (; i < alen; i++)
        if (b[i] != a[i])
            return 0;
    return b[i] == '\0';
}

static int same_token(const char *a, int32_t alen, const char *b, int32_t blen) {
    if (alen != blen)
        return 0;
    for (int32_t i = 0; i < alen; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

static int all_digits(const char *s, int32_t len) {
    for (int32_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int is_space(char c) { return c == ' ' || c == '\n'; }

static void compile(void) {
    int32_t control[32], depth = 0;
    const char *p = script;
    here = 0;
    ndict = 0;
    for (;;) {
        while (is_space(*p))
            p++;
        if (!*p)
            break;
        const char *tok = p;
        while (*p && !is_space(*p))
            p++;
        int32_t len = (int32_t)(p - tok);
        if (same(tok, len, "(")) {
            while (*p != ')')
                p++;
            p++;
        } else if (same(tok, len, ":")) {
            while (is_space(*p))
                p++;
            dict[ndict].name = p;
            while (!is_space(*p))
                p++;
            dict[ndict].len = (int32_t)(p - dict[ndict].name);
            dict[ndict++].addr = here;
        } else if (same(tok, len, ";") || same(tok, len, "exit")) {
            code[here++] = RET;
        } else if (same(tok, len, "if") || same(tok, len, "while")) {
            code[here++] = JZ;
            control[depth++] = here++;
        } else if (same(tok, len, "else")) {
            code[here++] = JMP;
            code[control[depth - 1]] = here + 1;
            control[depth - 1] = here++;
        } else if (same(tok, len, "then")) {
            code[control[--depth]] = here;
        } else if (same(tok, len, "begin")) {
            control[depth++] = here;
        } else if (same(tok, len, "repeat")) {
            int32_t exit_slot = control[--depth];
            code[here++] = JMP;
            code[here++] = control[--depth];
            code[exit_slot] = here;
        } else if (same(tok, len, "do")) {
            code[here++] = DO;
            control[depth++] = here;
        } else if (same(tok, len, "loop")) {
            code[here++] = LOOP;
            code[here++] = control[--depth];
        } else if (all_digits(tok, len)) {
            int32_t n = 0;
            for (int32_t i = 0; i < len; i++)
                n = n * 10 + (tok[i] - '0');
            code[here++] = LIT;
            code[here++] = n;
        } else {
            int32_t found = -1;
            for (int32_t d = ndict - 1; d >= 0 && found < 0; d--)
                if (same_token(tok, len, dict[d].name, dict[d].len))
                    found = d;
            if (found >= 0) {
                code[here++] = CALL;
                code[here++] = dict[found].addr;
            } else {
                for (int32_t k = 0; k < PRIM_END - I; k++)
                    if (same(tok, len, prim_names[k]))
                        code[here++] = I + k;
            }
        }
    }
}

static int32_t stack[256], rstack[256];

static void execute(int32_t entry, int32_t sp) {
    int32_t rp = 0, ip = entry;
    rstack[rp++] = -1;
    for (;;) {
        int32_t op = code[ip++];
        switch (op) {
        case LIT: stack[sp++] = code[ip++]; break;
        case CALL: rstack[rp++] = ip + 1; ip = code[ip]; break;
        case RET:
            ip = rstack[--rp];
            if (ip < 0)
                return;
            break;
        case JMP: ip = code[ip]; break;
        case JZ: ip = stack[--sp] == 0 ? code[ip] : ip + 1; break;
        case DO:
            rstack[rp++] = stack[sp - 2];
            rstack[rp++] = stack[sp - 1];
            sp -= 2;
            break;
        case LOOP:
            if (++rstack[rp - 1] < rstack[rp - 2])
                ip = code[ip];
            else {
                rp -= 2;
                ip++;
            }
            break;
        case I: stack[sp++] = rstack[rp - 1]; break;
        case ADD: sp--; stack[sp - 1] = (int32_t)((uint32_t)stack[sp - 1] + (uint32_t)stack[sp]); break;
        case SUB: sp--; stack[sp - 1] = (int32_t)((uint32_t)stack[sp - 1] - (uint32_t)stack[sp]); break;
        case MUL: sp--; stack[sp - 1] = (int32_t)((uint32_t)stack[sp - 1] * (uint32_t)stack[sp]); break;
        case DIV: sp--; stack[sp - 1] = stack[sp] ? stack[sp - 1] / stack[sp] : 0; break;
        case MOD: sp--; stack[sp - 1] = stack[sp] ? stack[sp - 1] % stack[sp] : 0; break;
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case DROP: sp--; break;
        case SWAP: { int32_t t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
        case OVER: stack[sp] = stack[sp - 2]; sp++; break;
        case ROT: { int32_t t = stack[sp - 3]; stack[sp - 3] = stack[sp - 2]; stack[sp - 2] = stack[sp - 1]; stack[sp - 1] = t; break; }
        case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp] ? -1 : 0; break;
        case GT: sp--; stack[sp - 1] = stack[sp - 1] > stack[sp] ? -1 : 0; break;
        case EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp] ? -1 : 0; break;
        case ZEQ: stack[sp - 1] = stack[sp - 1] == 0 ? -1 : 0; break;
        case AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case OR: sp--; stack[sp - 1] |= stack[sp]; break;
        case EMIT: emitted = emitted * 1000003 + (uint32_t)stack[--sp]; break;
        case INC: stack[sp - 1] = (int32_t)((uint32_t)stack[sp - 1] + 1); break;
        case DEC: stack[sp - 1] = (int32_t)((uint32_t)stack[sp - 1] - 1); break;
        case TWODUP: stack[sp] = stack[sp - 2]; stack[sp + 1] = stack[sp - 1]; sp += 2; break;
        case TWODROP: sp -= 2; break;
        default: return;
        }
    }
}

EXPORT_RUN int64_t run(int32_t size) {
    compile();
    emitted = (uint64_t)here;
    int32_t main_addr = -1;
    for (int32_t d = 0; d < ndict; d++)
        if (same(dict[d].name, dict[d].len, "main"))
            main_addr = dict[d].addr;
    if (main_addr < 0)
        return -1;
    stack[0] = size;
    execute(main_addr, 1);
    return (int64_t)emitted;
}
