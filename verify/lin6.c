/* LIN-6 [Q25 + derived]: a generalisation lower bound. With isotropic test inputs
 * (fem nodal values, i.i.d. with variance σ²) and labels A f,
 *   E ‖(W* - A) f‖² = σ² ‖(W⁰ - A) P⊥‖²_F ≥ σ² ‖A P⊥‖²_F  (the bound in expectation over a zero-mean W⁰).
 * Trained on fem data with S_train = N/2 samples (a span of half the nodes), A = A_FEM. */
#include "lin_common.h"
#include "core/status.h"
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIN6_W0 0.01   /* W⁰ ~ N(0, LIN6_W0²) in the random-start cases */
#define LIN6_Z 3.0     /* the Monte Carlo mean within this many standard errors of the prediction (SPEC) */

static const char *cols[] = {"N", "W0", "rank", "Monte Carlo E|(W - A) f|²", "SE", "predicted σ²|(W0 - A)P⊥|²",
                             "z", "bound σ²|A P⊥|²"};

int gb_verify_lin6(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "LIN-1; A_FEM (LIN-7)";
    c->statement = "For isotropic test inputs of variance σ², E‖(W* - A) f‖² = σ²‖(W⁰ - A)P⊥‖²_F ≥ σ²‖A P⊥‖²_F "
                   "for zero-mean W⁰: a model trained on a subspace cannot generalise beyond it.";
    c->cases.ncols = sizeof cols / sizeof *cols;
    c->cases.cols = cols;
    char extra[384];
    snprintf(extra, sizeof extra,
             "- fem data (consistent load), N = 16, 32, 64; S_train = N/2; W⁰ = 0 and W⁰ ~ N(0, %g²); "
             "closed-form W; test: S test fem samples (seed + %lu), σ² = 1\n"
             "- rule: Monte Carlo mean within %g standard errors of the prediction (SPEC); "
             "with W⁰ = 0 the bound is an equality\n", LIN6_W0, GB_TEST_SEED_OFFSET, LIN6_Z);
    gb_verify_params(c, o, GB_USES_DATA | GB_USES_SAMPLES | GB_USES_MPFR, extra);
    char w0[32];   /* the table's W0 column: the variance */
    snprintf(w0, sizeof w0, "N(0,%s)", GB_NUM("%.0e", LIN6_W0 * LIN6_W0));
    static const long Ns[] = {16, 32, 64};
    for (int g = 0; g < 3; g++)
        for (int w = 0; w < 2; w++) {
            long N = Ns[g], n = N + 1;
            gb_verify_opts ot = *o;
            ot.S = N / 2;
            gb_lin_case k;
            int st = gb_lin_case_init(&k, &ot, GB_FAMILY_FEM, 0, N, w ? LIN6_W0 : 0.0, GB_LOAD_CONSISTENT);
            if (st)
                return st;
            if (!k.agree)
                gb_claim_judge(c, GB_INCONCLUSIVE, "N=%ld: A P differs at p and 2p bits in the printed digits", N);
            double *W = malloc(sizeof(double) * n * n), *Pp = malloc(sizeof(double) * n * n),
                   *M = malloc(sizeof(double) * n * n), *R = malloc(sizeof(double) * n * n);
            gb_linear_closed_form(W, &k.L, k.W0);
            gb_linear_projector(Pp, &k.L);
            for (long i = 0; i < n * n; i++)
                Pp[i] = (i / n == i % n) - Pp[i];                /* P⊥ = I - P */
            /* predicted σ²‖(W⁰ - A) P⊥‖²_F and the bound σ²‖A P⊥‖²_F (A = A_FEM, k.AP since P = I for fem) */
            for (long i = 0; i < n * n; i++)
                M[i] = k.W0[i] - k.AP[i];
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, M, n, Pp, n, 0, R, n);
            double pred = cblas_ddot(n * n, R, 1, R, 1);
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, k.AP, n, Pp, n, 0, R, n);
            double bound = cblas_ddot(n * n, R, 1, R, 1);
            /* Monte Carlo over fresh fem test inputs */
            gb_data_spec ts = gb_verify_spec(o, GB_FAMILY_FEM, 0, N);
            ts.seed = o->seed + GB_TEST_SEED_OFFSET;
            const gb_dataset_struct *td = gb_fd_dataset_get(&ts);
            for (long i = 0; i < n * n; i++)
                M[i] = W[i] - k.AP[i];
            double sum = 0, sum2 = 0, *e = malloc(sizeof(double) * n);
            for (long s = 0; s < ts.S; s++) {
                cblas_dgemv(CblasRowMajor, CblasNoTrans, n, n, 1.0, M, n, td->f + s * n, 1, 0, e, 1);
                double q = cblas_ddot(n, e, 1, e, 1);
                sum += q;
                sum2 += q * q;
            }
            double mean = sum / ts.S, se = sqrt((sum2 / ts.S - mean * mean) / (ts.S - 1)), z = (mean - pred) / se;
            if (!(fabs(z) <= LIN6_Z))
                gb_claim_judge(c, GB_FAIL, "N=%ld W0=%s: Monte Carlo %.6e vs %.6e (%.1f SE)", N, w ? "normal" : "0",
                               mean, pred, z);
            if (!(mean >= bound - LIN6_Z * se) && !w)
                gb_claim_judge(c, GB_FAIL, "N=%ld: below the lower bound", N);
            gb_table_row(&c->cases, N, w ? w0 : "0", k.L.rank, mean, se, pred, z, bound);
            free(W); free(Pp); free(M); free(R); free(e);
            gb_lin_case_clear(&k);
        }
    gb_fd_cache_clear();
    gb_str_printf(&c->prediction, "E|(W*-A)f|² = σ²|(W⁰-A)P⊥|²_F ≥ σ²|A P⊥|²_F");
    gb_str_printf(&c->measured, "%ld cases, Monte Carlo within %g SE unless listed", c->cases.nrows, LIN6_Z);
    return GB_OK;
}
