/* Difference schemes on a periodic grid (SPEC §9): central schemes of order p ∈ {2, 4, 6} for u_x, u_xx and
 * u_xxx and the first-order upwind (backward) scheme for u_x, their weights derived exactly (the moment
 * conditions of src/stencil, in rationals) and kept as exact integer numerators over one denominator. */
#ifndef GB_NPDE_SCHEME_H
#define GB_NPDE_SCHEME_H

#include <stddef.h>

#define GB_SCHEME_MAX_WIDTH 9

typedef struct {
    int deriv;    /* 1, 2 or 3 */
    int order;    /* the order of accuracy: 2, 4, 6 (central) or 1 (upwind) */
    int lo, hi;   /* offsets lo..hi */
    long num[GB_SCHEME_MAX_WIDTH];   /* a_l = num[l − lo] / den */
    long den;
} gb_scheme;

/* the central scheme of the derivative `deriv` and order `order` (offsets ±order/2, ±(order/2 + 1) for u_xxx), or
 * with upwind set the backward first difference (deriv 1, order 1). GB_EINVAL for any other combination. */
int gb_scheme_init(gb_scheme *s, int deriv, int order, int upwind);
/* "central order 4 u_x", "upwind u_x" */
void gb_scheme_name(char *buf, size_t len, const gb_scheme *s);
/* Du[j] = Σ_l a_l u[(j + l) mod N] / dx^deriv, accumulated in long double */
void gb_scheme_apply(double *Du, const gb_scheme *s, const double *u, long N, double dx);
/* its transpose: Dᵀw[j] = Σ_l a_l w[(j − l) mod N] / dx^deriv (the adjoint a reverse-mode pass needs) */
void gb_scheme_apply_transpose(double *Dtw, const gb_scheme *s, const double *w, long N, double dx);
/* the symbol Σ_l a_l e^{ilθ} (times dx^deriv the scheme's eigenvalue on e^{ijθ}) */
void gb_scheme_symbol(double *re, double *im, const gb_scheme *s, double theta);

#endif
