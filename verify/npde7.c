/* NPDE-7 [derived]: the learned truncation gap ν̂/ν − 1 of NPDE-1 closes under grid refinement at the rate
 * of the less accurate scheme, min(p, k): on a fixed set of modes σ_p(θ)/σ_k(θ) − 1 = O(θ^{min(p,k)}), θ = mΔx.
 * Judged by the rate rule of SPEC §4 on the *trained* ν̂ (the closed form's own slope is shown beside it). */
#include "heat_common.h"
#include "core/status.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char *cols7[] = {"data scheme p", "model scheme k", "levels", "slope (all)", "R²", "finest-3 slope",
                              "closed form finest-3 slope", "expected min(p, k)", "verdict"};

int gb_verify_npde7(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "NPDE-1 (the fitted ν̂ and its closed form); the rate rule of SPEC §4";
    c->statement = "The gap ν̂/ν − 1 learned by a model whose scheme (order k) differs from the data's (order p) closes "
                   "under grid refinement at rate min(p, k): the learned error is the truncation difference of the "
                   "two schemes.";
    c->cases.ncols = sizeof cols7 / sizeof *cols7;
    c->cases.cols = cols7;
    gb_heat_spec hs = gb_verify_heat_spec(o);
    static const long Ns[] = {32, 64, 128, 256, 512};
    int nl = o->quick ? 4 : 5;
    char extra[512];
    snprintf(extra, sizeof extra,
             "- heat data as NPDE-1 (modes 1..%d, ν = %g, %ld snapshots on [0, %g]) on N = 32 … %ld; the six "
             "mismatched (p, k) of orders 2, 4, 6\n- rule (SPEC §4): ≥ %d levels, R² ≥ %g, finest-3 slope of "
             "log|ν̂/ν − 1| against log Δx within min(p, k) ± %g\n",
             hs.modes, hs.nu, hs.J, hs.T, Ns[nl - 1], GB_RATE_MIN_LEVELS, GB_RATE_MIN_R2, GB_RATE_TOL);
    gb_verify_params(c, o, GB_USES_MPFR, extra);
    c->plot_title = "NPDE-7: the learned gap |ν̂/ν − 1| against Δx";
    c->plot_xlabel = "Δx = 2π/N";
    c->plot_ylabel = "|ν̂/ν − 1|";
    for (int p = 2; p <= 6; p += 2)
        for (int k = 2; k <= 6; k += 2) {
            if (k == p)
                continue;
            double dx[5], gap[5], cf[5];
            for (int g = 0; g < nl; g++) {
                hs.N = Ns[g];
                int st;
                double *U = gb_verify_heat_data(&hs, p, &st);
                if (!U)
                    return st;
                gap[g] = fabs(gb_heat_fit_nu(U, hs.J, hs.N, hs.nu, p, k) / hs.nu - 1);
                free(U);
                int agree = gb_verify_dual(&cf[g], o, gb_verify_heat_nu_gap, &(gb_verify_heat_nu_arg){&hs, p, k});
                if (agree < 0)
                    return GB_ENOMEM;
                if (!agree)
                    gb_claim_judge(c, GB_INCONCLUSIVE, "p=%d k=%d N=%ld: the closed form differs at p and 2p bits", p,
                                   k, hs.N);
                cf[g] = fabs(cf[g]);
                dx[g] = 2 * M_PI / hs.N;
            }
            int want = p < k ? p : k;
            if (o->fault == GB_FAULT_CONSTANT)   /* the fault: the rate of the wrong scheme */
                want = p > k ? p : k;
            gb_rate_fit f, fc;
            char what[48];
            snprintf(what, sizeof what, "p=%d k=%d", p, k);
            if (gb_rate_fit_loglog(&f, dx, gap, nl) || gb_rate_fit_loglog(&fc, dx, cf, nl)) {
                gb_claim_judge(c, GB_ERROR, "%s: the gap is not positive and finite on every level", what);
                continue;
            }
            gb_str why;
            gb_str_init(&why);
            gb_verdict v = gb_verdict_rate(&f, want, GB_RATE_TOL, &why);
            if (v != GB_PASS)
                gb_claim_judge(c, v, "%s: %s", what, gb_str_get(&why));
            gb_str_clear(&why);
            gb_table_row(&c->cases, (long)p, (long)k, (long)nl, f.slope, f.r2, f.slope_fine3, fc.slope_fine3, (long)want,
                         gb_verdict_name(v));
            char lab[48];
            snprintf(lab, sizeof lab, "p = %d, k = %d", p, k);
            gb_series *sm = gb_claim_series(c, lab, GB_SERIES_MEASURED);
            snprintf(lab, sizeof lab, "closed form p = %d, k = %d", p, k);
            gb_series *sp = gb_claim_series(c, lab, GB_SERIES_LINE);
            for (int g = 0; g < nl; g++) {
                sm->x[sm->n] = sp->x[sp->n] = dx[g];
                sm->y[sm->n++] = gap[g];
                sp->y[sp->n++] = cf[g];
            }
        }
    gb_str_printf(&c->notes, "σ_q(θ) = θ² − 2β_{q+2} θ^{q+2} + …, so σ_p/σ_k − 1 is led by the lower order's term: "
                             "rate min(p, k) on a fixed set of modes. Derivation: doc/neural-pde.md.\n");
    gb_str_printf(&c->prediction, "finest-3 slope of |ν̂/ν − 1| = min(p, k) ± %g", GB_RATE_TOL);
    gb_str_printf(&c->measured, "%ld mismatched (p, k) pairs fitted over %d grids", c->cases.nrows, nl);
    return GB_OK;
}
