/* Native driver: prints run(size) so build.sh can record the checksum the
 * wasm build must reproduce. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

int64_t run(int32_t size);

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s SIZE\n", argv[0]);
        return 2;
    }
    printf("%" PRId64 "\n", run((int32_t)atoi(argv[1])));
    return 0;
}
