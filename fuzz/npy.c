/* libFuzzer target: gb_npy_read on arbitrary bytes. The parser must reject or accept every input without
 * a crash, a sanitizer report, or an allocation larger than the file (its header is outside input). */
#include "core/status.h"
#include "xval/npy.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/gb-fuzz-npy.%ld", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    double *a;
    long r, c;
    char msg[256];
    if (gb_npy_read(path, &a, &r, &c, msg, sizeof msg) == GB_OK) {
        volatile double sink = 0;
        for (long k = 0; k < r * (c ? c : 1); k++)   /* every value the header promised is there */
            sink += a[k];
        (void)sink;
        free(a);
    }
    return 0;
}
