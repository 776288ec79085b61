/* LIN-3a [paper Fig. 1 + derived]: a training loss at machine precision is not the true operator.
 * Trained on cubic polynomials (poly p = 3) by plain GD from W⁰ = 0 with η = 1/λ_max for T = 2·10⁵
 * steps, the linear model fits its data to round-off, yet W_T is a fixed distance from A_G = Δx G
 * (SPEC §5's reference operator): W_T → W* = A P, the operator on the 3-dimensional span of the
 * training forcings, and A P ≠ A_G. The distance ‖W* − A_G‖_F/‖A_G‖_F depends only on the span —
 * the same for every amount of data — and tends to a non-zero constant as the grid is refined.
 * Prediction: A P from the basis's exact solutions in MPFR (no data, no trained weight); measured:
 * the distance of the GD-trained W_T on S drawn samples. */
#include "lin_common.h"
#include "core/status.h"
#include "predict/lin_predict.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *cols[] = {"S", "N", "train MSE", "error left (1-ηλ_min)^T", "|W_T - A_G|/|A_G| measured",
                             "predicted", "predicted from", "|W* - A_G|/|A_G| closed form", "relative difference"};

#define LIN3A_P 3
#define LIN3A_T 200000L
#define LIN3A_MSE GB_PAPER_LINEAR_MSE   /* "machine precision" for absolute MSE (SPEC §5: the paper's floor) */
#define LIN3A_REL 1e-6       /* measured distance against the closed form */
#define LIN3A_FLAT 1e-9      /* change of the measured distance over S */
#define LIN3A_NONZERO 0.05   /* the closed forms' limit is not zero: the finest one lies above this */
#define LIN3A_CURVE_S 1000   /* the case whose loss curve is drawn beside the distances */
#define LIN3A_CURVE_N 64

/* T GD steps from W = 0 in segments ending at t = 2^j and T, the training MSE and its spectral closed form
 * (1/n) Σ_i λ_i ‖W* v_i‖² (1 − ηλ_i)^{2t} recorded at each (W⁰ = 0; W* = A P from MPFR) */
static int loss_curve(gb_claim_t c, const gb_lin_case *k, double *W, double eta)
{
    double *e0 = malloc(sizeof(double) * k->L.rank);
    int st = !e0 ? GB_ENOMEM : gb_linear_gd_modes(e0, &k->L, NULL, k->Wpred);
    gb_series *sm = gb_claim_series(c, "train MSE (S = 1000, N = 64)", GB_SERIES_MEASURED),
              *sp = gb_claim_series(c, "spectral closed form", GB_SERIES_LINE);
    sm->panel = sp->panel = 1;
    long done = 0;
    for (long t = 1; done < LIN3A_T && !st; t = t * 2 > LIN3A_T ? LIN3A_T : t * 2) {
        st = gb_linear_gd_steps(W, &k->L, eta, t - done, GB_LIN_GD_BLOCK);
        done = t;
        sm->x[sm->n] = sp->x[sp->n] = (double)t;
        sm->y[sm->n++] = gb_linear_mse(W, k->d);
        sp->y[sp->n++] = gb_linear_gd_loss(&k->L, e0, eta, t);
    }
    free(e0);
    return st;
}

int gb_verify_lin3a(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "the MPFR operator A P of the training span; A_G = Δx G (FD-8)";
    c->statement = "Trained on cubic polynomials (poly p = 3), gradient descent drives the training MSE to machine "
                   "precision while W_T stays a fixed distance from the true operator A_G: the distance equals "
                   "‖A P − A_G‖/‖A_G‖, the same for every amount of data, and tends to a non-zero constant as the "
                   "grid is refined (Fig. 1).";
    c->cases.ncols = sizeof cols / sizeof *cols;
    c->cases.cols = cols;
    static const long Sall[] = {10, 100, 1000, 10000}, Nall[] = {32, 64, 128, 256};
    int nS = 4, nN = o->quick ? 3 : 4;
    char extra[640];
    snprintf(extra, sizeof extra,
             "- poly p = %d; S = 10, 100, 1000, 10000 samples (each its own draw from the seed); N = %s\n"
             "- plain GD from W⁰ = 0 (the same for every S), η = 1/λ_max(C), T = %ld steps (SPEC §5 defaults), "
             "applied %d at a time through the exact %d-step map\n"
             "- rules: train MSE ≤ %.0e; measured distance within %.0e relative of the closed form; its change "
             "over S ≤ %.0e relative; the closed form settles as N doubles (each change smaller than the last) at a "
             "value above %.2f\n",
             LIN3A_P, o->quick ? "32, 64, 128" : "32, 64, 128, 256", LIN3A_T, GB_LIN_GD_BLOCK, GB_LIN_GD_BLOCK, LIN3A_MSE,
             LIN3A_REL, LIN3A_FLAT, LIN3A_NONZERO);
    gb_verify_params(c, o, GB_USES_DATA | GB_USES_MPFR, extra);
    c->plot_title = "LIN-3a: distance of W_T from A_G against S (poly p = 3)";
    c->plot_xlabel = "training samples S";
    c->plot_ylabel = "|W_T - A_G|_F / |A_G|_F";
    c->plot2_title = "training MSE against steps (S = 1000, N = 64): machine precision";
    c->plot2_xlabel = "step t";
    c->plot2_ylabel = "train MSE";
    double pred[4] = {0}, worst_rel = 0, worst_mse = 0, worst_flat = 0;
    for (int g = 0; g < nN; g++) {
        long N = Nall[g], n = N + 1;
        double *AG = malloc(sizeof(double) * n * n), *AGp = malloc(sizeof(double) * n * n),
               *W = malloc(sizeof(double) * n * n);
        gb_lin_green_matrix(AG, N, o->k, 0, o->prec);
        for (long i = 0; i < n * n; i++) {
            AG[i] /= N;                                   /* A_G = Δx G */
            /* the fault: a wrong A_G in the prediction only */
            AGp[i] = AG[i] * (o->fault == GB_FAULT_GREEN ? 1.001 : 1.0);
        }
        char lab[32];
        snprintf(lab, sizeof lab, "N = %ld", N);
        gb_series *sm = gb_claim_series(c, lab, GB_SERIES_MEASURED);
        snprintf(lab, sizeof lab, "closed form N = %ld", N);
        gb_series *sp = gb_claim_series(c, lab, GB_SERIES_LINE);
        double d0 = NAN;
        for (int si = 0; si < nS; si++) {
            gb_verify_opts os = *o;
            os.S = Sall[si];
            gb_lin_case k;
            int st = gb_lin_case_init(&k, &os, GB_FAMILY_POLY, LIN3A_P, N, 0.0, GB_LOAD_CONSISTENT);
            if (st) {
                free(AG); free(AGp); free(W);
                return st;
            }
            if (!k.agree)
                gb_claim_judge(c, GB_INCONCLUSIVE, "N=%ld: A P differs at p and 2p bits in the printed digits", N);
            double dp = gb_linear_rel_dist(k.AP, AGp, n);
            pred[g] = dp;
            double eta = 1.0 / k.L.lam_max, left = gb_linear_gd_left(&k.L, eta, LIN3A_T);
            memset(W, 0, sizeof(double) * n * n);
            int curve = os.S == LIN3A_CURVE_S && N == LIN3A_CURVE_N;
            if (curve ? loss_curve(c, &k, W, eta) : gb_linear_gd_steps(W, &k.L, eta, LIN3A_T, GB_LIN_GD_BLOCK)) {
                gb_claim_judge(c, GB_ERROR, "S=%ld N=%ld: gradient descent produced NaN/Inf", os.S, N);
                gb_lin_case_clear(&k);
                continue;
            }
            /* the prediction: W* where GD has converged on the span, else the T-step closed form (SPEC §5),
             * both from the data and the exact solutions only */
            int conv = left < GB_LIN_CONVERGED;
            double dq = dp;
            if (!conv) {
                double *Wf = malloc(sizeof(double) * n * n);
                gb_linear_gd_formula(Wf, &k.L, NULL, eta, LIN3A_T);
                dq = gb_linear_rel_dist(Wf, AGp, n);
                free(Wf);
            }
            double mse = gb_linear_mse(W, k.d), dm = gb_linear_rel_dist(W, AG, n), rel = fabs(dm / dq - 1);
            if (si == 0)
                d0 = dm;
            double flat = fabs(dm / d0 - 1);
            worst_rel = fmax(worst_rel, rel);
            worst_mse = fmax(worst_mse, mse);
            worst_flat = fmax(worst_flat, flat);
            if (!(mse <= LIN3A_MSE))
                gb_claim_judge(c, GB_FAIL, "S=%ld N=%ld: training MSE %.2e above %.0e", os.S, N, mse, LIN3A_MSE);
            if (!(rel <= LIN3A_REL))
                gb_claim_judge(c, GB_FAIL, "S=%ld N=%ld: distance %.10f against the prediction %.10f (%.1e relative)",
                               os.S, N, dm, dq, rel);
            if (!(flat <= LIN3A_FLAT))
                gb_claim_judge(c, GB_FAIL, "N=%ld: the distance moved by %.1e relative between S = %ld and S = %ld",
                               N, flat, Sall[0], os.S);
            gb_table_row(&c->cases, os.S, N, mse, left, dm, dq, conv ? "W* (converged)" : "T-step formula", dp, rel);
            sm->x[sm->n] = sp->x[sp->n] = (double)os.S;
            sm->y[sm->n++] = dm;
            sp->y[sp->n++] = dp;
            gb_lin_case_clear(&k);
            gb_fd_cache_clear();
        }
        free(AG); free(AGp); free(W);
    }
    if (!gb_verify_settles(pred, nN, LIN3A_NONZERO))
        gb_claim_judge(c, GB_FAIL, "the closed form does not settle at a non-zero constant as N doubles: %.4f, %.4f, %.4f "
                       "(N = %ld, %ld, %ld)", pred[nN - 3], pred[nN - 2], pred[nN - 1], Nall[nN - 3], Nall[nN - 2],
                       Nall[nN - 1]);
    gb_str_printf(&c->notes,
                  "The error left along the slowest direction of the span, (1 − ηλ_min)^T, is listed per case; below "
                  "%.0e W_T is W* = A P to round-off and the closed form of W* is the prediction, otherwise the T-step "
                  "closed form of SPEC §5 on the same data (a 10-sample draw is worse conditioned). The training data fix A only on their span (Theorem 3.2): off it W_T keeps W⁰ = 0 "
                  "while A_G does not vanish there, whatever S. Derivation: doc/theorem-3.2.md.\n\n"
                  "Rule change (SPEC §5 revision, fixed before this run): LIN-3a and LIN-3b replace LIN-3, whose rule "
                  "(training MSE below %.0e on poly p = 8) misread Fig. 1 and was FAIL; LIN-3b reports that old "
                  "rule's verdict on its own run.\n", GB_LIN_CONVERGED, GB_PAPER_LINEAR_MSE);
    gb_str_printf(&c->prediction, "train MSE ≤ %.0e; |W_T - A_G|/|A_G| = closed form, flat in S: ", LIN3A_MSE);
    for (int g = 0; g < nN; g++)
        gb_str_printf(&c->prediction, "%s%.4f (N = %ld)", g ? ", " : "", pred[g], Nall[g]);
    gb_str_printf(&c->measured, "%ld cases: max train MSE %.1e; max |measured/predicted − 1| %.1e; max change over S %.1e",
                  c->cases.nrows, worst_mse, worst_rel, worst_flat);
    return GB_OK;
}
