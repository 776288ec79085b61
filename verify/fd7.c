/* FD-7 [derived]: FEM training data. The nodal P1 solution satisfies
 * FD_2 u = -(m ∗ f)/k exactly (m = (1,4,1)/6 consistent load, (1) lumped), so D = FD_q(u)
 * is a fixed local filter of f and, for i.i.d. nodal values, w* / k = g_0/Σ g_l² — a
 * rational independent of Δx. The bias does not vanish under refinement:
 * 4/3, 1944/1559, 30312/24809 (consistent), 1, 28/33, 3996/5035 (lumped). */
#include "verify.h"
#include "certify/enclose.h"
#include "core/status.h"
#include "predict/fd_predict.h"
#include "rate/rate.h"
#include <math.h>
#include <stdio.h>

static const char *cols[] = {"q", "load", "N", "predicted w/k (rational)", "infinite-data prediction w/k",
                             "finite-sample prediction w/k", "measured w/k", "GD w/k", "SE", "floor",
                             "|measured - rational| / SE"};

int gb_verify_fd7(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "FEM solve in MPFR; exact stencils; polynomial division in GMP";
    c->statement = "On FEM data (i.i.d. nodal forcing values, exact P1 nodal solutions) the learned w* / k is a "
                   "rational constant ≠ 1 for every Δx: the bias does not vanish as Δx → 0.";
    c->certified_what = "w*/k, from the stencil's symbol";
    c->cases.ncols = sizeof cols / sizeof *cols;
    c->cases.cols = cols;
    static const long grids[] = {16, 32, 64, 128};
    int ng = o->quick ? 3 : 4;
    gb_verify_params(c, o, GB_USES_DATA | GB_USES_SAMPLES | GB_USES_MPFR, "- grids N = 16, 32, 64 (, 128 in the full tier); q = 2, 4, 6, 8; consistent and lumped load\n");
    gb_verify_params_fd(c, o);
    gb_str_printf(&c->notes, "Exact ratios g_0/Σg² (derived in GMP from the stencil):\n\n| q | consistent | lumped |\n|---|---|---|\n");
    gb_str_printf(&c->measured, "bias at the finest N: ");
    for (int q = 2; q <= 8; q += 2) {
        gb_str_printf(&c->notes, "| %d |", q);
        for (int L = 0; L < 2; L++) {
            gb_load load = L ? GB_LOAD_LUMPED : GB_LOAD_CONSISTENT;
            mpq_t rho;
            mpq_init(rho);
            /* the fault: the prediction of the other load vector */
            gb_fd_fem_ratio(rho, gb_fd_stencil(q), o->fault == GB_FAULT_LOAD ? (gb_load)!L : load);
            double r = gb_verify_q_to_d(rho);
            arb_t b;   /* the ratio from the symbol ĝ = (σ_q/σ_2) m̂, in ball arithmetic */
            arb_init(b);
            gb_enclose_fem_ratio(b, q, L, 2 * o->prec);
            char what[48];
            snprintf(what, sizeof what, "q=%d %s: w*/k", q, L ? "lumped" : "consistent");
            gb_verify_certify(c, o, b, r, what, NULL, 0);
            arb_clear(b);
            char buf[128];
            gmp_snprintf(buf, sizeof buf, "%Qd", rho);
            gb_str_printf(&c->notes, " %s = %.12f |", buf, r);
            mpq_clear(rho);
            double dx[8], bias[8];
            for (int g = 0; g < ng; g++) {
                gb_data_spec s = gb_verify_spec(o, GB_FAMILY_FEM, 0, grids[g]);
                s.load = load;
                const gb_fd_case *k = gb_verify_case(o, &s, q, 1);
                char what[80];
                snprintf(what, sizeof what, "q=%d %s N=%ld", q, L ? "lumped" : "consistent", grids[g]);
                if (!k || (k->fit_status != GB_OK && k->fit_status != GB_EMAXITER)) {
                    gb_claim_judge(c, GB_ERROR, "%s: %s", what, k ? gb_strerror(k->fit_status) : "no memory");
                    continue;
                }
                double wk = 1 + k->rel_ls, se = k->fit.se_w / o->k, z = fabs(wk - r) / se;
                if (!k->agree)
                    gb_claim_judge(c, GB_INCONCLUSIVE, "%s: prediction differs at p and 2p", what);
                if (!gb_digits_agree(1 + k->delta_inf, r, GB_PRINT_DIGITS - 1))
                    gb_claim_judge(c, GB_FAIL, "%s: basis-route prediction %.15g ≠ rational %.15g", what,
                                   1 + k->delta_inf, r);
                if (fabs(k->rel_ls - k->delta_fs) > k->floor)
                    gb_claim_judge(c, GB_FAIL, "%s: measured %.15g ≠ finite-sample exact %.15g", what, wk,
                                   1 + k->delta_fs);
                if (fabs(wk - r) > GB_Z_SAMPLING * se + k->floor)
                    gb_claim_judge(c, GB_FAIL, "%s: measured w/k = %.6f is %.1f SE from %.6f", what, wk, z, r);
                if (fabs(k->rel_gd - k->rel_ls) > k->floor)
                    gb_claim_judge(c, GB_FAIL, "%s: gradient descent ended at %.15g", what, 1 + k->rel_gd);
                gb_table_row(&c->cases, (long)q, L ? "lumped" : "consistent", grids[g], r,
                             1 + k->delta_inf, 1 + k->delta_fs, wk, 1 + k->rel_gd, se, k->floor, z);
                dx[g] = 1.0 / grids[g];
                bias[g] = k->rel_ls;
            }
            if (fabs(r - 1) > 0) {
                gb_rate_fit fit;
                if (gb_rate_fit_loglog(&fit, dx, bias, ng) == GB_OK) /* slope of |bias| against Δx: ≈ 0 */
                    gb_table_row(&c->cases, (long)q, L ? "lumped: bias slope" : "consistent: bias slope",
                                     0L, NAN, NAN, NAN, fit.slope, NAN, NAN, NAN, NAN);
            }
            if (!L)
                gb_str_printf(&c->measured, "q=%d: %.4f; ", q, bias[ng - 1]);
        }
        gb_str_printf(&c->notes, "\n");
    }
    gb_str_printf(&c->notes, "\nRows labelled *bias slope* give the least-squares slope of log|w/k-1| against log Δx "
                             "over the grids: ≈ 0, the bias does not decay.\n");
    gb_str_printf(&c->prediction, "w* / k = 4/3, 1944/1559, 30312/24809 (consistent; q=2,4,6); 1, 28/33, 3996/5035 (lumped)");
    return GB_OK;
}
