#include "learn/fd_model.h"
#include "core/status.h"
#include <math.h>
#include <stdlib.h>

/* Neumaier-compensated sum in long double: error ≈ 2^-64 |Σ|, independent of the
 * number of terms (S × nodes reaches millions here) */
typedef struct { long double s, c; } ksum;

static inline void ksum_add(ksum *k, long double x)
{
    long double t = k->s + x;
    if (fabsl(k->s) >= fabsl(x))
        k->c += (k->s - t) + x;
    else
        k->c += (x - t) + k->s;
    k->s = t;
}

static inline long double ksum_get(const ksum *k) { return k->s + k->c; }

void gb_fd_fit_opts_default(gb_fd_fit_opts *o)
{
    o->lr = 0.9;
    o->max_iter = 1000;
    o->gd_tol = 1e-17;
}

/* First-order effect on w of rounding the data to double, and of the long-double
 * arithmetic. w = -A/B with A = ⟨D,f⟩, B = ⟨D,D⟩ gives δw = -(δA + w δB)/B with
 *   δA + w δB = ⟨δD, f + 2wD⟩ + ⟨D, δf⟩,  ⟨δD, g⟩ = ⟨δu, FD_qᵀ g⟩ (g zero off the window).
 * FD_qᵀ g is smooth inside the window, so the Δx⁻² amplification of δu survives only
 * near its edges: this adjoint form is what makes the estimate sharp. Rounding errors
 * are modelled as independent, uniform in ±2^-53|x| (variance (2^-53 x)²/3); each
 * stencil sum adds q+1 roundings of 2^-64 relative size on Σ|a_l u|. Returns σ(δw)/|w|. */
static double fd_roundoff_rel(const gb_dataset_t d, const gb_stencil_t st, const long double *D,
                              long double w, long double B)
{
    int r = st->r;
    long N = d->spec.N, S = d->spec.S, n = N + 1, ne = N - 2 * r + 1;
    double dxd = 1.0 / ((double)N * (double)N);
    for (int e = 2; e < st->d; e++)
        dxd /= (double)N;
    const double v53 = ldexp(1.0, -106) / 3.0, v64 = ldexp(1.0, -128) / 3.0 * (2 * r + 1);
    double *g = calloc((size_t)n, sizeof(double)), a[11];
    for (int l = -r; l <= r; l++)
        a[l + r] = mpq_get_d(st->a[l + r]) / dxd;
    long double var = 0;
    for (long s = 0; s < S; s++) {
        const double *u = d->u + s * n, *f = d->f + s * n;
        const long double *Ds = D + s * ne;
        for (long j = 0; j < ne; j++) {
            g[r + j] = (double)(f[r + j] + 2 * w * Ds[j]);
            double absum = 0;
            for (int l = -r; l <= r; l++)
                absum += fabs(a[l + r] * u[r + j + l]);
            var += (long double)(g[r + j] * g[r + j]) * (absum * absum * v64)     /* arithmetic */
                   + Ds[j] * Ds[j] * (long double)(f[r + j] * f[r + j] * v53); /* δf */
        }
        for (long i = 0; i < n; i++) {                                          /* δu */
            double adj = 0;
            for (int l = -r; l <= r; l++) {
                long j = i - l;              /* node i enters D_j with weight a_l */
                if (j >= r && j <= N - r)
                    adj += a[l + r] * g[j];
            }
            var += (long double)(adj * adj) * (long double)(u[i] * u[i] * v53);
        }
    }
    free(g);
    return (double)(sqrtl(var) / (B * fabsl(w)));
}

int gb_fd_fit_run(gb_fd_fit *res, const gb_dataset_t d, const gb_stencil_t st, const gb_fd_fit_opts *o)
{
    long N = d->spec.N, S = d->spec.S, n = N + 1;
    int r = st->r;
    long ne = N - 2 * r + 1;
    if (ne < 1)
        return GB_EINVAL;
    long double *D = malloc(sizeof(long double) * S * ne);
    long double *as = malloc(sizeof(long double) * S), *bs = malloc(sizeof(long double) * S),
                *cs = malloc(sizeof(long double) * S);
    if (!D || !as || !bs || !cs) {
        free(D); free(as); free(bs); free(cs);
        return GB_ENOMEM;
    }
    ksum KA = {0, 0}, KB = {0, 0}, KF = {0, 0};
    for (long s = 0; s < S; s++) {
        const double *u = d->u + s * n, *f = d->f + s * n;
        long double *Ds = D + s * ne;
        gb_stencil_apply_ld(Ds, st, u, r, ne, N);
        ksum a = {0, 0}, b = {0, 0}, c = {0, 0};
        for (long j = 0; j < ne; j++) {
            ksum_add(&a, Ds[j] * f[r + j]);
            ksum_add(&b, Ds[j] * Ds[j]);
            ksum_add(&c, (long double)f[r + j] * f[r + j]);
        }
        as[s] = ksum_get(&a);
        bs[s] = ksum_get(&b);
        cs[s] = ksum_get(&c);
        ksum_add(&KA, as[s]);
        ksum_add(&KB, bs[s]);
        ksum_add(&KF, cs[s]);
    }
    long double A = ksum_get(&KA), B = ksum_get(&KB), F2 = ksum_get(&KF);
    long double w = -A / B, v = -A / F2;
    res->S = S;
    res->n_eval = ne;
    long double k = d->spec.k;
    res->w_ls = (double)w;
    res->rel_ls = (double)((w - k) / k);
    res->v_ls = (double)v;
    res->kv_minus_1 = (double)(k * v - 1.0L);
    res->roundoff_rel = fd_roundoff_rel(d, st, D, w, B);

    /* delta method: w = -ΣA_s/ΣB_s ⇒ δw ≈ -Σ(a_s + w b_s)/B ; v likewise with F2 */
    long double sw = 0, sv = 0;
    for (long s = 0; s < S; s++) {
        long double ew = as[s] + w * bs[s], ev = as[s] + v * cs[s];
        sw += ew * ew;
        sv += ev * ev;
    }
    long double corr = S > 1 ? (long double)S / (S - 1) : 1.0L;
    res->se_w = S > 1 ? (double)(sqrtl(sw * corr) / B) : INFINITY;
    res->se_v = S > 1 ? (double)(sqrtl(sv * corr) / F2) : INFINITY;

    /* training loss of the least-squares fit: Σ(wD + f)² = w²B + 2wA + F2 */
    long double mse = (w * w * B + 2 * w * A + F2) / (long double)(S * ne);
    res->train_mse = (double)(mse < 0 ? 0 : mse);

    /* full-batch gradient descent on L(w) = (1/2n) Σ (w D + f)², from w = 0,
     * gradient recomputed from the data at every step */
    long double lam = B / (long double)(S * ne), eta = (long double)o->lr / lam, wg = 0;
    long it = 0;
    int status = GB_EMAXITER;
    for (it = 1; it <= o->max_iter; it++) {
        ksum kg = {0, 0};
        for (long s = 0; s < S; s++) {
            const double *f = d->f + s * n + r;
            const long double *Ds = D + s * ne;
            for (long j = 0; j < ne; j++)
                ksum_add(&kg, Ds[j] * (wg * Ds[j] + f[j]));
        }
        long double g = ksum_get(&kg) / (long double)(S * ne);
        long double step = eta * g;
        wg -= step;
        if (!isfinite((double)wg)) {
            status = GB_ENONFIN;
            break;
        }
        if (fabsl(step) <= (long double)o->gd_tol * fabsl(wg)) {
            status = GB_OK;
            break;
        }
    }
    res->w_gd = (double)wg;
    res->rel_gd = (double)((wg - k) / k);
    res->gd_iters = it > o->max_iter ? o->max_iter : it;
    free(D); free(as); free(bs); free(cs);

    double chk[] = {res->w_ls, res->v_ls, res->w_gd, res->roundoff_rel, res->train_mse};
    for (unsigned i = 0; i < sizeof chk / sizeof *chk; i++)
        if (!isfinite(chk[i]))
            return GB_ENONFIN;
    return status;
}

void gb_fd_solve(double *u, const double *f, long N, double w)
{
    /* forward sweep of tridiag(−1, 2, −1) u = Δx² f / w on nodes 1..N−1: the pivots d_i = 2 − 1/d_{i−1}
     * = (i + 1)/i are exact rationals, so they are formed as such */
    double h2w = 1.0 / ((double)N * (double)N * w);
    u[0] = u[N] = 0.0;
    if (N < 2)
        return;
    double y = 0.0;
    for (long i = 1; i < N; i++) {
        y = f[i] * h2w + y * (double)(i - 1) / (double)i;   /* y_i = b_i + y_{i−1}/d_{i−1}, d_{i−1} = i/(i−1) */
        u[i] = y;
    }
    /* back substitution: u_i = (y_i + u_{i+1}) / d_i, d_i = (i + 1)/i */
    for (long i = N - 1; i >= 1; i--)
        u[i] = (u[i] + u[i + 1]) * (double)i / (double)(i + 1);
}
