#include "core/str.h"
#include "core/status.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <ctype.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>

void gb_str_init(gb_str *b) { b->s = NULL; b->len = b->cap = 0; }
void gb_str_clear(gb_str *b) { free(b->s); gb_str_init(b); }
const char *gb_str_get(const gb_str *b) { return b->s ? b->s : ""; }

char *gb_num_text(char *buf, size_t len, const char *fmt, double x, const char *minus)
{
    char t[64];
    snprintf(t, sizeof t, fmt, x);
    char *e = strpbrk(t, "eE");
    if (e) {   /* the exponent: its sign only when negative, no leading zeros */
        char *d = e + 1;
        const char *s = d;
        if (*s == '-')
            d++, s++;
        else if (*s == '+')
            s++;
        while (s[0] == '0' && isdigit((unsigned char)s[1]))
            s++;
        memmove(d, s, strlen(s) + 1);
    }
    size_t n = 0;
    if (len)
        buf[0] = 0;
    for (const char *c = t; *c && n + 1 < len; c++) {
        int w = *c == '-' && minus ? snprintf(buf + n, len - n, "%s", minus) : snprintf(buf + n, len - n, "%c", *c);
        if (w < 0 || (size_t)w >= len - n) {   /* no room: end before the piece */
            buf[n] = 0;
            break;
        }
        n += (size_t)w;
    }
    return buf;
}

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

/* A new file beside `path`, created exclusively (O_EXCL through mkstemp: an existing file or a
 * symbolic link planted at the name is never followed), with the permissions a plain creat() would
 * give under the current umask. Its name goes to *tmp (the caller frees it). */
int gb_file_tmp_create(char **tmp, const char *path)
{
    size_t pl = strlen(path) + sizeof ".tmp.XXXXXX";
    char *t = malloc(pl);
    if (!t)
        return *tmp = NULL, -1;
    snprintf(t, pl, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(t);
    if (fd < 0) {
        free(t);
        return *tmp = NULL, -1;
    }
    mode_t um = umask(0);
    umask(um);
    if (fchmod(fd, 0666 & ~um)) {
        close(fd);
        unlink(t);
        free(t);
        return *tmp = NULL, -1;
    }
    *tmp = t;
    return fd;
}

int gb_file_write_atomic(const char *path, const char *data, size_t len)
{
    char *tmp;
    int fd = gb_file_tmp_create(&tmp, path);
    if (fd < 0)
        return errno == ENOMEM ? GB_ENOMEM : GB_EIO;
    int ok = 1;
    for (size_t done = 0; ok && done < len;) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        ok = w > 0;
        done += ok ? (size_t)w : 0;
    }
    ok &= close(fd) == 0;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        free(tmp);
        return GB_EIO;
    }
    free(tmp);
    return GB_OK;
}
