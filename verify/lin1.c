/* LIN-1 [Q25 Thm 3.2]: full-batch gradient descent on the MSE of u = W f converges to
 * W* = A P + W⁰ (I - P): the data fix W only on the span of the training forcings. */
#include "lin_common.h"
#include "core/status.h"
#include <stdio.h>
#include <stdlib.h>

#define LIN1_TOL 1e-10   /* |W_GD − W*|_F / |W*|_F, and the closed form's (SPEC LIN-1) */

static const char *cols[] = {"family", "p", "N", "W0", "rank", "kappa(C)", "GD steps", "|W_GD - W*|/|W*|",
                             "|W_closed - W*|/|W*|", "train MSE"};

int gb_verify_lin1(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "W* from MPFR (basis Gram solve); OpenBLAS GD; LAPACK SVD";
    c->statement = "Gradient descent on the MSE of the linear model converges to W* = A P + W⁰(I - P), "
                   "P the projector on the span of the training forcings; only A P is identifiable.";
    c->cases.ncols = sizeof cols / sizeof *cols;
    c->cases.cols = cols;
    char extra[384];
    snprintf(extra, sizeof extra,
             "- families sin and cos, p = 1, 2, 4, 8; N = 16, 32, 64, 128; W⁰ = 0 and W⁰ ~ N(0, %g²)\n"
             "- step 2/(λ_max + λ_min⁺) from the SVD of the forcings; stop at |ΔW| ≤ %g |W| or %ld steps\n"
             "- rule: |W_GD - W*|_F / |W*|_F ≤ %g (SPEC LIN-1)\n", GB_LIN_W0_STD, GB_LIN_GD_TOL, GB_LIN_GD_STEPS,
             LIN1_TOL);
    gb_verify_params(c, o, GB_USES_DATA | GB_USES_SAMPLES | GB_USES_MPFR, extra);
    char w0[32];   /* the table's W0 column: the variance */
    snprintf(w0, sizeof w0, "N(0,%g)", GB_LIN_W0_STD * GB_LIN_W0_STD);
    static const int ps[] = {1, 2, 4, 8};
    static const long Ns[] = {16, 32, 64, 128};
    double worst = 0;
    for (int f = 0; f < 2; f++)
        for (int i = 0; i < 4; i++)
            for (int g = 0; g < (o->quick ? 3 : 4); g++)
                for (int w = 0; w < 2; w++) {
                    gb_family fam = f ? GB_FAMILY_COS : GB_FAMILY_SIN;
                    gb_lin_case k;
                    int st = gb_lin_case_init(&k, o, fam, ps[i], Ns[g], w ? GB_LIN_W0_STD : 0.0, GB_LOAD_CONSISTENT);
                    if (st)
                        return st;
                    long n = k.n;
                    double *W = malloc(sizeof(double) * n * n), *Wc = malloc(sizeof(double) * n * n);
                    long steps = gb_lin_case_train(&k, W, GB_LIN_GD_STEPS);
                    for (long e = 0; o->fault == GB_FAULT_TRAINING && e < n * n; e++)   /* a perturbed training result */
                        W[e] *= 1 + 1e-6;
                    gb_linear_closed_form(Wc, &k.L, k.W0);
                    double dg = gb_linear_rel_dist(W, k.Wpred, n), dc = gb_linear_rel_dist(Wc, k.Wpred, n);
                    char what[80];
                    snprintf(what, sizeof what, "%s p=%d N=%ld W0=%s", gb_family_name(fam), ps[i], Ns[g],
                             w ? "normal" : "zero");
                    if (steps < 0)
                        gb_claim_judge(c, GB_ERROR, "%s: gradient descent produced NaN/Inf", what);
                    else if (!k.agree)
                        gb_claim_judge(c, GB_INCONCLUSIVE, "%s: prediction differs at p and 2p", what);
                    else if (!(dg <= LIN1_TOL) || !(dc <= LIN1_TOL))
                        gb_claim_judge(c, GB_FAIL, "%s: distance to W* %.2e (GD), %.2e (closed form)", what, dg, dc);
                    if (dg > worst)
                        worst = dg;
                    gb_table_row(&c->cases, gb_family_name(fam), (long)ps[i], Ns[g],
                                 w ? w0 : "0", k.L.rank, k.L.lam_max / k.L.lam_min, steps, dg, dc,
                                 gb_linear_mse(W, k.d));
                    free(W);
                    free(Wc);
                    gb_lin_case_clear(&k);
                }
    gb_fd_cache_clear();
    gb_str_printf(&c->prediction, "|W_GD - (A P + W⁰(I-P))|_F / |W*|_F ≤ %g", LIN1_TOL);
    gb_str_printf(&c->measured, "%ld cases; max relative distance %.2e", c->cases.nrows, worst);
    return GB_OK;
}
