/* Model classes (model.h): creation, the DeepONet fold, the losses and gradients (data and PINN), prediction and the
 * Green's probes; the architectures live in arch.c, checkpoints in checkpoint.c. */
#include "nn/model.h"
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

void gb_nn_free(gb_nn_model *m)
{
    if (!m) return;
    gb_chain_clear(&m->body);
    gb_chain_clear(&m->trunk);
    if (m->pinn)
        for (int s = 0; s < m->arch.pinn_forcings; s++) gb_chain_clear(&m->pinn[s]);
    free(m->pinn);
    if (m->arch.cls == GB_NN_FNO) gb_fno_clear(&m->fno);
    free(m->theta); free(m->grad); free(m->x); free(m->out); free(m->gout);
    free(m->mt); free(m->gmt); free(m->ct); free(m->gct); free(m->gt); free(m->work);
    free(m);
}

static int is_deeponet(const gb_nn_model *m)
{
    return m->arch.cls == GB_NN_DEEPONET || m->arch.cls == GB_NN_PIDEEPONET;
}

int gb_nn_create(gb_nn_model **out, const gb_nn_arch *arch, long bmax, unsigned long seed)
{
    *out = NULL;
    if (gb_nn_arch_check(arch, NULL, 0) || bmax < 1) return GB_EINVAL;
    gb_nn_model *m = calloc(1, sizeof *m);
    if (!m) return GB_ENOMEM;
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
    if (st) { gb_nn_free(m); return st; }
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
        gb_nn_free(m);
        return GB_ENOMEM;
    }
    for (long i = 0; i < n; i++) m->x[i] = (double)i / (double)a->N;
    /* initial weights from GMP's Mersenne Twister, a stream of its own */
    gmp_randstate_t rs;
    gmp_randinit_mt(rs);
    gb_rng_seed(rs, seed, 100 + (int)a->cls, 0, 0, 7);
    switch (a->cls) {
    case GB_NN_LINEAR: break; /* W⁰ = 0 */
    case GB_NN_FNO: gb_fno_init_params(&m->fno, m->theta, draw_normal, &rs); break;
    case GB_NN_PINN:
        for (int s = 0; s < a->pinn_forcings; s++) gb_chain_glorot(&m->pinn[s], m->theta, draw_normal, &rs);
        m->theta[m->off_k] = a->k_init;
        break;
    default:
        gb_chain_glorot(&m->body, m->theta, draw_normal, &rs);
        if (is_deeponet(m)) gb_chain_glorot(&m->trunk, m->theta, draw_normal, &rs);
    }
    gmp_randclear(rs);
    *out = m;
    return GB_OK;
}

/* DeepONet: U = β τᵀ + b₀ with β = H Wᵀ + b the branch's last, affine layer on its hidden output H
 * (B × w) and τ the trunk's output at the nodes (n × p). The batch-sized products are cheaper with
 * that layer folded into the trunk side, U = H (τ W)ᵀ + (τ b + b₀): one B × w × n product instead of
 * B × w × p and B × p × n (p = 64, w = 128, n = 65 by default: 12 % of a training step's
 * arithmetic). PI-DeepONet's Uxx = β τ''ᵀ = H (τ'' W)ᵀ + τ'' b likewise. Blocks of m->mt and m->ct:
 * value, (d/dx, unused), d²/dx². */
static void deeponet_fold(gb_nn_model *m, const double *tau, int pi)
{
    long n = m->n;
    int lat = m->arch.don_latent, w = m->body.dims[m->body.L - 1];
    const double *W = m->theta + m->body.off[m->body.L - 1], *b = W + (long)lat * w;
    for (int k = 0; k < 3; k += pi ? 2 : 3) {
        const double *t = tau + k * n * lat;
        gb_gemm_rows(0, n, lat, w, t, W, 0.0, m->mt + k * n * w);
        for (long j = 0; j < n; j++) {
            double s = k ? 0.0 : m->theta[m->off_b0];
            for (int l = 0; l < lat; l++) s += t[j * lat + l] * b[l];
            m->ct[k * n + j] = s;
        }
    }
}

/* U (and, for PI, Uxx in m->gout's last block) for the B forcings F */
static void deeponet_forward(gb_nn_model *m, const double *F, long B, double *U, double *Uxx)
{
    long n = m->n;
    int w = m->body.dims[m->body.L - 1];
    const double *H = gb_chain_forward_hidden(&m->body, m->theta, F, B);
    const double *tau = gb_chain_forward(&m->trunk, m->theta, m->x, n);
    deeponet_fold(m, tau, Uxx != NULL);
    for (int k = 0; k < 3; k += 2) {
        double *Y = k ? Uxx : U;
        if (!Y) continue;
        gb_fill_bias(Y, m->ct + k * n, B, B, (int)n);
        gb_gemm_rows(1, B, w, (int)n, H, m->mt + k * n * w, 1.0, Y);
    }
}

/* DeepONet backward from gU (and gUxx): the folded products' adjoints, then the trunk's and the
 * branch's chains. gH = gU (τW) (+ gUxx (τ''W)); g(τW) = gUᵀ H, g(τb + b₀) = column sums of gU;
 * through τW and τb: gτ = g(τW) Wᵀ + g(τb) bᵀ, gW += τᵀ g(τW), gb += τᵀ g(τb), gb₀ += Σ g(τb). */
static void deeponet_backward(gb_nn_model *m, const double *gU, const double *gUxx, long B)
{
    long n = m->n;
    int lat = m->arch.don_latent, w = m->body.dims[m->body.L - 1];
    const double *H = m->body.L > 1 ? m->body.a[m->body.L - 2] : m->body.in;
    const double *tau = m->trunk.a[m->trunk.L - 1];
    long offW = m->body.off[m->body.L - 1];
    const double *W = m->theta + offW, *b = W + (long)lat * w;
    double *gW = m->grad + offW, *gb = gW + (long)lat * w;
    memset(m->gmt, 0, (size_t)(3 * n * w) * sizeof(double));
    memset(m->gct, 0, (size_t)(3 * n) * sizeof(double));
    memset(m->gt, 0, (size_t)(3 * n * lat) * sizeof(double));
    for (int k = 0; k < 3; k += 2) {
        const double *G = k ? gUxx : gU;
        if (!G) continue;
        if (m->body.L > 1)
            gb_gemm_rows(0, B, (int)n, w, G, m->mt + k * n * w, k ? 1.0 : 0.0, gb_chain_hidden_grad(&m->body));
        gb_gemm_tn(B, w, (int)n, G, H, m->gmt + k * n * w, m->work);
        gb_bias_grad(G, B, (int)n, m->gct + k * n, m->work); /* τb + b₀ is U's bias */
        const double *t = tau + k * n * lat, *gm = m->gmt + k * n * w, *gc = m->gct + k * n;
        double *gtk = m->gt + k * n * lat;
        gb_gemm_rows(1, n, w, lat, gm, W, 0.0, gtk);
        for (long j = 0; j < n; j++)
            for (int l = 0; l < lat; l++) gtk[j * lat + l] += gc[j] * b[l];
        gb_gemm_tn(n, w, lat, t, gm, gW, NULL);
        for (int l = 0; l < lat; l++) {
            double s = 0;
            for (long j = 0; j < n; j++) s += t[j * lat + l] * gc[j];
            gb[l] += s;
        }
        if (!k)
            for (long j = 0; j < n; j++) m->grad[m->off_b0] += gc[j];
    }
    gb_chain_backward(&m->trunk, m->theta, m->grad, m->gt, n, NULL);
    gb_chain_backward_hidden(&m->body, m->theta, m->grad, B, NULL);
}

static int all_finite(const double *v, long n)
{
    for (long i = 0; i < n; i++) if (!isfinite(v[i])) return 0;
    return 1;
}

/* gathers the batch's forcings and solutions */
static void gather(const gb_dataset_struct *d, const long *idx, long B, long n, double *F, double *U)
{
    #pragma omp parallel for schedule(static) if (B * n >= 32768)
    for (long b = 0; b < B; b++) {
        if (F) memcpy(F + b * n, d->f + idx[b] * n, (size_t)n * sizeof(double));
        if (U) memcpy(U + b * n, d->u + idx[b] * n, (size_t)n * sizeof(double));
    }
}

/* sums over a batch are taken in LOSS_PARTS fixed parts, added in order: the same numbers for every
 * thread count */
#define LOSS_PARTS 8

static double mean_sq(const double *v, long n)
{
    double s = 0;
    for (long i = 0; i < n; i++) s += v[i] * v[i];
    return s / (double)n;
}

static int pinn_loss_grad(gb_nn_model *m, const gb_dataset_struct *d, const long *idx, long B,
                          double *loss, double *data_mse, int want_grad)
{
    long n = m->n;
    double k = m->theta[m->off_k], lam = m->arch.phys_weight;
    double su = 0, sf = 0;
    for (long b = 0; b < B; b++) {
        su += mean_sq(d->u + idx[b] * n, n);
        sf += mean_sq(d->f + idx[b] * n, n);
    }
    su /= (double)B; sf /= (double)B;
    if (!(su > 0) || !(sf > 0)) return GB_EINVAL;
    double L = 0, dm = 0, gk = 0;
    double *g = m->gout;
    for (long b = 0; b < B; b++) {
        long s = idx[b];
        if (s < 0 || s >= m->arch.pinn_forcings) return GB_EINVAL;
        const double *y = gb_chain_forward(&m->pinn[s], m->theta, m->x, n);
        const double *yxx = y + 2 * n, *u = d->u + s * n, *f = d->f + s * n;
        for (long i = 0; i < n; i++) {
            double e = y[i] - u[i], r = -k * yxx[i] - f[i];
            dm += e * e;
            L += e * e / su + lam * r * r / sf;
            g[i] = 2.0 * e / (su * (double)(B * n));
            g[n + i] = 0.0;
            g[2 * n + i] = lam * 2.0 * r * (-k) / (sf * (double)(B * n));
            gk += lam * 2.0 * r * (-yxx[i]) / (sf * (double)(B * n));
        }
        if (want_grad) gb_chain_backward(&m->pinn[s], m->theta, m->grad, g, n, NULL);
    }
    if (want_grad) m->grad[m->off_k] += gk;
    *loss = L / (double)(B * n);
    if (data_mse) *data_mse = dm / (double)(B * n);
    return isfinite(*loss) ? GB_OK : GB_ENONFIN;
}

static int loss_grad(gb_nn_model *m, const gb_dataset_struct *d, const long *idx, long B, double *loss,
                     double *data_mse, int want_grad)
{
    long n = m->n;
    if (B < 1 || B > m->bmax || d->spec.N != m->arch.N) return GB_EINVAL;
    for (long b = 0; b < B; b++) if (idx[b] < 0 || idx[b] >= d->spec.S) return GB_EINVAL;
    if (want_grad) memset(m->grad, 0, (size_t)m->nparam * sizeof(double));
    if (m->arch.cls == GB_NN_PINN) return pinn_loss_grad(m, d, idx, B, loss, data_mse, want_grad);

    double *F = m->gout, *U = m->gout + B * n, *P = m->out; /* F, U: gathered batch */
    gather(d, idx, B, n, F, U);
    int pi = m->arch.cls == GB_NN_PIDEEPONET;
    double *Uxx = pi ? m->gout + 2 * B * n : NULL;
    switch (m->arch.cls) {
    case GB_NN_FNO: {
        int st = gb_fno_forward(&m->fno, m->theta, F, B, P);
        if (st) return st;
        break;
    }
    case GB_NN_DEEPONET: case GB_NN_PIDEEPONET: deeponet_forward(m, F, B, P, Uxx); break;
    default: memcpy(P, gb_chain_forward(&m->body, m->theta, F, B), (size_t)(B * n) * sizeof(double));
    }
    /* data term (and the residual for PI-DeepONet); the gradient wrt P goes to U's slot */
    double dm = 0, res = 0, su = 1, sf = 1, lam = m->arch.phys_weight, k = m->arch.k;
    if (pi) { su = mean_sq(U, B * n); sf = mean_sq(F, B * n); if (!(su > 0) || !(sf > 0)) return GB_EINVAL; }
    double cu = 2.0 / (su * (double)(B * n)), cr = lam * 2.0 * (-k) / (sf * (double)(B * n));
    double dmp[LOSS_PARTS], resp[LOSS_PARTS];
    long len = B * n;
    #pragma omp parallel for schedule(static) if (len >= 32768)
    for (int part = 0; part < LOSS_PARTS; part++) {
        double dk = 0, rk = 0;
        for (long i = len * part / LOSS_PARTS; i < len * (part + 1) / LOSS_PARTS; i++) {
            double e = P[i] - U[i];
            dk += e * e;
            U[i] = cu * e;                 /* gU */
            if (pi) {
                double r = -k * Uxx[i] - F[i];
                rk += r * r;
                Uxx[i] = cr * r;           /* gUxx */
            }
        }
        dmp[part] = dk; resp[part] = rk;
    }
    for (int part = 0; part < LOSS_PARTS; part++) { dm += dmp[part]; res += resp[part]; }
    *loss = dm / su / (double)(B * n) + (pi ? lam * res / sf / (double)(B * n) : 0.0);
    if (data_mse) *data_mse = dm / (double)(B * n);
    if (!isfinite(*loss)) return GB_ENONFIN;
    if (!want_grad) return GB_OK;
    const double *gU = U;
    switch (m->arch.cls) {
    case GB_NN_FNO: return gb_fno_backward(&m->fno, m->theta, m->grad, gU, B);
    case GB_NN_DEEPONET: case GB_NN_PIDEEPONET:
        deeponet_backward(m, gU, pi ? Uxx : NULL, B);
        return GB_OK;
    default:
        gb_chain_backward(&m->body, m->theta, m->grad, gU, B, NULL);
        return GB_OK;
    }
}

int gb_nn_loss_grad(double *loss, double *data_mse, gb_nn_model *m, const gb_dataset_struct *d, const long *idx,
                    long B)
{
    int st = loss_grad(m, d, idx, B, loss, data_mse, 1);
    if (!st && !all_finite(m->grad, m->nparam)) st = GB_ENONFIN;
    return st;
}

int gb_nn_loss(double *loss, double *data_mse, gb_nn_model *m, const gb_dataset_struct *d, const long *idx,
               long B)
{
    return loss_grad(m, d, idx, B, loss, data_mse, 0);
}

int gb_nn_predict(double *U, gb_nn_model *m, const double *F, const double *uref, long B)
{
    long n = m->n;
    if (B < 1 || B > m->bmax) return GB_EINVAL;
    switch (m->arch.cls) {
    case GB_NN_PINN: {
        double s = m->arch.k / m->theta[m->off_k];
        if (!uref) return GB_EINVAL;
        for (long i = 0; i < B * n; i++) U[i] = s * uref[i];
        break;
    }
    case GB_NN_FNO: {
        int st = gb_fno_forward(&m->fno, m->theta, F, B, U);
        if (st) return st;
        break;
    }
    case GB_NN_DEEPONET: case GB_NN_PIDEEPONET: deeponet_forward(m, F, B, U, NULL); break;
    default: memcpy(U, gb_chain_forward(&m->body, m->theta, F, B), (size_t)(B * n) * sizeof(double));
    }
    return all_finite(U, B * n) ? GB_OK : GB_ENONFIN;
}

int gb_nn_mse(double *mse, gb_nn_model *m, const gb_dataset_struct *d)
{
    long n = m->n, S = d->spec.S;
    if (d->spec.N != m->arch.N) return GB_EINVAL;
    long double acc = 0;
    for (long s0 = 0; s0 < S; s0 += m->bmax) {
        long B = S - s0 < m->bmax ? S - s0 : m->bmax;
        int st = gb_nn_predict(m->out, m, d->f + s0 * n, d->u + s0 * n, B);
        if (st) return st;
        for (long i = 0; i < B * n; i++) {
            double e = m->out[i] - d->u[s0 * n + i];
            acc += (long double)e * e;
        }
    }
    *mse = (double)(acc / (long double)(S * n));
    return GB_OK;
}

const double *gb_nn_first_layer(const gb_nn_model *m, long *rows)
{
    switch (m->arch.cls) {
    case GB_NN_LINEAR: case GB_NN_DEEPLINEAR: case GB_NN_MLP: case GB_NN_DEEPONET: case GB_NN_PIDEEPONET:
        *rows = m->body.dims[1];
        return m->theta + m->body.off[0];
    default: *rows = 0; return NULL;
    }
}

double gb_nn_learned_k(const gb_nn_model *m)
{
    return m->arch.cls == GB_NN_PINN ? m->theta[m->off_k] : NAN;
}

int gb_nn_green(double *G, gb_nn_model *m, double alpha, double k_data)
{
    long n = m->n;
    double dx = 1.0 / (double)m->arch.N;
    if (!(alpha != 0) || !isfinite(alpha)) return GB_EINVAL;
    int pinn = m->arch.cls == GB_NN_PINN; /* the only class that reads the exact response */
    double *F = malloc((size_t)(m->bmax * n) * sizeof(double));
    double *R = pinn ? malloc((size_t)(m->bmax * n) * sizeof(double)) : NULL;
    double *U = malloc((size_t)(m->bmax * n) * sizeof(double));
    double *U0 = malloc((size_t)n * sizeof(double));
    int st = (F && U && U0 && (R || !pinn)) ? GB_OK : GB_ENOMEM;
    /* Model(0): a network with biases answers a zero forcing with an offset that is not G's (SPEC §6) */
    if (!st) {
        memset(F, 0, (size_t)n * sizeof(double));
        if (pinn) memset(R, 0, (size_t)n * sizeof(double));
        st = gb_nn_predict(U0, m, F, R, 1);
    }
    for (long j0 = 0; j0 < n && !st; j0 += m->bmax) {
        long B = n - j0 < m->bmax ? n - j0 : m->bmax;
        memset(F, 0, (size_t)(B * n) * sizeof(double));
        for (long b = 0; b < B; b++) {
            long j = j0 + b;
            F[b * n + j] = alpha;
            /* exact response of −k u'' = α Δx δ(x − x_j): α Δx G(x_i, x_j) */
            for (long i = 0; pinn && i < n; i++) {
                double x = m->x[i], s = m->x[j], lo = x < s ? x : s, hi = x < s ? s : x;
                R[b * n + i] = alpha * dx * lo * (1.0 - hi) / k_data;
            }
        }
        st = gb_nn_predict(U, m, F, R, B);
        for (long b = 0; b < B && !st; b++)
            for (long i = 0; i < n; i++) G[i * n + j0 + b] = (U[b * n + i] - U0[i]) / (alpha * dx);
    }
    free(F); free(R); free(U); free(U0);
    return st;
}
