#include "core/str.h"
#include "core/status.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void gb_str_init(gb_str *b) { b->s = NULL; b->len = b->cap = 0; }
void gb_str_clear(gb_str *b) { free(b->s); gb_str_init(b); }
const char *gb_str_get(const gb_str *b) { return b->s ? b->s : ""; }

void gb_str_printf(gb_str *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s)
            abort(); /* report text only: running out here leaves nothing sensible to do */
        b->s = s;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

int gb_file_write_atomic(const char *path, const char *data, size_t len)
{
    size_t pl = strlen(path) + 32;
    char *tmp = malloc(pl);
    if (!tmp)
        return GB_ENOMEM;
    snprintf(tmp, pl, "%s.tmp.%ld", path, (long)getpid());
    FILE *fp = fopen(tmp, "wb");
    if (!fp) {
        free(tmp);
        return GB_EIO;
    }
    int ok = fwrite(data, 1, len, fp) == len;
    ok &= fflush(fp) == 0;
    ok &= fclose(fp) == 0;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        free(tmp);
        return GB_EIO;
    }
    free(tmp);
    return GB_OK;
}
