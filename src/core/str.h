/* A growable string, for building report text. */
#ifndef GB_CORE_STR_H
#define GB_CORE_STR_H

#include <stddef.h>

typedef struct { char *s; size_t len, cap; } gb_str;

void gb_str_init(gb_str *b);
void gb_str_clear(gb_str *b);
void gb_str_printf(gb_str *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *gb_str_get(const gb_str *b); /* never NULL */

/* Writes `len` bytes to `path` atomically: a temporary file beside it, then rename.
 * On failure nothing at `path` changes. */
int gb_file_write_atomic(const char *path, const char *data, size_t len);

/* Creates a new, empty file named `path`.tmp.XXXXXX, exclusively (never through an existing name or a
 * symbolic link), and returns its descriptor, or -1 with errno set. *tmp receives its name (free it). */
int gb_file_tmp_create(char **tmp, const char *path);

#endif
