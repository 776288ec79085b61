/* FD-8 [derived]: the FD2 operator on the interior nodes inverts to the sampled
 * Green's function: (k L_h)⁻¹ = Δx G(x_i, x_j), exactly, for every N. Checked in
 * rationals, and against a double-precision tridiagonal solve (LAPACK dgtsv). */
#include "core/blas.h"
#include "verify.h"
#include "certify/enclose.h"
#include "core/status.h"
#include "problem/problem.h"
#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* the double solve's error bound: this × κ × 2^-DBL_MANT_DIG (the column header is written from it) */
#define FD8_BOUND_ULPS 16

static char bound_col[32];
static const char *cols[] = {"N", "k", "rational defects", "double solve max rel. error", bound_col};

/* max_ij |x_ij - Δx G_ij| / max|Δx G| with X = (k L_h)⁻¹ from dgtsv */
static double double_solve_error(long N, double k)
{
    lapack_int n = (lapack_int)(N - 1);
    double *dl = malloc(sizeof(double) * n), *d = malloc(sizeof(double) * n), *du = malloc(sizeof(double) * n),
           *B = calloc((size_t)n * n, sizeof(double));
    double s = k * (double)N * (double)N;
    for (lapack_int i = 0; i < n; i++) {
        d[i] = 2 * s;
        dl[i] = du[i] = -s;
        B[i * n + i] = 1.0;
    }
    double err = NAN;
    gb_blas_single_thread();
    if (LAPACKE_dgtsv(LAPACK_COL_MAJOR, n, n, dl, d, du, B, n) == 0) {
        err = 0;
        double gmax = 0.25 / k / N; /* max of Δx G */
        for (lapack_int j = 0; j < n; j++)
            for (lapack_int i = 0; i < n; i++) {
                double xi = (double)(i + 1) / N, xj = (double)(j + 1) / N;
                double g = (xi < xj ? xi * (1 - xj) : xj * (1 - xi)) / k / N;
                double e = fabs(B[j * n + i] - g) / gmax;
                if (e > err)
                    err = e;
            }
    }
    free(dl); free(d); free(du); free(B);
    return err;
}

/* every entry Δx G(x_i, x_j) = min(i,j)(N − max(i,j))/(k N³), k the exact rational of the double, as a
 * double, must lie in the Arb ball inverse of k L_h */
static void certify_inverse(gb_claim_t c, const gb_verify_opts *o, long N, double k)
{
    arb_mat_t X;
    arb_mat_init(X, N - 1, N - 1);
    char what[128];
    snprintf(what, sizeof what, "N=%ld k=%g: (k L_h)⁻¹", N, k);
    if (!gb_enclose_green_inverse(X, N, k, 2 * o->prec)) {
        gb_claim_judge(c, GB_ERROR, "%s: the ball elimination could not certify the inverse", what);
        arb_mat_clear(X);
        return;
    }
    mpq_t g, kq;
    mpq_inits(g, kq, (mpq_ptr)0);
    mpq_set_d(kq, k);
    for (long i = 1; i < N; i++)
        for (long j = 1; j < N; j++) {
            long lo = i < j ? i : j, hi = i < j ? j : i;
            mpz_set_si(mpq_numref(g), lo * (N - hi));
            mpz_ui_pow_ui(mpq_denref(g), (unsigned long)N, 3);
            mpq_canonicalize(g);
            mpq_div(g, g, kq);
            snprintf(what, sizeof what, "N=%ld k=%g: Δx G(x_%ld, x_%ld)", N, k, i, j);
            gb_verify_certify(c, o, arb_mat_entry(X, i - 1, j - 1), gb_verify_q_to_d(g), what, NULL, 0);
        }
    mpq_clears(g, kq, (mpq_ptr)0);
    arb_mat_clear(X);
}

int gb_verify_fd8(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "GMP rationals";
    c->certified_what = "every entry of Δx G on the interior nodes, against the ball inverse of k L_h";
    c->statement = "On the N-1 interior nodes, (k L_h)⁻¹ = Δx G(x_i, x_j) exactly, L_h = tridiag(-1,2,-1)/Δx², for every N.";
    snprintf(bound_col, sizeof bound_col, "bound %d κ 2^-%d", FD8_BOUND_ULPS, DBL_MANT_DIG);
    c->cases.ncols = sizeof cols / sizeof *cols;
    c->cases.cols = cols;
    gb_verify_params(c, o, 0, "- N = 2, 3, 4, 5, 8, 16, 32, 64, 128; k = 1, 1.5 and 0.3 (the double nearest 0.3, as an exact rational)\n"
                           "- κ = cot²(π/2N), the 2-norm condition number of L_h\n");
    static const long Ns[] = {2, 3, 4, 5, 8, 16, 32, 64, 128};
    static const double ks[] = {1.0, 1.5, 0.3};
    long defects_total = 0;
    double worst = 0;
    for (int i = 0; i < 9; i++)
        for (int j = 0; j < 3; j++) {
            mpq_t k;
            mpq_init(k);
            mpq_set_d(k, ks[j]);
            long defects = gb_green_discrete_identity_defects(Ns[i], k);
            mpq_clear(k);
            defects_total += defects;
            if (defects)
                gb_claim_judge(c, GB_FAIL, "N=%ld k=%g: %ld entries of (k L_h)(Δx G) differ from I", Ns[i], ks[j], defects);
            certify_inverse(c, o, Ns[i], ks[j]);
            double err = double_solve_error(Ns[i], ks[j]);
            double kappa = pow(1.0 / tan(M_PI / (2.0 * Ns[i])), 2);
            double bound = FD8_BOUND_ULPS * kappa * ldexp(1.0, -DBL_MANT_DIG);
            if (!(err <= bound))
                gb_claim_judge(c, GB_FAIL, "N=%ld k=%g: double solve error %.2e above %.2e", Ns[i], ks[j], err, bound);
            if (err / bound > worst)
                worst = err / bound;
            gb_table_row(&c->cases, Ns[i], ks[j], defects, err, bound);
        }
    gb_str_printf(&c->prediction, "(k L_h)(Δx G) = I exactly, all N");
    gb_str_printf(&c->measured, "%ld rational defects in %ld cases; double solve ≤ %.3f × its bound", defects_total,
                  c->cases.nrows, worst);
    return GB_OK;
}
