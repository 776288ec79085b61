#include "xval/npy.h"
#include "core/bytes.h"
#include "core/status.h"
#include "core/str.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the values are little-endian ('<f8', '<f4'), packed and unpacked byte by byte (core/bytes.h) */

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
    unsigned char *d = (unsigned char *)buf + 10 + hl;
    for (size_t i = 0; i < nd; i++)
        d = gb_le_put_double(d, a[i]);
    int st = gb_file_write_atomic(path, buf, size);
    free(buf);
    return st;
}

#define FAIL(...) do { snprintf(msg, len, __VA_ARGS__); goto fail; } while (0)

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n')
        p++;
    return p;
}

/* a quoted Python string literal (no escapes: none of the three values needs one) into out */
static const char *quoted(const char *p, char *out, size_t n)
{
    char q = *p;
    if (q != '\'' && q != '"')
        return NULL;
    const char *e = strchr(p + 1, q);
    if (!e || (size_t)(e - p - 1) >= n)
        return NULL;
    memcpy(out, p + 1, (size_t)(e - p - 1));
    out[e - p - 1] = 0;
    return e + 1;
}

/* The header is a Python dict literal with exactly the keys 'descr', 'fortran_order' and 'shape' at its
 * top level (numpy writes nothing else). Parsed as such: a key's name appearing inside another value
 * is only text. */
static int parse_header(const char *h, char *descr, size_t dn, int *fortran, long *dim, int *nd, char *msg,
                        size_t len)
{
    int seen[3] = {0, 0, 0};
    const char *p = skip_ws(h);
    if (*p++ != '{')
        return snprintf(msg, len, "header is not a dictionary"), GB_EINVAL;
    for (;;) {
        p = skip_ws(p);
        if (*p == '}')
            break;
        char key[32];
        if (!(p = quoted(p, key, sizeof key)))
            return snprintf(msg, len, "header: unreadable key"), GB_EINVAL;
        p = skip_ws(p);
        if (*p++ != ':')
            return snprintf(msg, len, "header: ':' expected after '%s'", key), GB_EINVAL;
        p = skip_ws(p);
        int k = !strcmp(key, "descr") ? 0 : !strcmp(key, "fortran_order") ? 1 : !strcmp(key, "shape") ? 2 : -1;
        if (k < 0)
            return snprintf(msg, len, "header: unknown key '%s'", key), GB_EINVAL;
        if (seen[k]++)
            return snprintf(msg, len, "header: key '%s' given twice", key), GB_EINVAL;
        if (k == 0 && !(p = quoted(p, descr, dn)))
            return snprintf(msg, len, "header: unreadable descr"), GB_EINVAL;
        if (k == 1) {
            if (!strncmp(p, "True", 4))
                *fortran = 1, p += 4;
            else if (!strncmp(p, "False", 5))
                *fortran = 0, p += 5;
            else
                return snprintf(msg, len, "header: fortran_order is neither True nor False"), GB_EINVAL;
        }
        if (k == 2) {
            if (*p++ != '(')
                return snprintf(msg, len, "unreadable shape"), GB_EINVAL;
            *nd = 0;
            for (;;) {
                p = skip_ws(p);
                if (*p == ')')
                    break;
                char *end;
                errno = 0;
                long v = strtol(p, &end, 10);
                if (end == p || v < 0 || errno)
                    return snprintf(msg, len, "unreadable shape"), GB_EINVAL;
                if (*nd == 2)
                    return snprintf(msg, len, "array has more than 2 dimensions; expected 1 or 2"), GB_EINVAL;
                dim[(*nd)++] = v;
                p = skip_ws(end);
                if (*p == ',')
                    p++;
                else if (*p != ')')
                    return snprintf(msg, len, "unreadable shape"), GB_EINVAL;
            }
            p++;
        }
        p = skip_ws(p);
        if (*p == ',')
            p++;
        else if (*p != '}')
            return snprintf(msg, len, "header: ',' or '}' expected after '%s'", key), GB_EINVAL;
    }
    if (*skip_ws(p + 1))
        return snprintf(msg, len, "header: text after the dictionary"), GB_EINVAL;
    if (!seen[0] || !seen[1] || !seen[2])
        return snprintf(msg, len, "header lacks descr, fortran_order or shape"), GB_EINVAL;
    return GB_OK;
}

/* opens a .npy file and reads its header: on GB_OK *fpo is positioned at the data, *count values of float64
 * follow and the file's size matches exactly */
/* opens a float64 or float32 array in C or Fortran order: *es the element size (8 or 4), *fortran its order */
static int npy_open(FILE **fpo, const char *path, long *rows, long *cols, size_t *countp, int *es, int *fortranp,
                    char *msg, size_t len)
{
    char *hdr = NULL;
    *fpo = NULL;
    /* O_NONBLOCK: a FIFO in the file's place must not block the read; it is refused below */
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0)
        return snprintf(msg, len, "cannot open: %s", strerror(errno)), GB_EIO;
    struct stat sb;
    if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
        close(fd);
        return snprintf(msg, len, "not a regular file"), GB_EINVAL;
    }
    FILE *fp = fdopen(fd, "rb");
    if (!fp) {
        close(fd);
        return snprintf(msg, len, "cannot open"), GB_EIO;
    }
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
    if (memchr(hdr, 0, hl))
        FAIL("header holds a NUL byte");
    char descr[16];
    int fortran = 0, nd = 0;
    long dim[2] = {0, 0};
    if (parse_header(hdr, descr, sizeof descr, &fortran, dim, &nd, msg, len))
        goto fail;
    /* float64 or float32 (what PyTorch gives), little-endian; '|' and '=' are not valid for floats */
    int size = !strcmp(descr, "<f8") || !strcmp(descr, "f8") ? 8 : !strcmp(descr, "<f4") || !strcmp(descr, "f4") ? 4 : 0;
    if (!size)
        FAIL("dtype '%s' is neither little-endian float64 ('<f8') nor float32 ('<f4')", descr);
    if (nd < 1)
        FAIL("array has 0 dimensions; expected 1 or 2");
    size_t count, bytes, start = 8 + lenbytes + hl;
    if (__builtin_mul_overflow((size_t)dim[0], (size_t)(nd == 2 ? dim[1] : 1), &count) ||
        __builtin_mul_overflow(count, (size_t)size, &bytes))
        FAIL("shape (%ld, %ld) overflows", dim[0], dim[1]);
    /* the file's size decides before any allocation: a header cannot ask for more than the file holds */
    if ((size_t)sb.st_size != start + bytes)
        FAIL("truncated or padded: the file holds %lld bytes, its header promises %zu", (long long)sb.st_size,
             start + bytes);
    free(hdr);
    *fpo = fp;
    *rows = dim[0];
    *cols = nd == 2 ? dim[1] : 0;
    *countp = count;
    *es = size;
    *fortranp = fortran && nd == 2;
    return GB_OK;
fail:
    fclose(fp);
    free(hdr);
    return GB_EINVAL;
}

int gb_npy_shape(const char *path, long *rows, long *cols, char *msg, size_t len)
{
    FILE *fp;
    size_t count;
    int es, fortran;
    int st = npy_open(&fp, path, rows, cols, &count, &es, &fortran, msg, len);
    if (!st)
        fclose(fp);
    return st;
}

int gb_npy_read(const char *path, double **a, long *rows, long *cols, char *msg, size_t len)
{
    *a = NULL;
    FILE *fp;
    size_t count;
    int es, fortran;
    int st = npy_open(&fp, path, rows, cols, &count, &es, &fortran, msg, len);
    if (st)
        return st;
    double *buf = malloc(count ? count * sizeof(double) : 1), *out = fortran ? malloc(count * sizeof(double) + 1) : buf;
    if (!buf || !out) {
        free(buf);
        if (fortran)
            free(out);
        fclose(fp);
        return snprintf(msg, len, "out of memory"), GB_ENOMEM;
    }
    /* float32 is read into the upper half of the buffer and widened in place from the front */
    void *raw = es == 8 ? (void *)buf : (void *)((float *)buf + count);
    if (fread(raw, (size_t)es, count, fp) != count || fgetc(fp) != EOF) {
        free(buf);
        if (fortran)
            free(out);
        fclose(fp);
        return snprintf(msg, len, "truncated data (expected %zu values)", count), GB_EINVAL;
    }
    fclose(fp);
    /* in place from the front: value i never lies below the bytes of values i + 1, … still to be read */
    const unsigned char *rb = raw;
    for (size_t i = 0; i < count; i++)
        if (es == 8)
            buf[i] = gb_le_get_double(rb + 8 * i);
        else {
            uint32_t v = (uint32_t)gb_le_get(rb + 4 * i, 4);
            float x;
            memcpy(&x, &v, 4);
            buf[i] = (double)x;
        }
    if (fortran) {   /* column-major rows × cols → row-major */
        long r = *rows, c = *cols;
        for (long j = 0; j < c; j++)
            for (long i = 0; i < r; i++)
                out[i * c + j] = buf[j * r + i];
        free(buf);
    }
    *a = out;
    return GB_OK;
}
