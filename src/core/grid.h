/* The uniform grid of SPEC §1: N intervals on [0,1], nodes x_i = i/N, i = 0..N. */
#ifndef GB_CORE_GRID_H
#define GB_CORE_GRID_H

#include <mpfr.h>

/* x_i = i/N, correctly rounded at the precision of x */
static inline void gb_grid_node(mpfr_t x, long i, long N)
{
    mpfr_set_si(x, i, MPFR_RNDN);
    mpfr_div_si(x, x, N, MPFR_RNDN);
}

static inline double gb_grid_dx(long N) { return 1.0 / (double)N; }

#endif
