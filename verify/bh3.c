/* BH-3 [paper Fig. 8a + derived]: the linear model's 25 × 25 matrix on biharmonic data (N = 24) equals its closed
 * form W* = A P + W⁰(I − P) (SPEC §11, Theorem 3.2): A P = U (FᵀF)⁻¹ Fᵀ from the exact biharmonic solutions of the
 * family's basis in MPFR, P the projector on the span. Checked two ways: the data's own least-squares limit (SVD of
 * the drawn forcings) on every family, and gradient descent where it converges within the budget (sin, cos). */
#include "lin_common.h"
#include "core/status.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char *cols[] = {"family", "p", "N", "W0", "rank", "kappa(C)", "GD steps",
                             "|W_GD - W*|/|W*|", "|W_closed - W*|/|W*|", "train MSE"};

#define BH3_N 24
#define BH3_TOL 1e-10

int gb_verify_bh3(gb_claim_t c, const gb_verify_opts *o)
{
    gb_verify_opts ob = *o;
    ob.equation = GB_EQ_BIHARMONIC;
    c->requires = "BH-1's exact biharmonic solutions (MPFR); LIN-1's gradient descent and closed form; LAPACK SVD";
    c->statement = "On biharmonic data with N = 24, the trained 25 × 25 matrix of the linear model u = W f is "
                   "W* = A P + W⁰(I − P), A P computed from the exact solutions of the family's basis.";
    c->cases.ncols = sizeof cols / sizeof *cols;
    c->cases.cols = cols;
    char extra[640];
    snprintf(extra, sizeof extra,
             "- equation: k u'''' = f, u = u'' = 0 at both ends (SPEC §11); N = %d (%d nodes)\n"
             "- poly p = 1, 2, 3, 4; cos and sin p = 1, 2, 4, 8; W⁰ = 0 and W⁰ ~ N(0, %g²)\n"
             "- the data's closed form (SVD of the forcings, rank by the LAPACK convention) on every case; "
             "gradient descent (step 2/(λ_max + λ_min⁺), stop at |ΔW| ≤ %g |W| or %ld steps) on cos "
             "and sin (poly's conditioning needs far more steps: LIN-3b)\n"
             "- rule: |W − W*|_F / |W*|_F ≤ %g\n", BH3_N, BH3_N + 1, GB_LIN_W0_STD, GB_LIN_GD_TOL, GB_LIN_GD_STEPS,
             BH3_TOL);
    gb_verify_params(c, &ob, GB_USES_DATA | GB_USES_SAMPLES | GB_USES_MPFR, extra);
    char w0[32];   /* the table's W0 column: the variance */
    snprintf(w0, sizeof w0, "N(0,%g)", GB_LIN_W0_STD * GB_LIN_W0_STD);
    static const int pp[] = {1, 2, 3, 4}, ps[] = {1, 2, 4, 8};
    double worst = 0;
    for (int f = 0; f < 3; f++)
        for (int i = 0; i < 4; i++)
            for (int w = 0; w < 2; w++) {
                gb_family fam = f == 0 ? GB_FAMILY_POLY : f == 1 ? GB_FAMILY_COS : GB_FAMILY_SIN;
                int p = f == 0 ? pp[i] : ps[i];
                gb_lin_case k;
                int st = gb_lin_case_init(&k, &ob, fam, p, BH3_N, w ? GB_LIN_W0_STD : 0.0, GB_LOAD_CONSISTENT);
                if (st)
                    return st;
                long n = k.n, steps = 0;
                double *W = malloc(sizeof(double) * n * n), *Wc = malloc(sizeof(double) * n * n);
                if (!W || !Wc) {
                    free(W), free(Wc), gb_lin_case_clear(&k);
                    return GB_ENOMEM;
                }
                gb_linear_closed_form(Wc, &k.L, k.W0);
                for (long e = 0; o->fault == GB_FAULT_TRAINING && e < n * n; e++)   /* a perturbed result */
                    Wc[e] *= 1 + 1e-6;
                double dc = gb_linear_rel_dist(Wc, k.Wpred, n), dg = NAN;
                char what[80];
                snprintf(what, sizeof what, "%s p=%d W0=%s", gb_family_name(fam), p, w ? "normal" : "zero");
                if (fam != GB_FAMILY_POLY) {
                    steps = gb_lin_case_train(&k, W, GB_LIN_GD_STEPS);
                    dg = gb_linear_rel_dist(W, k.Wpred, n);
                    if (steps < 0)
                        gb_claim_judge(c, GB_ERROR, "%s: gradient descent produced NaN/Inf", what);
                    else if (!(dg <= BH3_TOL))
                        gb_claim_judge(c, GB_FAIL, "%s: gradient descent ends %.2e from W*", what, dg);
                    worst = fmax(worst, dg);
                }
                if (!k.agree)
                    gb_claim_judge(c, GB_INCONCLUSIVE, "%s: A P differs at p and 2p bits", what);
                else if (!(dc <= BH3_TOL))
                    gb_claim_judge(c, GB_FAIL, "%s: the data's closed form is %.2e from W*", what, dc);
                worst = fmax(worst, dc);
                gb_table_row(&c->cases, gb_family_name(fam), (long)p, (long)BH3_N, w ? w0 : "0", k.L.rank,
                             k.L.lam_max / k.L.lam_min, steps, dg, dc, gb_linear_mse(Wc, k.d));
                if (f == 2 && p == 8 && !w) {   /* the figure: the trained matrix and its closed form */
                    gb_heatmap *hw = gb_claim_heatmap(c, "W", "BH-3: trained W (gradient descent), sin:8, N = 24",
                                                      n, n, 0);
                    gb_heatmap *hp = gb_claim_heatmap(c, "W-minus-Wstar", "BH-3: W − W* (round-off), sin:8", n, n, 0);
                    for (long a = 0; hw && hp && a < n * n; a++) {
                        hw->z[a] = W[a];
                        hp->z[a] = W[a] - k.Wpred[a];
                    }
                    if (hw && hp) {
                        snprintf(hw->xlabel, sizeof hw->xlabel, "input node j");
                        snprintf(hw->ylabel, sizeof hw->ylabel, "output node i");
                        snprintf(hp->xlabel, sizeof hp->xlabel, "input node j");
                        snprintf(hp->ylabel, sizeof hp->ylabel, "output node i");
                        hw->cblabel = "W_ij";
                        hp->cblabel = "W_ij − W*_ij";
                        hp->diverging = 1;
                    }
                }
                free(W);
                free(Wc);
                gb_lin_case_clear(&k);
            }
    gb_fd_cache_clear();
    gb_str_printf(&c->prediction, "|W − (A P + W⁰(I − P))|_F / |W*|_F ≤ %g", BH3_TOL);
    gb_str_printf(&c->measured, "%ld cases; max relative distance %.2e", c->cases.nrows, worst);
    return GB_OK;
}
