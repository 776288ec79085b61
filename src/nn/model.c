/* Model classes (model.h): creation and release of a model of any class, and what a claim reads off its
 * parameters. The DeepONet's passes live in deeponet.c, the losses in loss.c, prediction and the Green's
 * probes in predict.c, the architectures in arch.c, checkpoints in checkpoint.c. */
#include "nn/model.h"
#include "nn/model_impl.h"
#include "core/status.h"
#include "core/str.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double draw_normal(void *ctx)
{
    return gb_rng_draw(*(gmp_randstate_t *)ctx, GB_LAW_NORMAL);
}

void gb_nn_model_clear(gb_nn_model_t m)
{
    gb_chain_clear(&m->body);
    gb_chain_clear(&m->trunk);
    if (m->pinn)
        for (int s = 0; s < m->arch.pinn_forcings; s++) gb_chain_clear(&m->pinn[s]);
    free(m->pinn);
    if (m->arch.cls == GB_NN_FNO) gb_fno_clear(&m->fno);
    free(m->theta); free(m->grad); free(m->x); free(m->out); free(m->gout);
    free(m->mt); free(m->gmt); free(m->ct); free(m->gct); free(m->gt); free(m->work);
    memset(m, 0, sizeof *m);
}

static int is_deeponet(const gb_nn_model_t m)
{
    return m->arch.cls == GB_NN_DEEPONET || m->arch.cls == GB_NN_PIDEEPONET;
}

int gb_nn_model_init(gb_nn_model_t m, const gb_nn_arch *arch, long bmax, unsigned long seed)
{
    memset(m, 0, sizeof *m);
    if (gb_nn_arch_check(arch, NULL, 0) || bmax < 1) return GB_EINVAL;
    m->arch = *arch;
    long n = m->n = arch->N + 1;
    m->bmax = bmax;
    long off = 0;
    int st = GB_OK, dims[12];
    const gb_nn_arch *a = arch;
    switch (a->cls) {
    case GB_NN_LINEAR:
        dims[0] = dims[1] = (int)n;
        st = gb_chain_init(&m->body, 1, dims, 0, GB_ACT_NONE, 0, bmax, &off);
        break;
    case GB_NN_DEEPLINEAR:
        for (int l = 0; l <= a->depth; l++) dims[l] = (int)n;
        st = gb_chain_init(&m->body, a->depth, dims, 0, GB_ACT_NONE, 0, bmax, &off);
        break;
    case GB_NN_MLP:
        dims[0] = (int)n; dims[1] = a->width; dims[2] = (int)n;
        st = gb_chain_init(&m->body, 2, dims, 1, GB_ACT_TANH, 0, bmax, &off);
        break;
    case GB_NN_DEEPONET: case GB_NN_PIDEEPONET: {
        int L = a->don_depth + 1;
        dims[0] = (int)n;
        for (int l = 1; l < L; l++) dims[l] = a->don_width;
        dims[L] = a->don_latent;
        st = gb_chain_init(&m->body, L, dims, 1, GB_ACT_TANH, 0, bmax, &off);
        dims[0] = 1;
        if (!st) st = gb_chain_init(&m->trunk, L, dims, 1, GB_ACT_TANH, a->cls == GB_NN_PIDEEPONET, n, &off);
        m->off_b0 = off++;
        break;
    }
    case GB_NN_FNO:
        st = gb_fno_init(&m->fno, n, a->fno_width, a->fno_layers, a->fno_modes, a->fno_proj, bmax, &off);
        break;
    case GB_NN_PINN:
        m->pinn = calloc((size_t)a->pinn_forcings, sizeof *m->pinn);
        if (!m->pinn) { st = GB_ENOMEM; break; }
        dims[0] = 1;
        for (int l = 1; l <= a->pinn_depth; l++) dims[l] = a->pinn_width;
        dims[a->pinn_depth + 1] = 1;
        for (int s = 0; s < a->pinn_forcings && !st; s++)
            st = gb_chain_init(&m->pinn[s], a->pinn_depth + 1, dims, 1, GB_ACT_TANH, 1, n, &off);
        m->off_k = off++;
        break;
    default: st = GB_EINVAL;
    }
    if (st) { gb_nn_model_clear(m); return st; }
    m->nparam = off;
    long lat = is_deeponet(m) ? a->don_latent : 1, wid = is_deeponet(m) ? m->body.dims[m->body.L - 1] : 1;
    long wmax = wid > lat ? wid : lat;
    m->theta = calloc((size_t)off, sizeof(double));
    m->grad = calloc((size_t)off, sizeof(double));
    m->x = malloc((size_t)n * sizeof(double));
    m->out = malloc((size_t)(bmax * n) * sizeof(double));
    m->gout = malloc((size_t)(3 * (bmax > n ? bmax : n) * n) * sizeof(double));
    m->mt = calloc((size_t)(3 * n * wid), sizeof(double));
    m->gmt = malloc((size_t)(3 * n * wid) * sizeof(double));
    m->ct = calloc((size_t)(3 * n), sizeof(double));
    m->gct = malloc((size_t)(3 * n) * sizeof(double));
    m->gt = malloc((size_t)(3 * n * lat) * sizeof(double));
    m->work = malloc((size_t)(GB_TN_PARTS * n * wmax) * sizeof(double));
    if (!m->theta || !m->grad || !m->x || !m->out || !m->gout || !m->mt || !m->gmt || !m->ct || !m->gct || !m->gt ||
        !m->work) {
        gb_nn_model_clear(m);
        return GB_ENOMEM;
    }
    for (long i = 0; i < n; i++) m->x[i] = (double)i / (double)a->N;
    /* initial weights from GMP's Mersenne Twister, a stream of its own */
    gmp_randstate_t rs;
    gmp_randinit_mt(rs);
    gb_rng_seed(rs, seed, 100 + (int)a->cls, 0, 0, 7);
    switch (a->cls) {
    case GB_NN_LINEAR: break; /* W⁰ = 0 */
    case GB_NN_FNO: gb_fno_init_params(m->theta, &m->fno, draw_normal, &rs); break;
    case GB_NN_PINN:
        for (int s = 0; s < a->pinn_forcings; s++) gb_chain_glorot(m->theta, &m->pinn[s], draw_normal, &rs);
        m->theta[m->off_k] = a->k_init;
        break;
    default:
        gb_chain_glorot(m->theta, &m->body, draw_normal, &rs);
        if (is_deeponet(m)) gb_chain_glorot(m->theta, &m->trunk, draw_normal, &rs);
    }
    gmp_randclear(rs);
    return GB_OK;
}

const double *gb_nn_first_layer(long *rows, const gb_nn_model_t m)
{
    switch (m->arch.cls) {
    case GB_NN_LINEAR: case GB_NN_DEEPLINEAR: case GB_NN_MLP: case GB_NN_DEEPONET: case GB_NN_PIDEEPONET:
        *rows = m->body.dims[1];
        return m->theta + m->body.off[0];
    default: *rows = 0; return NULL;
    }
}

double gb_nn_learned_k(const gb_nn_model_t m)
{
    return m->arch.cls == GB_NN_PINN ? m->theta[m->off_k] : NAN;
}

int gb_nn_forward(double *U, double *Uxx, gb_nn_model_t m, const double *F, long B)
{
    switch (m->arch.cls) {
    case GB_NN_FNO: return gb_fno_forward(U, &m->fno, m->theta, F, B);
    case GB_NN_DEEPONET: case GB_NN_PIDEEPONET: gb_deeponet_forward(U, Uxx, m, F, B); return GB_OK;
    case GB_NN_PINN: return GB_EINVAL;   /* no forcing-to-solution map: it fits u on its own forcings */
    default:
        memcpy(U, gb_chain_forward(&m->body, m->theta, F, B), (size_t)(B * m->n) * sizeof(double));
        return GB_OK;
    }
}
