/* Analytic predictions for the Theorem 3.1 family (SPEC §4), in MPFR or GMP
 * rationals. Every MPFR function takes its precision explicitly through the
 * precision of its outputs; callers evaluate at p and 2p and compare. */
#ifndef GB_PREDICT_FD_H
#define GB_PREDICT_FD_H

#include "data/data.h"
#include "stencil/stencil.h"
#include <gmp.h>
#include <mpfr.h>

/* Exact infinite-data prediction at finite N (SPEC §4):
 *   w*_∞ = -Σ_b ⟨D_b, f_b⟩ / Σ_b ⟨D_b, D_b⟩,  D_b = FD_q(u_b) on the evaluation nodes,
 * b over the basis of the family (monomials, cosines, sines, FEM hats).
 * Sets w and delta = w/k - 1 (computed without cancellation). */
int gb_fd_pred_inf(mpfr_t w, mpfr_t delta, const gb_data_spec *spec, const gb_stencil_t st);

/* Finite-sample exact prediction: the same least-squares formula on the drawn
 * coefficients, in exact arithmetic on the exact (unrounded) data. */
int gb_fd_pred_sample(mpfr_t w, mpfr_t delta, const gb_dataset_t d, const gb_stencil_t st);

/* FD-6 by the generic route: k v* - 1 = -⟨f + k D, f⟩/⟨f, f⟩ with D = FD_q(u) of the exact
 * solutions, on the drawn coefficients (no Taylor expansion involved) */
int gb_fd_pred_sample_inverse(mpfr_t kv_minus_1, const gb_dataset_t d, const gb_stencil_t st);

/* FD-6: k v* - 1 = Σ_{m=q, m even}^{p} β_{m+2} Δx^m ⟨f^{(m)}, f⟩ / ‖f‖² on the drawn
 * coefficients (poly data), a finite sum. */
int gb_fd_pred_inverse(mpfr_t kv_minus_1, const gb_dataset_t d, const gb_stencil_t st);

/* μ_q(p) of FD-2, exact: -β_{q+2} [Σ_{i=q}^{p} i!/((i-q)!(2i-q+1))] / [Σ_{i=1}^{p} 1/(2i+1)];
 * for an operator of derivative order d, −β_{q+d}/β_d in place of −β_{q+2} (BH-1) */
void gb_fd_mu(mpq_t res, const gb_stencil_t st, int p);

/* FD-4: single sine mode n on N intervals: w* = k θ² / σ_q(θ), θ = nπ/N,
 * with σ_q from its closed form (independent of the stencil weights) */
void gb_fd_pred_single_mode(mpfr_t w, int q, long n, long N, double k);
/* the same for the operator of derivative order d (SPEC §11, d = 4: w* = k θ⁴/σ_q(θ)) */
void gb_fd_pred_single_mode_op(mpfr_t w, int d, int q, long n, long N, double k);

/* FD-5 continuum constant: (w* - k)/k ≈ K Δx^q with K = |β_{q+d}| π^q (Σ_{m≤p} m^q)/p (|β_d| = 1) */
void gb_fd_pred_mixture_const(mpfr_t K, const gb_stencil_t st, int p);

/* FD-5, sines and q = 2: w* / k = Σ r_m / Σ r_m², r_m = σ_2(θ_m)/θ_m², θ_m = mπ/N */
void gb_fd_pred_sine_q2(mpfr_t ratio, int p, long N);
/* the same for any order q and derivative order d: r_m = σ_q(θ_m)/θ_mᵈ (BH-1: d = 4), each mode weighted by
 * W_m = Σ sin²(mπx_i) over the evaluation window i = r..N − r (equal weights when r = 1):
 * w* / k = Σ r_m W_m / Σ r_m² W_m, the modes being eigenvectors of the stencil at every window node */
void gb_fd_pred_sine_mixture(mpfr_t ratio, int d, int q, int p, long N);

/* FD-7: w* / k on i.i.d. fem data, exact rational: with FD_q = FD_2 ∘ b (polynomial
 * division of the stencil by (1,-2,1)) and FD_2 u = -(m ∗ f)/k for the FEM nodal
 * solution (m = (1,4,1)/6 consistent, (1) lumped), D = -(g ∗ f)/k with g = b ∗ m and
 * w* / k = g_0 / Σ g_l². */
void gb_fd_fem_ratio(mpq_t res, const gb_stencil_t st, gb_load load);

/* XV-FD (SPEC §8): the learned FD_2 model solves its own equation, û = (1/w) L_h⁻¹ f = Δx G₁ f / w
 * (FD-8, G₁ the Green's function for k = 1), so on a test set with basis Φ and exact solutions Ψ
 * (i.i.d. equal-variance coefficients) its infinite-data relative error is
 *   R(w) = Σ_b ‖Δx G₁ φ_b / w − ψ_b‖² / Σ_b ‖ψ_b‖² = (a/w² − 2b/w + c)/c,
 * a = Σ_b ‖Δx G₁ φ_b‖², b = Σ_b ⟨Δx G₁ φ_b, ψ_b⟩, c = Σ_b ‖ψ_b‖², formed once per test set in MPFR at
 * the basis's precision (the cancellation in R is then harmless). */
#include "predict/lin_predict.h"
typedef struct {
    mpfr_t a, b, c;
} gb_fd_xval_terms;
void gb_fd_pred_xval_terms(gb_fd_xval_terms *t, const gb_lin_xval_basis *test);
void gb_fd_pred_xval_terms_clear(gb_fd_xval_terms *t);
/* R(w) rounded to double; *dR_dw its derivative (for the sampling error of a fitted w) */
double gb_fd_pred_xval_rel(const gb_fd_xval_terms *t, const mpfr_t w, double *dR_dw);

#endif
