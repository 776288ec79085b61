#include "xval/npy.h"
#include "core/status.h"
#include "core/str.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned long long gb_fnv1a(unsigned long long h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

int gb_npy_write(const char *path, const double *a, long rows, long cols)
{
    char dict[128];
    int dl = cols > 0 ? snprintf(dict, sizeof dict, "{'descr': '<f8', 'fortran_order': False, 'shape': (%ld, %ld), }",
                                 rows, cols)
                      : snprintf(dict, sizeof dict, "{'descr': '<f8', 'fortran_order': False, 'shape': (%ld,), }", rows);
    /* version 1.0: magic, 2 version bytes, 2-byte header length; data aligned to 64 bytes */
    long hl = dl + 1, total = 10 + hl;
    long pad = (64 - total % 64) % 64;
    hl += pad;
    size_t nd = (size_t)rows * (size_t)(cols > 0 ? cols : 1);
    size_t size = 10 + (size_t)hl + nd * sizeof(double);
    char *buf = malloc(size);
    if (!buf)
        return GB_ENOMEM;
    memcpy(buf, "\x93NUMPY\x01\x00", 8);
    buf[8] = (char)(hl & 0xff);
    buf[9] = (char)(hl >> 8);
    memcpy(buf + 10, dict, (size_t)dl);
    memset(buf + 10 + dl, ' ', (size_t)pad);
    buf[10 + hl - 1] = '\n';
    memcpy(buf + 10 + hl, a, nd * sizeof(double));   /* x86-64 and friends: little-endian */
    int st = gb_file_write_atomic(path, buf, size);
    free(buf);
    return st;
}

#define FAIL(...) do { snprintf(msg, len, __VA_ARGS__); goto fail; } while (0)

int gb_npy_read(const char *path, double **a, long *rows, long *cols, char *msg, size_t len)
{
    *a = NULL;
    char *hdr = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return snprintf(msg, len, "cannot open"), GB_EIO;
    unsigned char pre[12];
    if (fread(pre, 1, 8, fp) != 8 || memcmp(pre, "\x93NUMPY", 6))
        FAIL("not a .npy file (bad magic)");
    size_t hl, lenbytes = pre[6] == 1 ? 2 : 4;
    if (pre[6] < 1 || pre[6] > 3)
        FAIL("unsupported .npy version %d.%d", pre[6], pre[7]);
    if (fread(pre + 8, 1, lenbytes, fp) != lenbytes)
        FAIL("truncated header");
    hl = lenbytes == 2 ? (size_t)pre[8] | (size_t)pre[9] << 8
                       : (size_t)pre[8] | (size_t)pre[9] << 8 | (size_t)pre[10] << 16 | (size_t)pre[11] << 24;
    if (hl > 1 << 20)
        FAIL("header of %zu bytes is too long", hl);
    hdr = calloc(hl + 1, 1);
    if (!hdr || fread(hdr, 1, hl, fp) != hl)
        FAIL("truncated header");
    const char *d = strstr(hdr, "'descr'"), *fo = strstr(hdr, "'fortran_order'"), *sh = strstr(hdr, "'shape'");
    if (!d || !fo || !sh)
        FAIL("header lacks descr, fortran_order or shape");
    d = strchr(d + 7, '\'');
    if (!d || (strncmp(d, "'<f8'", 5) && strncmp(d, "'f8'", 4)))
        FAIL("dtype is not little-endian float64 ('<f8')");
    fo = strchr(fo + 15, ':');
    while (fo && (*fo == ':' || *fo == ' '))
        fo++;
    if (!fo || strncmp(fo, "False", 5))
        FAIL("array is in Fortran order; save it in C order");
    sh = strchr(sh, '(');
    if (!sh)
        FAIL("unreadable shape");
    long dim[3] = {0, 0, 0};
    int nd = 0;
    const char *q = sh + 1;
    while (nd < 3) {
        while (*q == ' ')
            q++;
        if (*q == ')')
            break;
        char *end;
        long v = strtol(q, &end, 10);
        if (end == q || v < 0)
            FAIL("unreadable shape");
        dim[nd++] = v;
        q = end;
        while (*q == ' ' || *q == ',')
            q++;
    }
    if (nd < 1 || nd > 2 || *q != ')')
        FAIL("array has %s dimensions; expected 1 or 2", nd < 1 ? "0" : "more than 2");
    size_t count = (size_t)dim[0] * (size_t)(nd == 2 ? dim[1] : 1);
    double *buf = malloc(count ? count * sizeof(double) : 1);
    if (!buf)
        FAIL("out of memory");
    if (fread(buf, sizeof(double), count, fp) != count) {
        free(buf);
        FAIL("truncated data (expected %zu values)", count);
    }
    if (fgetc(fp) != EOF) {
        free(buf);
        FAIL("trailing bytes after %zu values", count);
    }
    fclose(fp);
    free(hdr);
    *a = buf;
    *rows = dim[0];
    *cols = nd == 2 ? dim[1] : 0;
    return GB_OK;
fail:
    fclose(fp);
    free(hdr);
    return GB_EINVAL;
}
