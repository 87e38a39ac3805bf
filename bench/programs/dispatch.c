/* Many small functions and indirect calls: objects of six "classes" whose
 * methods are reached through per-class tables of function pointers
 * (virtual dispatch, `call_indirect`), plus a byte stream interpreted by a
 * table of tiny operator functions. */
#include "common.h"

struct object;

struct vtable {
    void (*step)(struct object *, uint32_t);
    uint32_t (*measure)(const struct object *);
    uint32_t (*combine)(const struct object *, uint32_t);
};

struct object {
    const struct vtable *vt;
    uint32_t a, b;
};

static void step_counter(struct object *o, uint32_t x) { o->a += x & 7; }
static void step_rotor(struct object *o, uint32_t x) { o->a = (o->a << 3 | o->a >> 29) ^ x; }
static void step_pair(struct object *o, uint32_t x) { o->a += o->b; o->b ^= x; }
static void step_decay(struct object *o, uint32_t x) { o->a = o->a - (o->a >> 4) + (x >> 28); }
static void step_toggle(struct object *o, uint32_t x) { if (x & 1) o->b = ~o->b; else o->a++; }
static void step_mix(struct object *o, uint32_t x) { o->a = o->a * 33 + x; o->b += o->a >> 16; }

static uint32_t measure_a(const struct object *o) { return o->a; }
static uint32_t measure_b(const struct object *o) { return o->b; }
static uint32_t measure_sum(const struct object *o) { return o->a + o->b; }
static uint32_t measure_xor(const struct object *o) { return o->a ^ o->b; }

static uint32_t combine_add(const struct object *o, uint32_t acc) { return acc + o->vt->measure(o); }
static uint32_t combine_mul(const struct object *o, uint32_t acc) { return acc * 3 + o->vt->measure(o); }
static uint32_t combine_rot(const struct object *o, uint32_t acc) {
    uint32_t m = o->vt->measure(o);
    return (acc << 5 | acc >> 27) ^ m;
}

static const struct vtable classes[6] = {
    {step_counter, measure_a, combine_add},
    {step_rotor, measure_a, combine_rot},
    {step_pair, measure_sum, combine_mul},
    {step_decay, measure_a, combine_add},
    {step_toggle, measure_xor, combine_rot},
    {step_mix, measure_b, combine_mul},
};

typedef uint32_t (*binop)(uint32_t, uint32_t);
static uint32_t op_add(uint32_t x, uint32_t y) { return x + y; }
static uint32_t op_sub(uint32_t x, uint32_t y) { return x - y; }
static uint32_t op_mul(uint32_t x, uint32_t y) { return x * (y | 1); }
static uint32_t op_xor(uint32_t x, uint32_t y) { return x ^ y; }
static uint32_t op_rol(uint32_t x, uint32_t y) { return x << (y & 31) | x >> ((32 - (y & 31)) & 31); }
static uint32_t op_min(uint32_t x, uint32_t y) { return x < y ? x : y; }
static uint32_t op_max(uint32_t x, uint32_t y) { return x > y ? x : y; }
static uint32_t op_avg(uint32_t x, uint32_t y) { return (x >> 1) + (y >> 1); }
static const binop ops[8] = {op_add, op_sub, op_mul, op_xor, op_rol, op_min, op_max, op_avg};

#define OBJECTS 256
static struct object objects[OBJECTS];
static uint8_t stream[4096];

EXPORT_RUN int64_t run(int32_t size) {
    uint32_t rng = 2463534242u;
    for (int i = 0; i < OBJECTS; i++) {
        uint32_t r = xorshift32(&rng);
        objects[i].vt = &classes[r % 6];
        objects[i].a = r;
        objects[i].b = r >> 7;
    }
    for (int i = 0; i < 4096; i++)
        stream[i] = (uint8_t)xorshift32(&rng);
    uint32_t acc = 0, reg = 1;
    for (int32_t round = 0; round < size; round++) {
        for (int i = 0; i < OBJECTS; i++) {
            struct object *o = &objects[i];
            o->vt->step(o, xorshift32(&rng));
        }
        for (int i = 0; i < OBJECTS; i++)
            acc = objects[i].vt->combine(&objects[i], acc);
        for (int i = 0; i < 512; i++) {
            uint8_t byte = stream[(round * 512 + i) & 4095];
            reg = ops[byte & 7](reg, acc + byte);
        }
    }
    return (int64_t)(((uint64_t)acc << 32) | reg);
}
