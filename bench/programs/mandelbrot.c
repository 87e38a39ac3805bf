/* f64 arithmetic with data-dependent branches: iteration counts of the
 * Mandelbrot set over a size x size grid. */
#include "common.h"

#define MAX_ITER 64

EXPORT_RUN int64_t run(int32_t size) {
    uint64_t total = 0, inside = 0;
    for (int32_t py = 0; py < size; py++) {
        double ci = 2.0 * py / size - 1.0;
        for (int32_t px = 0; px < size; px++) {
            double cr = 2.0 * px / size - 1.5;
            double zr = 0, zi = 0;
            int32_t it = 0;
            while (it < MAX_ITER) {
                double zr2 = zr * zr, zi2 = zi * zi;
                if (zr2 + zi2 > 4.0)
                    break;
                zi = 2.0 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                it++;
            }
            total += (uint64_t)it;
            inside += it == MAX_ITER;
        }
    }
    return (int64_t)(total * 1000003u + inside);
}
