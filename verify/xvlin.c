/* XV-LIN [derived] (SPEC §8): trained on any of the 25 data sets with W⁰ = 0, the linear model's 25 × 25 matrix of
 * test MSEs equals its closed form in MPFR, entry by entry, within the sampling error. */
#include "core/status.h"
#include "predict/lin_predict.h"
#include "xval_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS GB_XV_NSETS

#define XV_FLOOR 1e-14   /* entries predicted below this are "at the floor" of double arithmetic */

static const char *lin_cols[] = {"train", "test", "test MSE measured", "predicted (infinite data)",
                                 "sampling s.e.", "z = (measured − predicted)/s.e.", "rule"};

typedef struct {
    const gb_xv_opts *x;
    int sign_fault;   /* mutation check: −A in place of A */
} xvlin_arg;

/* the closed form of every entry at prec bits: out[2(i·NS + j)] its mean MSE, out[2(i·NS + j) + 1] one sample's
 * variance */
static int lin_closed_form(double *out, mpfr_prec_t prec, const void *arg)
{
    const xvlin_arg *a = arg;
    gb_lin_xval_basis *B[NS];
    int st = GB_OK;
    for (int i = 0; i < NS; i++) {
        gb_data_spec s = gb_xv_spec(a->x, i, 0);
        B[i] = gb_lin_pred_xval_basis(&s, prec);
        if (!B[i])
            st = GB_ENOMEM;
        else if (a->sign_fault)
            for (long k = 0; k < B[i]->n * B[i]->n; k++)
                mpfr_neg(B[i]->AP[k], B[i]->AP[k], MPFR_RNDN);
    }
    for (int i = 0; i < NS && !st; i++)
        for (int j = 0; j < NS; j++)
            gb_lin_pred_xval_mse(&out[2 * (i * NS + j)], &out[2 * (i * NS + j) + 1], B[i], B[j]);
    for (int i = 0; i < NS; i++)
        if (B[i])
            gb_lin_pred_xval_free(B[i]);
    return st;
}

int gb_verify_xvlin(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "LIN-1 (gradient descent reaches W* = AP from W⁰ = 0); SPEC §2 data sets";
    static char statement[320];   /* the claim keeps the pointer until its report is written */
    snprintf(statement, sizeof statement,
             "Trained on any of the 25 data sets with W⁰ = 0, the linear model's test MSE on every data set "
             "equals the closed form μ₂ tr(EᵀE)/n, E = AP_train Φ_test − Ψ_test, entry by entry: within "
             "%.0f sampling standard errors above the floor, and at the floor where the closed form is.", GB_Z_SAMPLING);
    c->statement = statement;
    c->cases.ncols = sizeof lin_cols / sizeof *lin_cols;
    c->cases.cols = lin_cols;
    gb_xv_opts x = gb_xv_verify_opts(o, GB_XV_S_CLOSED);
    gb_xv_data *D = gb_xv_verify_data(&x);
    if (!D)
        return GB_ENOMEM;
    gb_xv_matrix *X = malloc(sizeof *X), *P = malloc(sizeof *P);
    int st = gb_xv_run(X, GB_XV_LINEAR, D);
    if (st) {
        free(X), free(P);
        return st;
    }
    *P = *X;
    gb_xv_verify_params(c, o, &x, X);
    gb_str_printf(&c->params, "- floor: entries predicted below %.0e must measure below it; above it "
                              "|z| ≤ %.0f (s.e. from the closed-form variance of one sample, /√S)\n"
                              "- predictions in MPFR at %ld + 64 and %ld + 64 bits\n",
                  XV_FLOOR, GB_Z_SAMPLING, (long)o->prec, 2 * (long)o->prec);
    /* each entry's mean and variance one prediction, at p and 2p */
    double *pv = malloc(sizeof(double) * 2 * NS * NS);
    int *agrees = malloc(sizeof(int) * NS * NS);
    if (!pv || !agrees ||
        gb_verify_dual_rows(pv, agrees, NS * NS, 2, o, lin_closed_form,
                            &(xvlin_arg){&x, o->fault == GB_FAULT_SIGN}) < 0) {
        free(pv); free(agrees); free(X); free(P);
        return GB_ENOMEM;
    }
    /* a mean or variance below the working precision's resolution 2^−(p−64) is the round-off of an exact 0
     * (an in-span entry: the error A P_a Φ_b − Ψ_b vanishes), printed as 0 */
    for (long i = 0; i < 2L * NS * NS; i++)
        if (fabs(pv[i]) < ldexp(1.0, -(int)(o->prec - 64)))
            pv[i] = 0.0;
    double worst_z = 0, worst_floor = 0, worst_dlog = 0;
    long above = 0, disagree = 0;
    char zrule[32];
    snprintf(zrule, sizeof zrule, "|z| ≤ %.0f", GB_Z_SAMPLING);
    for (int i = 0; i < NS; i++)
        for (int j = 0; j < NS; j++) {
            double mu = pv[2 * (i * NS + j)], var = pv[2 * (i * NS + j) + 1], m = X->mse[i * NS + j];
            int agree = agrees[i * NS + j];
            P->mse[i * NS + j] = mu;
            double se = sqrt(var / x.S), z = NAN;
            const char *rule;
            if (!agree) {
                disagree++;
                rule = "INCONCLUSIVE";
                gb_claim_judge(c, GB_INCONCLUSIVE, "%s→%s: prediction differs at %ld and %ld bits",
                               gb_xv_label(i), gb_xv_label(j), (long)o->prec, 2 * (long)o->prec);
            } else if (!isfinite(m)) {
                rule = "ERROR";
                gb_claim_judge(c, GB_ERROR, "%s→%s: measured MSE is %g", gb_xv_label(i), gb_xv_label(j), m);
            } else if (mu < XV_FLOOR) {
                rule = "floor";
                worst_floor = fmax(worst_floor, m);
                if (!(m < XV_FLOOR))
                    gb_claim_judge(c, GB_FAIL, "%s→%s: predicted %.2e (floor) but measured %.3e", gb_xv_label(i),
                                   gb_xv_label(j), mu, m);
            } else {
                rule = zrule;
                above++;
                z = (m - mu) / se;
                worst_z = fmax(worst_z, fabs(z));
                worst_dlog = fmax(worst_dlog, fabs(log10(m / mu)));
                if (!(fabs(z) <= GB_Z_SAMPLING))
                    gb_claim_judge(c, GB_FAIL, "%s→%s: measured %.4e, predicted %.4e ± %.1e (z = %.1f)",
                                   gb_xv_label(i), gb_xv_label(j), m, mu, se, z);
            }
            gb_table_row(&c->cases, gb_xv_label(i), gb_xv_label(j), m, mu, se, z, rule);
        }
    free(pv);
    free(agrees);
    gb_xv_verify_heatmap(c, "measured", X, "XV-LIN: measured log10 test MSE (rows: train, columns: test)");
    gb_xv_verify_heatmap(c, "predicted", P, "XV-LIN: closed-form log10 test MSE, infinite data");
    gb_xv_verify_notes(c, X);
    gb_str_printf(&c->notes, "The closed form: trained on data set a with W⁰ = 0, W* = AP_a (Theorem 3.2; AP = Ψ(ΦᵀΦ)⁻¹Φᵀ "
                             "from the grid basis Φ and its exact solutions Ψ). A test sample f = Σ c_m φ_m of set b "
                             "has error E c, E = AP_a Φ_b − Ψ_b, so E[MSE] = μ₂ tr(EᵀE)/n and one sample's variance "
                             "is ((μ₄ − 3μ₂²) Σ M_mm² + 2μ₂² tr M²)/n², M = EᵀE. For fem, Φ = I and Ψ = A_FEM. "
                             "The measured model is the least-squares fit of the drawn training data (the limit of "
                             "gradient descent); test sets are fresh draws.\n\n"
                             "%ld entries lie above the floor; the largest |log10 measured − log10 predicted| among "
                             "them is %.4f.\n", above, worst_dlog);
    gb_str_printf(&c->prediction, "closed form μ₂ tr(EᵀE)/n per entry (MPFR); floor below %.0e", XV_FLOOR);
    gb_str_printf(&c->measured, "%ld entries above the floor: max |z| = %.2f, max |Δlog10| = %.4f; floor entries ≤ %.1e%s",
                  above, worst_z, worst_dlog, worst_floor, disagree ? "; precision disagreements" : "");
    free(X);
    free(P);
    return GB_OK;
}
