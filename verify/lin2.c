/* LIN-2 [derived]: GD on the quadratic loss contracts W - W* by ρ = max_{λ_i > 0} |1 - ηλ_i|
 * per step along the span (λ_i the eigenvalues of C); η = 2/(λ_max + λ_min⁺) gives
 * ρ = (κ-1)/(κ+1). Measured: the per-step factor of |W_t - W*| over the tail of the run. */
#include "lin_common.h"
#include "core/status.h"
#include "rate/rate.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIN2_WIN_LO 1e-9    /* the rate is fitted where the distance lies in [LIN2_WIN_LO, LIN2_WIN_HI] of its start */
#define LIN2_WIN_HI 1e-1
#define LIN2_MIN_STEPS 10   /* fewer steps in that window: INCONCLUSIVE */
#define LIN2_TOL 0.05       /* 1 − ρ measured against 1 − ρ predicted, relative */

static const char *cols[] = {"family", "p", "N", "kappa(C)", "predicted rho", "measured rho", "steps fitted",
                             "|1-rho_meas|/|1-rho| - 1"};

int gb_verify_lin2(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "spectrum of C from the SVD of the forcings";
    c->statement = "The error of gradient descent contracts by ρ = (κ-1)/(κ+1) per step at η = 2/(λ_max + λ_min⁺).";
    c->cases.ncols = sizeof cols / sizeof *cols;
    c->cases.cols = cols;
    c->plot_title = "LIN-2: |W_t - W*|/|W*| against the step t";
    c->plot_xlabel = "step t";
    c->plot_ylabel = "relative distance to W*";
    c->plot_linear_x = 1;
    char extra[320];
    snprintf(extra, sizeof extra,
             "- poly p = 2, 3, 4 at N = 32 and 64, W⁰ ~ N(0, %g²)\n"
             "- the rate is fitted on the steps where the distance lies in [%s, %s] of its start\n"
             "- rule: the convergence speed 1 - ρ measured within %g%% of 1 - ρ predicted\n", GB_LIN_W0_STD,
             GB_NUM("%.0e", LIN2_WIN_LO), GB_NUM("%.0e", LIN2_WIN_HI), 100 * LIN2_TOL);
    gb_verify_params(c, o, GB_USES_DATA | GB_USES_SAMPLES | GB_USES_MPFR, extra);
    struct { gb_family f; int p; } sets[] = {{GB_FAMILY_POLY, 2}, {GB_FAMILY_POLY, 3}, {GB_FAMILY_POLY, 4}};
    static const long Ns[] = {32, 64};
    for (int s = 0; s < 3; s++)
        for (int g = 0; g < 2; g++) {
            gb_lin_case k;
            int st = gb_lin_case_init(&k, o, sets[s].f, sets[s].p, Ns[g], GB_LIN_W0_STD, GB_LOAD_CONSISTENT);
            if (st)
                return st;
            if (!k.agree)
                gb_claim_judge(c, GB_INCONCLUSIVE, "%s:%d N=%ld: A P differs at p and 2p bits in the printed digits",
                               gb_family_name(sets[s].f), sets[s].p, Ns[g]);
            long n = k.n;
            double rho, eta = gb_linear_step(&k.L, &rho);
            double *W = malloc(sizeof(double) * n * n);
            memcpy(W, k.W0, sizeof(double) * n * n);
            gb_linear_gd_trace tr;
            long maxs = (long)fmin(200000, 40.0 / (1 - rho) + 100);
            gb_linear_gd(W, &k.L, eta, maxs, 0.0, k.Wpred, 1, &tr);
            /* fit log dist against t on the clean tail */
            double *t = malloc(sizeof(double) * tr.nrec), *y = malloc(sizeof(double) * tr.nrec);
            long m = 0;
            for (long i = 0; i < tr.nrec; i++)
                if (tr.dist[i] <= LIN2_WIN_HI * tr.dist[0] && tr.dist[i] >= LIN2_WIN_LO * tr.dist[0]) {
                    t[m] = (double)i;
                    y[m] = log(tr.dist[i]);
                    m++;
                }
            double rm = NAN;
            if (m >= LIN2_MIN_STEPS) {
                double mt = 0, my = 0, stt = 0, sty = 0;
                for (long i = 0; i < m; i++) { mt += t[i]; my += y[i]; }
                mt /= m; my /= m;
                for (long i = 0; i < m; i++) { stt += (t[i] - mt) * (t[i] - mt); sty += (t[i] - mt) * (y[i] - my); }
                rm = exp(sty / stt);
            }
            double rel = (1 - rm) / (1 - rho) - 1;
            char what[80];
            snprintf(what, sizeof what, "%s p=%d N=%ld", gb_family_name(sets[s].f), sets[s].p, Ns[g]);
            if (m < LIN2_MIN_STEPS)
                gb_claim_judge(c, GB_INCONCLUSIVE, "%s: only %ld steps in the fitting window", what, m);
            else if (!(fabs(rel) <= LIN2_TOL))
                gb_claim_judge(c, GB_FAIL, "%s: measured ρ = %.6f vs predicted %.6f", what, rm, rho);
            gb_table_row(&c->cases, gb_family_name(sets[s].f), (long)sets[s].p, Ns[g],
                         k.L.lam_max / k.L.lam_min, rho, rm, m, rel);
            if (g == 1) {
                char lab[64];
                snprintf(lab, sizeof lab, "%s p=%d N=%ld measured", gb_family_name(sets[s].f), sets[s].p, Ns[g]);
                gb_series *sm = gb_claim_series(c, lab, 0);
                snprintf(lab, sizeof lab, "%s p=%d predicted rho^t", gb_family_name(sets[s].f), sets[s].p);
                gb_series *sp = gb_claim_series(c, lab, 1);
                long stride = tr.nrec / GB_RATE_MAX_LEVELS + 1;
                for (long i = 0; i < tr.nrec && sm->n < GB_RATE_MAX_LEVELS; i += stride) {
                    sm->x[sm->n] = sp->x[sp->n] = (double)i;
                    sm->y[sm->n++] = tr.dist[i];
                    sp->y[sp->n++] = tr.dist[0] * pow(rho, (double)i);
                }
            }
            free(t); free(y); free(tr.dist); free(W);
            gb_lin_case_clear(&k);
        }
    gb_fd_cache_clear();
    gb_str_printf(&c->prediction, "per-step contraction ρ = (κ-1)/(κ+1)");
    gb_str_printf(&c->measured, "%ld cases, 1-ρ within %g%% unless listed", c->cases.nrows, 100 * LIN2_TOL);
    return GB_OK;
}
