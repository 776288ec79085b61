/* NPDE-0 [derived; SPEC §9 "solvers are verified first"]: the heat data's solver shows its order. A single mode
 * cos(Mx) of the semi-discrete scheme D_p, advanced exactly, decays as exp(−ν σ_p(θ) T/Δx²) where the PDE's decays
 * as exp(−ν M² T); the relative error exp(−ν (σ_p(θ) − θ²) T/Δx²) − 1 = O(Δx^p) (σ_p(θ) = θ² − 2β_{p+2} θ^{p+2} + …).
 * Measured on the data the claims use (gb_heat_snapshots) against the PDE's exact solution, judged by the rate rule
 * of SPEC §4 and against the closed form per level. */
#include "heat_common.h"
#include "core/status.h"
#include "stencil/stencil.h"
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char *cols0[] = {"scheme p", "N", "relative error measured", "closed form", "|measured/closed form − 1|"};

typedef struct {
    const gb_heat_spec *hs;
    int p, mode;
} mode_arg;

/* exp(−ν(σ_p(θ) − θ²)T/Δx²) − 1, θ = mode Δx, at the precision of s */
static int mode_error(mpfr_t s, const void *arg)
{
    const mode_arg *a = arg;
    mpfr_t th, d;
    mpfr_inits2(mpfr_get_prec(s), th, d, (mpfr_ptr)0);
    mpfr_const_pi(d, MPFR_RNDN);
    mpfr_mul_2ui(d, d, 1, MPFR_RNDN);
    mpfr_div_si(d, d, a->hs->N, MPFR_RNDN);                    /* Δx */
    mpfr_mul_si(th, d, a->mode, MPFR_RNDN);
    gb_stencil_symbol_closed(s, a->p, th);
    mpfr_sqr(th, th, MPFR_RNDN);
    mpfr_sub(s, s, th, MPFR_RNDN);
    mpfr_sqr(d, d, MPFR_RNDN);
    mpfr_div(s, s, d, MPFR_RNDN);
    mpfr_mul_d(s, s, -a->hs->nu * a->hs->T, MPFR_RNDN);
    mpfr_expm1(s, s, MPFR_RNDN);
    mpfr_clears(th, d, (mpfr_ptr)0);
    return 0;
}

#define NPDE0_TOL 1e-6    /* each level against the closed form, relative ... */
#define NPDE0_ULPS 4      /* ... plus this many ε for the data's rounding to double */

int gb_verify_npde0(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "the central schemes of §3 and their closed-form symbols";
    c->statement = "The heat-equation data of NPDE-1…7 come from a solver of the order it claims: a mode of the "
                   "semi-discrete scheme of order p, advanced exactly, differs from the PDE's solution by "
                   "exp(−ν(σ_p(θ) − θ²)T/Δx²) − 1, which falls as Δx^p.";
    c->cases.ncols = sizeof cols0 / sizeof *cols0;
    c->cases.cols = cols0;
    c->fits.ncols = 0;
    gb_heat_spec hs = gb_verify_heat_spec(o);
    hs.mode = 2;
    hs.J = 2;
    static const long Ns[] = {16, 32, 64, 128, 256};
    char extra[400];
    snprintf(extra, sizeof extra,
             "- mode cos(%dx), ν = %g, T = %g; N = 16 … 256; p = 2, 4, 6\n- rules: each level within %s relative "
             "of the closed form, plus %dε for the data's rounding to double; rate rule of SPEC §4 (≥ %d levels, "
             "R² ≥ %g, finest-3 slope p ± %g)\n",
             hs.mode, hs.nu, hs.T, GB_NUM("%g", NPDE0_TOL), NPDE0_ULPS, GB_RATE_MIN_LEVELS, GB_RATE_MIN_R2, GB_RATE_TOL);
    gb_verify_params(c, o, GB_USES_MPFR, extra);
    c->plot_title = "NPDE-0: the heat data's error against the PDE's solution";
    c->plot_xlabel = "Δx = 2π/N";
    c->plot_ylabel = "relative error at T";
    for (int p = 2; p <= 6; p += 2) {
        double dx[5], err[5];
        char lab[24];
        snprintf(lab, sizeof lab, "p = %d", p);
        gb_series *sm = gb_claim_series(c, lab, GB_SERIES_MEASURED);
        snprintf(lab, sizeof lab, "closed form p = %d", p);
        gb_series *sp = gb_claim_series(c, lab, GB_SERIES_LINE);
        for (int g = 0; g < 5; g++) {
            hs.N = Ns[g];
            int st;
            double *U = gb_verify_heat_data(&hs, p, &st);
            if (!U)
                return st;
            double amp = exp(-hs.nu * hs.mode * hs.mode * hs.T), e = 0, ref = 0;
            for (long j = 0; j < hs.N; j++) {
                double ex = amp * cos(2 * M_PI * hs.mode * (double)j / (double)hs.N);
                e = fmax(e, fabs(U[hs.N + j] - ex));
                ref = fmax(ref, fabs(ex));
            }
            free(U);
            /* closed form: |exp(−ν(σ_p(θ) − θ²)T/Δx²) − 1| in MPFR; the fault: mode M + 1 */
            double cf;
            mode_arg ma = {&hs, p, o->fault == GB_FAULT_GRID ? hs.mode + 1 : hs.mode};
            if (!gb_verify_dual(&cf, o, mode_error, &ma))
                gb_claim_judge(c, GB_INCONCLUSIVE, "p=%d N=%ld: the closed form differs at p and 2p bits", p, hs.N);
            cf = fabs(cf);
            double meas = e / ref, rel = fabs(meas / cf - 1);
            /* the data are the exact values rounded once: an error below a few ulps of the amplitude is round-off */
            if (!(fabs(meas - cf) <= NPDE0_TOL * cf + NPDE0_ULPS * DBL_EPSILON))
                gb_claim_judge(c, GB_FAIL, "p=%d N=%ld: error %.6e against the closed form %.6e", p, hs.N, meas, cf);
            gb_table_row(&c->cases, (long)p, hs.N, meas, cf, rel);
            dx[g] = 2 * M_PI / hs.N;
            err[g] = meas;
            sm->x[sm->n] = sp->x[sp->n] = dx[g];
            sm->y[sm->n++] = meas;
            sp->y[sp->n++] = cf;
        }
        char what[16];
        snprintf(what, sizeof what, "p=%d", p);
        double slope;
        if (gb_verify_order(c, what, dx, err, 5, p, &slope) == GB_PASS)
            gb_str_printf(&c->measured, "%sp = %d: slope %.3f", p > 2 ? "; " : "", p, slope);
    }
    gb_str_printf(&c->notes, "The error is the data scheme's alone: time is advanced exactly. Derivation: "
                             "doc/neural-pde.md.\n");
    gb_str_printf(&c->prediction, "relative error exp(−ν(σ_p − θ²)T/Δx²) − 1, order p");
    return GB_OK;
}
