/* The pieces of a stored result file: see record.h. */
#include "core/record.h"
#include "core/status.h"
#include "core/str.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* 64-bit FNV-1a of n bytes, continuing from h (start with GB_FNV_OFFSET) */
unsigned long long gb_fnv1a(unsigned long long h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

unsigned long long gb_record_hash_double(unsigned long long h, double v)
{
    unsigned char b[8];
    uint64_t u;
    if (isnan(v))
        v = NAN;   /* one NaN: the sign and payload of a NaN do not survive JSON */
    memcpy(&u, &v, 8);
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(u >> (8 * i));
    return gb_fnv1a(h, b, 8);
}

unsigned long long gb_record_hash_long(unsigned long long h, long v)
{
    unsigned char b[8];
    uint64_t u = (uint64_t)(int64_t)v;
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(u >> (8 * i));
    return gb_fnv1a(h, b, 8);
}

json_t *gb_record_num(double v)
{
    if (isnan(v))
        return json_null();
    if (isinf(v))
        return json_string(v > 0 ? "inf" : "-inf");
    return json_real(v);
}

int gb_record_get_num(double *x, const json_t *v)
{
    if (json_is_null(v))
        return *x = NAN, 1;
    if (json_is_number(v))
        return *x = json_number_value(v), 1;
    if (json_is_string(v) && !strcmp(json_string_value(v), "inf"))
        return *x = INFINITY, 1;
    if (json_is_string(v) && !strcmp(json_string_value(v), "-inf"))
        return *x = -INFINITY, 1;
    return 0;
}

int gb_record_load(json_t **js, const char *path, const char *what, char *msg, size_t len)
{
    struct stat sb;
    if (stat(path, &sb))
        return errno == ENOENT ? GB_ENOENT : (snprintf(msg, len, "%s: %s", path, strerror(errno)), GB_EIO);
    if (!S_ISREG(sb.st_mode))   /* a FIFO or a folder would hang or fail the parser */
        return snprintf(msg, len, "%s: not a regular file", path), GB_EINVAL;
    json_error_t je;
    *js = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!*js)
        return snprintf(msg, len, "%s: corrupt stored %s (line %d: %s)", path, what, je.line, je.text), GB_EINVAL;
    return GB_OK;
}

int gb_record_get_long(long *x, const json_t *o, const char *name)
{
    const json_t *v = json_object_get(o, name);
    if (!json_is_integer(v))
        return 0;
    *x = (long)json_integer_value(v);
    return 1;
}

int gb_record_write(json_t *js, const char *path, size_t flags)
{
    char *s = json_dumps(js, flags | JSON_REAL_PRECISION(17) | JSON_PRESERVE_ORDER);
    json_decref(js);
    if (!s)
        return GB_ENOMEM;
    gb_str b = {s, strlen(s), strlen(s) + 1};
    gb_str_printf(&b, "\n");
    int st = gb_record_mkdirs_for(path);
    if (!st)
        st = gb_file_write_atomic(path, gb_str_get(&b), b.len);
    gb_str_clear(&b);
    return st;
}

int gb_record_mkdirs_for(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(buf, 0777) && errno != EEXIST)
                return GB_EIO;
            *p = '/';
        }
    return GB_OK;
}
