/* A growable string, for building report text. */
#ifndef GB_CORE_STR_H
#define GB_CORE_STR_H

#include <stddef.h>

typedef struct { char *s; size_t len, cap; } gb_str;

void gb_str_init(gb_str *b);
void gb_str_clear(gb_str *b);
void gb_str_printf(gb_str *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *gb_str_get(const gb_str *b); /* never NULL */

/* x printed by a one-number format (e.g. "%g", "%.0e") as a rule's text spells it: the exponent without '+' and
 * leading zeros (1e-09 -> 1e-9, 1e+03 -> 1e3) and, when minus is not NULL, each '-' written as minus (e.g. "−").
 * A named threshold and its printed rule then come from the same constant. Returns buf. */
char *gb_num_text(char *buf, size_t len, const char *fmt, double x, const char *minus)
    __attribute__((format(printf, 3, 0)));
/* the same in storage that lasts to the end of the enclosing block (an argument of a printf-like call) */
#define GB_NUM(fmt, x) gb_num_text((char[48]){0}, 48, (fmt), (x), NULL)
#define GB_NUM_MINUS(fmt, x) gb_num_text((char[48]){0}, 48, (fmt), (x), "−")
/* a constant's literal text as a string literal, for text fixed at compile time (a registry title): the constant
 * is then written as the text should read (1e-20, not 1.0e-20), and both the check and the text read it */
#define GB_STR(x) GB_STR_(x)
#define GB_STR_(x) #x

/* Writes `len` bytes to `path` atomically: a temporary file beside it, then rename.
 * On failure nothing at `path` changes. */
int gb_file_write_atomic(const char *path, const char *data, size_t len);

/* Creates a new, empty file named `path`.tmp.XXXXXX, exclusively (never through an existing name or a
 * symbolic link), and returns its descriptor, or -1 with errno set. *tmp receives its name (free it). */
int gb_file_tmp_create(char **tmp, const char *path);

#endif
