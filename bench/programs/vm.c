/* Branchy code and br_table dispatch: a small stack-based bytecode VM whose
 * dense `switch` clang lowers to br_table. The bytecode sums the Collatz
 * chain lengths of 1..n (n is clamped below 113383, the first start whose
 * chain leaves 32 bits). */
#include "common.h"

enum op { PUSH, LOAD, STORE, ADD, MUL, SHR1, AND1, LT, EQ, JMP, JZ, JNZ, HALT };

static int32_t code[128];
static int32_t code_len;

static void emit(int32_t word) { code[code_len++] = word; }
/* Emits a jump with a placeholder target; returns where to patch it. */
static int32_t emit_jump(int32_t op) {
    emit(op);
    emit(-1);
    return code_len - 1;
}
static void patch(int32_t at) { code[at] = code_len; }

/* Registers: r0 = n, r1 = i, r2 = x, r3 = total. */
static void assemble(void) {
    code_len = 0;
    emit(PUSH); emit(1); emit(STORE); emit(1);              /* i = 1 */
    emit(PUSH); emit(0); emit(STORE); emit(3);              /* total = 0 */
    int32_t outer = code_len;
    emit(LOAD); emit(0); emit(LOAD); emit(1); emit(LT);     /* while !(n < i) */
    int32_t exit_outer = emit_jump(JNZ);
    emit(LOAD); emit(1); emit(STORE); emit(2);              /*   x = i */
    int32_t inner = code_len;
    emit(LOAD); emit(2); emit(PUSH); emit(1); emit(EQ);     /*   while x != 1 */
    int32_t exit_inner = emit_jump(JNZ);
    emit(LOAD); emit(2); emit(AND1);                        /*     if x odd */
    int32_t to_even = emit_jump(JZ);
    emit(LOAD); emit(2); emit(PUSH); emit(3); emit(MUL);    /*       x = 3x + 1 */
    emit(PUSH); emit(1); emit(ADD); emit(STORE); emit(2);
    int32_t to_count = emit_jump(JMP);
    patch(to_even);
    emit(LOAD); emit(2); emit(SHR1); emit(STORE); emit(2);  /*     else x = x / 2 */
    patch(to_count);
    emit(LOAD); emit(3); emit(PUSH); emit(1); emit(ADD);    /*     total++ */
    emit(STORE); emit(3);
    emit(JMP); emit(inner);
    patch(exit_inner);
    emit(LOAD); emit(1); emit(PUSH); emit(1); emit(ADD);    /*   i++ */
    emit(STORE); emit(1);
    emit(JMP); emit(outer);
    patch(exit_outer);
    emit(HALT);
}

static NOINLINE uint32_t execute(const int32_t *pc0, uint32_t n) {
    uint32_t stack[16];
    uint32_t reg[4] = {n, 0, 0, 0};
    int32_t sp = 0;
    const int32_t *pc = pc0;
    for (;;) {
        switch ((enum op)*pc++) {
        case PUSH: stack[sp++] = (uint32_t)*pc++; break;
        case LOAD: stack[sp++] = reg[*pc++]; break;
        case STORE: reg[*pc++] = stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case SHR1: stack[sp - 1] >>= 1; break;
        case AND1: stack[sp - 1] &= 1; break;
        case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
        case JMP: pc = pc0 + *pc; break;
        case JZ: if (stack[--sp] == 0) pc = pc0 + *pc; else pc++; break;
        case JNZ: if (stack[--sp] != 0) pc = pc0 + *pc; else pc++; break;
        case HALT: return reg[3];
        }
    }
}

EXPORT_RUN int64_t run(int32_t n) {
    if (n > 113382)
        n = 113382;
    assemble();
    return (int64_t)execute(code, (uint32_t)n);
}
