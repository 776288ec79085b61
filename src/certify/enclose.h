/* Certified enclosures of closed forms in ball arithmetic (Arb). An MPFR prediction is a floating-point
 * value whose digits SPEC §10 checks by agreement at p and 2p bits; a ball computed by Arb contains the
 * exact value with proof, so a prediction whose printed (double) value lies inside its ball, widened by
 * the rounding to double, has every printed digit proven. */
#ifndef GB_CERTIFY_ENCLOSE_H
#define GB_CERTIFY_ENCLOSE_H

#include "data/data.h"
#include <arb.h>
#include <arb_mat.h>
#include <stddef.h>

/* FD-4: w* / k = θ²/σ_q(θ), θ = nπ/N, σ_q(θ) = 2 Σ_{m=1}^{q/2} (2 sin(θ/2))^{2m} / (m² C(2m, m)) */
void gb_enclose_single_mode(arb_t w, int q, long n, long N, slong prec);
/* FD-5, sines and q = 2: w* / k = Σ r_m / Σ r_m², r_m = σ_2(θ_m)/θ_m², θ_m = mπ/N, m = 1..p */
void gb_enclose_sine_q2(arb_t ratio, int p, long N, slong prec);
/* G(x_i, x_j) = min(x,s)(1 − max(x,s))/k on N intervals, and its p-mode eigen-expansion
 * G_p = Σ_{m≤p} 2 sin(mπx) sin(mπs)/(k m²π²) (modes = 0: G itself) */
void gb_enclose_green(arb_t g, long i, long j, long N, double k, long modes, slong prec);

/* Theorem 3.1's least squares (SPEC §4) on the exact data of a poly, cos or sin family, from sources
 * independent of src/predict: the central FD_q weights from their closed form
 * a_j = 2(−1)^{j+1} ((q/2)!)² / (j² (q/2−j)! (q/2+j)!), a_0 = −2 Σ_{j≥1} a_j, and the exact solutions of
 * −k u'' = f (poly x^i: (x − x^{i+2})/((i+1)(i+2)k); cos(iπx): (cos iπx − 1 + (1 − (−1)^i) x)/((iπ)²k);
 * sin(iπx): sin(iπx)/((iπ)²k)). With D_b = FD_q(u_b) and R_b = f_b + k D_b on the evaluation nodes
 * q/2..N−q/2 and the coefficient Gram C = Σ_s c_s c_sᵀ of coef (S × nb exact doubles; NULL: the
 * identity, the infinite-data limit):
 *   delta = w* / k − 1 = −Σ C_bc ⟨D_b, R_c⟩ / (k Σ C_bc ⟨D_b, D_c⟩),   kv = k v* − 1 = −Σ C_bc ⟨R_b, f_c⟩ / Σ C_bc ⟨f_b, f_c⟩.
 * Either output may be NULL. */
void gb_enclose_fd_lsq(arb_t delta, arb_t kv, gb_family fam, const int *terms, int nb, const double *coef, long S,
                       long N, int q, double k, slong prec);
/* FD-2: μ_q(p) = −β_{q+2} Σ_{i=q}^{p} i!/((i−q)!(2i−q+1)) / Σ_{i=1}^{p} 1/(2i+1), with
 * β_{q+2} = (−1)^{q/2+1} 2 ((q/2)!)² / (q+2)! */
void gb_enclose_mu(arb_t mu, int q, int p, slong prec);
/* FD-7: w* / k = g_0 / Σ_l g_l² on i.i.d. fem data, from the symbol ĝ(θ) = (σ_q(θ)/σ_2(θ)) m̂(θ),
 * m̂ = (2 + cos θ)/3 (consistent load) or 1 (lumped): g_0 and Σ g_l² are the means of ĝ and ĝ² over
 * [0, π], exact for these trigonometric polynomials by the midpoint rule on q + 2 points */
void gb_enclose_fem_ratio(arb_t ratio, int q, int lumped, slong prec);
/* FD-8: the ball inverse of k L_h = k tridiag(−1, 2, −1) N² on the N − 1 interior nodes (X is
 * (N−1) × (N−1)); 0 if the ball elimination could not certify the inverse */
int gb_enclose_green_inverse(arb_mat_t X, long N, double k, slong prec);

/* does the double x lie in the ball b widened by half an ulp of x (the rounding to double)? */
int gb_enclose_contains_double(const arb_t b, double x);
/* the ball as "[mid +/- rad]" with `digits` significant digits */
void gb_enclose_str(char *buf, size_t len, const arb_t b, slong digits);

#endif
