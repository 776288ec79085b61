/* LIN-8 [Q25 + derived]: label noise of standard deviation σ on the interior nodes.
 * Least squares with r = rank regressors per output row leaves σ²(S - r) of residual per row:
 *   train MSE = σ² (1 - r/S) (N-1)/(N+1);
 * the fitted noise costs, on in-span test data drawn like the training data (Gaussian design),
 *   E test MSE = σ² r/(S - r - 1) (N-1)/(N+1);
 * and the lower-triangular pattern stays: outside the span the error is orders larger. */
#include "lin_common.h"
#include "core/status.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define LIN8_Z_TRAIN 4.0   /* the train MSE within this many σ of its chi-square law */
#define LIN8_Z_TEST 4.0    /* the in-span test MSE within this × its relative spread of the expectation */
#define LIN8_OUT 1e3       /* the outside-span test MSE at least this × the in-span one */

static const char *cols[] = {"train", "sigma", "rank", "train MSE", "predicted", "z (chi-square)", "test in span",
                             "predicted", "test outside (sin:8)"};

int gb_verify_lin8(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "LIN-1; LIN-5";
    c->statement = "With label noise σ, the training MSE floor is σ²(1 - r/S), the in-span test MSE rises by about "
                   "σ² r/S, and the lower-triangular pattern of LIN-5 is unchanged.";
    c->cases.ncols = sizeof cols / sizeof *cols;
    c->cases.cols = cols;
    static const int ps[] = {2, 4};
    static const double sig[] = {1e-4, 1e-6};
    char extra[448];
    snprintf(extra, sizeof extra,
             "- N = 64; train sin:2, sin:4 with σ = %s and %s on the interior nodes; closed-form W\n"
             "- rules: train MSE within %g σ of its chi-square law; in-span test MSE within %g × its relative "
             "spread √(2/(r(N-1))) of the Gaussian-design expectation; outside-span MSE ≥ %s × in-span\n",
             GB_NUM("%.0e", sig[0]), GB_NUM("%.0e", sig[1]), LIN8_Z_TRAIN, LIN8_Z_TEST, GB_NUM("%.0e", LIN8_OUT));
    gb_verify_params(c, o, GB_USES_DATA | GB_USES_SAMPLES | GB_USES_MPFR, extra);
    long N = 64, n = N + 1;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            gb_data_spec s = gb_verify_spec(o, GB_FAMILY_SIN, ps[i], N);
            s.noise = sig[j];
            const gb_dataset_struct *d = gb_fd_dataset_get(&s);
            gb_linear_data L;
            int st = gb_linear_data_init(&L, d);
            if (st)
                return st;
            double *W = malloc(sizeof(double) * n * n);
            gb_linear_closed_form(W, &L, NULL);
            long r = L.rank, S = s.S;
            double s2 = sig[j] * sig[j], inner = (double)(N - 1) / (N + 1);
            double tr = gb_linear_mse(W, d), trp = s2 * (1 - (double)r / S) * inner;
            double dof = (double)(S - r) * (N - 1), z = (tr - trp) / (trp * sqrt(2 / dof));
            gb_data_spec ts = gb_verify_spec(o, GB_FAMILY_SIN, ps[i], N), to = gb_verify_spec(o, GB_FAMILY_SIN, 8, N);
            ts.seed = to.seed = o->seed + GB_TEST_SEED_OFFSET;
            double te = gb_linear_mse(W, gb_fd_dataset_get(&ts)), tep = s2 * r / (S - r - 1.0) * inner;
            double out = gb_linear_mse(W, gb_fd_dataset_get(&to));
            double spread = sqrt(2.0 / (r * (N - 1)));
            if (!(fabs(z) <= LIN8_Z_TRAIN))
                gb_claim_judge(c, GB_FAIL, "sin:%d σ=%g: train MSE %.6e vs %.6e (%.1f σ)", ps[i], sig[j], tr, trp, z);
            if (!(fabs(te / tep - 1) <= LIN8_Z_TEST * spread))
                gb_claim_judge(c, GB_FAIL, "sin:%d σ=%g: in-span test MSE %.3e vs %.3e", ps[i], sig[j], te, tep);
            if (!(out >= LIN8_OUT * te))
                gb_claim_judge(c, GB_FAIL, "sin:%d σ=%g: outside-span error %.2e is not above in-span %.2e", ps[i],
                               sig[j], out, te);
            char lab[16];
            snprintf(lab, sizeof lab, "sin:%d", ps[i]);
            gb_table_row(&c->cases, lab, sig[j], r, tr, trp, z, te, tep, out);
            free(W);
            gb_linear_data_clear(&L);
        }
    gb_fd_cache_clear();
    gb_str_printf(&c->prediction, "train MSE σ²(1 - r/S); test +σ² r/(S-r-1); pattern unchanged");
    gb_str_printf(&c->measured, "%ld cases; see table", c->cases.nrows);
    return GB_OK;
}
