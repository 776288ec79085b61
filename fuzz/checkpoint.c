/* libFuzzer target: gb_nn_load on arbitrary bytes. A checkpoint must be loaded in full or refused with a
 * message; never a crash, a hang or a sanitizer report. */
#include "core/status.h"
#include "nn/model.h"
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/gb-fuzz-checkpoint.%ld", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    gb_nn_model_t m;
    char msg[512];
    if (gb_nn_load(m, path, 64, msg, sizeof msg) == GB_OK)
        gb_nn_model_clear(m);
    return 0;
}
