/* Analytic predictions for the Theorem 3.2 family and the Green's-function lens
 * (SPEC §5, §6), in MPFR at the precision given, rounded once to double. */
#ifndef GB_PREDICT_LIN_H
#define GB_PREDICT_LIN_H

#include "data/data.h"
#include <mpfr.h>

/* The identifiable operator and the projector on the training span, n × n row-major.
 * poly/cos/sin: with the basis sampled on the grid, F_b (n × p) and its exact solutions
 * U_b, AP = U_b (F_bᵀF_b)⁻¹ F_bᵀ and P = F_b (F_bᵀF_b)⁻¹ F_bᵀ (a p × p solve, no dense
 * O(n³) MPFR work). fem: the full span, P = I and AP = A_FEM in closed form (below). */
int gb_lin_pred_operator(double *AP, double *P, const gb_data_spec *spec, mpfr_prec_t prec);
/* (the fem family's closed form is Poisson's: GB_EINVAL, and no xval basis, for the biharmonic fem family) */

/* Function-space cross-validation of the linear model (SPEC §8): trained on data set a with
 * W⁰ = 0 the limit is W* = AP_a; on a test sample f = Σ_c c_c φ_c of data set b its error is
 * E c with E = AP_a Φ_b − Ψ_b, so the infinite-data test MSE is μ₂ tr(EᵀE)/n (μ₂ = E[c²]).
 * A basis holds, in MPFR at prec + 64 bits, the grid basis Φ (n × nb; fem: the hat functions,
 * Φ = I), its exact solutions Ψ and the data set's AP. */
typedef struct {
    long n;
    int nb;
    mpfr_prec_t prec;
    gb_law law;
    mpfr_t *F, *U, *AP;
} gb_lin_xval_basis;

gb_lin_xval_basis *gb_lin_pred_xval_basis(const gb_data_spec *spec, mpfr_prec_t prec);
void gb_lin_pred_xval_free(gb_lin_xval_basis *b);
/* the infinite-data test MSE of W* = AP_train on the test set's law, and the variance of one
 * sample's contribution (the standard error of an S-sample mean is √(var/S)) */
void gb_lin_pred_xval_mse(double *mse, double *var, const gb_lin_xval_basis *train, const gb_lin_xval_basis *test);

/* LIN-9: the least-squares limit W_∞ on the training samples' own span. Forcings F = Φ_a C (C the
 * drawn coefficients, r × S, from `coef`, S × r row-major), so span F = Φ_a range(C) and
 *   W_∞ = Ψ_a Q (QᵀGQ)⁻¹ QᵀΦ_aᵀ,  G = Φ_aᵀΦ_a,  Q = C for S < r, Q = I for S ≥ r (or `full_span`);
 * on a test set with basis Φ_b and exact solutions Ψ_b the error per coefficient vector is
 * E = W_∞ Φ_b − Ψ_b (n × nb, rounded to double). Everything in MPFR at prec (no O(n³) work).
 * Returns nb (the test basis size; 0 for a biharmonic fem set); poly/cos/sin training sets only. */
int gb_lin_pred_span_error(double *E, const gb_data_spec *train, const double *coef, long S, int full_span,
                           const gb_data_spec *test, mpfr_prec_t prec);

/* A_FEM = K⁻¹ M (consistent) or K⁻¹ Δx I (lumped) in closed form from G (SPEC LIN-7):
 * interior columns Δx G(x_i,x_j) - (Δx²/6k) δ_ij, boundary columns (Δx/6) G(x_i,x_1) and
 * (Δx/6) G(x_i,x_{N-1}) (consistent); Δx G(x_i,x_j) and zero boundary columns (lumped). */
void gb_lin_pred_fem_operator(double *A, long N, double k, gb_load load, mpfr_prec_t prec);

/* G(x_i, x_j) on the grid (n × n) and G_p, its p-mode eigen-expansion */
void gb_lin_green_matrix(double *G, long N, double k, long modes, mpfr_prec_t prec);
/* the same for the equation's Green's function (the biharmonic's G₄ and its expansion, SPEC §11) */
void gb_lin_green_matrix_eq(double *G, gb_equation eq, long N, double k, long modes, mpfr_prec_t prec);

/* LIN-7: r_m = θ²(2 + cos θ)/(12 sin²(θ/2)), θ = mπ/N: A_FEM s_m = r_m s_m / (k m²π²) */
double gb_lin_fem_sine_ratio(int m, long N, mpfr_prec_t prec);

#endif
