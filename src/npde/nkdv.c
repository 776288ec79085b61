#include "npde/nkdv.h"
#include "core/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int gb_nkdv_init(gb_nkdv *m, const gb_kdv *k, int disp_order, long sub, long hidden, int depth, unsigned long seed)
{
    memset(m, 0, sizeof *m);
    m->k = k;
    m->sub = sub;
    if (sub < 1 || disp_order < 2 || gb_scheme_init(&m->disp, 3, disp_order, 0))
        return GB_EINVAL;
    int st = gb_mlp_init(&m->phi, k->N, hidden, depth, seed);
    if (!st)
        st = gb_ifactor_init(&m->E, &m->disp, -1.0 / 6, k->N, k->L / (double)k->N, k->dt / (double)sub);
    if (st)
        gb_nkdv_clear(m);
    return st;
}

void gb_nkdv_clear(gb_nkdv *m)
{
    gb_mlp_clear(&m->phi);
    if (m->E.re || m->E.buf)
        gb_ifactor_clear(&m->E);
}

/* ϕ as the step's right-hand side (no activations kept), from its transposed weights */
typedef struct {
    const gb_mlp_struct *phi;
    const double *wt;
} phi_ctx;

static void phi_fn(double *F, const double *u, void *ctx)
{
    const phi_ctx *c = ctx;
    gb_mlp_forward_t(F, NULL, c->phi, c->wt, u);
}

int gb_nkdv_advance(gb_nkdv *m, double *u, double t, double *work)
{
    double h = m->k->dt / (double)m->sub, q = t / h;
    long steps = lround(q);
    if (!(steps >= 1) || fabs(q - (double)steps) > 1e-9 * q)
        return GB_EINVAL;
    double *wt = malloc(sizeof(double) * (size_t)m->phi.np);   /* the transpose costs 1/(4 steps) of a forward pass */
    if (!wt)
        return GB_ENOMEM;
    gb_mlp_transpose(wt, &m->phi);
    phi_ctx c = {&m->phi, wt};
    for (long i = 0; i < steps; i++)
        gb_ifrk4_step(u, &m->E, h, phi_fn, &c, work);
    free(wt);
    return GB_OK;
}

static void nkdv_step(double *u, void *ctx, double *work)
{
    gb_nkdv *m = ctx;
    if (gb_nkdv_advance(m, u, m->k->dt, work))   /* one Δt is sub steps: only memory can fail */
        for (long j = 0; j < m->k->N; j++)
            u[j] = NAN;   /* the rollout then stops as not finite rather than standing still */
}

int gb_nkdv_rollout(double *R, gb_nkdv *m, const double *u0, long n)
{
    return gb_npde_rollout(R, m->k->N, u0, n, nkdv_step, m);
}

/* The n·sub steps with every stage's MLP activations kept (acts[s][i]: step s, stage i; the first N values of each
 * are the stage's input v_i). The arithmetic is gb_ifrk4_step's, so a rollout and this pass agree bit for bit. */
typedef struct {
    long N, na;
    double *acts;   /* n × 4 × na */
    double *work;   /* scratch: 8N */
    double *wt;     /* ϕ's parameters with its weights transposed (gb_mlp_forward_t) */
} tape;

static double *act(const tape *t, long s, int i)
{
    return t->acts + ((size_t)s * 4 + (size_t)i) * (size_t)t->na;
}

static int tape_forward(tape *t, gb_nkdv *m, const double *u0, long n, double *un)
{
    long N = t->N;
    double h = m->k->dt / (double)m->sub;
    double *a = t->work, *b = a + N, *c = b + N, *d = c + N, *Eu = d + N, *v = Eu + N, *u = v + N;
    memcpy(u, u0, sizeof(double) * (size_t)N);
    gb_mlp_transpose(t->wt, &m->phi);
    for (long s = 0; s < n; s++) {
        gb_mlp_forward_t(a, act(t, s, 0), &m->phi, t->wt, u);
        for (long j = 0; j < N; j++) {
            a[j] *= h;
            v[j] = u[j] + 0.5 * a[j];
        }
        gb_ifactor_apply(&m->E, v, v, 0);
        gb_mlp_forward_t(b, act(t, s, 1), &m->phi, t->wt, v);
        gb_ifactor_apply(&m->E, Eu, u, 0);
        for (long j = 0; j < N; j++) {
            b[j] *= h;
            v[j] = Eu[j] + 0.5 * b[j];
        }
        gb_mlp_forward_t(c, act(t, s, 2), &m->phi, t->wt, v);
        for (long j = 0; j < N; j++) {
            c[j] *= h;
            v[j] = Eu[j] + c[j];
        }
        gb_ifactor_apply(&m->E, v, v, 0);
        gb_mlp_forward_t(d, act(t, s, 3), &m->phi, t->wt, v);
        for (long j = 0; j < N; j++)
            v[j] = u[j] + a[j] / 6;
        gb_ifactor_apply(&m->E, v, v, 0);
        for (long j = 0; j < N; j++)
            v[j] += (b[j] + c[j]) / 3;
        gb_ifactor_apply(&m->E, u, v, 0);
        for (long j = 0; j < N; j++) {
            u[j] += h * d[j] / 6;
            if (!isfinite(u[j]))
                return GB_ENONFIN;
        }
    }
    memcpy(un, u, sizeof(double) * (size_t)N);
    return GB_OK;
}

/* n: the steps; ub: on entry ∂ℓ/∂u_n, on return ∂ℓ/∂u_0; the parameters' part added to g (when not NULL) */
static void tape_backward(tape *t, gb_nkdv *m, long n, double *ub, double *g)
{
    long N = t->N;
    double h = m->k->dt / (double)m->sub;
    double *ab = t->work, *bb = ab + N, *cb = bb + N, *wb = cb + N, *Eub = wb + N, *vb = Eub + N, *y = vb + N,
           *mw = y + N;   /* mw: the MLP's 2 max(w) scratch, past the 8N of the forward pass */
    for (long s = n - 1; s >= 0; s--) {
        /* u_new = E w + h d/6, w = E z + (b + c)/3, z = u + a/6 */
        for (long j = 0; j < N; j++)
            y[j] = h * ub[j] / 6;                               /* ∂ℓ/∂ϕ(v₃) */
        gb_ifactor_apply(&m->E, wb, ub, 1);                     /* w̄ = Eᵀ ū_new */
        gb_ifactor_apply(&m->E, ub, wb, 1);                     /* z̄ = Eᵀ w̄: ū = z̄, ā = z̄/6 */
        for (long j = 0; j < N; j++) {
            bb[j] = cb[j] = wb[j] / 3;
            ab[j] = ub[j] / 6;
        }
        gb_mlp_backward(g, vb, &m->phi, act(t, s, 3), y, mw);  /* v̄₃ */
        gb_ifactor_apply(&m->E, Eub, vb, 1);                    /* v₃ = E(Eu + c): (Eu)̄ = c̄ += Eᵀ v̄₃ */
        for (long j = 0; j < N; j++) {
            cb[j] += Eub[j];
            y[j] = h * cb[j];
        }
        gb_mlp_backward(g, vb, &m->phi, act(t, s, 2), y, mw);  /* v̄₂; v₂ = Eu + b/2 */
        for (long j = 0; j < N; j++) {
            Eub[j] += vb[j];
            bb[j] += 0.5 * vb[j];
            y[j] = h * bb[j];
        }
        gb_mlp_backward(g, vb, &m->phi, act(t, s, 1), y, mw);  /* v̄₁; v₁ = E(u + a/2) */
        gb_ifactor_apply(&m->E, vb, vb, 1);
        for (long j = 0; j < N; j++) {
            ub[j] += vb[j];
            ab[j] += 0.5 * vb[j];
        }
        gb_ifactor_apply(&m->E, Eub, Eub, 1);
        for (long j = 0; j < N; j++) {
            ub[j] += Eub[j];
            y[j] = h * ab[j];
        }
        gb_mlp_backward(g, vb, &m->phi, act(t, s, 0), y, mw);  /* a = h ϕ(u) */
        for (long j = 0; j < N; j++)
            ub[j] += vb[j];
    }
}

static int tape_init(tape *t, const gb_nkdv *m, long n)
{
    long wmax = 0;
    for (int l = 0; l <= m->phi.nl; l++)
        wmax = m->phi.w[l] > wmax ? m->phi.w[l] : wmax;
    t->N = m->k->N;
    t->na = gb_mlp_acts(&m->phi);
    t->acts = malloc(sizeof(double) * (size_t)(n * m->sub) * 4 * (size_t)t->na);
    t->work = malloc(sizeof(double) * (size_t)(8 * t->N + 2 * wmax));
    t->wt = malloc(sizeof(double) * (size_t)m->phi.np);
    if (!t->acts || !t->work || !t->wt) {
        free(t->acts);
        free(t->work);
        free(t->wt);
        return GB_ENOMEM;
    }
    return GB_OK;
}

static void tape_clear(tape *t)
{
    free(t->acts);
    free(t->work);
    free(t->wt);
}

double gb_nkdv_loss(gb_nkdv *m, const double *u0, const double *target, long n, double *grad)
{
    long N = m->k->N;
    tape t;
    double *un = malloc(sizeof(double) * (size_t)N);
    if (!un || tape_init(&t, m, n)) {
        free(un);
        return NAN;
    }
    double loss = NAN;
    if (!tape_forward(&t, m, u0, n * m->sub, un)) {
        loss = 0;
        for (long j = 0; j < N; j++) {
            double r = un[j] - target[j];
            loss += r * r;
            un[j] = 2 * r / (double)N;   /* now ∂ℓ/∂u_n */
        }
        loss /= (double)N;
        if (grad) {
            memset(grad, 0, sizeof(double) * (size_t)m->phi.np);
            tape_backward(&t, m, n * m->sub, un, grad);
        }
    }
    tape_clear(&t);
    free(un);
    return loss;
}

typedef struct {
    gb_nkdv *m;
    const double *u0, *target;
    long n;
} loss_ctx;

static double loss_fn(double *grad, void *ctx)
{
    loss_ctx *c = ctx;
    return gb_nkdv_loss(c->m, c->u0, c->target, c->n, grad);
}

int gb_nkdv_train(gb_nkdv *m, const double *u0, const double *target, long n, const gb_train_opts *o,
                  gb_train_result *r)
{
    loss_ctx c = {m, u0, target, n};
    return gb_npde_adam(r, m->phi.theta, m->phi.np, loss_fn, &c, o);
}

int gb_nkdv_flow_jacobian(double *J, gb_nkdv *m, const double *u0, long n)
{
    long N = m->k->N;
    tape t;
    double *un = malloc(sizeof(double) * (size_t)N);
    if (!un || tape_init(&t, m, n)) {
        free(un);
        return GB_ENOMEM;
    }
    int st = tape_forward(&t, m, u0, n * m->sub, un);
    for (long i = 0; i < N && !st; i++) {
        double *row = J + i * N;
        memset(row, 0, sizeof(double) * (size_t)N);
        row[i] = 1;
        tape_backward(&t, m, n * m->sub, row, NULL);
    }
    tape_clear(&t);
    free(un);
    return st;
}

void gb_nkdv_learned_term(double *dT, double *dP, const gb_nkdv *m, const double *U, long n)
{
    const gb_kdv *k = m->k;
    long N = k->N;
    double dx = k->L / (double)N, a = 0, p = 0, t = 0;
    double *buf = malloc(sizeof(double) * 4 * (size_t)N);
    if (!buf) {
        *dT = *dP = NAN;
        return;
    }
    double *phi = buf, *D1 = buf + N, *D3d = buf + 2 * N, *D3m = buf + 3 * N;
    for (long s = 0; s < n; s++) {
        const double *u = U + s * N;
        gb_mlp_forward(phi, NULL, &m->phi, u);
        gb_scheme_apply(D1, &k->D1, u, N, dx);
        gb_scheme_apply(D3d, &k->D3, u, N, dx);
        gb_scheme_apply(D3m, &m->disp, u, N, dx);
        for (long j = 0; j < N; j++) {
            double P = k->omega0 * D1[j] - 1.5 * u[j] * D1[j], T = P - (D3d[j] - D3m[j]) / 6;
            a += (phi[j] - T) * (phi[j] - T);
            p += (phi[j] - P) * (phi[j] - P);
            t += T * T;
        }
    }
    free(buf);
    *dT = sqrt(a / t);
    *dP = sqrt(p / t);
}
