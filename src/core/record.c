/* The pieces of a stored result file: see record.h. */
#include "core/record.h"
#include "core/status.h"

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
