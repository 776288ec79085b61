#include "report/stage.h"
#include "core/status.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(path) ? -1 : 0;
}

void gb_stage_remove(const char *stage)
{
    nftw(stage, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* dir's parent and last name, without trailing slashes */
static int split(char *parent, char *base, size_t len, const char *dir)
{
    char d[PATH_MAX];
    snprintf(d, sizeof d, "%s", dir);
    size_t n = strlen(d);
    while (n > 1 && d[n - 1] == '/')
        d[--n] = 0;
    char *slash = strrchr(d, '/');
    if (!n || !strcmp(d, "/"))
        return -1;
    if (!slash) {   /* "." and ".." cannot be swapped: name the folder */
        snprintf(parent, len, ".");
        snprintf(base, len, "%s", d);
        return !strcmp(d, ".") || !strcmp(d, "..") ? -1 : 0;
    }
    *slash = 0;
    snprintf(parent, len, "%s", slash == d ? "/" : d);
    snprintf(base, len, "%s", slash + 1);
    return !strcmp(base, ".") || !strcmp(base, "..") ? -1 : 0;
}

/* stale staging folders of the same dir whose process is gone */
static void remove_stale(const char *parent, const char *base)
{
    DIR *dp = opendir(parent);
    if (!dp)
        return;
    char prefix[PATH_MAX + 16];
    snprintf(prefix, sizeof prefix, ".%s.stage.", base);
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (strncmp(e->d_name, prefix, strlen(prefix)))
            continue;
        long pid = strtol(e->d_name + strlen(prefix), NULL, 10);
        if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
            continue;   /* a live run (or one we may not signal): leave it */
        char p[PATH_MAX + NAME_MAX + 2];
        if (snprintf(p, sizeof p, "%s/%s", parent, e->d_name) < (int)sizeof p)
            gb_stage_remove(p);
    }
    closedir(dp);
}

/* a copy of a regular file, for file systems without hard links */
static int copy_file(const char *s, const char *d)
{
    FILE *in = fopen(s, "rb"), *out = in ? fopen(d, "wbx") : NULL;
    char buf[1 << 16];
    size_t n;
    int ok = in && out;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    ok = ok && !ferror(in);
    if (in)
        fclose(in);
    if (out)
        ok = !fclose(out) && ok;
    return ok ? 0 : -1;
}

/* mirrors src into dst: folders made anew, regular files hard-linked (copied where the file system has no
 * hard links), anything else left out */
static int mirror(const char *src, const char *dst)
{
    DIR *dp = opendir(src);
    if (!dp)
        return errno == ENOENT ? 0 : -1;
    struct dirent *e;
    int st = 0;
    while (!st && (e = readdir(dp))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char s[PATH_MAX], d[PATH_MAX];
        struct stat sb;
        if (snprintf(s, sizeof s, "%s/%s", src, e->d_name) >= (int)sizeof s ||
            snprintf(d, sizeof d, "%s/%s", dst, e->d_name) >= (int)sizeof d) {
            errno = ENAMETOOLONG;
            st = -1;
        } else if (lstat(s, &sb))
            st = -1;
        else if (S_ISDIR(sb.st_mode))
            st = mkdir(d, 0777) || mirror(s, d) ? -1 : 0;
        else if (S_ISREG(sb.st_mode))
            st = link(s, d) && copy_file(s, d) ? -1 : 0;
    }
    closedir(dp);
    return st;
}

int gb_stage_open(char *stage, size_t len, const char *dir)
{
    char parent[PATH_MAX], base[PATH_MAX];
    if (split(parent, base, sizeof parent, dir))
        return errno = EINVAL, GB_EINVAL;
    remove_stale(parent, base);
    if (snprintf(stage, len, "%s/.%s.stage.%ld", parent, base, (long)getpid()) >= (int)len)
        return errno = ENAMETOOLONG, GB_EIO;
    gb_stage_remove(stage);   /* this pid's own leftover */
    if (mkdir(stage, 0777))
        return GB_EIO;
    if (mirror(dir, stage)) {
        int e = errno;
        gb_stage_remove(stage);
        errno = e;
        return GB_EIO;
    }
    return GB_OK;
}

int gb_stage_commit(const char *stage, const char *dir)
{
    char d[PATH_MAX];
    snprintf(d, sizeof d, "%s", dir);
    size_t n = strlen(d);
    while (n > 1 && d[n - 1] == '/')
        d[--n] = 0;
    if (renameat2(AT_FDCWD, stage, AT_FDCWD, d, RENAME_EXCHANGE) == 0) {
        gb_stage_remove(stage);   /* the old set, now at the staging name */
        return GB_OK;
    }
    if (errno == ENOENT && rename(stage, d) == 0)   /* dir did not exist */
        return GB_OK;
    return GB_EIO;
}
