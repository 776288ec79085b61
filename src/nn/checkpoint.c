/* Checkpoints of trained models (gb_nn_save, gb_nn_load): one file with the class, the architecture, θ and a
 * hash of every byte before it, written atomically. */
#include "nn/model.h"
#include "core/bytes.h"
#include "core/record.h"
#include "core/status.h"
#include "core/str.h"

#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Checkpoint format (little-endian, version 1):
 *   "GBNNMDL1"            8 bytes
 *   u32 version, u32 model class
 *   i64 N, i32 × 14 architecture integers, f64 × 3 (k, k_init, phys_weight)
 *   i64 nparam, f64 × nparam (θ)
 *   u64 FNV-1a hash of every preceding byte */
#define CK_MAGIC "GBNNMDL1"
#define CK_VERSION 1u
#define CK_NINT 14

static void arch_ints(const gb_nn_arch *a, int32_t *v)
{
    int32_t t[CK_NINT] = {a->depth, a->width, a->don_width, a->don_depth, a->don_latent, a->fno_width,
                          a->fno_layers, a->fno_modes, a->fno_proj, a->pinn_width, a->pinn_depth,
                          a->pinn_forcings, 0, 0};
    memcpy(v, t, sizeof t);
}

static size_t ck_header_size(void)
{
    return 8 + 4 + 4 + 8 + 4 * CK_NINT + 8 * 3 + 8;
}

int gb_nn_save(const gb_nn_model_t m, const char *path)
{
    size_t hs = ck_header_size(), total = hs + 8 * (size_t)m->nparam + 8;
    unsigned char *buf = malloc(total), *p = buf;
    if (!buf) return GB_ENOMEM;
    uint32_t ver = CK_VERSION, cls = (uint32_t)m->arch.cls;
    int64_t N = m->arch.N, np = m->nparam;
    int32_t ai[CK_NINT];
    double ad[3] = {m->arch.k, m->arch.k_init, m->arch.phys_weight};
    arch_ints(&m->arch, ai);
    memcpy(p, CK_MAGIC, 8);
    p += 8;
    p = gb_le_put(p, ver, 4);
    p = gb_le_put(p, cls, 4);
    p = gb_le_put(p, (uint64_t)N, 8);
    for (int i = 0; i < CK_NINT; i++)
        p = gb_le_put(p, (uint32_t)ai[i], 4);
    for (int i = 0; i < 3; i++)
        p = gb_le_put_double(p, ad[i]);
    p = gb_le_put(p, (uint64_t)np, 8);
    for (long i = 0; i < m->nparam; i++)
        p = gb_le_put_double(p, m->theta[i]);
    uint64_t h = gb_fnv1a(GB_FNV_OFFSET, buf, (size_t)(p - buf));
    gb_le_put(p, h, 8);
    int st = gb_file_write_atomic(path, (const char *)buf, total);
    free(buf);
    return st;
}

int gb_nn_load(gb_nn_model_t m, const char *path, long bmax, char *msg, size_t len)
{
#define FAIL(code, ...) do { if (msg) snprintf(msg, len, __VA_ARGS__); free(buf); if (f) fclose(f); return code; } while (0)
    unsigned char *buf = NULL;
    memset(m, 0, sizeof *m);
    FILE *f = NULL;
    /* O_NONBLOCK: a FIFO given as the checkpoint must be refused, not waited on */
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    struct stat sb;
    if (fd < 0) FAIL(GB_EIO, "%s: cannot open", path);
    if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) { close(fd); FAIL(GB_EIO, "%s: not a regular file", path); }
    if (!(f = fdopen(fd, "rb"))) { close(fd); FAIL(GB_EIO, "%s: cannot open", path); }
    if (fseek(f, 0, SEEK_END) || ftell(f) < 0) FAIL(GB_EIO, "%s: cannot read", path);
    long size = ftell(f);
    rewind(f);
    size_t hs = ck_header_size();
    if ((size_t)size < hs + 8) FAIL(GB_EIO, "%s: truncated (%ld bytes; the header alone is %zu)", path, size, hs + 8);
    buf = malloc((size_t)size);
    if (!buf) FAIL(GB_ENOMEM, "%s: out of memory", path);
    if (fread(buf, 1, (size_t)size, f) != (size_t)size) FAIL(GB_EIO, "%s: read error", path);
    fclose(f); f = NULL;
    const unsigned char *p = buf;
    if (memcmp(p, CK_MAGIC, 8)) FAIL(GB_EIO, "%s: not a greenbound model file", path);
    p += 8;
    uint32_t ver, cls;
    int64_t N, np;
    int32_t ai[CK_NINT];
    double ad[3];
    ver = (uint32_t)gb_le_get(p, 4), p += 4;
    cls = (uint32_t)gb_le_get(p, 4), p += 4;
    N = (int64_t)gb_le_get(p, 8), p += 8;
    for (int i = 0; i < CK_NINT; i++, p += 4)
        ai[i] = (int32_t)(uint32_t)gb_le_get(p, 4);
    for (int i = 0; i < 3; i++, p += 8)
        ad[i] = gb_le_get_double(p);
    np = (int64_t)gb_le_get(p, 8), p += 8;
    if (ver != CK_VERSION) FAIL(GB_EIO, "%s: format version %u, this build reads %u", path, ver, CK_VERSION);
    if (cls >= GB_NN_NCLASSES) FAIL(GB_EIO, "%s: unknown model class %u", path, cls);
    if (np < 1 || (uint64_t)np > ((uint64_t)size - hs - 8) / 8 || (size_t)size != hs + 8 * (size_t)np + 8)
        FAIL(GB_EIO, "%s: truncated or padded (%ld bytes for %lld parameters)", path, size, (long long)np);
    uint64_t h, h_file;
    h = gb_fnv1a(GB_FNV_OFFSET, buf, (size_t)size - 8);
    h_file = gb_le_get(buf + size - 8, 8);
    if (h != h_file) FAIL(GB_EIO, "%s: checksum mismatch (corrupt file)", path);
    gb_nn_arch a;
    gb_nn_arch_default(&a, (gb_nn_class)cls, (long)N);
    a.depth = ai[0]; a.width = ai[1]; a.don_width = ai[2]; a.don_depth = ai[3]; a.don_latent = ai[4];
    a.fno_width = ai[5]; a.fno_layers = ai[6]; a.fno_modes = ai[7]; a.fno_proj = ai[8];
    a.pinn_width = ai[9]; a.pinn_depth = ai[10]; a.pinn_forcings = ai[11];
    a.k = ad[0]; a.k_init = ad[1]; a.phys_weight = ad[2];
    char why[160];
    if (N < 4 || N > 4096 || gb_nn_arch_check(&a, why, sizeof why))
        FAIL(GB_EIO, "%s: invalid architecture (%s)", path, N < 4 || N > 4096 ? "N out of range" : why);
    int st = gb_nn_model_init(m, &a, bmax, 0);
    if (st) FAIL(st, "%s: cannot build the model (%s)", path, gb_strerror(st));
    if (m->nparam != np) {
        long want = m->nparam;
        gb_nn_model_clear(m);
        FAIL(GB_EIO, "%s: %lld parameters stored, the architecture has %ld", path, (long long)np, want);
    }
    for (long i = 0; i < np; i++)
        m->theta[i] = gb_le_get_double(p + 8 * i);
    int finite = 1;
    for (long i = 0; i < m->nparam; i++)
        finite &= isfinite(m->theta[i]) != 0;
    if (!finite) { gb_nn_model_clear(m); FAIL(GB_EIO, "%s: non-finite parameters", path); }
    free(buf);
    return GB_OK;
#undef FAIL
}
