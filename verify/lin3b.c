/* LIN-3b [derived]: on an ill-conditioned span a falling loss is not convergence. On poly p = 8
 * (κ(C) ≈ 2e11 at N = 64) plain GD from W⁰ = 0 with η = 1/λ_max cuts the training MSE by many
 * decades while the error along the slowest eigenvector of C does not move. GD on a quadratic is
 * exact in the eigenbasis of C (the T-step closed form of SPEC §5): the error along v_i shrinks as
 * (1 − ηλ_i)^t, so
 *   MSE(t) = (1/n) Σ_i λ_i ‖(W⁰ − W*) v_i‖² (1 − ηλ_i)^{2t},
 * the fraction left along v_min is (1 − ηλ_min)^t, and neither uses the trained weights. */
#include "lin_common.h"
#include "core/status.h"
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *cols[] = {"step t", "train MSE measured", "train MSE closed form", "relative difference",
                             "error left along v_min measured", "(1-ηλ_min)^t"};

#define LIN3B_N 64
#define LIN3B_S 1000
#define LIN3B_T 1000000L
#define LIN3B_DECADES ((double)GB_LIN3B_DECADES)   /* the loss falls by at least this many decades ... */
#define LIN3B_LEFT 0.99                            /* ... while this fraction of the v_min error remains */
#define LIN3B_LOSS_REL 0.01                        /* measured loss against the closed form */
#define LIN3B_LEFT_ABS 1e-6                        /* measured fraction left against (1 − ηλ_min)^t */

int gb_verify_lin3b(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "spectrum of C (SVD of the forcings); the MPFR operator W* = A P";
    static char statement[320];   /* the claim keeps the pointer until its report is written */
    snprintf(statement, sizeof statement,
             "On poly p = %d data gradient descent cuts the training MSE by ≥ %.0f decades within 10⁶ steps while "
             "≥ %.0f %% of the initial error along the smallest-eigenvalue direction of C remains, both as the "
             "T-step closed form predicts.", GB_LIN3B_P, LIN3B_DECADES, 100 * LIN3B_LEFT);
    c->statement = statement;
    c->cases.ncols = sizeof cols / sizeof *cols;
    c->cases.cols = cols;
    c->plot_title = "LIN-3b: training MSE and the error left along v_min (poly p = " GB_STR(GB_LIN3B_P) ", N = "
                    GB_STR(LIN3B_N) ")";
    c->plot_xlabel = "step t";
    c->plot_ylabel = "value";
    char extra[512];
    snprintf(extra, sizeof extra,
             "- poly p = %d, N = %d, S = %d samples; plain GD from W⁰ = 0, η = 1/λ_max(C), T = %ld steps, applied %d "
             "at a time through the exact %d-step map; recorded at t = 2^j and T\n"
             "- rules: the measured loss falls ≥ %.0f decades and ≥ %.0f %% of the v_min error remains; the loss "
             "within %.0f %% of the closed form at every recorded t; the fraction left within %.0e of (1-ηλ_min)^t\n",
             GB_LIN3B_P, LIN3B_N, LIN3B_S, LIN3B_T, GB_LIN_GD_BLOCK, GB_LIN_GD_BLOCK, LIN3B_DECADES, 100 * LIN3B_LEFT,
             100 * LIN3B_LOSS_REL, LIN3B_LEFT_ABS);
    gb_verify_params(c, o, GB_USES_DATA | GB_USES_MPFR, extra);
    gb_verify_opts os = *o;
    os.S = LIN3B_S;
    gb_lin_case k;
    int st = gb_lin_case_init(&k, &os, GB_FAMILY_POLY, GB_LIN3B_P, LIN3B_N, 0.0, GB_LOAD_CONSISTENT);
    if (st)
        return st;
    if (!k.agree)
        gb_claim_judge(c, GB_INCONCLUSIVE, "A P differs at p and 2p bits in the printed digits");
    long n = k.n, r = k.L.rank;
    double eta = 1.0 / k.L.lam_max;
    /* the fault: the closed form evaluated with half the step actually taken */
    double eta_pred = o->fault == GB_FAULT_STEP ? eta / 2 : eta;
    double *W = calloc((size_t)(n * n), sizeof(double)), *E = malloc(sizeof(double) * n * n);
    double *e0 = calloc((size_t)r, sizeof(double)), *Ev = malloc(sizeof(double) * n), lmin = k.L.lam_min;
    /* initial error in the eigenbasis: e_i = ‖(W⁰ − W*) v_i‖² */
    if (!W || !E || !e0 || !Ev || gb_linear_gd_modes(e0, &k.L, k.W0, k.Wpred)) {
        free(W); free(E); free(e0); free(Ev);
        gb_lin_case_clear(&k);
        return GB_ENOMEM;
    }
    gb_series *sm = gb_claim_series(c, "train MSE measured", GB_SERIES_MEASURED),
              *sp = gb_claim_series(c, "train MSE closed form", GB_SERIES_LINE),
              *sv = gb_claim_series(c, "error left along v_min measured", GB_SERIES_MEASURED),
              *sq = gb_claim_series(c, "(1-ηλ_min)^t", GB_SERIES_LINE);
    double mse0 = gb_linear_mse(W, k.d), mse = mse0, vmin = 1, left = 1, worst_loss = 0, worst_left = 0;
    long done = 0;
    for (long t = 1; done < LIN3B_T; t = t * 2 > LIN3B_T ? LIN3B_T : t * 2) {
        if (gb_linear_gd_steps(W, &k.L, eta, t - done, GB_LIN_GD_BLOCK)) {
            gb_claim_judge(c, GB_ERROR, "t=%ld: gradient descent produced NaN/Inf", t);
            break;
        }
        done = t;
        mse = gb_linear_mse(W, k.d);
        double pred = gb_linear_gd_loss(&k.L, e0, eta_pred, t);
        for (long i = 0; i < n * n; i++)
            E[i] = W[i] - k.Wpred[i];
        cblas_dgemv(CblasRowMajor, CblasNoTrans, n, n, 1.0, E, n, k.L.V + (r - 1) * n, 1, 0.0, Ev, 1);
        vmin = sqrt(cblas_ddot(n, Ev, 1, Ev, 1) / e0[r - 1]);
        left = pow(1 - eta_pred * lmin, (double)t);
        double rel = fabs(mse / pred - 1);
        worst_loss = fmax(worst_loss, rel);
        worst_left = fmax(worst_left, fabs(vmin - left));
        gb_table_row(&c->cases, t, mse, pred, rel, vmin, left);
        sm->x[sm->n] = sp->x[sp->n] = sv->x[sv->n] = sq->x[sq->n] = (double)t;
        sm->y[sm->n++] = mse;
        sp->y[sp->n++] = pred;
        sv->y[sv->n++] = vmin;
        sq->y[sq->n++] = left;
        if (!(rel <= LIN3B_LOSS_REL))
            gb_claim_judge(c, GB_FAIL, "t=%ld: measured MSE %.4e against the closed form %.4e (%.1e relative)", t, mse,
                           pred, rel);
        if (!(fabs(vmin - left) <= LIN3B_LEFT_ABS))
            gb_claim_judge(c, GB_FAIL, "t=%ld: error left along v_min %.8f against (1-ηλ_min)^t = %.8f", t, vmin, left);
    }
    double decades = log10(mse0 / mse);
    if (!(decades >= LIN3B_DECADES))
        gb_claim_judge(c, GB_FAIL, "the training MSE fell %.2f decades (from %.2e to %.2e), not %.0f", decades, mse0, mse,
                       LIN3B_DECADES);
    if (!(vmin >= LIN3B_LEFT))
        gb_claim_judge(c, GB_FAIL, "only %.4f of the v_min error remains", vmin);
    gb_str_printf(&c->notes,
                  "κ(C) = %.3e at N = %d (rank %ld); ηλ_min = %.3e. The slowest direction alone holds "
                  "λ_min e²/n = %.2e of the initial loss; a training MSE of %.0e would need ≈ %.1e steps, by when "
                  "it has converged: the paper's ~%.0e needs a least-squares solve on this span (SPEC §5). The "
                  "prediction uses the step, the data's spectrum and the MPFR W* only. Derivation: doc/theorem-3.2.md.\n",
                  k.L.lam_max / k.L.lam_min, LIN3B_N, r, eta * lmin, lmin * e0[r - 1] / n,
                  GB_PAPER_LINEAR_MSE,
                  log(GB_PAPER_LINEAR_MSE * n / (lmin * e0[r - 1])) / (2 * log(1 - eta * lmin)),
                  GB_PAPER_LINEAR_MSE);
    gb_str_printf(&c->notes,
                  "Rule change (SPEC §5 revision, fixed before this run): this claim and LIN-3a replace LIN-3, which "
                  "required a training MSE below %.0e on poly p = 8. Applied to this run that old rule gives %s: the "
                  "MSE is %.2e after %ld steps, and the slowest direction alone needs ≈ %.1e steps to fall below "
                  "%.0e (the old report's FAIL, listed then in verify/expected-verdicts.tsv).\n",
                  GB_PAPER_LINEAR_MSE, mse < GB_PAPER_LINEAR_MSE ? "PASS" : "FAIL", mse, done,
                  log(GB_PAPER_LINEAR_MSE * n / (lmin * e0[r - 1])) / (2 * log(1 - eta * lmin)),
                  GB_PAPER_LINEAR_MSE);
    gb_str_printf(&c->prediction, "loss falls ≥ %.0f decades, ≥ %.0f%% of the v_min error left, both as the T-step "
                  "closed form", LIN3B_DECADES, 100 * LIN3B_LEFT);
    gb_str_printf(&c->measured, "after %ld steps: MSE %.2e (from %.2e, %.1f decades), %.6f of the v_min error left; "
                                "max loss difference %.1e, max fraction difference %.1e",
                  done, mse, mse0, decades, vmin, worst_loss, worst_left);
    free(W); free(E); free(e0); free(Ev);
    gb_lin_case_clear(&k);
    gb_fd_cache_clear();
    return GB_OK;
}
