#include "predict/fd_predict.h"
#include "core/grid.h"
#include "core/status.h"
#include <stdlib.h>

/* basis values on the grid and FD_q of the basis solutions on the evaluation nodes */
typedef struct {
    int nb;
    long N, ne;
    mpfr_t *f;   /* nb × (N+1) */
    mpfr_t *D;   /* nb × ne: FD_q(u_b) */
    mpfr_t *R;   /* nb × ne: f_b + k D_b, the residual of the exact model */
} basis_table;

static void stencil_eval(mpfr_t res, const gb_stencil_t st, mpfr_t *u, long i, long N, mpfr_t t)
{
    mpfr_set_zero(res, 1);
    for (int l = -st->r; l <= st->r; l++) {
        mpfr_mul_q(t, u[i + l], st->a[l + st->r], MPFR_RNDN);
        mpfr_add(res, res, t, MPFR_RNDN);
    }
    for (int e = 0; e < st->d; e++)
        mpfr_mul_si(res, res, N, MPFR_RNDN);
}

static int basis_table_init(basis_table *T, const gb_data_spec *spec, const gb_stencil_t st,
                            mpfr_prec_t prec)
{
    long N = spec->N, n = N + 1;
    T->N = N;
    T->ne = N - 2 * st->r + 1;
    if (T->ne < 1)
        return GB_EINVAL;
    int *terms = malloc(sizeof(int) * (spec->family == GB_FAMILY_FEM ? n : 16));
    T->nb = gb_data_spec_terms(spec, terms);
    T->f = malloc(sizeof(mpfr_t) * T->nb * n);
    T->D = malloc(sizeof(mpfr_t) * T->nb * T->ne);
    T->R = malloc(sizeof(mpfr_t) * T->nb * T->ne);
    mpfr_t *u = malloc(sizeof(mpfr_t) * n), *w = malloc(sizeof(mpfr_t) * 3 * n);
    mpfr_t x, k, t;
    mpfr_inits2(prec, x, k, t, (mpfr_ptr)0);
    mpfr_set_d(k, spec->k, MPFR_RNDN);
    for (long i = 0; i < n; i++) {
        mpfr_init2(u[i], prec);
        mpfr_init2(w[i], prec);
        mpfr_init2(w[n + i], prec);
        mpfr_init2(w[2 * n + i], prec);
    }
    for (int b = 0; b < T->nb; b++) {
        mpfr_t *fb = T->f + b * n;
        for (long i = 0; i < n; i++) {
            mpfr_init2(fb[i], prec);
            if (spec->family == GB_FAMILY_FEM)
                mpfr_set_ui(fb[i], i == terms[b], MPFR_RNDN);
            else {
                gb_grid_node(x, i, N);
                gb_basis_forcing(fb[i], spec->family, terms[b], x);
                gb_basis_solution(u[i], spec->equation, spec->family, terms[b], x, k);
            }
        }
        if (spec->family == GB_FAMILY_FEM)
            gb_fem_solve_eq(u, fb, N, k, spec->load, spec->equation, w);
        for (long j = 0; j < T->ne; j++) {
            mpfr_ptr Dj = T->D[b * T->ne + j], Rj = T->R[b * T->ne + j];
            mpfr_init2(Dj, prec);
            mpfr_init2(Rj, prec);
            stencil_eval(Dj, st, u, st->r + j, N, t);
            mpfr_mul(Rj, Dj, k, MPFR_RNDN);
            mpfr_add(Rj, Rj, fb[st->r + j], MPFR_RNDN);
        }
    }
    for (long i = 0; i < n; i++) {
        mpfr_clear(u[i]);
        mpfr_clear(w[i]);
        mpfr_clear(w[n + i]);
        mpfr_clear(w[2 * n + i]);
    }
    free(u);
    free(w);
    free(terms);
    mpfr_clears(x, k, t, (mpfr_ptr)0);
    return GB_OK;
}

static void basis_table_clear(basis_table *T)
{
    long n = T->N + 1;
    for (long i = 0; i < T->nb * n; i++)
        mpfr_clear(T->f[i]);
    for (long i = 0; i < T->nb * T->ne; i++) {
        mpfr_clear(T->D[i]);
        mpfr_clear(T->R[i]);
    }
    free(T->f);
    free(T->D);
    free(T->R);
}

static void inner(mpfr_t res, mpfr_t *a, mpfr_t *b, long n, mpfr_t t)
{
    mpfr_set_zero(res, 1);
    for (long i = 0; i < n; i++) {
        mpfr_mul(t, a[i], b[i], MPFR_RNDN);
        mpfr_add(res, res, t, MPFR_RNDN);
    }
}

/* Weighted Gram sums over the basis, weights Cc (NULL: identity, the infinite-data limit):
 * DF = Σ⟨D,f⟩, DD = Σ⟨D,D⟩, DR = Σ⟨D,R⟩, FF = Σ⟨f,f⟩, RF = Σ⟨R,f⟩ on the evaluation nodes. */
typedef struct { mpfr_t DF, DD, DR, FF, RF; } gram_sums;

static void gram_sums_compute(gram_sums *G, const basis_table *T, mpfr_t *Cc, mpfr_prec_t prec)
{
    mpfr_t g, t;
    mpfr_inits2(prec, g, t, (mpfr_ptr)0);
    mpfr_ptr acc[5] = {G->DF, G->DD, G->DR, G->FF, G->RF};
    for (int i = 0; i < 5; i++) {
        mpfr_init2(acc[i], prec);
        mpfr_set_zero(acc[i], 1);
    }
    int nb = T->nb;
    long off = (T->N + 1 - T->ne) / 2;
    for (int b = 0; b < nb; b++)
        for (int c = 0; c < nb; c++) {
            if (!Cc && b != c)
                continue;
            mpfr_t *Db = T->D + b * T->ne, *Rb = T->R + b * T->ne;
            mpfr_t *fb = T->f + b * (T->N + 1) + off, *fc = T->f + c * (T->N + 1) + off;
            mpfr_t *pairs[5][2] = {{Db, fc}, {Db, T->D + c * T->ne}, {Db, T->R + c * T->ne},
                                   {fb, fc}, {Rb, fc}};
            for (int i = 0; i < 5; i++) {
                inner(g, pairs[i][0], pairs[i][1], T->ne, t);
                if (Cc)
                    mpfr_mul(g, g, Cc[b * nb + c], MPFR_RNDN);
                mpfr_add(acc[i], acc[i], g, MPFR_RNDN);
            }
        }
    mpfr_clears(g, t, (mpfr_ptr)0);
}

static void gram_sums_clear(gram_sums *G) { mpfr_clears(G->DF, G->DD, G->DR, G->FF, G->RF, (mpfr_ptr)0); }

/* w = -DF/DD, w/k - 1 = -DR/(k DD) */
static void gram_w(mpfr_t w, mpfr_t delta, gram_sums *G, double k)
{
    mpfr_div(w, G->DF, G->DD, MPFR_RNDN);
    mpfr_neg(w, w, MPFR_RNDN);
    mpfr_div(delta, G->DR, G->DD, MPFR_RNDN);
    mpfr_div_d(delta, delta, -k, MPFR_RNDN);
}

int gb_fd_pred_inf(mpfr_t w, mpfr_t delta, const gb_data_spec *spec, const gb_stencil_t st)
{
    mpfr_prec_t prec = mpfr_get_prec(w) + 32;
    basis_table T;
    gram_sums G;
    int s = basis_table_init(&T, spec, st, prec);
    if (s)
        return s;
    gram_sums_compute(&G, &T, NULL, prec);
    gram_w(w, delta, &G, spec->k);
    gram_sums_clear(&G);
    basis_table_clear(&T);
    return GB_OK;
}

/* Σ_s c_sb c_sb', exact: products of doubles need 106 bits, the sum log2(S) more */
static mpfr_t *coef_gram(const gb_dataset_t d, mpfr_prec_t prec)
{
    int nb = d->nb;
    mpfr_t *C = malloc(sizeof(mpfr_t) * nb * nb), t;
    mpfr_init2(t, 128);
    for (int i = 0; i < nb * nb; i++) {
        mpfr_init2(C[i], prec + 128);
        mpfr_set_zero(C[i], 1);
    }
    for (long s = 0; s < d->spec.S; s++)
        for (int b = 0; b < nb; b++)
            for (int c = 0; c < nb; c++) {
                mpfr_set_d(t, d->coef[s * nb + b], MPFR_RNDN);
                mpfr_mul_d(t, t, d->coef[s * nb + c], MPFR_RNDN);
                mpfr_add(C[b * nb + c], C[b * nb + c], t, MPFR_RNDN);
            }
    mpfr_clear(t);
    return C;
}

static void coef_gram_clear(mpfr_t *C, int nb)
{
    for (int i = 0; i < nb * nb; i++)
        mpfr_clear(C[i]);
    free(C);
}

/* fem: the drawn nodal values span N+1 dimensions, so solve each sample exactly */
static int pred_sample_fem(mpfr_t w, mpfr_t delta, const gb_dataset_t d, const gb_stencil_t st)
{
    const gb_data_spec *spec = &d->spec;
    long N = spec->N, n = N + 1, ne = N - 2 * st->r + 1;
    mpfr_prec_t prec = mpfr_get_prec(w) + 32;
    mpfr_t A, B, RR;
    mpfr_inits2(prec, A, B, RR, (mpfr_ptr)0);
    mpfr_set_zero(A, 1);
    mpfr_set_zero(B, 1);
    mpfr_set_zero(RR, 1);
#pragma omp parallel
    {
        mpfr_t *f = malloc(sizeof(mpfr_t) * n), *u = malloc(sizeof(mpfr_t) * n),
               *wk = malloc(sizeof(mpfr_t) * 3 * n), k, D, R, t, a, b, rr;
        mpfr_inits2(prec, k, D, R, t, a, b, rr, (mpfr_ptr)0);
        mpfr_set_d(k, spec->k, MPFR_RNDN);
        mpfr_set_zero(a, 1);
        mpfr_set_zero(b, 1);
        mpfr_set_zero(rr, 1);
        for (long i = 0; i < n; i++) {
            mpfr_init2(f[i], 53);
            mpfr_init2(u[i], prec);
            mpfr_init2(wk[i], prec);
            mpfr_init2(wk[n + i], prec);
            mpfr_init2(wk[2 * n + i], prec);
        }
#pragma omp for schedule(static)
        for (long s = 0; s < spec->S; s++) {
            for (long i = 0; i < n; i++)
                mpfr_set_d(f[i], d->coef[s * n + i], MPFR_RNDN);
            gb_fem_solve_eq(u, f, N, k, spec->load, spec->equation, wk);
            for (long j = 0; j < ne; j++) {
                long i = st->r + j;
                stencil_eval(D, st, u, i, N, t);
                mpfr_mul(R, D, k, MPFR_RNDN);
                mpfr_add(R, R, f[i], MPFR_RNDN);
                mpfr_mul(t, D, f[i], MPFR_RNDN);
                mpfr_add(a, a, t, MPFR_RNDN);
                mpfr_mul(t, D, D, MPFR_RNDN);
                mpfr_add(b, b, t, MPFR_RNDN);
                mpfr_mul(t, D, R, MPFR_RNDN);
                mpfr_add(rr, rr, t, MPFR_RNDN);
            }
        }
#pragma omp critical
        {
            mpfr_add(A, A, a, MPFR_RNDN);
            mpfr_add(B, B, b, MPFR_RNDN);
            mpfr_add(RR, RR, rr, MPFR_RNDN);
        }
        for (long i = 0; i < n; i++) {
            mpfr_clear(f[i]);
            mpfr_clear(u[i]);
            mpfr_clear(wk[i]);
            mpfr_clear(wk[n + i]);
            mpfr_clear(wk[2 * n + i]);
        }
        free(f); free(u); free(wk);
        mpfr_clears(k, D, R, t, a, b, rr, (mpfr_ptr)0);
    }
    mpfr_div(w, A, B, MPFR_RNDN);
    mpfr_neg(w, w, MPFR_RNDN);
    mpfr_mul_d(B, B, spec->k, MPFR_RNDN);
    mpfr_div(delta, RR, B, MPFR_RNDN);
    mpfr_neg(delta, delta, MPFR_RNDN);
    mpfr_clears(A, B, RR, (mpfr_ptr)0);
    return GB_OK;
}

/* the Gram sums of the exact basis data weighted by the drawn coefficients */
static int sample_gram(gram_sums *G, const gb_dataset_t d, const gb_stencil_t st, mpfr_prec_t prec)
{
    basis_table T;
    int s = basis_table_init(&T, &d->spec, st, prec);
    if (s)
        return s;
    mpfr_t *C = coef_gram(d, prec);
    gram_sums_compute(G, &T, C, prec);
    coef_gram_clear(C, d->nb);
    basis_table_clear(&T);
    return GB_OK;
}

int gb_fd_pred_sample(mpfr_t w, mpfr_t delta, const gb_dataset_t d, const gb_stencil_t st)
{
    if (d->spec.solution_fault != 0.0)
        return GB_EINVAL; /* predictions always use the true solution */
    if (d->spec.family == GB_FAMILY_FEM)
        return pred_sample_fem(w, delta, d, st);
    gram_sums G;
    int s = sample_gram(&G, d, st, mpfr_get_prec(w) + 32);
    if (s)
        return s;
    gram_w(w, delta, &G, d->spec.k);
    gram_sums_clear(&G);
    return GB_OK;
}

int gb_fd_pred_sample_inverse(mpfr_t kv_minus_1, const gb_dataset_t d, const gb_stencil_t st)
{
    if (d->spec.family == GB_FAMILY_FEM || d->spec.solution_fault != 0.0)
        return GB_EINVAL;
    gram_sums G;
    int s = sample_gram(&G, d, st, mpfr_get_prec(kv_minus_1) + 32);
    if (s)
        return s;
    /* k v - 1 = -⟨R, f⟩ / ⟨f, f⟩ */
    mpfr_div(kv_minus_1, G.RF, G.FF, MPFR_RNDN);
    mpfr_neg(kv_minus_1, kv_minus_1, MPFR_RNDN);
    gram_sums_clear(&G);
    return GB_OK;
}

int gb_fd_pred_inverse(mpfr_t res, const gb_dataset_t d, const gb_stencil_t st)
{
    const gb_data_spec *spec = &d->spec;
    if (spec->family != GB_FAMILY_POLY)
        return GB_EINVAL;
    mpfr_prec_t prec = mpfr_get_prec(res) + 32;
    long N = spec->N, ne = N - 2 * st->r + 1;
    int nb = d->nb, *terms = d->terms;
    mpfr_t *C = coef_gram(d, prec);
    mpfr_t *fb = malloc(sizeof(mpfr_t) * nb * ne), *fm = malloc(sizeof(mpfr_t) * nb * ne);
    mpfr_t x, g, t, ff, acc, term, dxm;
    mpfr_inits2(prec, x, g, t, ff, acc, term, dxm, (mpfr_ptr)0);
    for (int b = 0; b < nb; b++)
        for (long j = 0; j < ne; j++) {
            mpfr_init2(fb[b * ne + j], prec);
            mpfr_init2(fm[b * ne + j], prec);
            gb_grid_node(x, st->r + j, N);
            gb_basis_forcing(fb[b * ne + j], spec->family, terms[b], x);
        }
    /* ‖f‖² over samples and evaluation nodes */
    mpfr_set_zero(ff, 1);
    for (int b = 0; b < nb; b++)
        for (int c = 0; c < nb; c++) {
            inner(g, fb + b * ne, fb + c * ne, ne, t);
            mpfr_mul(g, g, C[b * nb + c], MPFR_RNDN);
            mpfr_add(ff, ff, g, MPFR_RNDN);
        }
    mpfr_set_zero(acc, 1);
    mpq_t beta;
    mpq_init(beta);
    for (int m = st->q; m <= spec->p; m += 2) {
        for (int b = 0; b < nb; b++)
            for (long j = 0; j < ne; j++) {
                gb_grid_node(x, st->r + j, N);
                gb_basis_forcing_deriv(fm[b * ne + j], spec->family, terms[b], m, x);
            }
        mpfr_set_zero(term, 1);
        for (int b = 0; b < nb; b++)
            for (int c = 0; c < nb; c++) {
                inner(g, fm + b * ne, fb + c * ne, ne, t);
                mpfr_mul(g, g, C[b * nb + c], MPFR_RNDN);
                mpfr_add(term, term, g, MPFR_RNDN);
            }
        gb_stencil_beta(beta, st, m + 2);
        mpfr_mul_q(term, term, beta, MPFR_RNDN);
        mpfr_set_ui(dxm, 1, MPFR_RNDN);
        mpfr_div_ui(dxm, dxm, (unsigned long)N, MPFR_RNDN);
        mpfr_pow_ui(dxm, dxm, (unsigned long)m, MPFR_RNDN);
        mpfr_mul(term, term, dxm, MPFR_RNDN);
        mpfr_add(acc, acc, term, MPFR_RNDN);
    }
    mpq_clear(beta);
    mpfr_div(res, acc, ff, MPFR_RNDN);
    for (long i = 0; i < nb * ne; i++) {
        mpfr_clear(fb[i]);
        mpfr_clear(fm[i]);
    }
    free(fb);
    free(fm);
    coef_gram_clear(C, nb);
    mpfr_clears(x, g, t, ff, acc, term, dxm, (mpfr_ptr)0);
    return GB_OK;
}

void gb_fd_mu(mpq_t res, const gb_stencil_t st, int p)
{
    int q = st->q;
    mpq_t num, den, t, beta;
    mpz_t z;
    mpq_inits(num, den, t, beta, (mpq_ptr)0);
    mpz_init(z);
    for (int i = q; i <= p; i++) {
        mpz_fac_ui(z, (unsigned long)i);
        mpq_set_z(t, z);
        mpz_fac_ui(z, (unsigned long)(i - q));
        mpz_mul_ui(z, z, (unsigned long)(2 * i - q + 1));
        mpq_set_den(t, z);
        mpq_canonicalize(t);
        mpq_add(num, num, t);
    }
    for (int i = 1; i <= p; i++) {
        mpq_set_ui(t, 1, (unsigned long)(2 * i + 1));
        mpq_add(den, den, t);
    }
    gb_stencil_beta(beta, st, q + st->d);
    mpq_div(res, num, den);
    mpq_mul(res, res, beta);
    mpq_neg(res, res);
    if (st->d != 2) {           /* −β_{q+d}/β_d: β_2 = 1, β_4 = −1 (the sign of L) */
        gb_stencil_beta(beta, st, st->d);
        mpq_div(res, res, beta);
    }
    mpq_clears(num, den, t, beta, (mpq_ptr)0);
    mpz_clear(z);
}

void gb_fd_pred_single_mode(mpfr_t w, int q, long n, long N, double k) { gb_fd_pred_single_mode_op(w, 2, q, n, N, k); }

void gb_fd_pred_single_mode_op(mpfr_t w, int d, int q, long n, long N, double k)
{
    mpfr_t th, s;
    mpfr_inits2(mpfr_get_prec(w) + 32, th, s, (mpfr_ptr)0);
    mpfr_const_pi(th, MPFR_RNDN);
    mpfr_mul_si(th, th, n, MPFR_RNDN);
    mpfr_div_si(th, th, N, MPFR_RNDN);
    gb_stencil_symbol_closed_op(s, d, q, th);
    mpfr_pow_ui(th, th, (unsigned long)d, MPFR_RNDN);
    mpfr_div(th, th, s, MPFR_RNDN);
    mpfr_mul_d(w, th, k, MPFR_RNDN);
    mpfr_clears(th, s, (mpfr_ptr)0);
}

void gb_fd_pred_mixture_const(mpfr_t K, const gb_stencil_t st, int p)
{
    mpq_t beta;
    mpz_t sum, t;
    mpq_init(beta);
    mpz_inits(sum, t, (mpz_ptr)0);
    gb_stencil_beta(beta, st, st->q + st->d);
    mpq_abs(beta, beta);
    for (int m = 1; m <= p; m++) {
        mpz_ui_pow_ui(t, (unsigned long)m, (unsigned long)st->q);
        mpz_add(sum, sum, t);
    }
    mpfr_t pi;
    mpfr_init2(pi, mpfr_get_prec(K) + 32);
    mpfr_const_pi(pi, MPFR_RNDN);
    mpfr_pow_ui(pi, pi, (unsigned long)st->q, MPFR_RNDN);
    mpfr_mul_z(pi, pi, sum, MPFR_RNDN);
    mpfr_mul_q(pi, pi, beta, MPFR_RNDN);
    mpfr_div_ui(K, pi, (unsigned long)p, MPFR_RNDN);
    mpfr_clear(pi);
    mpq_clear(beta);
    mpz_clears(sum, t, (mpz_ptr)0);
}

void gb_fd_pred_sine_q2(mpfr_t ratio, int p, long N) { gb_fd_pred_sine_mixture(ratio, 2, 2, p, N); }

void gb_fd_pred_sine_mixture(mpfr_t ratio, int d, int q, int p, long N)
{
    mpfr_t th, s, r, s1, s2, W, t;
    mpfr_prec_t prec = mpfr_get_prec(ratio) + 32;
    mpfr_inits2(prec, th, s, r, s1, s2, W, t, (mpfr_ptr)0);
    mpfr_set_zero(s1, 1);
    mpfr_set_zero(s2, 1);
    long h = (d + q) / 2 - 1;   /* the window r = h .. N − h */
    for (int m = 1; m <= p; m++) {
        mpfr_const_pi(th, MPFR_RNDN);
        mpfr_mul_si(th, th, m, MPFR_RNDN);
        mpfr_div_si(th, th, N, MPFR_RNDN);
        gb_stencil_symbol_closed_op(s, d, q, th);
        mpfr_set(W, th, MPFR_RNDN);
        mpfr_pow_ui(th, th, (unsigned long)d, MPFR_RNDN);
        mpfr_div(r, s, th, MPFR_RNDN);
        if (h > 1) {            /* W_m = Σ_{i=h}^{N−h} sin²(mπ i/N); equal (N/2) when h = 1 */
            mpfr_set(t, W, MPFR_RNDN);
            mpfr_set_zero(W, 1);
            for (long i = h; i <= N - h; i++) {
                mpfr_mul_si(th, t, i, MPFR_RNDN);
                mpfr_sin(th, th, MPFR_RNDN);
                mpfr_sqr(th, th, MPFR_RNDN);
                mpfr_add(W, W, th, MPFR_RNDN);
            }
            mpfr_mul(t, r, W, MPFR_RNDN);
            mpfr_add(s1, s1, t, MPFR_RNDN);
            mpfr_sqr(r, r, MPFR_RNDN);
            mpfr_mul(r, r, W, MPFR_RNDN);
            mpfr_add(s2, s2, r, MPFR_RNDN);
            continue;
        }
        mpfr_add(s1, s1, r, MPFR_RNDN);
        mpfr_sqr(r, r, MPFR_RNDN);
        mpfr_add(s2, s2, r, MPFR_RNDN);
    }
    mpfr_div(ratio, s1, s2, MPFR_RNDN);
    mpfr_clears(th, s, r, s1, s2, W, t, (mpfr_ptr)0);
}

void gb_fd_fem_ratio(mpq_t res, const gb_stencil_t st, gb_load load)
{
    int q = st->q, nq = q - 1; /* quotient of degree q-2 has q-1 coefficients */
    mpq_t *rem = malloc(sizeof(mpq_t) * (q + 1)), *b = malloc(sizeof(mpq_t) * nq);
    for (int i = 0; i <= q; i++) {
        mpq_init(rem[i]);
        mpq_set(rem[i], st->a[i]);
    }
    /* synthetic division of Σ a_c z^c by z² - 2z + 1, highest degree first */
    for (int i = nq - 1; i >= 0; i--) {
        mpq_init(b[i]);
        mpq_set(b[i], rem[i + 2]);
        mpq_t t;
        mpq_init(t);
        mpq_mul_2exp(t, b[i], 1);
        mpq_add(rem[i + 1], rem[i + 1], t);  /* subtract b·(-2z) */
        mpq_sub(rem[i], rem[i], b[i]);       /* subtract b·1 */
        mpq_set_ui(rem[i + 2], 0, 1);
        mpq_clear(t);
    }
    /* m = (1,4,1)/6 or (1); g = b ∗ m */
    int nm = load == GB_LOAD_CONSISTENT ? 3 : 1, ng = nq + nm - 1;
    mpq_t m[3], *g = malloc(sizeof(mpq_t) * ng), t, num, den;
    mpq_inits(t, num, den, (mpq_ptr)0);
    if (load == GB_LOAD_CONSISTENT) {
        mpq_init(m[0]); mpq_set_ui(m[0], 1, 6);
        mpq_init(m[1]); mpq_set_ui(m[1], 4, 6); mpq_canonicalize(m[1]);
        mpq_init(m[2]); mpq_set_ui(m[2], 1, 6);
    } else {
        mpq_init(m[0]); mpq_set_ui(m[0], 1, 1);
    }
    for (int i = 0; i < ng; i++)
        mpq_init(g[i]);
    for (int i = 0; i < nq; i++)
        for (int j = 0; j < nm; j++) {
            mpq_mul(t, b[i], m[j]);
            mpq_add(g[i + j], g[i + j], t);
        }
    for (int i = 0; i < ng; i++) {
        mpq_mul(t, g[i], g[i]);
        mpq_add(den, den, t);
    }
    mpq_div(res, g[ng / 2], den);   /* g is symmetric: its centre is g_0 */
    for (int i = 0; i <= q; i++)
        mpq_clear(rem[i]);
    for (int i = 0; i < nq; i++)
        mpq_clear(b[i]);
    for (int i = 0; i < ng; i++)
        mpq_clear(g[i]);
    for (int j = 0; j < nm; j++)
        mpq_clear(m[j]);
    mpq_clears(t, num, den, (mpq_ptr)0);
    free(rem); free(b); free(g);
}

void gb_fd_pred_xval_terms(gb_fd_xval_terms *t, const gb_lin_xval_basis *test)
{
    long n = test->n, N = n - 1;
    int nb = test->nb;
    mpfr_prec_t wp = test->prec;
    mpfr_inits2(wp, t->a, t->b, t->c, (mpfr_ptr)0);
    mpfr_set_zero(t->a, 1);
    mpfr_set_zero(t->b, 1);
    mpfr_set_zero(t->c, 1);
    mpfr_t x, s, one, g, v, p;
    mpfr_inits2(wp, x, s, one, g, v, p, (mpfr_ptr)0);
    mpfr_set_ui(one, 1, MPFR_RNDN);
    mpfr_t *G = malloc(sizeof(mpfr_t) * n * n);
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) {   /* Δx G₁(x_i, x_j) */
            mpfr_init2(G[i * n + j], wp);
            gb_grid_node(x, i, N);
            gb_grid_node(s, j, N);
            gb_green(G[i * n + j], x, s, one);
            mpfr_div_si(G[i * n + j], G[i * n + j], N, MPFR_RNDN);
        }
    for (int c = 0; c < nb; c++)
        for (long i = 0; i < n; i++) {
            mpfr_set_zero(v, 1);      /* v = (Δx G₁ φ_c)_i */
            for (long j = 0; j < n; j++) {
                if (mpfr_zero_p(test->F[j * nb + c]))
                    continue;
                mpfr_mul(p, G[i * n + j], test->F[j * nb + c], MPFR_RNDN);
                mpfr_add(v, v, p, MPFR_RNDN);
            }
            const mpfr_ptr u = (mpfr_ptr)test->U[i * nb + c];
            mpfr_sqr(p, v, MPFR_RNDN);
            mpfr_add(t->a, t->a, p, MPFR_RNDN);
            mpfr_mul(p, v, u, MPFR_RNDN);
            mpfr_add(t->b, t->b, p, MPFR_RNDN);
            mpfr_sqr(p, u, MPFR_RNDN);
            mpfr_add(t->c, t->c, p, MPFR_RNDN);
        }
    for (long i = 0; i < n * n; i++)
        mpfr_clear(G[i]);
    free(G);
    mpfr_clears(x, s, one, g, v, p, (mpfr_ptr)0);
}

void gb_fd_pred_xval_terms_clear(gb_fd_xval_terms *t)
{
    mpfr_clears(t->a, t->b, t->c, (mpfr_ptr)0);
}

double gb_fd_pred_xval_rel(const gb_fd_xval_terms *t, const mpfr_t w, double *dR_dw)
{
    mpfr_prec_t wp = mpfr_get_prec(t->a);
    mpfr_t r, x, y;
    mpfr_inits2(wp, r, x, y, (mpfr_ptr)0);
    mpfr_ui_div(r, 1, w, MPFR_RNDN);          /* r = 1/w */
    mpfr_mul(x, t->a, r, MPFR_RNDN);          /* R = ((a r − 2b) r + c)/c */
    mpfr_mul_2ui(y, t->b, 1, MPFR_RNDN);
    mpfr_sub(x, x, y, MPFR_RNDN);
    mpfr_mul(x, x, r, MPFR_RNDN);
    mpfr_add(x, x, t->c, MPFR_RNDN);
    mpfr_div(x, x, t->c, MPFR_RNDN);
    double R = mpfr_get_d(x, MPFR_RNDN);
    if (dR_dw) {                              /* dR/dw = −(2a r − 2b) r² / c */
        mpfr_mul(x, t->a, r, MPFR_RNDN);
        mpfr_sub(x, x, t->b, MPFR_RNDN);
        mpfr_mul_2ui(x, x, 1, MPFR_RNDN);
        mpfr_mul(x, x, r, MPFR_RNDN);
        mpfr_mul(x, x, r, MPFR_RNDN);
        mpfr_div(x, x, t->c, MPFR_RNDN);
        *dR_dw = -mpfr_get_d(x, MPFR_RNDN);
    }
    mpfr_clears(r, x, y, (mpfr_ptr)0);
    return R;
}
