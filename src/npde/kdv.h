/* The geophysical KdV equation u_t = ω₀ u_x − (3/2) u u_x − (1/6) u_xxx on the periodic [0, L) as the companion
 * paper's released code sets it up (SPEC §9): N = 256, L = 5π, ω₀ = 0.5, snapshots every Δt = 0.01 to T = 1,
 * central schemes of order 2 for u_x and u_xxx. RK4 is stable here only with steps far below 0.01 (the
 * dispersion term's eigenvalues reach (1/6)·2.6/Δx³ ≈ 1900), so each snapshot interval is split into equal
 * substeps with Δt_sub |λ_max| ≤ 1. The solver's order is shown on a manufactured solution. */
#ifndef GB_NPDE_KDV_H
#define GB_NPDE_KDV_H

#include "npde/scheme.h"

typedef struct {
    long N;
    double L, omega0, dt, T;   /* dt: the interval between snapshots */
    gb_scheme D1, D3;          /* the schemes of u_x and u_xxx */
    /* a manufactured source s(x, t) = (3/4) a² κ sin 2(κx − Ωt) (a = 0: none) */
    double ms_a, ms_kappa;
} gb_kdv;

/* the set-up of SPEC §9 (central order 2 for both terms, no source) */
void gb_kdv_default(gb_kdv *k);
/* F(u) = ω₀ D1 u − (3/2) u ⊙ D1 u − (1/6) D3 u (+ the source at time t; work: N values) */
void gb_kdv_rhs(double *F, const gb_kdv *k, const double *u, double t, double *work);
/* the largest |eigenvalue| of the linear part, max_θ |ω₀ τ₁(θ)/Δx − τ₃(θ)/(6Δx³)| over the grid's modes, and the
 * substeps per snapshot interval that keep Δt_sub times it at most 1 */
double gb_kdv_lambda_max(const gb_kdv *k);
long gb_kdv_substeps(const gb_kdv *k);
/* U ((n + 1) × N): u0 and the snapshots at t = Δt, 2Δt, …, nΔt (each interval `sub` RK4 substeps; sub = 0:
 * gb_kdv_substeps); GB_ENONFIN when a state stops being finite */
int gb_kdv_solve(double *U, const gb_kdv *k, const double *u0, long n, long sub);
/* the same with the integrating-factor RK4 of npde/ifrk4.h: the dispersion term exactly through its symbol, the
 * rest by RK4, `sub` Lawson steps per snapshot interval (sub ≤ 0: 1, the paper's Δt). GB_EINVAL with a
 * manufactured source (it depends on time), GB_ENONFIN, GB_ENOMEM. */
int gb_kdv_solve_if(double *U, const gb_kdv *k, const double *u0, long n, long sub);
/* the initial condition of SPEC §9: u₀ = −A sin(x/c + π) */
void gb_kdv_ic(double *u0, long N, double L, double A, double c);
/* the manufactured solution a sin(κx − Ωt), Ω = −(ω₀κ + κ³/6) (the linear dispersion relation, so that only the
 * nonlinear term needs the source), at the nodes */
void gb_kdv_manufactured(double *u, const gb_kdv *k, double t);

#endif
