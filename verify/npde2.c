/* NPDE-2 [M24 + derived]: a learned linear correction stencil converges to the truncation difference of the
 * two schemes. Model u_t = ν D_k u + c ⋆ u, c of half-width w, fitted by least squares to data of scheme D_p.
 * Its symbol must equal the energy-weighted least-squares fit of t(θ) = −ν(σ_p − σ_k)/Δx² by cosine
 * polynomials of degree w over the data's modes (src/npde/heat.c, MPFR) — which is t itself on every trained
 * mode when w ≥ max(p, k)/2 (the difference stencil fits) or when the data hold at most w + 1 modes. */
#include "heat_common.h"
#include "core/status.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char *cols2[] = {"initial condition", "p", "k", "w", "exact expected", "max |ĉ − ĉ_pred| / max |t|",
                              "max |ĉ − t| / max |t| (learned)", "max |ĉ_pred − t| / max |t|", "odd part / max |t|"};

#define NPDE2_N 64
#define NPDE2_TOL 1e-6    /* learned symbol against its prediction on the trained modes, relative to max |t| */
#define NPDE2_EXACT 1e-12 /* where an exact fit is expected: the prediction against t, relative to max |t| */

typedef struct {
    const gb_heat_spec *hs;
    int p, k, w, m0, M;
} corr_arg;

/* NPDE-2's closed form at prec bits: the correction d_0..d_w, then the target t(θ_m), m = m0..M */
static int correction(double *out, mpfr_prec_t prec, const void *arg)
{
    const corr_arg *a = arg;
    gb_heat_spec hs = *a->hs;
    hs.prec = prec;
    int st = gb_heat_pred_correction(out, &hs, a->p, a->k, a->w);
    double dx = 2 * M_PI / hs.N;
    for (int m = a->m0; m <= a->M; m++)
        out[a->w + 1 + m - a->m0] = gb_heat_target_symbol(&hs, a->p, a->k, m * dx);
    return st;
}

int gb_verify_npde2(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "NPDE-1's data; the schemes' exact weights and closed-form symbols";
    c->statement = "A learned correction stencil c (half-width w) added to the model's scheme D_k converges to the "
                   "truncation difference of the data's scheme D_p: on the trained modes its symbol is the "
                   "energy-weighted least-squares fit of −ν(σ_p − σ_k)/Δx² by cosines of degree w, which is the "
                   "difference itself when w ≥ max(p, k)/2 or when at most w + 1 modes are trained.";
    c->cases.ncols = sizeof cols2 / sizeof *cols2;
    c->cases.cols = cols2;
    gb_heat_spec hs = gb_verify_heat_spec(o);
    hs.N = NPDE2_N;
    char extra[512];
    snprintf(extra, sizeof extra,
             "- heat data as NPDE-1 on N = %d (modes 1..%d with i.i.d. coefficients, and cos 3x); the six mismatched "
             "(p, k) of orders 2, 4, 6; half-widths w = 1, 2, 3\n- c fitted by least squares over every node of "
             "every snapshot (normal equations in long double)\n- rules: on every trained mode |ĉ − ĉ_pred| ≤ %.0e "
             "max |t|; where exact is expected the prediction is t (to %.0e)\n",
             NPDE2_N, hs.modes, NPDE2_TOL, NPDE2_EXACT);
    gb_verify_params(c, o, GB_USES_MPFR, extra);
    double worst = 0;
    for (int single = 0; single < 2; single++)
        for (int p = 2; p <= 6; p += 2)
            for (int k = 2; k <= 6; k += 2) {
                if (k == p)
                    continue;
                hs.mode = single ? 3 : 0;
                int st;
                double *U = gb_verify_heat_data(&hs, p, &st);
                if (!U)
                    return st;
                int M = single ? 3 : hs.modes, m0 = single ? 3 : 1;
                double *pd = malloc(sizeof(double) * (size_t)(4 + M - m0 + 1));
                if (!pd) {
                    free(U);
                    return GB_ENOMEM;
                }
                for (int w = 1; w <= 3; w++) {
                    double cl[7], dl[4];
                    char what[64];
                    snprintf(what, sizeof what, "%s p=%d k=%d w=%d", single ? "cos(3x)" : "modes 1-8", p, k, w);
                    int ws = single ? 0 : w;   /* one mode identifies a symmetric stencil's symbol only there */
                    if (single && w > 1)
                        break;
                    /* the prediction: d_0..d_ws, then the target t(θ_m) on the trained modes */
                    int agree = -1;
                    if (!gb_heat_fit_correction(cl, U, hs.J, hs.N, hs.nu, p, k, ws))
                        agree = gb_verify_dual_array(pd, ws + 1 + M - m0 + 1, o, correction,
                                                     &(corr_arg){&hs, p, k, ws, m0, M});
                    if (agree < 0) {
                        gb_claim_judge(c, GB_ERROR, "%s: the least squares is singular", what);
                        continue;
                    }
                    if (!agree)
                        gb_claim_judge(c, GB_INCONCLUSIVE, "%s: the prediction differs at p and 2p bits", what);
                    double *d = pd, *t_at = pd + ws + 1;   /* t_at[m − m0] = t(θ_m) */
                    if (o->fault == GB_FAULT_WSTAR)   /* the fault: no correction predicted (the model needs none) */
                        for (int l = 0; l <= ws; l++)
                            d[l] = 0;
                    double odd = 0;
                    for (int l = 0; l <= ws; l++) {
                        dl[l] = (cl[ws + l] + cl[ws - l]) / 2;
                        odd = fmax(odd, fabs(cl[ws + l] - cl[ws - l]) / 2);
                    }
                    double tmax = 0, e_pred = 0, e_learn = 0, e_pt = 0, dx = 2 * M_PI / hs.N;
                    for (int m = m0; m <= M; m++)
                        tmax = fmax(tmax, fabs(t_at[m - m0]));
                    for (int m = m0; m <= M; m++) {
                        double th = m * dx, t = t_at[m - m0],
                               sl = gb_heat_correction_symbol(dl, ws, th), sp = gb_heat_correction_symbol(d, ws, th);
                        e_pred = fmax(e_pred, fabs(sl - sp) / tmax);
                        e_learn = fmax(e_learn, fabs(sl - t) / tmax);
                        e_pt = fmax(e_pt, fabs(sp - t) / tmax);
                    }
                    int exact = single || 2 * w >= (p > k ? p : k);
                    worst = fmax(worst, e_pred);
                    if (!(e_pred <= NPDE2_TOL))
                        gb_claim_judge(c, GB_FAIL, "%s: learned symbol %.2e (of max |t|) from its prediction", what, e_pred);
                    if (exact && !(e_pt <= NPDE2_EXACT) && o->fault != GB_FAULT_WSTAR)
                        gb_claim_judge(c, GB_FAIL, "%s: exact fit expected, yet the prediction is %.2e from t", what, e_pt);
                    gb_table_row(&c->cases, single ? "cos(3x)" : "modes 1-8", (long)p, (long)k, (long)ws,
                                 exact ? "yes" : "no (projection)", e_pred, e_learn, e_pt, odd / tmax);
                }
                free(pd);
                free(U);
            }
    gb_str_printf(&c->notes,
                  "The projection cases (w < max(p, k)/2 with 8 modes) show how far a too-narrow stencil stays from "
                  "the truncation difference; the learned stencil follows the prediction there too. For a single "
                  "mode the symmetric part of c has one free number per mode (w = 0 is fitted). Derivation: "
                  "doc/neural-pde.md.\n");
    gb_str_printf(&c->prediction, "ĉ = weighted LS fit of −ν(σ_p − σ_k)/Δx² (= it when w ≥ max(p,k)/2 or ≤ w+1 modes)");
    gb_str_printf(&c->measured, "%ld fits: max |ĉ − ĉ_pred| = %.1e of max |t|", c->cases.nrows, worst);
    return GB_OK;
}
