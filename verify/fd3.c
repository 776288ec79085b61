/* FD-3 [Q25 Thm 3.1 discussion]: for fixed q and Δx, |w*-k| grows strictly with the
 * polynomial degree p of the training data — richer data makes the learned
 * parameter worse. */
#include "verify.h"
#include "core/status.h"
#include <math.h>
#include <stdio.h>

static const char *cols[] = {"q", "N", "p", "predicted |w/k-1|", "measured |w/k-1|", "SE", "floor",
                             "predicted step", "measured step"};

int gb_verify_fd3(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "FD-2 cases; sampling error small against the step between consecutive p";
    c->statement = "For fixed q and Δx the bias |w*-k| increases strictly with p, from 0 at p = q-1.";
    c->certified_what = "w*/k − 1 at infinite data";
    c->plot_title = "FD-3: richer data hurts — |w/k − 1| against the degree p, N = 32";
    c->plot_xlabel = "polynomial degree p of the data";
    c->plot_ylabel = "|w/k − 1|";
    c->plot_linear_x = 1;
    c->cases.ncols = sizeof cols / sizeof *cols;
    c->cases.cols = cols;
    char extra[256];
    snprintf(extra, sizeof extra,
             "- grids N = 32 and N = 128; q = 2, 4, 6 (q = 8 has a single p ≥ q)\n"
             "- a measured step that goes the wrong way by less than %.0f combined SE is INCONCLUSIVE\n",
             GB_Z_SAMPLING);
    gb_verify_params(c, o, GB_USES_DATA | GB_USES_SAMPLES | GB_USES_MPFR, extra);
    gb_verify_params_fd(c, o);
    static const long grids[] = {32, 128};
    int steps = 0, up = 0;
    for (int q = 2; q <= 6; q += 2)
        for (int g = 0; g < 2; g++) {
            double prev_pred = 0, prev_meas = 0, prev_se = 0;
            gb_series *sm = NULL, *sp = NULL;   /* the picture: N = 32, bias against p from p = q */
            if (g == 0) {
                char lab[48];
                snprintf(lab, sizeof lab, "q = %d measured", q);
                sm = gb_claim_series(c, lab, GB_SERIES_MEASURED);
                snprintf(lab, sizeof lab, "q = %d predicted (infinite data)", q);
                sp = gb_claim_series(c, lab, GB_SERIES_LINE);
            }
            for (int p = q - 1; p <= 8; p++) {
                gb_data_spec s = gb_verify_spec(o, GB_FAMILY_POLY, p, grids[g]);
                const gb_fd_case *k = gb_verify_case(o, &s, q, 1);
                if (!k || (k->fit_status != GB_OK && k->fit_status != GB_EMAXITER))
                    return k ? k->fit_status : GB_ENOMEM;
                char what[64];
                snprintf(what, sizeof what, "q=%d N=%ld p=%d", q, grids[g], p);
                gb_verify_certify_inf(c, o, k, what);
                double pr = fabs(k->delta_inf), me = fabs(k->rel_ls), se = k->fit.se_w / o->k;
                if (!k->agree)
                    gb_claim_judge(c, GB_INCONCLUSIVE, "q=%d N=%ld p=%d: prediction differs at p and 2p", q,
                                   grids[g], p);
                double dp = NAN, dm = NAN;
                if (p > q - 1) {
                    dp = pr - prev_pred;
                    dm = me - prev_meas;
                    steps++;
                    if (!(dp > 0))
                        gb_claim_judge(c, GB_FAIL, "q=%d N=%ld: predicted bias does not grow from p=%d to p=%d",
                                       q, grids[g], p - 1, p);
                    double tol = GB_Z_SAMPLING * sqrt(se * se + prev_se * prev_se);
                    if (dm > 0 && dm > k->floor)
                        up++;
                    else if (-dm <= tol || fabs(dm) <= k->floor)
                        gb_claim_judge(c, GB_INCONCLUSIVE,
                                       "q=%d N=%ld: measured step p=%d→%d is %.3e, within sampling error %.3e", q,
                                       grids[g], p - 1, p, dm, tol);
                    else
                        gb_claim_judge(c, GB_FAIL, "q=%d N=%ld: measured bias falls from p=%d to p=%d by %.3e", q,
                                       grids[g], p - 1, p, -dm);
                }
                gb_table_row(&c->cases, (long)q, grids[g], (long)p, pr, me, se, k->floor, dp, dm);
                if (sm && p >= q) {
                    sm->x[sm->n] = sp->x[sp->n] = p;
                    sm->y[sm->n++] = me;
                    sp->y[sp->n++] = pr;
                }
                prev_pred = pr;
                prev_meas = me;
                prev_se = se;
            }
        }
    gb_str_printf(&c->prediction, "|w*-k| strictly increasing in p (exact infinite-data values)");
    gb_str_printf(&c->measured, "%d of %d measured steps increase", up, steps);
    return GB_OK;
}
