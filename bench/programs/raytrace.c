/* f64 kernel: a small ray tracer (spheres and a plane, one point light,
 * shadows, up to three reflections) over a size x size image. The checksum
 * hashes every pixel's quantized colour. */
#include "common.h"

typedef struct {
    double x, y, z;
} vec;

static vec v(double x, double y, double z) { vec r = {x, y, z}; return r; }
static vec add(vec a, vec b) { return v(a.x + b.x, a.y + b.y, a.z + b.z); }
static vec sub(vec a, vec b) { return v(a.x - b.x, a.y - b.y, a.z - b.z); }
static vec scale(vec a, double s) { return v(a.x * s, a.y * s, a.z * s); }
static double dot(vec a, vec b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
static vec norm(vec a) { return scale(a, 1.0 / __builtin_sqrt(dot(a, a))); }

struct sphere {
    vec center;
    double radius, reflect;
    vec color;
};

#define SPHERES 5
static const struct sphere spheres[SPHERES] = {
    {{0, 1, 5}, 1, 0.3, {0.9, 0.2, 0.2}},
    {{-2.2, 0.8, 6}, 0.8, 0.5, {0.2, 0.9, 0.3}},
    {{2.1, 0.6, 4.5}, 0.6, 0.1, {0.2, 0.3, 0.9}},
    {{0.7, 0.3, 3}, 0.3, 0.7, {0.9, 0.9, 0.2}},
    {{-0.9, 0.25, 3.4}, 0.25, 0.0, {0.8, 0.5, 0.9}},
};
static const vec light = {-4, 6, -2};

/* Nearest hit along the ray: distance, or -1; *which is the sphere index or
 * SPHERES for the floor plane y = 0. */
static double intersect(vec origin, vec dir, int *which) {
    double best = -1;
    for (int i = 0; i < SPHERES; i++) {
        vec oc = sub(origin, spheres[i].center);
        double b = dot(oc, dir);
        double c = dot(oc, oc) - spheres[i].radius * spheres[i].radius;
        double disc = b * b - c;
        if (disc < 0)
            continue;
        double t = -b - __builtin_sqrt(disc);
        if (t > 1e-6 && (best < 0 || t < best)) {
            best = t;
            *which = i;
        }
    }
    if (dir.y < -1e-9) {
        double t = -origin.y / dir.y;
        if (t > 1e-6 && (best < 0 || t < best)) {
            best = t;
            *which = SPHERES;
        }
    }
    return best;
}

static vec trace(vec origin, vec dir, int depth) {
    int which = 0;
    double t = intersect(origin, dir, &which);
    if (t < 0)
        return v(0.5 + 0.3 * dir.y, 0.6 + 0.3 * dir.y, 0.9);
    vec hit = add(origin, scale(dir, t));
    vec normal, color;
    double reflect;
    if (which == SPHERES) {
        normal = v(0, 1, 0);
        int check = ((int)(hit.x + 1000) + (int)(hit.z + 1000)) & 1;
        color = check ? v(0.9, 0.9, 0.9) : v(0.1, 0.1, 0.1);
        reflect = 0.2;
    } else {
        normal = norm(sub(hit, spheres[which].center));
        color = spheres[which].color;
        reflect = spheres[which].reflect;
    }
    vec to_light = norm(sub(light, hit));
    double diffuse = dot(normal, to_light);
    if (diffuse < 0)
        diffuse = 0;
    int blocker = 0;
    vec nudged = add(hit, scale(normal, 1e-4));
    if (diffuse > 0 && intersect(nudged, to_light, &blocker) > 0)
        diffuse *= 0.2;
    vec result = scale(color, 0.1 + 0.9 * diffuse);
    if (depth > 0 && reflect > 0) {
        vec r = sub(dir, scale(normal, 2 * dot(dir, normal)));
        result = add(scale(result, 1 - reflect), scale(trace(nudged, r, depth - 1), reflect));
    }
    return result;
}

static uint32_t quantize(double c) {
    if (c < 0)
        c = 0;
    if (c > 1)
        c = 1;
    return (uint32_t)(c * 255.0 + 0.5);
}

EXPORT_RUN int64_t run(int32_t size) {
    uint64_t hash = 14695981039346656037ull;
    vec eye = v(0, 1.2, -2);
    for (int32_t py = 0; py < size; py++) {
        for (int32_t px = 0; px < size; px++) {
            double x = (2.0 * px / size - 1.0) * 1.2;
            double y = (1.0 - 2.0 * py / size) * 0.9 + 0.4;
            vec dir = norm(v(x, y - 0.6, 1.5));
            vec c = trace(eye, dir, 3);
            uint32_t rgb = quantize(c.x) << 16 | quantize(c.y) << 8 | quantize(c.z);
            hash = (hash ^ rgb) * 1099511628211ull;
        }
    }
    return (int64_t)hash;
}
