/* 2-D Poisson of the paper's Fig. 8b (SPEC §11): −k Δu = f on the unit square, u = 0 on its boundary, on the
 * n × n interior grid x_i = i h, h = 1/(n + 1), vectors ordered u[i·n + j] = u(x_i, y_j) (i along x).
 *
 * The data are made with the 5-point operator, u = (k L_h)⁻¹ f, L_h = (T ⊗ I + I ⊗ T)/h², T = tridiag(−1, 2, −1):
 * the sine vectors s_m(i) = sin(mπi/(n + 1)) diagonalise T with eigenvalues λ_m = 4 sin²(mπ/(2(n + 1))), so a
 * 2-D sine transform (FFTW's RODFT00 in both directions) divides by k(λ_a + λ_b)/h² and transforms back: exact to
 * round-off, O(n² log n), and A = (k L_h)⁻¹ is known in closed form. The data sets are tensor products of the 1-D
 * families sampled on the interior: f = Σ_{a,b} c_ab φ_a(x) ψ_b(y) with i.i.d. coefficients, so their span is
 * span(Φ) ⊗ span(Ψ). */
#ifndef GB_PROBLEM_POISSON2D_H
#define GB_PROBLEM_POISSON2D_H

#include "data/data.h"

/* one factor of a 2-D data set: a 1-D family and its number of terms */
typedef struct {
    gb_family family;   /* poly, cos or sin */
    int p;
} gb_p2d_factor;

/* the largest n whose n² × n² operator (and the linear model's weights) fit the limit of gb_p2d_check */
#define GB_P2D_MAX_BYTES (4.0 * 1024 * 1024 * 1024)
/* GB_EINVAL with a message for n < 2, or an n whose n² × n² matrices would need more than GB_P2D_MAX_BYTES
 * (the message says how much); a factor outside poly/cos/sin 1..8 */
int gb_p2d_check(long n, const gb_p2d_factor *fx, const gb_p2d_factor *fy, char *msg, size_t len);
/* the memory one n² × n² double matrix needs, in bytes */
double gb_p2d_matrix_bytes(long n);

/* u = (k L_h)⁻¹ f on the n × n interior grid by the 2-D sine transform (u may alias f); GB_ENOMEM */
int gb_p2d_solve(double *u, const double *f, long n, double k);
/* the same by a dense LU solve of k L_h (n⁴ memory: the check of the transform at small n) */
int gb_p2d_solve_direct(double *u, const double *f, long n, double k);
/* A = (k L_h)⁻¹ (n² × n², row-major), by the transform applied to the unit vectors */
int gb_p2d_operator(double *A, long n, double k);

/* the 1-D basis of a factor on the n interior nodes: B (n × p, row-major), column b = φ_b(x_i), in MPFR at prec
 * bits rounded once */
void gb_p2d_basis(double *B, long n, const gb_p2d_factor *f, mpfr_prec_t prec);
/* the orthogonal projector on the span of a factor's basis (at prec bits) on the interior nodes (n × n), by a QR
 * of B */
int gb_p2d_projector(double *P, long n, const gb_p2d_factor *f, mpfr_prec_t prec);
/* X = M (P ⊗ Q) for an m × m matrix M (m = n²) and symmetric n × n P, Q, without forming the Kronecker product:
 * row i of X is vec(P mat(row i of M) Q) (2n³ per row); GB_ENOMEM */
int gb_p2d_times_kron(double *X, const double *M, const double *P, const double *Q, long n);
/* 1 when the span of `test`'s basis lies in the span of `train`'s on the n interior nodes (a rank test: the rank of
 * [B_train B_test] equals that of B_train, by the SVD's singular values against n ε σ_max) */
int gb_p2d_span_contains(long n, const gb_p2d_factor *train, const gb_p2d_factor *test, mpfr_prec_t prec);

/* S samples of the data set fx ⊗ fy: F and U (S × n², rows), coefficients i.i.d. normal from seed (GMP's Mersenne
 * Twister, as the 1-D data), the bases at prec bits, U = (k L_h)⁻¹ F by the transform; GB_ENOMEM */
int gb_p2d_data(double *F, double *U, long S, long n, double k, const gb_p2d_factor *fx, const gb_p2d_factor *fy,
                unsigned long seed, mpfr_prec_t prec);

#endif
