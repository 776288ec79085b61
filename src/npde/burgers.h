/* Viscous Burgers u_t = −u u_x + ν u_xx on the periodic [0, L) as the companion paper's released code sets it up
 * (SPEC §9): N = 100, L = 2π, ν = 0.03, Δt = 0.01, T = 0.5; the data advect by the first-order upwind scheme and
 * diffuse by the sixth-order central one, stepped by classical RK4. The solver's own order is shown against the
 * Cole–Hopf solution of a smooth initial condition. */
#ifndef GB_NPDE_BURGERS_H
#define GB_NPDE_BURGERS_H

#include "npde/scheme.h"
#include <mpfr.h>

typedef struct {
    long N;
    double L, nu, dt, T;
    gb_scheme adv;    /* u_x of the advection term */
    gb_scheme diff;   /* u_xx of the diffusion term */
} gb_burgers;

/* the set-up of SPEC §9 (upwind advection, sixth-order diffusion) */
void gb_burgers_default(gb_burgers *b);
/* GB_EINVAL with a message unless N ∈ 8..4096, L, ν, Δt, T > 0 finite and Δt ≤ T */
int gb_burgers_check(const gb_burgers *b, char *msg, size_t len);
/* F(u) = −u ⊙ D_adv u + ν D_diff u (work: N values) */
void gb_burgers_rhs(double *F, const gb_burgers *b, const double *u, double *work);

/* one classical RK4 step of u' = F(u), in place (work: 5N values) */
typedef void (*gb_rhs_fn)(double *F, const double *u, void *ctx);
/* the Burgers right-hand side as a gb_rhs_fn: ctx is a gb_burgers_ctx (work: N values) */
typedef struct {
    const gb_burgers *b;
    double *work;
} gb_burgers_ctx;
void gb_burgers_rhs_fn(double *F, const double *u, void *ctx);
void gb_rk4_step(double *u, long N, double dt, gb_rhs_fn F, void *ctx, double *work);

/* U ((n + 1) × N, row-major): u0 and the states after each of n RK4 steps of Δt; GB_ENOMEM or GB_ENONFIN (a
 * state not finite) */
int gb_burgers_solve(double *U, const gb_burgers *b, const double *u0, long n);

/* the step of SPEC §9: 1, and `height` on nodes 1..N/2 − 1 (the paper's training height is 2, its test height 10) */
void gb_burgers_step(double *u0, long N, double height);

/* the Cole–Hopf solution from φ(x, 0) = 2 + cos(2πx/L): φ = 2 + e^{−νκ²t} cos κx, κ = 2π/L, and
 * u = −2ν φ_x/φ = 2νκ e^{−νκ²t} sin κx / (2 + e^{−νκ²t} cos κx), evaluated in MPFR at prec bits and rounded once */
void gb_burgers_cole_hopf(double *u, long N, double L, double nu, double t, mpfr_prec_t prec);

#endif
