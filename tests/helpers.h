/* Small helpers shared by the tests. */
#ifndef GB_TESTS_HELPERS_H
#define GB_TESTS_HELPERS_H

#include <mpfr.h>

/* |x| < 2^e */
static inline int below(const mpfr_t x, long e)
{
    return mpfr_zero_p(x) || mpfr_get_exp(x) <= e;
}

#endif
