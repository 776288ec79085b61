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

/* A_FEM = K⁻¹ M (consistent) or K⁻¹ Δx I (lumped) in closed form from G (SPEC LIN-7):
 * interior columns Δx G(x_i,x_j) - (Δx²/6k) δ_ij, boundary columns (Δx/6) G(x_i,x_1) and
 * (Δx/6) G(x_i,x_{N-1}) (consistent); Δx G(x_i,x_j) and zero boundary columns (lumped). */
void gb_lin_pred_fem_operator(double *A, long N, double k, gb_load load, mpfr_prec_t prec);

/* G(x_i, x_j) on the grid (n × n) and G_p, its p-mode eigen-expansion */
void gb_lin_green_matrix(double *G, long N, double k, long modes, mpfr_prec_t prec);

/* LIN-7: r_m = θ²(2 + cos θ)/(12 sin²(θ/2)), θ = mπ/N: A_FEM s_m = r_m s_m / (k m²π²) */
double gb_lin_fem_sine_ratio(int m, long N, mpfr_prec_t prec);

#endif
