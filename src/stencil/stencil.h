/* Central finite-difference stencils FD_q for u'' (SPEC §3), derived exactly.
 *
 * FD_q u(x_i) = Δx⁻² Σ_{l=-r}^{r} a_l u(x_{i+l}),  r = q/2.
 * The weights solve the moment conditions Σ_l a_l l^j = j! δ_{j2}, j = 0..q,
 * in GMP rationals; nothing is typed in. */
#ifndef GB_STENCIL_H
#define GB_STENCIL_H

#include <gmp.h>
#include <mpfr.h>

typedef struct {
    int q;        /* order: 2, 4, 6 or 8 */
    int r;        /* half width q/2 */
    mpq_t *a;     /* a[l + r] for l = -r..r */
    mpz_t den;    /* least common denominator of the a_l */
    long *num;    /* num[l + r] = a_l · den, exact integers */
} gb_stencil_struct;
typedef gb_stencil_struct gb_stencil_t[1];

/* the weights a[l − lo], l = lo..hi, of the difference formula for the d-th derivative of highest accuracy on
 * those offsets: the moment conditions Σ_l a_l l^j = j! δ_{jd}, j = 0..hi − lo, solved in rationals (a must hold
 * hi − lo + 1 initialised mpq_t). GB_EINVAL unless 0 ≤ d ≤ hi − lo. */
int gb_stencil_weights(mpq_t *a, int lo, int hi, int d);

/* memory */
int gb_stencil_init(gb_stencil_t st, int q);   /* derives the weights; GB_EINVAL unless q ∈ {2,4,6,8} */
void gb_stencil_clear(gb_stencil_t st);
int gb_stencil_is_valid_order(int q);

/* structure */
/* β_j = Σ_l a_l l^j / j!, the coefficient of Δx^{j-2} u^{(j)} in the truncation expansion */
void gb_stencil_beta(mpq_t res, const gb_stencil_t st, int j);
/* Σ_l a_l l^j (the raw moment) */
void gb_stencil_moment(mpq_t res, const gb_stencil_t st, int j);
/* sets a_l ← a_l + delta for one offset l; recomputes den/num. For mutation tests. */
void gb_stencil_perturb(gb_stencil_t st, int l, const mpq_t delta);

/* Fourier symbol: FD_q e^{iξx} = -(σ_q(θ)/Δx²) e^{iξx}, θ = ξΔx */
/* σ from the weights: -Σ_l a_l cos(lθ) */
void gb_stencil_symbol(mpfr_t res, const gb_stencil_t st, const mpfr_t theta);
/* σ from the closed form 2 Σ_{n=1}^{q/2} (2 sin(θ/2))^{2n} / (n² C(2n,n)) */
void gb_stencil_symbol_closed(mpfr_t res, int q, const mpfr_t theta);

/* evaluation on double data with extended-precision accumulation:
 * D[j] = FD_q u at node i0 + j, j = 0..n-1, on a grid of N intervals, using the exact
 * integer numerators and the exact factor N² (1/N itself is inexact unless N = 2^m) */
void gb_stencil_apply_ld(long double *D, const gb_stencil_t st, const double *u,
                         long i0, long n, long N);

#endif
