/* libFuzzer target: gb_npz_extract on arbitrary bytes as an .npz archive, unpacking into a fresh folder that is
 * emptied after each input. Every input must be refused or unpacked without a crash, a sanitizer report, a write
 * outside the folder, or more bytes than the archive's central directory declares. */
#include "core/status.h"
#include "xval/npz.h"
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64], dir[64];
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/gb-fuzz-npz.%ld.npz", (long)getpid());
        snprintf(dir, sizeof dir, "/tmp/gb-fuzz-npz.%ld.d", (long)getpid());
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    mkdir(dir, 0700);
    char msg[512];
    gb_npz_extract(path, dir, msg, sizeof msg);
    DIR *dp = opendir(dir);   /* empty the folder for the next input */
    if (dp) {
        struct dirent *e;
        char p[600];
        while ((e = readdir(dp)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                if (strchr(e->d_name, '/'))
                    abort();
                snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
                unlink(p);
            }
        closedir(dp);
    }
    return 0;
}
