/* The linear analogue of the companion paper (arXiv:2411.15101; SPEC §9): the heat equation u_t = ν u_xx on
 * the periodic grid x_j = jΔx, j = 0..N−1, Δx = 2π/N. The data are the semi-discrete solutions of the
 * central scheme D_p of order p (§3's FD_p, applied periodically), advanced by the exact exponential of the
 * semi-discrete operator: Fourier mode m decays as exp(−ν σ_p(mΔx) t/Δx²), so only space differs between
 * data and model, and the data's time derivative ν D_p u is known exactly. A model of order k learns ν̂. */
#ifndef GB_NPDE_HEAT_H
#define GB_NPDE_HEAT_H

#include <mpfr.h>

typedef struct {
    long N;             /* nodes on [0, 2π) */
    double nu;          /* diffusivity of the data (default 0.1) */
    int modes;          /* initial condition: modes 1..modes with i.i.d. N(0,1) cos and sin coefficients */
    int mode;           /* > 0: the single mode cos(mode x) instead */
    long J;             /* snapshots t_j = jT/(J − 1), j = 0..J−1 (default 11) */
    double T;           /* final time (default 1) */
    unsigned long seed;
    mpfr_prec_t prec;   /* the snapshots are evaluated in MPFR and rounded once to double */
} gb_heat_spec;

void gb_heat_spec_default(gb_heat_spec *s);
/* GB_EINVAL with a message unless N ∈ 8..4096, ν > 0 finite, modes ∈ 1..N/2 − 1 (or mode ∈ 1..N/2 − 1), J ∈ 2..1000,
 * T > 0 finite */
int gb_heat_spec_check(const gb_heat_spec *s, char *msg, size_t len);
/* the initial condition's coefficients, a[m − 1] (cos) and b[m − 1] (sin), m = 1..M (M = modes, or mode with
 * a = 1, b = 0 at m = mode and zeros below): exact doubles from the seed (GMP's Mersenne Twister) */
int gb_heat_coefficients(double *a, double *b, const gb_heat_spec *s);
/* the snapshots U (J × N, row-major) of the data scheme of order p */
int gb_heat_snapshots(double *U, const gb_heat_spec *s, int p);
/* D_q u on the periodic grid, D[j] = Σ_l a_l u_{j+l} / Δx² with the exact integer numerators of FD_q and
 * long-double accumulation */
void gb_heat_apply(double *D, const double *u, long N, int q);
/* NPDE-1: ν̂ by least squares of ν̂ D_k u against the data's u_t = ν D_p u over all snapshots and nodes */
double gb_heat_fit_nu(const double *U, long J, long N, double nu, int p, int k);

/* the closed form of NPDE-1 in MPFR at the precision of r: ν̂/ν = Σ_m E_m σ_p(θ_m) σ_k(θ_m) / Σ_m E_m σ_k(θ_m)²,
 * θ_m = mΔx, E_m = Σ_j (a_m² + b_m²) exp(−2ν σ_p(θ_m) t_j/Δx²) the energy of mode m over the snapshots */
int gb_heat_pred_nu_ratio(mpfr_t r, const gb_heat_spec *s, int p, int k);

/* NPDE-2: a learned linear correction stencil c of half-width w (model u_t = ν D_k u + c ⋆ u, (c ⋆ u)_j =
 * Σ_{|l|≤w} c_l u_{j+l}), by least squares against the data's u_t over all snapshots and nodes; c[l + w] out
 * (2w + 1 values). GB_EINVAL when the normal equations are singular (fewer modes than unknowns). */
int gb_heat_fit_correction(double *c, const double *U, long J, long N, double nu, int p, int k, int w);
/* the closed form in MPFR of the symmetric correction's coefficients d_0..d_w (ĉ(θ) = d_0 + 2 Σ_{l≥1} d_l cos lθ):
 * the energy-weighted least-squares fit, over the modes of the data, of the target symbol
 * t(θ) = −ν (σ_p(θ) − σ_k(θ))/Δx² by cosine polynomials of degree w (exact when w ≥ max(p, k)/2: then
 * d_l = ν (a^{(p)}_l − a^{(k)}_l)/Δx², the two schemes' weight difference); d[0..w] rounded to double */
int gb_heat_pred_correction(double *d, const gb_heat_spec *s, int p, int k, int w);
/* the symbol of a symmetric correction at θ, d_0 + 2 Σ_{l≥1} d_l cos lθ, and the target −ν(σ_p − σ_k)/Δx² (its
 * symbols in MPFR at s->prec bits) */
double gb_heat_correction_symbol(const double *d, int w, double theta);
double gb_heat_target_symbol(const gb_heat_spec *s, int p, int k, double theta);

/* NPDE-3: the learned model u_t = ν̂ D_k u rolled out by classical RK4 (n steps of Δt = T/n) from the single mode
 * cos(M x); u (N values) out */
void gb_heat_rollout(double *u, long N, double nuhat, int k, int M, double T, long n);

#endif
