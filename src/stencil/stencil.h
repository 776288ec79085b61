/* Central finite-difference stencils FD_q of the operator L of −k L u = f (SPEC §3, §11), derived exactly:
 * L = d²/dx² (Poisson, d = 2) or L = −d⁴/dx⁴ (the biharmonic k u"" = f, d = 4), so that in both cases
 * −k FD_q u = f is the discrete equation and the symbol σ_q(θ) ≈ θᵈ is positive.
 *
 * FD_q u(x_i) = Δx⁻ᵈ Σ_{l=-r}^{r} a_l u(x_{i+l}),  r = (d + q)/2 − 1 (r = q/2 for u'').
 * The weights solve the moment conditions Σ_l a_l l^j = (−1)^{d/2+1} j! δ_{jd}, j = 0..2r,
 * in GMP rationals; nothing is typed in. */
#ifndef GB_STENCIL_H
#define GB_STENCIL_H

#include <gmp.h>
#include <mpfr.h>

typedef struct {
    int q;        /* order: 2, 4, 6 or 8 */
    int d;        /* derivative order of L: 2 or 4 */
    int r;        /* half width (d + q)/2 − 1 */
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
int gb_stencil_init(gb_stencil_t st, int q);   /* FD_q of u''; GB_EINVAL unless q ∈ {2,4,6,8} */
/* FD_q of L for the derivative order d (2: u'', 4: −u""); GB_EINVAL unless d ∈ {2, 4} and q ∈ {2,4,6,8} */
int gb_stencil_init_op(gb_stencil_t st, int d, int q);
void gb_stencil_clear(gb_stencil_t st);
int gb_stencil_is_valid_order(int q);

/* structure */
/* β_j = Σ_l a_l l^j / j!, the coefficient of Δx^{j-d} u^{(j)} in the truncation expansion */
void gb_stencil_beta(mpq_t res, const gb_stencil_t st, int j);
/* Σ_l a_l l^j (the raw moment) */
void gb_stencil_moment(mpq_t res, const gb_stencil_t st, int j);
/* sets a_l ← a_l + delta for one offset l; recomputes den/num. For mutation tests. */
void gb_stencil_perturb(gb_stencil_t st, int l, const mpq_t delta);

/* Fourier symbol: FD_q e^{iξx} = -(σ_q(θ)/Δxᵈ) e^{iξx}, θ = ξΔx */
/* σ from the weights: -Σ_l a_l cos(lθ) */
void gb_stencil_symbol(mpfr_t res, const gb_stencil_t st, const mpfr_t theta);
/* σ of u'' from the closed form 2 Σ_{n=1}^{q/2} (2 sin(θ/2))^{2n} / (n² C(2n,n)) */
void gb_stencil_symbol_closed(mpfr_t res, int q, const mpfr_t theta);
/* σ of the order-d operator from a closed form independent of the weights: with s = 2 sin(θ/2),
 * θ² = 2 Σ_{n≥1} s^{2n} / (n² C(2n,n)) (θ = 2 arcsin(s/2)), and σ_q is the series of (θ²)^{d/2} in s²
 * truncated after s^{2r}: the stencil's symbol is a polynomial of degree r in cos θ exact to O(θ^{d+q}),
 * so it is that truncation. d = 2 is the form above; d = 4, q = 2 gives s⁴ = (2 sin(θ/2))⁴. */
void gb_stencil_symbol_closed_op(mpfr_t res, int d, int q, const mpfr_t theta);

/* evaluation on double data with extended-precision accumulation:
 * D[j] = FD_q u at node i0 + j, j = 0..n-1, on a grid of N intervals, using the exact
 * integer numerators and the exact factor Nᵈ (1/N itself is inexact unless N = 2^m) */
void gb_stencil_apply_ld(long double *D, const gb_stencil_t st, const double *u,
                         long i0, long n, long N);

#endif
