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
    for (long i = 0; i < n; i++) {
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

int gb_lin_pred_operator(double *AP, double *P, const gb_data_spec *spec, mpfr_prec_t prec)
{
    long N = spec->N, n = N + 1;
    if (spec->family == GB_FAMILY_FEM) {
        gb_lin_pred_fem_operator(AP, N, spec->k, spec->load, prec);
        for (long i = 0; i < n * n; i++)
            P[i] = (i / n == i % n);
        return GB_OK;
    }
    int terms[16], p = gb_data_spec_terms(spec, terms);
    mpfr_prec_t wp = prec + 64;
    mpfr_t *F = mpfr_array(n * p, wp), *U = mpfr_array(n * p, wp), *Gm = mpfr_array(p * p, wp),
           *Gi = mpfr_array(p * p, wp), *FG = mpfr_array(n * p, wp);
    mpfr_t x, k, t, a, b;
    mpfr_inits2(wp, x, k, t, a, b, (mpfr_ptr)0);
    mpfr_set_d(k, spec->k, MPFR_RNDN);
    for (long i = 0; i < n; i++) {
        gb_grid_node(x, i, N);
        for (int c = 0; c < p; c++) {
            gb_basis_forcing(F[i * p + c], spec->family, terms[c], x);
            gb_basis_solution(U[i * p + c], spec->family, terms[c], x, k);
        }
    }
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
    /* AP_ij = Σ_c U_ic (FG)_jc, P_ij = Σ_c F_ic (FG)_jc  — AP = U_b G⁻¹ F_bᵀ, P = F_b G⁻¹ F_bᵀ */
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) {
            mpfr_set_zero(a, 1);
            mpfr_set_zero(b, 1);
            for (int c = 0; c < p; c++) {
                mpfr_mul(t, U[i * p + c], FG[j * p + c], MPFR_RNDN);
                mpfr_add(a, a, t, MPFR_RNDN);
                mpfr_mul(t, F[i * p + c], FG[j * p + c], MPFR_RNDN);
                mpfr_add(b, b, t, MPFR_RNDN);
            }
            AP[i * n + j] = mpfr_get_d(a, MPFR_RNDN);
            P[i * n + j] = mpfr_get_d(b, MPFR_RNDN);
        }
    mpfr_array_clear(F, n * p);
    mpfr_array_clear(U, n * p);
    mpfr_array_clear(Gm, p * p);
    mpfr_array_clear(Gi, p * p);
    mpfr_array_clear(FG, n * p);
    mpfr_clears(x, k, t, a, b, (mpfr_ptr)0);
    return GB_OK;
}

void gb_lin_pred_fem_operator(double *A, long N, double kd, gb_load load, mpfr_prec_t prec)
{
    long n = N + 1;
    mpfr_t x, s, k, g, t;
    mpfr_inits2(prec, x, s, k, g, t, (mpfr_ptr)0);
    mpfr_set_d(k, kd, MPFR_RNDN);
    memset(A, 0, sizeof(double) * n * n);
    for (long i = 1; i < N; i++) {
        gb_grid_node(x, i, N);
        for (long j = 0; j <= N; j++) {
            if (j == 0 || j == N) {
                if (load == GB_LOAD_LUMPED)
                    continue;
                gb_grid_node(s, j == 0 ? 1 : N - 1, N);  /* (Δx/6) G(x_i, x_1) or G(x_i, x_{N-1}) */
                gb_green(g, x, s, k);
                mpfr_div_si(g, g, 6 * N, MPFR_RNDN);
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
            A[i * n + j] = mpfr_get_d(g, MPFR_RNDN);
        }
    }
    mpfr_clears(x, s, k, g, t, (mpfr_ptr)0);
}

void gb_lin_green_matrix(double *G, long N, double kd, long modes, mpfr_prec_t prec)
{
    long n = N + 1;
    mpfr_t x, s, k, g;
    mpfr_inits2(prec, x, s, k, g, (mpfr_ptr)0);
    mpfr_set_d(k, kd, MPFR_RNDN);
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) {
            gb_grid_node(x, i, N);
            gb_grid_node(s, j, N);
            if (modes > 0)
                gb_green_series(g, x, s, k, modes);
            else
                gb_green(g, x, s, k);
            G[i * n + j] = mpfr_get_d(g, MPFR_RNDN);
        }
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
