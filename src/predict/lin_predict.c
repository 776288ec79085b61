#include "predict/lin_predict.h"
#include "core/grid.h"
#include "core/status.h"
#include "problem/problem.h"
#include <stdlib.h>
#include <string.h>

/* inverse of the p × p matrix G (row-major, destroyed) into Inv, Gauss-Jordan with partial pivoting */
static void mpfr_invert(mpfr_t *G, mpfr_t *Inv, int p, mpfr_prec_t prec)
{
    mpfr_t f, t;
    mpfr_inits2(prec, f, t, (mpfr_ptr)0);
    for (int i = 0; i < p; i++)
        for (int j = 0; j < p; j++)
            mpfr_set_ui(Inv[i * p + j], i == j, MPFR_RNDN);
    for (int c = 0; c < p; c++) {
        int piv = c;
        for (int i = c + 1; i < p; i++)
            if (mpfr_cmpabs(G[i * p + c], G[piv * p + c]) > 0)
                piv = i;
        for (int j = 0; j < p && piv != c; j++) {
            mpfr_swap(G[piv * p + j], G[c * p + j]);
            mpfr_swap(Inv[piv * p + j], Inv[c * p + j]);
        }
        for (int i = 0; i < p; i++) {
            if (i == c)
                continue;
            mpfr_div(f, G[i * p + c], G[c * p + c], MPFR_RNDN);
            for (int j = 0; j < p; j++) {
                mpfr_mul(t, f, G[c * p + j], MPFR_RNDN);
                mpfr_sub(G[i * p + j], G[i * p + j], t, MPFR_RNDN);
                mpfr_mul(t, f, Inv[c * p + j], MPFR_RNDN);
                mpfr_sub(Inv[i * p + j], Inv[i * p + j], t, MPFR_RNDN);
            }
        }
    }
    for (int i = 0; i < p; i++)
        for (int j = 0; j < p; j++)
            mpfr_div(Inv[i * p + j], Inv[i * p + j], G[i * p + i], MPFR_RNDN);
    mpfr_clears(f, t, (mpfr_ptr)0);
}

static mpfr_t *mpfr_array(long n, mpfr_prec_t prec)
{
    mpfr_t *a = malloc(sizeof(mpfr_t) * n);
    for (long i = 0; a && i < n; i++) {
        mpfr_init2(a[i], prec);
        mpfr_set_zero(a[i], 1);
    }
    return a;
}

static void mpfr_array_clear(mpfr_t *a, long n)
{
    for (long i = 0; i < n; i++)
        mpfr_clear(a[i]);
    free(a);
}

/* A_FEM entry (i, j) in MPFR (see gb_lin_pred_fem_operator) */
static void fem_entry(mpfr_t g, long i, long j, long N, const mpfr_t k, gb_load load)
{
    mpfr_prec_t prec = mpfr_get_prec(g);
    mpfr_t x, s, t;
    mpfr_inits2(prec, x, s, t, (mpfr_ptr)0);
    mpfr_set_zero(g, 1);
    if (i > 0 && i < N) {
        gb_grid_node(x, i, N);
        if (j == 0 || j == N) {
            if (load != GB_LOAD_LUMPED) {
                gb_grid_node(s, j == 0 ? 1 : N - 1, N);  /* (Δx/6) G(x_i, x_1) or G(x_i, x_{N-1}) */
                gb_green(g, x, s, k);
                mpfr_div_si(g, g, 6 * N, MPFR_RNDN);
            }
        } else {
            gb_grid_node(s, j, N);
            gb_green(g, x, s, k);
            mpfr_div_si(g, g, N, MPFR_RNDN);          /* Δx G */
            if (i == j && load == GB_LOAD_CONSISTENT) {
                mpfr_set_ui(t, 1, MPFR_RNDN);         /* Δx²/(6k) */
                mpfr_div_si(t, t, 6 * N * N, MPFR_RNDN);
                mpfr_div(t, t, k, MPFR_RNDN);
                mpfr_sub(g, g, t, MPFR_RNDN);
            }
        }
    }
    mpfr_clears(x, s, t, (mpfr_ptr)0);
}

/* The basis of a data set sampled on the grid: F (n × nb) and its exact solutions U, in MPFR.
 * fem: the nodal hat functions, F = I and U = A_FEM. Returns nb. */
static int basis_mpfr(mpfr_t **F, mpfr_t **U, const gb_data_spec *spec, mpfr_prec_t wp)
{
    long N = spec->N, n = N + 1;
    mpfr_t x, k;
    mpfr_inits2(wp, x, k, (mpfr_ptr)0);
    mpfr_set_d(k, spec->k, MPFR_RNDN);
    int terms[16], p = spec->family == GB_FAMILY_FEM ? (int)n : gb_data_spec_terms(spec, terms);
    *F = mpfr_array(n * p, wp);
    *U = mpfr_array(n * p, wp);
    for (long i = 0; i < n; i++) {
        gb_grid_node(x, i, N);
        for (int c = 0; c < p; c++) {
            if (spec->family == GB_FAMILY_FEM) {
                mpfr_set_ui((*F)[i * p + c], i == c, MPFR_RNDN);
                fem_entry((*U)[i * p + c], i, c, N, k, spec->load);
            } else {
                gb_basis_forcing((*F)[i * p + c], spec->family, terms[c], x);
                gb_basis_solution((*U)[i * p + c], spec->equation, spec->family, terms[c], x, k);
            }
        }
    }
    mpfr_clears(x, k, (mpfr_ptr)0);
    return p;
}

/* AP = U_b (F_bᵀF_b)⁻¹ F_bᵀ and P = F_b (F_bᵀF_b)⁻¹ F_bᵀ (P may be NULL), n × n arrays of MPFR
 * numbers at wp bits, allocated here */
static void operator_mpfr(mpfr_t **AP, mpfr_t **P, const gb_data_spec *spec, mpfr_prec_t wp)
{
    long n = spec->N + 1;
    mpfr_t *F, *U;
    int p = basis_mpfr(&F, &U, spec, wp);
    *AP = mpfr_array(n * n, wp);
    if (P)
        *P = mpfr_array(n * n, wp);
    if (spec->family == GB_FAMILY_FEM) {   /* full span: AP = A_FEM, P = I */
        for (long i = 0; i < n * n; i++) {
            mpfr_set((*AP)[i], U[i], MPFR_RNDN);
            if (P)
                mpfr_set((*P)[i], F[i], MPFR_RNDN);
        }
        mpfr_array_clear(F, n * p);
        mpfr_array_clear(U, n * p);
        return;
    }
    mpfr_t *Gm = mpfr_array(p * p, wp), *Gi = mpfr_array(p * p, wp), *FG = mpfr_array(n * p, wp);
    mpfr_t t;
    mpfr_init2(t, wp);
    for (int r = 0; r < p; r++)
        for (int c = 0; c < p; c++)
            for (long i = 0; i < n; i++) {
                mpfr_mul(t, F[i * p + r], F[i * p + c], MPFR_RNDN);
                mpfr_add(Gm[r * p + c], Gm[r * p + c], t, MPFR_RNDN);
            }
    mpfr_invert(Gm, Gi, p, wp);
    /* FG = F_b (F_bᵀF_b)⁻¹, n × p */
    for (long i = 0; i < n; i++)
        for (int c = 0; c < p; c++)
            for (int r = 0; r < p; r++) {
                mpfr_mul(t, F[i * p + r], Gi[r * p + c], MPFR_RNDN);
                mpfr_add(FG[i * p + c], FG[i * p + c], t, MPFR_RNDN);
            }
    /* AP_ij = Σ_c U_ic (FG)_jc, P_ij = Σ_c F_ic (FG)_jc */
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++)
            for (int c = 0; c < p; c++) {
                mpfr_mul(t, U[i * p + c], FG[j * p + c], MPFR_RNDN);
                mpfr_add((*AP)[i * n + j], (*AP)[i * n + j], t, MPFR_RNDN);
                if (P) {
                    mpfr_mul(t, F[i * p + c], FG[j * p + c], MPFR_RNDN);
                    mpfr_add((*P)[i * n + j], (*P)[i * n + j], t, MPFR_RNDN);
                }
            }
    mpfr_array_clear(F, n * p);
    mpfr_array_clear(U, n * p);
    mpfr_array_clear(Gm, p * p);
    mpfr_array_clear(Gi, p * p);
    mpfr_array_clear(FG, n * p);
    mpfr_clear(t);
}

/* the fem family's closed form A_FEM is the Poisson one; the biharmonic's mixed-method operator is not here */
static int has_closed_form(const gb_data_spec *spec)
{
    return spec->equation == GB_EQ_POISSON || spec->family != GB_FAMILY_FEM;
}

int gb_lin_pred_operator(double *AP, double *P, const gb_data_spec *spec, mpfr_prec_t prec)
{
    if (!has_closed_form(spec))
        return GB_EINVAL;
    long n = spec->N + 1;
    mpfr_t *A, *Pm;
    operator_mpfr(&A, &Pm, spec, prec + 64);
    for (long i = 0; i < n * n; i++) {
        AP[i] = mpfr_get_d(A[i], MPFR_RNDN);
        P[i] = mpfr_get_d(Pm[i], MPFR_RNDN);
    }
    mpfr_array_clear(A, n * n);
    mpfr_array_clear(Pm, n * n);
    return GB_OK;
}

void gb_lin_pred_xval_free(gb_lin_xval_basis *b)
{
    if (!b)
        return;
    long n = b->n;
    if (b->AP)
        mpfr_array_clear(b->AP, n * n);
    if (b->F)
        mpfr_array_clear(b->F, n * b->nb);
    if (b->U)
        mpfr_array_clear(b->U, n * b->nb);
    free(b);
}

gb_lin_xval_basis *gb_lin_pred_xval_basis(const gb_data_spec *spec, mpfr_prec_t prec)
{
    gb_lin_xval_basis *b = has_closed_form(spec) ? calloc(1, sizeof *b) : NULL;
    if (!b)
        return NULL;
    b->n = spec->N + 1;
    b->prec = prec + 64;
    b->law = spec->law;
    b->nb = basis_mpfr(&b->F, &b->U, spec, b->prec);
    operator_mpfr(&b->AP, NULL, spec, b->prec);
    return b;
}

void gb_lin_pred_xval_mse(double *mse, double *var, const gb_lin_xval_basis *train, const gb_lin_xval_basis *test)
{
    long n = train->n;
    int nb = test->nb;
    mpfr_prec_t wp = train->prec;
    mpfr_t *E = mpfr_array(n * nb, wp);
    mpfr_t t, m, tr, tr2, dg2, mu2, mu4;
    mpfr_inits2(wp, t, m, tr, tr2, dg2, mu2, mu4, (mpfr_ptr)0);
    /* E = AP F_t - U_t: the error on each test basis function */
    for (long i = 0; i < n; i++)
        for (int c = 0; c < nb; c++) {
            mpfr_neg(E[i * nb + c], test->U[i * nb + c], MPFR_RNDN);
            for (long j = 0; j < n; j++) {
                if (mpfr_zero_p(test->F[j * nb + c]))
                    continue;
                mpfr_mul(t, train->AP[i * n + j], test->F[j * nb + c], MPFR_RNDN);
                mpfr_add(E[i * nb + c], E[i * nb + c], t, MPFR_RNDN);
            }
        }
    /* M = EᵀE; per sample q = cᵀMc/n: E q = μ₂ tr M / n,
     * Var q = ((μ₄ - 3μ₂²) Σ M_cc² + 2 μ₂² tr M²) / n² for i.i.d. coefficients */
    mpfr_set_zero(tr, 1);
    mpfr_set_zero(tr2, 1);
    mpfr_set_zero(dg2, 1);
    for (int a = 0; a < nb; a++)
        for (int c = a; c < nb; c++) {
            mpfr_set_zero(m, 1);
            for (long i = 0; i < n; i++) {
                mpfr_mul(t, E[i * nb + a], E[i * nb + c], MPFR_RNDN);
                mpfr_add(m, m, t, MPFR_RNDN);
            }
            mpfr_sqr(t, m, MPFR_RNDN);
            if (a == c) {
                mpfr_add(tr, tr, m, MPFR_RNDN);
                mpfr_add(dg2, dg2, t, MPFR_RNDN);
                mpfr_add(tr2, tr2, t, MPFR_RNDN);
            } else {
                mpfr_mul_2ui(t, t, 1, MPFR_RNDN);
                mpfr_add(tr2, tr2, t, MPFR_RNDN);
            }
        }
    if (test->law == GB_LAW_UNIFORM) {  /* U(-1,1): μ₂ = 1/3, μ₄ = 1/5 */
        mpfr_set_ui(mu2, 1, MPFR_RNDN);
        mpfr_div_ui(mu2, mu2, 3, MPFR_RNDN);
        mpfr_set_ui(mu4, 1, MPFR_RNDN);
        mpfr_div_ui(mu4, mu4, 5, MPFR_RNDN);
    } else {
        mpfr_set_ui(mu2, 1, MPFR_RNDN);
        mpfr_set_ui(mu4, 3, MPFR_RNDN);
    }
    mpfr_mul(t, mu2, tr, MPFR_RNDN);
    mpfr_div_si(t, t, n, MPFR_RNDN);
    *mse = mpfr_get_d(t, MPFR_RNDN);
    mpfr_sqr(m, mu2, MPFR_RNDN);
    mpfr_mul_ui(t, m, 3, MPFR_RNDN);
    mpfr_sub(t, mu4, t, MPFR_RNDN);
    mpfr_mul(dg2, dg2, t, MPFR_RNDN);
    mpfr_mul_2ui(m, m, 1, MPFR_RNDN);
    mpfr_mul(tr2, tr2, m, MPFR_RNDN);
    mpfr_add(t, dg2, tr2, MPFR_RNDN);
    mpfr_div_si(t, t, n * n, MPFR_RNDN);
    *var = mpfr_get_d(t, MPFR_RNDN);
    mpfr_array_clear(E, n * nb);
    mpfr_clears(t, m, tr, tr2, dg2, mu2, mu4, (mpfr_ptr)0);
}

void gb_lin_pred_fem_operator(double *A, long N, double kd, gb_load load, mpfr_prec_t prec)
{
    long n = N + 1;
    mpfr_t k, g;
    mpfr_inits2(prec, k, g, (mpfr_ptr)0);
    mpfr_set_d(k, kd, MPFR_RNDN);
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) {
            fem_entry(g, i, j, N, k, load);
            A[i * n + j] = mpfr_get_d(g, MPFR_RNDN);
        }
    mpfr_clears(k, g, (mpfr_ptr)0);
}

void gb_lin_green_matrix(double *G, long N, double kd, long modes, mpfr_prec_t prec)
{
    gb_lin_green_matrix_eq(G, GB_EQ_POISSON, N, kd, modes, prec);
}

void gb_lin_green_matrix_eq(double *G, gb_equation eq, long N, double kd, long modes, mpfr_prec_t prec)
{
    long n = N + 1;
    mpfr_t x, s, k, g;
    mpfr_inits2(prec, x, s, k, g, (mpfr_ptr)0);
    mpfr_set_d(k, kd, MPFR_RNDN);
    /* the expansion: each node's mode sines once (n M sines, not n² M), each entry once (it is symmetric);
     * without memory for the table, entry by entry (the same bits) */
    mpfr_t *sn = modes > 0 ? mpfr_array(n * modes, prec + 32) : NULL;
    for (long i = 0; sn && i < n; i++) {
        gb_grid_node(x, i, N);
        gb_green_series_sines(sn + i * modes, x, modes, prec + 32);
    }
    for (long i = 0; i < n; i++)
        for (long j = sn ? i : 0; j < n; j++) {
            if (sn)
                gb_green_series_from_sines(g, eq, (const mpfr_t *)sn + i * modes, (const mpfr_t *)sn + j * modes, k,
                                           modes);
            else {
                gb_grid_node(x, i, N);
                gb_grid_node(s, j, N);
                if (modes > 0)
                    gb_green_series_eq(g, eq, x, s, k, modes);
                else
                    gb_green_eq(g, eq, x, s, k);
            }
            G[i * n + j] = mpfr_get_d(g, MPFR_RNDN);
            if (sn)
                G[j * n + i] = G[i * n + j];
        }
    if (sn)
        mpfr_array_clear(sn, n * modes);
    mpfr_clears(x, s, k, g, (mpfr_ptr)0);
}

double gb_lin_fem_sine_ratio(int m, long N, mpfr_prec_t prec)
{
    mpfr_t th, c, s, r;
    mpfr_inits2(prec, th, c, s, r, (mpfr_ptr)0);
    mpfr_const_pi(th, MPFR_RNDN);
    mpfr_mul_si(th, th, m, MPFR_RNDN);
    mpfr_div_si(th, th, N, MPFR_RNDN);
    mpfr_cos(c, th, MPFR_RNDN);
    mpfr_add_ui(c, c, 2, MPFR_RNDN);
    mpfr_div_2ui(s, th, 1, MPFR_RNDN);
    mpfr_sin(s, s, MPFR_RNDN);
    mpfr_sqr(s, s, MPFR_RNDN);
    mpfr_mul_ui(s, s, 12, MPFR_RNDN);
    mpfr_sqr(r, th, MPFR_RNDN);
    mpfr_mul(r, r, c, MPFR_RNDN);
    mpfr_div(r, r, s, MPFR_RNDN);
    double v = mpfr_get_d(r, MPFR_RNDN);
    mpfr_clears(th, c, s, r, (mpfr_ptr)0);
    return v;
}

int gb_lin_pred_span_error(double *E, const gb_data_spec *train, const double *coef, long S, int full_span,
                           const gb_data_spec *test, mpfr_prec_t prec)
{
    if (!has_closed_form(train) || !has_closed_form(test))
        return 0;
    long n = train->N + 1;
    mpfr_t *Fa, *Ua, *Fb, *Ub;
    int r = basis_mpfr(&Fa, &Ua, train, prec), nb = basis_mpfr(&Fb, &Ub, test, prec);
    int s = (S < r && !full_span) ? (int)S : r;
    mpfr_t *Q = mpfr_array((long)r * s, prec), *G = mpfr_array((long)r * r, prec), *M = mpfr_array((long)s * s, prec),
           *Mi = mpfr_array((long)s * s, prec), *GQ = mpfr_array((long)r * s, prec), *X = mpfr_array((long)r * r, prec),
           *H = mpfr_array((long)r * nb, prec), *Y = mpfr_array((long)r * nb, prec);
    mpfr_t t, e;
    mpfr_inits2(prec, t, e, (mpfr_ptr)0);
    for (int a = 0; a < r; a++)   /* Q = C (r × s) or I */
        for (int c = 0; c < s; c++)
            mpfr_set_d(Q[a * s + c], s == r && (S >= r || full_span) ? (double)(a == c) : coef[(long)c * r + a],
                       MPFR_RNDN);
    for (int a = 0; a < r; a++)   /* G = Φ_aᵀΦ_a, H = Φ_aᵀΦ_b */
        for (long i = 0; i < n; i++) {
            for (int b = 0; b < r; b++) {
                mpfr_mul(t, Fa[i * r + a], Fa[i * r + b], MPFR_RNDN);
                mpfr_add(G[a * r + b], G[a * r + b], t, MPFR_RNDN);
            }
            for (int b = 0; b < nb; b++) {
                mpfr_mul(t, Fa[i * r + a], Fb[i * nb + b], MPFR_RNDN);
                mpfr_add(H[a * nb + b], H[a * nb + b], t, MPFR_RNDN);
            }
        }
    for (int a = 0; a < r; a++)   /* GQ = G Q */
        for (int c = 0; c < s; c++)
            for (int b = 0; b < r; b++) {
                mpfr_mul(t, G[a * r + b], Q[b * s + c], MPFR_RNDN);
                mpfr_add(GQ[a * s + c], GQ[a * s + c], t, MPFR_RNDN);
            }
    for (int c = 0; c < s; c++)   /* M = Qᵀ G Q */
        for (int d = 0; d < s; d++)
            for (int a = 0; a < r; a++) {
                mpfr_mul(t, Q[a * s + c], GQ[a * s + d], MPFR_RNDN);
                mpfr_add(M[c * s + d], M[c * s + d], t, MPFR_RNDN);
            }
    mpfr_invert(M, Mi, s, prec);
    for (int a = 0; a < r; a++)   /* X = Q M⁻¹ Qᵀ */
        for (int b = 0; b < r; b++)
            for (int c = 0; c < s; c++)
                for (int d = 0; d < s; d++) {
                    mpfr_mul(t, Q[a * s + c], Mi[c * s + d], MPFR_RNDN);
                    mpfr_mul(t, t, Q[b * s + d], MPFR_RNDN);
                    mpfr_add(X[a * r + b], X[a * r + b], t, MPFR_RNDN);
                }
    for (int a = 0; a < r; a++)   /* Y = X H */
        for (int b = 0; b < nb; b++)
            for (int c = 0; c < r; c++) {
                mpfr_mul(t, X[a * r + c], H[c * nb + b], MPFR_RNDN);
                mpfr_add(Y[a * nb + b], Y[a * nb + b], t, MPFR_RNDN);
            }
    for (long i = 0; i < n; i++)  /* E = Ψ_a Y − Ψ_b */
        for (int b = 0; b < nb; b++) {
            mpfr_neg(e, Ub[i * nb + b], MPFR_RNDN);
            for (int a = 0; a < r; a++) {
                mpfr_mul(t, Ua[i * r + a], Y[a * nb + b], MPFR_RNDN);
                mpfr_add(e, e, t, MPFR_RNDN);
            }
            E[i * nb + b] = mpfr_get_d(e, MPFR_RNDN);
        }
    mpfr_clears(t, e, (mpfr_ptr)0);
    mpfr_array_clear(Fa, n * r); mpfr_array_clear(Ua, n * r);
    mpfr_array_clear(Fb, n * nb); mpfr_array_clear(Ub, n * nb);
    mpfr_array_clear(Q, (long)r * s); mpfr_array_clear(G, (long)r * r); mpfr_array_clear(M, (long)s * s);
    mpfr_array_clear(Mi, (long)s * s); mpfr_array_clear(GQ, (long)r * s); mpfr_array_clear(X, (long)r * r);
    mpfr_array_clear(H, (long)r * nb); mpfr_array_clear(Y, (long)r * nb);
    return nb;
}
