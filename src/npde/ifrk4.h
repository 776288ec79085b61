/* Integrating-factor RK4 (Lawson's method) for u' = L u + F(u) on a periodic grid, L a difference scheme times a
 * constant: the stiff linear part is integrated exactly through its symbol (FFTW r2c/c2r), the rest by classical
 * RK4 on v = e^{−tL} u. For the KdV's dispersion term −(1/6) D₃ (eigenvalues up to ≈ 1900 at the paper's grid)
 * this allows the paper's Δt = 0.01 where plain RK4 needs 19 substeps (NPDE-0K). With E = e^{(h/2)L}:
 *   a = h F(u),  b = h F(E(u + a/2)),  c = h F(Eu + b/2),  d = h F(E(Eu + c)),
 *   u ← E[E(u + a/6) + (b + c)/3] + d/6.
 * A central scheme of an odd derivative is antisymmetric, so its E is orthogonal and Eᵀ = e^{−(h/2)L}. */
#ifndef GB_NPDE_IFRK4_H
#define GB_NPDE_IFRK4_H

#include "npde/burgers.h"
#include "npde/scheme.h"
#include <fftw3.h>

typedef struct {
    long N;
    double *re, *im;          /* e^{(h/2) λ_m}, λ_m = coef · symbol(2πm/N) / dx^deriv, m = 0..N/2 */
    double *buf;              /* N reals and N/2 + 1 complex coefficients, FFTW-aligned */
    fftw_complex *spec;
    fftw_plan r2c, c2r;
} gb_ifactor;

/* E = e^{(h/2) coef D} on N nodes of spacing dx. GB_EINVAL for N < 2 or a step that is not finite and
 * positive, GB_ENOMEM. Plans are made under a named OpenMP critical section (FFTW's planner is not
 * thread-safe); applying one factor from two threads at once is not allowed (it owns its buffers). */
int gb_ifactor_init(gb_ifactor *E, const gb_scheme *D, double coef, long N, double dx, double h);
void gb_ifactor_clear(gb_ifactor *E);
/* out = E in, or Eᵀ in when transpose is set; out may be in */
void gb_ifactor_apply(gb_ifactor *E, double *out, const double *in, int transpose);
/* one Lawson step of size h (twice E's half step) in place; work holds 6N values */
void gb_ifrk4_step(double *u, gb_ifactor *E, double h, gb_rhs_fn F, void *ctx, double *work);

#endif
