/* libFuzzer target: gb_xv_result_read on arbitrary bytes. A stored training result must be read in full
 * or refused with a message; never a crash or a sanitizer report. */
#include "core/status.h"
#include "xval/store.h"
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/gb-fuzz-store.%ld", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    gb_xv_result r;
    char msg[512];
    gb_xv_result_read(&r, path, "model=mlp row=s4 seed=3", msg, sizeof msg);
    return 0;
}
