/* FD-4 [derived]: a sine mode is an eigenfunction of FD_q on the grid,
 * FD_q sin(nπx) = -(σ_q(θ)/Δx²) sin(nπx) with θ = nπΔx, at every evaluation node.
 * Data made of that one mode give w* = k θ²/σ_q(θ) exactly, for any amount of data. */
#include "verify.h"
#include "certify/enclose.h"
#include "core/status.h"
#include "predict/fd_predict.h"
#include <math.h>
#include <stdio.h>

static const char *cols[] = {"q", "mode n", "N", "S", "predicted w/k", "measured w/k", "GD w/k",
                             "|measured/predicted - 1|", "floor", "basis-route prediction w/k",
                             "w*/k certified (Arb ball)"};

typedef struct {
    int q, mode;
    long N;
} mode_arg;

/* θ²/σ_q(θ) and θ²/σ_q(θ) − 1 at prec bits */
static int single_mode(double *out, mpfr_prec_t prec, const void *arg)
{
    const mode_arg *a = arg;
    mpfr_t w;
    mpfr_init2(w, prec);
    gb_fd_pred_single_mode(w, a->q, a->mode, a->N, 1.0);
    out[0] = mpfr_get_d(w, MPFR_RNDN);
    mpfr_sub_ui(w, w, 1, MPFR_RNDN);
    out[1] = mpfr_get_d(w, MPFR_RNDN);
    mpfr_clear(w);
    return 0;
}

int gb_verify_fd4(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "σ_q from its closed form, independent of the stencil weights";
    c->statement = "On data made of a single sine mode n, the learned coefficient is w* = k θ²/σ_q(θ), "
                   "θ = nπΔx, exactly, for any amount of data.";
    c->certified_what = "w*/k = θ²/σ_q(θ)";
    c->cases.ncols = sizeof cols / sizeof *cols;
    c->cases.cols = cols;
    gb_verify_params(c, o, GB_USES_DATA | GB_USES_MPFR, "- modes n = 1, 2, 3, 5; N = 16, 20, 32, 64; S = 1 and S = 100\n"
                           "- exactness rule: |measured/predicted - 1| ≤ round-off floor\n");
    gb_verify_params_fd(c, o);
    static const long grids[] = {16, 20, 32, 64};
    static const int modes[] = {1, 2, 3, 5};
    static const long samples[] = {1, 100};
    double worst = 0;
    for (int q = 2; q <= 8; q += 2)
        for (int mi = 0; mi < 4; mi++)
            for (int g = 0; g < 4; g++)
                for (int si = 0; si < 2; si++) {
                    if (grids[g] < q + 2)
                        continue;
                    gb_data_spec s = gb_verify_spec(o, GB_FAMILY_SIN, 1, grids[g]);
                    s.mode = modes[mi];
                    s.S = samples[si];
                    const gb_fd_case *k = gb_verify_case(o, &s, q, 0);
                    char what[80];
                    snprintf(what, sizeof what, "q=%d n=%d N=%ld S=%ld", q, modes[mi], grids[g], s.S);
                    if (!k || (k->fit_status != GB_OK && k->fit_status != GB_EMAXITER)) {
                        gb_claim_judge(c, GB_ERROR, "%s: %s", what, k ? gb_strerror(k->fit_status) : "no memory");
                        continue;
                    }
                    /* w/k and w/k - 1, the latter formed in MPFR; the fault: an off-by-one grid in the prediction */
                    mode_arg arg = {q, modes[mi], grids[g] + (o->fault == GB_FAULT_GRID)};
                    double pd[2];
                    int agree;
                    if (gb_verify_dual_rows(pd, &agree, 1, 2, o, single_mode, &arg) < 0) {
                        gb_claim_judge(c, GB_ERROR, "%s: no memory for the 2p check", what);
                        continue;
                    }
                    const double *pv = &pd[0], *dv = &pd[1];
                    /* the certified enclosure: the printed prediction must lie in the ball */
                    arb_t ball;
                    arb_init(ball);
                    gb_enclose_single_mode(ball, q, modes[mi], grids[g], 2 * o->prec);
                    char enc[96];
                    gb_verify_certify(c, o, ball, pv[0], what, enc, sizeof enc);
                    arb_clear(ball);
                    if (!agree || !k->agree)
                        gb_claim_judge(c, GB_INCONCLUSIVE, "%s: prediction differs at p and 2p bits", what);
                    double basis = 1.0 + k->delta_inf;
                    if (!gb_digits_agree(k->delta_inf, dv[0], GB_PRINT_DIGITS - 1))
                        gb_claim_judge(c, GB_FAIL, "%s: closed form %.15e and basis route %.15e disagree (w/k-1)",
                                       what, dv[0], k->delta_inf);
                    /* compare w/k - 1 (measured, formed in long double) with the MPFR δ: no double quantisation */
                    double wk = 1.0 + k->rel_ls, err = fabs(k->rel_ls - dv[0]) / pv[0];
                    if (err > k->floor)
                        gb_claim_judge(c, GB_FAIL, "%s: measured w/k = %.15g vs predicted %.15g (rel. %.2e > floor %.2e)",
                                       what, wk, pv[0], err, k->floor);
                    if (fabs(k->rel_gd - dv[0]) / pv[0] > k->floor)
                        gb_claim_judge(c, GB_FAIL, "%s: gradient descent ended at w/k = %.15g", what,
                                       1.0 + k->rel_gd);
                    if (err > worst)
                        worst = err;
                    gb_table_row(&c->cases, (long)q, (long)modes[mi], grids[g], s.S, pv[0], wk,
                                 1.0 + k->rel_gd, err, k->floor, basis, enc);
                }
    gb_str_printf(&c->prediction, "w* / k = θ²/σ_q(θ), θ = nπΔx, exact");
    gb_str_printf(&c->measured, "%ld cases; max |measured/predicted - 1| = %.2e", c->cases.nrows, worst);
    return GB_OK;
}
