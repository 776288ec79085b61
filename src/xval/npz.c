#include "xval/npz.h"
#include "core/status.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define FAIL(...) return snprintf(msg, len, __VA_ARGS__), GB_EINVAL

static uint32_t le16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const unsigned char *p) { return le16(p) | le16(p + 2) << 16; }

/* one member: the central directory's record of it */
typedef struct {
    char name[256];
    uint32_t method, crc, csize, usize, offset;
} member;

/* copies (method 0) or inflates (method 8) the member's csize bytes at the file's current position into out,
 * checking the size and the CRC as it goes */
static int unpack(FILE *in, FILE *out, const member *m, char *msg, size_t len)
{
    unsigned char ib[1 << 15], ob[1 << 15];
    uint32_t crc = (uint32_t)crc32(0, NULL, 0);
    uint64_t left = m->csize, wrote = 0;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (m->method == 8 && inflateInit2(&z, -MAX_WBITS) != Z_OK)
        FAIL("%s: cannot start inflating", m->name);
    int st = GB_OK, done = 0;
    while (!st && left > 0) {
        size_t want = left < sizeof ib ? (size_t)left : sizeof ib;
        if (fread(ib, 1, want, in) != want) {
            st = (snprintf(msg, len, "%s: truncated", m->name), GB_EINVAL);
            break;
        }
        left -= want;
        if (m->method == 0) {
            crc = (uint32_t)crc32(crc, ib, (uInt)want);
            wrote += want;
            if (fwrite(ib, 1, want, out) != want)
                st = (snprintf(msg, len, "%s: cannot write: %s", m->name, strerror(errno)), GB_EIO);
            continue;
        }
        z.next_in = ib;
        z.avail_in = (uInt)want;
        while (!st && z.avail_in > 0 && !done) {
            z.next_out = ob;
            z.avail_out = sizeof ob;
            int r = inflate(&z, Z_NO_FLUSH);
            if (r != Z_OK && r != Z_STREAM_END) {
                st = (snprintf(msg, len, "%s: corrupt deflate data", m->name), GB_EINVAL);
                break;
            }
            size_t got = sizeof ob - z.avail_out;
            wrote += got;
            if (wrote > m->usize) {   /* never more than the header promised (a deflate bomb stops here) */
                st = (snprintf(msg, len, "%s: inflates past its stated size %u", m->name, m->usize), GB_EINVAL);
                break;
            }
            crc = (uint32_t)crc32(crc, ob, (uInt)got);
            if (fwrite(ob, 1, got, out) != got)
                st = (snprintf(msg, len, "%s: cannot write: %s", m->name, strerror(errno)), GB_EIO);
            done = r == Z_STREAM_END;
        }
    }
    if (m->method == 8)
        inflateEnd(&z);
    if (st)
        return st;
    if (wrote != m->usize)
        FAIL("%s: %llu bytes, its header says %u", m->name, (unsigned long long)wrote, m->usize);
    if (crc != m->crc)
        FAIL("%s: CRC %08x, its header says %08x", m->name, crc, m->crc);
    return GB_OK;
}

/* a plain member name: [A-Za-z0-9_.-], no leading dot, ending in .npy */
static int plain_name(const char *s)
{
    size_t n = strlen(s);
    if (n < 5 || s[0] == '.' || strcmp(s + n - 4, ".npy"))
        return 0;
    return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

int gb_npz_extract(const char *npz, const char *dir, char *msg, size_t len)
{
    int fd = open(npz, O_RDONLY | O_NONBLOCK);   /* a FIFO must not block: refused below */
    if (fd < 0)
        return snprintf(msg, len, "%s: cannot open: %s", npz, strerror(errno)), GB_EIO;
    struct stat sb;
    if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
        close(fd);
        FAIL("%s: not a regular file", npz);
    }
    FILE *in = fdopen(fd, "rb");
    if (!in) {
        close(fd);
        return snprintf(msg, len, "%s: cannot open", npz), GB_EIO;
    }
    /* the end-of-central-directory record: in the last 22 + 65535 bytes */
    long size = (long)sb.st_size, tail = size < 22 + 65535 ? size : 22 + 65535;
    unsigned char *t = malloc((size_t)tail + 1), *e = NULL;
    member *ms = NULL;
    int st = GB_OK;
    char sub[300];
    if (!t || fseek(in, size - tail, SEEK_SET) || fread(t, 1, (size_t)tail, in) != (size_t)tail) {
        st = (snprintf(msg, len, "%s: cannot read its end", npz), GB_EINVAL);
        goto out;
    }
    for (long i = tail - 22; i >= 0 && !e; i--)
        if (le32(t + i) == 0x06054b50 && i + 22 + (long)le16(t + i + 20) == tail)
            e = t + i;
    if (!e) {
        st = (snprintf(msg, len, "%s: not a ZIP archive (no end-of-central-directory record)", npz), GB_EINVAL);
        goto out;
    }
    uint32_t count = le16(e + 10), cdsize = le32(e + 12), cdoff = le32(e + 16);
    if (le16(e + 4) || le16(e + 6) || le16(e + 8) != count) {
        st = (snprintf(msg, len, "%s: a multi-disk archive", npz), GB_EINVAL);
        goto out;
    }
    if (count == 0xffff || cdoff == 0xffffffffu || cdsize == 0xffffffffu) {
        st = (snprintf(msg, len, "%s: a ZIP64 archive (over 4 GiB or 65535 members): save the predictions as .npy "
                                 "files in a folder instead", npz), GB_EINVAL);
        goto out;
    }
    if ((uint64_t)cdoff + cdsize > (uint64_t)size || count > 100000) {
        st = (snprintf(msg, len, "%s: its central directory lies outside the file", npz), GB_EINVAL);
        goto out;
    }
    ms = calloc(count ? count : 1, sizeof *ms);
    if (!ms || fseek(in, cdoff, SEEK_SET)) {
        st = (snprintf(msg, len, "%s: cannot read its central directory", npz), GB_EIO);
        goto out;
    }
    uint64_t total = 0;
    for (uint32_t k = 0; k < count && !st; k++) {
        unsigned char h[46];
        if (fread(h, 1, 46, in) != 46 || le32(h) != 0x02014b50) {
            st = (snprintf(msg, len, "%s: corrupt central directory (record %u)", npz, k), GB_EINVAL);
            break;
        }
        member *m = &ms[k];
        uint32_t nl = le16(h + 28), el = le16(h + 30), cl = le16(h + 32);
        m->method = le16(h + 10);
        m->crc = le32(h + 16);
        m->csize = le32(h + 20);
        m->usize = le32(h + 24);
        m->offset = le32(h + 42);
        if (nl == 0 || nl >= sizeof m->name || fread(m->name, 1, nl, in) != nl || fseek(in, (long)(el + cl), SEEK_CUR)) {
            st = (snprintf(msg, len, "%s: corrupt member name (record %u)", npz, k), GB_EINVAL);
            break;
        }
        m->name[nl] = 0;
        if (le16(h + 8) & 1)
            st = (snprintf(msg, len, "%s: %s is encrypted", npz, m->name), GB_EINVAL);
        else if (!plain_name(m->name) || memchr(m->name, 0, nl))
            st = (snprintf(msg, len, "%s: member '%s' is not a plain .npy file name", npz, m->name), GB_EINVAL);
        else if (m->method != 0 && m->method != 8)
            st = (snprintf(msg, len, "%s: %s: compression method %u (only stored and deflate)", npz, m->name,
                           m->method), GB_EINVAL);
        else if (m->csize == 0xffffffffu || m->usize == 0xffffffffu || m->offset == 0xffffffffu)
            st = (snprintf(msg, len, "%s: %s: a ZIP64 member", npz, m->name), GB_EINVAL);
        else if ((uint64_t)m->offset + 30 + m->csize > cdoff || (m->method == 0 && m->csize != m->usize))
            st = (snprintf(msg, len, "%s: %s: its data lies outside the archive", npz, m->name), GB_EINVAL);
        else if ((total += m->usize) > GB_NPZ_MAX_BYTES)
            st = (snprintf(msg, len, "%s: unpacks to more than %llu bytes", npz, GB_NPZ_MAX_BYTES), GB_EINVAL);
        for (uint32_t q = 0; q < k && !st; q++)
            if (!strcmp(ms[q].name, m->name))
                st = (snprintf(msg, len, "%s: member %s appears twice", npz, m->name), GB_EINVAL);
    }
    for (uint32_t k = 0; k < count && !st; k++) {
        member *m = &ms[k];
        unsigned char h[30];
        if (fseek(in, m->offset, SEEK_SET) || fread(h, 1, 30, in) != 30 || le32(h) != 0x04034b50 ||
            fseek(in, (long)(le16(h + 26) + le16(h + 28)), SEEK_CUR)) {
            st = (snprintf(msg, len, "%s: %s: corrupt local header", npz, m->name), GB_EINVAL);
            break;
        }
        snprintf(sub, sizeof sub, "%s/%s", dir, m->name);
        int ofd = open(sub, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
        FILE *out = ofd >= 0 ? fdopen(ofd, "wb") : NULL;
        if (!out) {
            if (ofd >= 0)
                close(ofd);
            st = (snprintf(msg, len, "%s: cannot create: %s", sub, strerror(errno)), GB_EIO);
            break;
        }
        char why[300];
        st = unpack(in, out, m, why, sizeof why);
        if (fclose(out) && !st)
            st = (snprintf(why, sizeof why, "%s: cannot write", m->name), GB_EIO);
        if (st)
            snprintf(msg, len, "%s: %s", npz, why);
    }
out:
    free(t);
    free(ms);
    fclose(in);
    return st;
}
