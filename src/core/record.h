/* The pieces of a stored result file (the full tier's stores, SPEC §8): JSON numbers that read back bit for
 * bit (17 digits; NaN as null and ±∞ as the strings "inf", "-inf", which JSON lacks) and a checksum that covers
 * every number — FNV-1a 64 over the key and then each value as 8 little-endian bytes (doubles as IEEE-754 with
 * one canonical NaN, integers as int64) — so that a truncated, edited or foreign file is refused. */
#ifndef GB_CORE_RECORD_H
#define GB_CORE_RECORD_H

#include <jansson.h>
#include <stddef.h>

#define GB_FNV_OFFSET 0xcbf29ce484222325ULL
unsigned long long gb_fnv1a(unsigned long long h, const void *p, size_t n);

unsigned long long gb_record_hash_double(unsigned long long h, double v);
unsigned long long gb_record_hash_long(unsigned long long h, long v);
/* a double as a JSON value (see above), and back: 0 when v is none of those forms */
json_t *gb_record_num(double v);
int gb_record_get_num(double *x, const json_t *v);
/* the folders above path, made as needed */
int gb_record_mkdirs_for(const char *path);
/* opens a stored record: GB_ENOENT when there is no file; GB_EIO, or GB_EINVAL for a file that is not regular or
 * not JSON ("<path>: corrupt stored <what> (line …)"), with msg; else *js (the caller decrefs) */
int gb_record_load(json_t **js, const char *path, const char *what, char *msg, size_t len);
/* an integer member: 0 when it is missing or not an integer */
int gb_record_get_long(long *x, const json_t *o, const char *name);
/* js (decref'd here) written atomically to path, 17 digits, one line break at the end, folders made as needed */
int gb_record_write(json_t *js, const char *path, size_t flags);

#endif
