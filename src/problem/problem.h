/* The model problems: Poisson −k u'' = f on (0,1), u(0) = u(1) = 0 (SPEC §1-2), and the simply supported
 * biharmonic k u'''' = f, u = u'' = 0 at both ends (SPEC §11), which is Poisson twice: −w'' = f/k and −u'' = w
 * with w = −u'' vanishing at the ends, so every closed form below is the Poisson one applied twice.
 * Every function here evaluates in MPFR at the precision of its output. */
#ifndef GB_PROBLEM_H
#define GB_PROBLEM_H

#include <gmp.h>
#include <mpfr.h>

typedef enum { GB_FAMILY_POLY = 0, GB_FAMILY_COS, GB_FAMILY_SIN, GB_FAMILY_FEM } gb_family;
typedef enum { GB_LOAD_CONSISTENT = 0, GB_LOAD_LUMPED } gb_load;
typedef enum { GB_EQ_POISSON = 0, GB_EQ_BIHARMONIC } gb_equation;

const char *gb_equation_name(gb_equation eq);            /* "poisson", "biharmonic" */
int gb_equation_parse(gb_equation *eq, const char *s);   /* GB_EINVAL if unknown */
int gb_equation_order(gb_equation eq);                   /* the derivative order: 2 or 4 */

const char *gb_family_name(gb_family fam);          /* "poly", "cos", "sin", "fem" */
int gb_family_parse(gb_family *fam, const char *s); /* GB_EINVAL if unknown */

/* basis functions of the analytic families */
/* f_i(x) = x^i, cos(iπx) or sin(iπx) */
void gb_basis_forcing(mpfr_t res, gb_family fam, int i, const mpfr_t x);
/* m-th derivative of f_i */
void gb_basis_forcing_deriv(mpfr_t res, gb_family fam, int i, int m, const mpfr_t x);
/* exact solution u_i of the equation with forcing f_i (Poisson: SPEC §2 table; biharmonic: SPEC §11) */
void gb_basis_solution(mpfr_t res, gb_equation eq, gb_family fam, int i, const mpfr_t x, const mpfr_t k);
/* d^m u_i / dx^m, for the ODE self-checks */
void gb_basis_solution_deriv(mpfr_t res, gb_equation eq, gb_family fam, int i, int m, const mpfr_t x,
                             const mpfr_t k);

/* Green's function */
/* G(x,s) = (1/k) min(x,s) (1 - max(x,s)) */
void gb_green(mpfr_t res, const mpfr_t x, const mpfr_t s, const mpfr_t k);
/* G_M(x,s) = Σ_{m=1}^{M} 2 sin(mπx) sin(mπs) / (k m²π²), the truncated eigen-expansion */
void gb_green_series(mpfr_t res, const mpfr_t x, const mpfr_t s, const mpfr_t k, long M);
/* the simply supported biharmonic's G₄(x,s) = (1/k) ∫ G₁(x,t) G₁(t,s) dt = x(1 − s)(2s − s² − x²)/(6k) for x ≤ s
 * (symmetric), and its eigen-expansion Σ_{m=1}^{M} 2 sin(mπx) sin(mπs)/(k m⁴π⁴) (SPEC §11) */
void gb_green4(mpfr_t res, const mpfr_t x, const mpfr_t s, const mpfr_t k);
void gb_green4_series(mpfr_t res, const mpfr_t x, const mpfr_t s, const mpfr_t k, long M);
/* G or G₄ by the equation */
void gb_green_eq(mpfr_t res, gb_equation eq, const mpfr_t x, const mpfr_t s, const mpfr_t k);
void gb_green_series_eq(mpfr_t res, gb_equation eq, const mpfr_t x, const mpfr_t s, const mpfr_t k, long M);
/* The expansion in two stages, for a whole grid at O(n M) sines instead of O(n² M): sn[m−1] = sin(mπx) for
 * m = 1..M at prec (sn initialised by the caller), then G_M(x,s) from the sines of x and of s, which must
 * have been taken at mpfr_get_prec(res) + 32 bits; the result equals gb_green_series_eq's bit for bit. */
void gb_green_series_sines(mpfr_t *sn, const mpfr_t x, long M, mpfr_prec_t prec);
void gb_green_series_from_sines(mpfr_t res, gb_equation eq, const mpfr_t *sx, const mpfr_t *ss, const mpfr_t k,
                                long M);
/* exact rational check of the FD2 discrete Green identity (SPEC FD-8):
 * (k L_h)·(Δx G(x_i,x_j)) = I on the N-1 interior nodes, with k rational.
 * Returns the number of entries that differ from the identity (0 when it holds). */
long gb_green_discrete_identity_defects(long N, const mpq_t k);

/* FEM (P1 elements on the grid) */
/* Solves K u = b for the interior nodes, K = (k/Δx) tridiag(-1,2,-1), where
 * b = M f (consistent, M = (Δx/6) tridiag(1,4,1)) or Δx f (lumped).
 * f[0..N] nodal forcing, u[0..N] output with u_0 = u_N = 0. `work` holds 2(N+1)
 * initialised mpfr_t of the working precision. */
void gb_fem_solve(mpfr_t *u, mpfr_t *const f, long N, const mpfr_t k, gb_load load, mpfr_t *work);
/* the biharmonic by the mixed method: w = K_k⁻¹ b(f), then u = K_1⁻¹ b(w) (w and u vanish at the ends);
 * `work` holds 3(N+1) initialised mpfr_t (f may not alias u) */
void gb_fem_solve_eq(mpfr_t *u, mpfr_t *const f, long N, const mpfr_t k, gb_load load, gb_equation eq,
                     mpfr_t *work);

#endif
