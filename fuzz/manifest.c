/* libFuzzer target: the manifest reader of 'score' (gb_xv_score) on arbitrary bytes as manifest.json in an
 * otherwise empty prediction folder. It must refuse with a message naming the file, before generating any
 * data set; never a crash or a sanitizer report. */
#include "core/status.h"
#include "xval/exchange.h"
#include "xval/xval.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char dir[64], path[96];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/gb-fuzz-manifest.%ld", (long)getpid());
        mkdir(dir, 0700);
        snprintf(path, sizeof path, "%s/manifest.json", dir);
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    gb_xv_matrix *X = malloc(sizeof *X);
    gb_xv_opts o;
    char msg[1024];
    if (gb_xv_score(X, &o, dir, "fuzz", msg, sizeof msg) == GB_OK)
        abort();   /* 625 predictions cannot be there */
    free(X);
    return 0;
}
