#include "npde/neural.h"
#include "core/blas.h"
#include "core/simd.h"
#include "core/status.h"
#include "nn/train.h"

#include <lapacke.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static double splitmix_uniform(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}

int gb_mlp_init(gb_mlp_t m, long N, long hidden, int depth, unsigned long seed)
{
    memset(m, 0, sizeof *m);
    if (depth < 1 || depth >= GB_MLP_MAX_LAYERS || N < 1 || hidden < 1 || hidden > GB_MLP_MAX_HIDDEN)
        return GB_EINVAL;
    m->nl = depth + 1;
    m->w[0] = N;
    for (int l = 1; l <= depth; l++)
        m->w[l] = hidden;
    m->w[m->nl] = N;
    for (int l = 1; l <= m->nl; l++)
        m->np += m->w[l] * m->w[l - 1] + m->w[l];
    m->theta = malloc(sizeof(double) * (size_t)m->np);
    if (!m->theta)
        return GB_ENOMEM;
    uint64_t s = seed;
    double *t = m->theta;
    for (int l = 1; l <= m->nl; l++) {
        double a = 1.0 / sqrt((double)m->w[l - 1]);
        for (long i = 0; i < m->w[l] * m->w[l - 1] + m->w[l]; i++)
            *t++ = a * (2 * splitmix_uniform(&s) - 1);
    }
    return GB_OK;
}

void gb_mlp_clear(gb_mlp_t m)
{
    free(m->theta);
    m->theta = NULL;
}

long gb_mlp_acts(const gb_mlp_t m)
{
    long n = 0;
    for (int l = 0; l < m->nl; l++)
        n += m->w[l];
    return n;
}

/* The loops of ϕ's passes run over independent lanes: each output entry gets the roundings of the scalar
 * loop in the same order, so every vector width gives the same bits (src/core/simd.h). */

/* y += s_0 X_0 + s_1 X_1 + … + s_{m−1} X_{m−1} (rows X_k of n values), in that order for every y_i */
GB_CLONES static void axpys_lanes(double *restrict y, long n, const double *restrict s, const double *restrict X,
                                  long m)
{
    for (long k = 0; k < m; k++) {
        const double sk = s[k], *x = X + k * n;
#pragma omp simd
        for (long i = 0; i < n; i++)
            y[i] += sk * x[i];
    }
}

/* A += x yᵀ (A: m × n, row-major) */
GB_CLONES static void ger_lanes(double *restrict A, long m, long n, const double *restrict x,
                                const double *restrict y)
{
    for (long i = 0; i < m; i++) {
        const double xi = x[i];
        double *a = A + i * n;
#pragma omp simd
        for (long j = 0; j < n; j++)
            a[j] += xi * y[j];
    }
}

void gb_mlp_transpose(double *wt, const gb_mlp_t m)
{
    const double *t = m->theta;
    for (int l = 1; l <= m->nl; l++) {
        long ni = m->w[l - 1], no = m->w[l];
        for (long i = 0; i < no; i++)
            for (long j = 0; j < ni; j++)
                wt[j * no + i] = t[i * ni + j];
        memcpy(wt + no * ni, t + no * ni, sizeof(double) * (size_t)no);
        t += no * ni + no;
        wt += no * ni + no;
    }
}

void gb_mlp_forward_t(double *y, double *acts, const gb_mlp_t m, const double *wt, const double *x)
{
    double buf[2][GB_MLP_MAX_HIDDEN];
    const double *in = x;
    if (acts)
        memcpy(acts, x, sizeof(double) * (size_t)m->w[0]);
    long off = m->w[0];
    for (int l = 1; l <= m->nl; l++) {
        long ni = m->w[l - 1], no = m->w[l];
        double *out = l == m->nl ? y : buf[l % 2];
        /* out_i = b_i + W_i0 x_0 + W_i1 x_1 + …: gb_mlp_forward's sums in its order, all rows side by side */
        memcpy(out, wt + no * ni, sizeof(double) * (size_t)no);
        axpys_lanes(out, no, in, wt, ni);
        if (l < m->nl)
            for (long i = 0; i < no; i++)
                out[i] = tanh(out[i]);
        if (acts && l < m->nl) {
            memcpy(acts + off, out, sizeof(double) * (size_t)no);
            off += no;
        }
        wt += no * ni + no;
        in = out;
    }
}

void gb_mlp_forward(double *y, double *acts, const gb_mlp_t m, const double *x)
{
    double buf[2][GB_MLP_MAX_HIDDEN];
    const double *in = x;
    const double *t = m->theta;
    if (acts)
        memcpy(acts, x, sizeof(double) * (size_t)m->w[0]);
    long off = m->w[0];
    for (int l = 1; l <= m->nl; l++) {
        long ni = m->w[l - 1], no = m->w[l];
        const double *W = t, *b = t + no * ni;
        double *out = l == m->nl ? y : buf[l % 2];
        /* four rows at a time: four independent sums, each in the order j = 0, 1, … (the same bits as one row
         * at a time, without waiting on one sum's latency) */
        long i = 0;
        for (; i + 4 <= no; i += 4) {
            const double *w0 = W + i * ni, *w1 = w0 + ni, *w2 = w1 + ni, *w3 = w2 + ni;
            double s0 = b[i], s1 = b[i + 1], s2 = b[i + 2], s3 = b[i + 3];
            for (long j = 0; j < ni; j++) {
                s0 += w0[j] * in[j];
                s1 += w1[j] * in[j];
                s2 += w2[j] * in[j];
                s3 += w3[j] * in[j];
            }
            out[i] = s0, out[i + 1] = s1, out[i + 2] = s2, out[i + 3] = s3;
        }
        for (; i < no; i++) {
            double s = b[i];
            for (long j = 0; j < ni; j++)
                s += W[i * ni + j] * in[j];
            out[i] = s;
        }
        if (l < m->nl)
            for (i = 0; i < no; i++)
                out[i] = tanh(out[i]);
        if (acts && l < m->nl) {
            memcpy(acts + off, out, sizeof(double) * (size_t)no);
            off += no;
        }
        t += no * ni + no;
        in = out;
    }
}

void gb_mlp_backward(double *g, double *xbar, const gb_mlp_t m, const double *acts, const double *ybar, double *work)
{
    long wmax = 0;
    for (int l = 0; l <= m->nl; l++)
        wmax = m->w[l] > wmax ? m->w[l] : wmax;
    double *d = work, *dprev = work + wmax;
    memcpy(d, ybar, sizeof(double) * (size_t)m->w[m->nl]);
    /* offsets of each layer's parameters and input activations */
    long toff[GB_MLP_MAX_LAYERS + 2], aoff[GB_MLP_MAX_LAYERS + 1];
    toff[1] = 0;
    aoff[0] = 0;
    for (int l = 1; l <= m->nl; l++) {
        toff[l + 1] = toff[l] + m->w[l] * m->w[l - 1] + m->w[l];
        aoff[l] = aoff[l - 1] + m->w[l - 1];
    }
    for (int l = m->nl; l >= 1; l--) {
        long ni = m->w[l - 1], no = m->w[l];
        const double *W = m->theta + toff[l], *a = acts + aoff[l - 1];
        if (g) {
            double *gW = g + toff[l], *gb = gW + no * ni;
            for (long i = 0; i < no; i++)
                gb[i] += d[i];
            ger_lanes(gW, no, ni, d, a);
        }
        if (l == 1 && !xbar)
            break;
        /* Wᵀd: every column's sum in the order i = 0, 1, …, the columns side by side (independent lanes) */
        for (long j = 0; j < ni; j++)
            dprev[j] = 0;
        axpys_lanes(dprev, ni, d, W, no);
        if (l > 1)
            for (long j = 0; j < ni; j++)
                dprev[j] *= 1 - a[j] * a[j];   /* tanh' = 1 − tanh² on the hidden layers */
        if (l == 1)
            memcpy(xbar, dprev, sizeof(double) * (size_t)ni);
        double *t = d;
        d = dprev;
        dprev = t;
    }
}

void gb_nburgers_rhs(double *F, const gb_nburgers *m, const double *u, double *work)
{
    long N = m->b->N;
    gb_scheme_apply(work, &m->adv, u, N, m->b->L / (double)N);
    gb_mlp_forward(F, NULL, &m->phi, u);
    for (long j = 0; j < N; j++)
        F[j] -= u[j] * work[j];
}

/* one stage of the RK4 step: its input v, D_adv v, the MLP's activations and the slope k = F(v) */
typedef struct {
    double *v, *Dv, *acts, *k;
} stage;

static void stage_forward(const gb_nburgers *m, stage *s)
{
    long N = m->b->N;
    gb_scheme_apply(s->Dv, &m->adv, s->v, N, m->b->L / (double)N);
    gb_mlp_forward(s->k, s->acts, &m->phi, s->v);
    for (long j = 0; j < N; j++)
        s->k[j] -= s->v[j] * s->Dv[j];
}

/* v̄ = (∂F/∂v)ᵀ λ = −λ ⊙ D v − Dᵀ(λ ⊙ v) + (∂ϕ/∂v)ᵀ λ, and the parameters' part added to g */
static void stage_backward(const gb_nburgers *m, const stage *s, const double *lam, double *vbar, double *g,
                           double *tmp, double *work)
{
    long N = m->b->N;
    gb_mlp_backward(g, vbar, &m->phi, s->acts, lam, work);
    for (long j = 0; j < N; j++)
        tmp[j] = lam[j] * s->v[j];
    gb_scheme_apply_transpose(tmp + N, &m->adv, tmp, N, m->b->L / (double)N);
    for (long j = 0; j < N; j++)
        vbar[j] -= lam[j] * s->Dv[j] + tmp[N + j];
}

double gb_nburgers_loss(double *grad, const gb_nburgers *m, const double *U, long n)
{
    long N = m->b->N, na = gb_mlp_acts(&m->phi);
    double h = m->b->dt, loss = 0;
    size_t per = (size_t)(3 * N + na);
    double *mem = malloc(sizeof(double) * (4 * per + 10 * (size_t)N + 4096));
    if (!mem)
        return NAN;
    stage st[4];
    for (int i = 0; i < 4; i++)
        st[i] = (stage){mem + i * per, mem + i * per + N, mem + i * per + 2 * N, mem + i * per + 2 * N + na};
    double *y = mem + 4 * per, *kb = y + N, *vb = kb + 4 * N, *tmp = vb + N, *work = tmp + 2 * N;
    if (grad)
        memset(grad, 0, sizeof(double) * (size_t)m->phi.np);
    static const double c[4] = {0, 0.5, 0.5, 1}, wgt[4] = {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6};
    for (long s = 0; s < n; s++) {
        const double *u = U + s * N, *target = u + N;
        for (int i = 0; i < 4; i++) {
            for (long j = 0; j < N; j++)
                st[i].v[j] = i ? u[j] + c[i] * h * st[i - 1].k[j] : u[j];
            stage_forward(m, &st[i]);
        }
        for (long j = 0; j < N; j++) {
            y[j] = u[j] + h * (wgt[0] * st[0].k[j] + wgt[1] * st[1].k[j] + wgt[2] * st[2].k[j] + wgt[3] * st[3].k[j]);
            double r = y[j] - target[j];
            loss += r * r;
            for (int i = 0; i < 4; i++)   /* k̄_i = h w_i ȳ, ȳ = 2r/(nN) */
                kb[i * N + j] = h * wgt[i] * 2 * r / (double)(n * N);
        }
        if (!grad)
            continue;
        for (int i = 3; i >= 0; i--) {
            stage_backward(m, &st[i], kb + i * N, vb, grad, tmp, work);
            if (i > 0)   /* v_i = u + c_i h k_{i−1} */
                for (long j = 0; j < N; j++)
                    kb[(i - 1) * N + j] += c[i] * h * vb[j];
        }
    }
    free(mem);
    return loss / (double)(n * N);
}

int gb_npde_adam(gb_train_result *r, double *theta, long np, gb_npde_loss_fn f, void *ctx, const gb_train_opts *o)
{
    gb_train_opts a = *o;
    a.opt = GB_OPT_ADAM;
    memset(r, 0, sizeof *r);
    r->status = GB_TRAIN_MAXEPOCH;
    r->improving = -1;
    gb_optim_t q;
    double *g = malloc(sizeof(double) * (size_t)np);
    if (!g || gb_optim_init(q, &a, np)) {
        free(g);
        return GB_ENOMEM;
    }
    gb_plateau pl;
    gb_plateau_init(&pl, &a);
    int st = GB_OK;
    for (long e = 0; e < a.epochs && !st; e++) {
        double loss = f(g, ctx);
        if (e == 0)
            r->first_loss = loss;
        r->epochs = e + 1;
        if (!isfinite(loss)) {
            st = GB_ENONFIN;
            break;
        }
        gb_optim_step(theta, q, g);
        if (a.plateau_window > 0) {
            int reached = gb_plateau_epoch(&pl, loss);
            q->o.lr = pl.lr;
            if (reached) {
                r->status = GB_TRAIN_PLATEAU;
                break;
            }
        }
    }
    r->loss = st ? NAN : f(NULL, ctx);
    if (!st && !isfinite(r->loss))
        st = GB_ENONFIN;
    if (st)
        r->status = GB_TRAIN_DIVERGED;
    r->train_mse = r->loss;
    r->lr_final = q->o.lr;
    r->halvings = a.plateau_window > 0 ? pl.halvings : 0;
    r->improving = a.plateau_window > 0 ? pl.improving : -1;
    gb_optim_clear(q);
    free(g);
    return st;
}

typedef struct {
    const gb_nburgers *m;
    const double *U;
    long n;
} nburgers_loss_ctx;

static double nburgers_loss(double *grad, void *ctx)
{
    nburgers_loss_ctx *c = ctx;
    return gb_nburgers_loss(grad, c->m, c->U, c->n);
}

int gb_nburgers_train(double *loss, gb_nburgers *m, const double *U, long n, long epochs, double lr)
{
    nburgers_loss_ctx c = {m, U, n};
    gb_train_opts o;
    gb_train_opts_default(&o, GB_NN_MLP);
    o.lr = lr;
    o.weight_decay = 0;
    o.epochs = epochs;
    o.plateau_window = 0;   /* [M24 code]: a constant rate for all epochs */
    gb_train_result r;
    int st = gb_npde_adam(&r, m->phi.theta, m->phi.np, nburgers_loss, &c, &o);
    *loss = r.loss;
    return st;
}

void gb_nburgers_rhs_fn(double *F, const double *u, void *ctx)
{
    gb_nburgers_ctx *c = ctx;
    gb_nburgers_rhs(F, c->m, u, c->work);
}

int gb_npde_rollout(double *R, long N, const double *u0, long n, gb_npde_step_fn step, void *ctx)
{
    double *work = malloc(sizeof(double) * 6 * (size_t)N);
    if (!work)
        return GB_ENOMEM;
    memcpy(R, u0, sizeof(double) * (size_t)N);
    int st = GB_OK;
    for (long s = 1; s <= n; s++) {
        double *u = R + s * N;
        if (st) {
            for (long j = 0; j < N; j++)
                u[j] = NAN;
            continue;
        }
        memcpy(u, u - N, sizeof(double) * (size_t)N);
        step(u, ctx, work);
        for (long j = 0; j < N; j++)
            if (!isfinite(u[j]))
                st = GB_ENONFIN;
    }
    free(work);
    return st;
}

typedef struct {
    gb_nburgers_ctx c;
    double dt;
} nburgers_step_ctx;

static void nburgers_step(double *u, void *ctx, double *work)
{
    nburgers_step_ctx *s = ctx;
    s->c.work = work + 5 * s->c.m->b->N;
    gb_rk4_step(u, s->c.m->b->N, s->dt, gb_nburgers_rhs_fn, &s->c, work);
}

int gb_nburgers_rollout(double *R, const gb_nburgers *m, const double *u0, long n, double dt)
{
    nburgers_step_ctx s = {{m, NULL}, dt};
    return gb_npde_rollout(R, m->b->N, u0, n, nburgers_step, &s);
}

double gb_npde_spectral_radius(double *A, long N)
{
    for (long i = 0; i < N * N; i++)
        if (!isfinite(A[i]))
            return NAN;
    gb_blas_single_thread();   /* the same bits in every run, whatever ran before (core/blas.h) */
    double *w = malloc(sizeof(double) * 2 * (size_t)N), r = NAN;
    if (w && !LAPACKE_dgeev(LAPACK_COL_MAJOR, 'N', 'N', (lapack_int)N, A, (lapack_int)N, w, w + N, NULL, 1, NULL, 1)) {
        r = 0;
        for (long i = 0; i < N; i++)
            r = fmax(r, hypot(w[i], w[N + i]));
    }
    free(w);
    return r;
}

void gb_nburgers_learned_term(double *dT, double *dP, const gb_nburgers *m, const double *U, long n)
{
    long N = m->b->N;
    double dx = m->b->L / (double)N, a = 0, p = 0, t = 0;
    double *phi = malloc(sizeof(double) * 4 * (size_t)N);
    if (!phi) {
        *dT = *dP = NAN;
        return;
    }
    double *Dd = phi + N, *Du = phi + 2 * N, *Dm = phi + 3 * N;
    for (long s = 0; s < n; s++) {
        const double *u = U + s * N;
        gb_mlp_forward(phi, NULL, &m->phi, u);
        gb_scheme_apply(Dd, &m->b->diff, u, N, dx);
        gb_scheme_apply(Du, &m->b->adv, u, N, dx);
        gb_scheme_apply(Dm, &m->adv, u, N, dx);
        for (long j = 0; j < N; j++) {
            double T = m->b->nu * Dd[j] - u[j] * (Du[j] - Dm[j]), P = m->b->nu * Dd[j];
            a += (phi[j] - T) * (phi[j] - T);
            p += (phi[j] - P) * (phi[j] - P);
            t += T * T;
        }
    }
    free(phi);
    *dT = sqrt(a / t);
    *dP = sqrt(p / t);
}

double gb_npde_rel_err(const double *a, const double *b, long N)
{
    double e = 0, m = 0;
    for (long j = 0; j < N; j++) {
        e += (a[j] - b[j]) * (a[j] - b[j]);
        m += b[j] * b[j];
    }
    return sqrt(e / m);
}
