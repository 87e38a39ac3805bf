/* Sorting: quicksort (median of three, insertion sort for short ranges) and
 * heapsort over the same pseudo-random array; checks both orders agree. */
#include "common.h"

#define MAX_N (1 << 20)
static uint32_t data[MAX_N], copy[MAX_N];

static void insertion_sort(uint32_t *v, int32_t lo, int32_t hi) {
    for (int32_t i = lo + 1; i <= hi; i++) {
        uint32_t x = v[i];
        int32_t j = i - 1;
        while (j >= lo && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static inline void swap(uint32_t *v, int32_t i, int32_t j) {
    uint32_t t = v[i];
    v[i] = v[j];
    v[j] = t;
}

static NOINLINE void quicksort(uint32_t *v, int32_t lo, int32_t hi) {
    while (hi - lo > 16) {
        int32_t mid = lo + (hi - lo) / 2;
        if (v[mid] < v[lo]) swap(v, mid, lo);
        if (v[hi] < v[lo]) swap(v, hi, lo);
        if (v[hi] < v[mid]) swap(v, hi, mid);
        uint32_t pivot = v[mid];
        int32_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i <= j) swap(v, i++, j--);
        }
        /* Recurse into the smaller half, loop on the larger one. */
        if (j - lo < hi - i) {
            quicksort(v, lo, j);
            lo = i;
        } else {
            quicksort(v, i, hi);
            hi = j;
        }
    }
    insertion_sort(v, lo, hi);
}

static void sift_down(uint32_t *v, int32_t root, int32_t end) {
    for (;;) {
        int32_t child = 2 * root + 1;
        if (child >= end) return;
        if (child + 1 < end && v[child] < v[child + 1]) child++;
        if (v[root] >= v[child]) return;
        swap(v, root, child);
        root = child;
    }
}

static NOINLINE void heapsort(uint32_t *v, int32_t n) {
    for (int32_t i = n / 2 - 1; i >= 0; i--)
        sift_down(v, i, n);
    for (int32_t end = n - 1; end > 0; end--) {
        swap(v, 0, end);
        sift_down(v, 0, end);
    }
}

EXPORT_RUN int64_t run(int32_t n) {
    if (n > MAX_N)
        n = MAX_N;
    uint32_t seed = 0xdeadbeefu;
    for (int32_t i = 0; i < n; i++)
        copy[i] = data[i] = xorshift32(&seed) % 1000000u;
    quicksort(data, 0, n - 1);
    heapsort(copy, n);
    uint64_t sum = 0;
    for (int32_t i = 0; i < n; i++) {
        if (data[i] != copy[i])
            return -1; /* the two sorts disagree: an engine bug */
        sum = sum * 31u + data[i];
    }
    return (int64_t)sum;
}
