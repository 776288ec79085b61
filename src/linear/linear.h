/* The black-box linear model of Theorem 3.2 (SPEC §5): u = W f, W ∈ R^{n×n},
 * n = N + 1 nodes, loss L(W) = (1/2S) ‖W F - U‖²_F, full-batch gradient descent.
 *
 * The data enter only through C = F Fᵀ/S and B = U Fᵀ/S (computed once with BLAS),
 * so a step W ← W - η (W C - B) costs O(n³) whatever S is. The closed-form limit
 * W* = A P + W⁰ (I - P) uses P = V_r V_rᵀ from the SVD of the training forcings,
 * rank r = #{σ_i > max(S, n) ε σ_max} (the LAPACK/NumPy convention). */
#ifndef GB_LINEAR_H
#define GB_LINEAR_H

#include "data/data.h"

typedef struct {
    long n, S, rank;
    double *C, *B;          /* n × n, row-major */
    double *sigma;          /* singular values of the forcings (as an S × n matrix), descending */
    double *V;              /* n × n: rows are right singular vectors (Vᵀ of the SVD) */
    double *AP;             /* n × n: the data's operator on the span, Uᵀ (F⁺)ᵀ */
    double lam_max, lam_min; /* extreme positive eigenvalues of C (σ²/S) */
} gb_linear_data;

/* memory */
int gb_linear_data_init(gb_linear_data *L, const gb_dataset_struct *d);
/* the same from S samples of n values each (F and U, S × n, samples as rows): any grid, e.g. 2-D (SPEC §11) */
int gb_linear_data_init_arrays(gb_linear_data *L, const double *F, const double *U, long S, long n);
void gb_linear_data_clear(gb_linear_data *L);

/* P = V_r V_rᵀ (n × n) */
void gb_linear_projector(double *P, const gb_linear_data *L);
/* the limit of Theorem 3.2: W = AP + W0 (I - P), n × n; W0 may be NULL (zero) */
void gb_linear_limit(double *W, const double *AP, const double *P, const double *W0, long n);
/* W* from the data: AP and P of the training forcings; W0 may be NULL (zero) */
void gb_linear_closed_form(double *W, const gb_linear_data *L, const double *W0);

/* optimal step 2/(λ_max + λ_min⁺) and its contraction ρ = (κ-1)/(κ+1) */
double gb_linear_step(const gb_linear_data *L, double *rho);

typedef struct {
    long steps;            /* steps taken */
    int converged;         /* ‖ΔW‖_F ≤ tol ‖W‖_F reached */
    long nrec;             /* recorded distances */
    double *dist;          /* ‖W_t - Wref‖_F / ‖Wref‖_F at t = 0, every, 2·every, … (if Wref given) */
    long every;
} gb_linear_gd_trace;

/* gradient descent from W (in place), step eta, at most max_steps, stop at ‖ΔW‖_F ≤ tol ‖W‖_F.
 * With Wref non-NULL the distance to it is recorded every `every` steps (trace->dist malloc'd).
 * GB_ENONFIN on NaN/Inf. */
int gb_linear_gd(double *W, const gb_linear_data *L, double eta, long max_steps, double tol,
                 const double *Wref, long every, gb_linear_gd_trace *trace);

/* exactly T steps of W ← W − η (W C − B) from W (in place), applied `block` steps at a time through
 * the block's exact affine map W ← W M + N, M = (I − ηC)^block, N = η B Σ_{j<block} (I − ηC)^j
 * (the same iterates in exact arithmetic, one GEMM per block instead of per step; block = 1 is plain
 * GD). GB_ENONFIN on NaN/Inf, GB_ENOMEM. */
int gb_linear_gd_steps(double *W, const gb_linear_data *L, double eta, long T, long block);

/* the T-step closed form of SPEC §5, from the data alone (no trained weight enters):
 *   W_T = W⁰ (I − ηC)^T + B g_T(C),  g_T(λ) = (1 − (1 − ηλ)^T)/λ  (g_T(0) = ηT),
 * evaluated in the eigenbasis of C given by the SVD of the forcings (λ_i = σ_i²/S, zero beyond
 * min(S, n)). W⁰ may be NULL (zero). */
int gb_linear_gd_formula(double *W, const gb_linear_data *L, const double *W0, double eta, long T);
/* label noise through T steps: W_T is linear in the targets, so noise of variance σ² on a node's labels
 * adds to that output row a Gaussian vector of covariance σ² K, K = g_T(C) C g_T(C)/S (n × n; the
 * converged value is (F Fᵀ)⁺) */
void gb_linear_gd_noise_kernel(double *K, const gb_linear_data *L, double eta, long T);
/* ‖(I − ηC)^T‖ on the span: the fraction of the initial error left along the slowest direction */
double gb_linear_gd_left(const gb_linear_data *L, double eta, long T);
/* GD's initial error in the eigenbasis of C: e[i] = ‖(W⁰ − W*) v_i‖² for the directions i < L->rank of the span
 * (W0 NULL: zero). GB_ENOMEM */
int gb_linear_gd_modes(double *e, const gb_linear_data *L, const double *W0, const double *Wstar);
/* the training MSE after T steps by the spectral closed form of SPEC §5 (data with no residual off the span):
 *   MSE(T) = (1/n) Σ_i λ_i e_i (1 − ηλ_i)^{2T},  e from gb_linear_gd_modes,
 * summed over i in order, then divided by n */
double gb_linear_gd_loss(const gb_linear_data *L, const double *e, double eta, long T);

/* mean over samples and nodes of (W f - u)² on a data set, from the residuals themselves */
double gb_linear_mse(const double *W, const gb_dataset_struct *d);
double gb_linear_mse_arrays(const double *W, const double *F, const double *U, long S, long n);
/* ‖A - B‖_F / ‖B‖_F */
double gb_linear_rel_dist(const double *A, const double *B, long n);
/* W0: zero (std = 0) or i.i.d. normal(0, std²) from the seed (GMP MT, as the data) */
void gb_linear_init_weights(double *W0, long n, double std, unsigned long seed);
/* Q = W (I − P) = W − (W V_rᵀ) V_r for W (rows × n) and the orthonormal rows V_r (rank × n) spanning P's range:
 * the part of W that acts off the training forcings' span (Theorem 3.2's invariant part) */
void gb_linear_off_span(double *Q, const double *W, long rows, long n, const double *V, long rank);
/* the Frobenius (Euclidean) norm of n values, summed in order */
double gb_linear_fro(const double *a, long n);

#endif
