/* LIN-4 [derived]: the error of the *trained* model on any test forcing, predicted without it.
 * Gradient descent for T steps from W⁰ with step η is a closed form in the data (SPEC §5):
 *   W_T = W⁰ (I − ηC)^T + B g_T(C),   g_T(λ) = (1 − (1 − ηλ)^T)/λ,
 * so for every test forcing f the trained model's error W_T f − u(f) is predicted from the
 * training data, C, η, T, W⁰ and the exact test solutions u(f) (MPFR) alone. Where GD has
 * converged on the span this is Theorem 3.2's W⁰(I − P) f − u(f) + A P f: the part of f outside
 * the training span meets W⁰, the part inside meets the data's operator. At finite T on an
 * ill-conditioned span (poly rows) that limit is off by up to 0.1 relative, the T-step form
 * is not. Trained here from a random W⁰, so the off-span term is not zero. */
#include "lin_common.h"
#include "core/status.h"
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *cols[] = {"train", "test", "N", "error left (1-ηλ_min)^T", "|W_T f - u|/|u|",
                             "|(W_T - W_pred) f|/|u|", "|(W_T - W_∞) f|/|u|"};

#define LIN4_T 20000L
#define LIN4_W0 0.1       /* W⁰ ~ N(0, 0.1²): the off-span term W⁰(I − P) f is not zero */
#define LIN4_TOL 1e-8     /* SPEC §5 LIN-4 */
#define LIN4_TEST_S 200

/* ‖(X − Y) F‖_F / ‖U‖_F over a test set (samples as rows of F and U) */
static double set_error(const double *X, const double *Y, const gb_dataset_struct *td, long n, int minus_u)
{
    long S = td->spec.S;
    double *D = malloc(sizeof(double) * n * n), *R = malloc(sizeof(double) * S * n);
    for (long i = 0; i < n * n; i++)
        D[i] = X[i] - (Y ? Y[i] : 0.0);
    memcpy(R, td->u, sizeof(double) * S * n);
    /* R = F Dᵀ (− U) */
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, S, n, n, 1.0, td->f, n, D, n, minus_u ? -1.0 : 0.0, R, n);
    double e = cblas_dnrm2(S * n, R, 1) / cblas_dnrm2(S * n, td->u, 1);
    free(D);
    free(R);
    return e;
}

int gb_verify_lin4(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "the T-step closed form of GD (SPEC §5); exact test solutions";
    c->statement = "For every test forcing f the error of the trained model, W_T f − u(f), equals the T-step closed "
                   "form's, which uses only the training data, η, T and W⁰; where GD has converged it is "
                   "W⁰(I − P) f − u(f) + A P f (Theorem 3.2).";
    c->cases.ncols = sizeof cols / sizeof *cols;
    c->cases.cols = cols;
    char extra[640];
    snprintf(extra, sizeof extra,
             "- train sin:4, cos:4, poly:3, poly:8; N = 32, 64; plain GD from W⁰ ~ N(0, %.1f²), η = 1/λ_max(C), "
             "T = %ld steps\n- test cos:8, sin:8, poly:8, fem, %d samples each (seed + %lu)\n"
             "- rules: |(W_T − W_pred) f|/|u| ≤ %.0e over each test set, W_pred the T-step closed form; where GD "
             "has converged ((1-ηλ_min)^T < %.0e) also |(W_T − W_∞) f|/|u| ≤ %.0e, W_∞ = A P + W⁰(I − P) from MPFR\n",
             LIN4_W0, LIN4_T, LIN4_TEST_S, GB_TEST_SEED_OFFSET, LIN4_TOL, GB_LIN_CONVERGED, LIN4_TOL);
    gb_verify_params(c, o, GB_USES_DATA | GB_USES_SAMPLES | GB_USES_MPFR, extra);
    static const gb_family trf[] = {GB_FAMILY_SIN, GB_FAMILY_COS, GB_FAMILY_POLY, GB_FAMILY_POLY};
    static const int trp[] = {4, 4, 3, 8};
    static const gb_family tef[] = {GB_FAMILY_COS, GB_FAMILY_SIN, GB_FAMILY_POLY, GB_FAMILY_FEM};
    static const int tep[] = {8, 8, 8, 1};
    static const long Ns[] = {32, 64};
    double worst = 0, worst_inf = 0, worst_gap = 0;
    for (int g = 0; g < 2; g++)
        for (int i = 0; i < 4; i++) {
            gb_lin_case k;
            int st = gb_lin_case_init(&k, o, trf[i], trp[i], Ns[g], LIN4_W0, GB_LOAD_CONSISTENT);
            if (st)
                return st;
            if (!k.agree)
                gb_claim_judge(c, GB_INCONCLUSIVE, "%s:%d N=%ld: A P differs at p and 2p bits in the printed digits",
                               gb_family_name(trf[i]), trp[i], Ns[g]);
            long n = k.n;
            double eta = 1.0 / k.L.lam_max, left = gb_linear_gd_left(&k.L, eta, LIN4_T);
            double *W = malloc(sizeof(double) * n * n), *Wf = malloc(sizeof(double) * n * n);
            memcpy(W, k.W0, sizeof(double) * n * n);
            char tr[16];
            snprintf(tr, sizeof tr, "%s:%d", gb_family_name(trf[i]), trp[i]);
            if (gb_linear_gd_steps(W, &k.L, eta, LIN4_T, 1)) {
                gb_claim_judge(c, GB_ERROR, "%s N=%ld: gradient descent produced NaN/Inf", tr, Ns[g]);
                free(W); free(Wf);
                gb_lin_case_clear(&k);
                continue;
            }
            /* the prediction, from the data alone (the fault: evaluated with half the step) */
            gb_linear_gd_formula(Wf, &k.L, k.W0, o->fault == GB_FAULT_STEP ? eta / 2 : eta, LIN4_T);
            for (int j = 0; j < 4; j++) {
                gb_data_spec ts = gb_verify_spec(o, tef[j], tep[j], Ns[g]);
                ts.seed = o->seed + GB_TEST_SEED_OFFSET;
                ts.S = LIN4_TEST_S;
                const gb_dataset_struct *td = gb_fd_dataset_get(&ts);
                if (!td) {
                    free(W); free(Wf);
                    gb_lin_case_clear(&k);
                    return GB_ENOMEM;
                }
                double err = set_error(W, NULL, td, n, 1), d = set_error(W, Wf, td, n, 0),
                       dinf = set_error(W, k.Wpred, td, n, 0);
                worst = fmax(worst, d);
                if (!(d <= LIN4_TOL))
                    gb_claim_judge(c, GB_FAIL, "%s → %s:%d, N=%ld: the trained error is %.2e from the T-step closed form's",
                                   tr, gb_family_name(tef[j]), tep[j], Ns[g], d);
                if (left < GB_LIN_CONVERGED) {
                    worst_inf = fmax(worst_inf, dinf);
                    if (!(dinf <= LIN4_TOL))
                        gb_claim_judge(c, GB_FAIL, "%s → %s:%d, N=%ld: converged, yet %.2e from W⁰(I − P) f − u + A P f",
                                       tr, gb_family_name(tef[j]), tep[j], Ns[g], dinf);
                } else
                    worst_gap = fmax(worst_gap, dinf);
                char te[16];
                snprintf(te, sizeof te, "%s:%d", gb_family_name(tef[j]), tep[j]);
                gb_table_row(&c->cases, tr, te, Ns[g], left, err, d, dinf);
            }
            free(W); free(Wf);
            gb_lin_case_clear(&k);
        }
    gb_fd_cache_clear();
    gb_str_printf(&c->notes,
                  "The last column is the distance from Theorem 3.2's limit: at the round-off level where GD has "
                  "converged (sin, cos rows), up to %.2g on the rows it has not (poly: κ(C) up to ~1e11), where only "
                  "the T-step form predicts the trained model. Derivation: doc/theorem-3.2.md.\n\nRule change (SPEC §5 "
                  "revision, fixed before this run): LIN-4 formerly checked (W* − A) f = (W⁰ − A)(I − P) f with W* "
                  "built from the projector it tested, on converged sin rows only (PASS, but reducible to LIN-1). "
                  "On the converged rows here that identity holds to %.2e (the old rule asked 1e-10 on cos test "
                  "sets); the rule now is the trained weights against the T-step form on every row.\n", worst_gap, worst_inf);
    gb_str_printf(&c->prediction, "(W_T f − u) = the T-step closed form's, from the data alone; = W⁰(I−P)f − u + APf where converged");
    gb_str_printf(&c->measured, "%ld train/test pairs; max |(W_T − W_pred) f|/|u| = %.1e (converged rows against W_∞: %.1e)",
                  c->cases.nrows, worst, worst_inf);
    return GB_OK;
}
