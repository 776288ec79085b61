/* Small helpers shared by the tests. */
#ifndef GB_TESTS_HELPERS_H
#define GB_TESTS_HELPERS_H

#include <mpfr.h>
#include <stdlib.h>

/* Replayable randomness in the tests: a randomised test draws from a stream whose seed is
 * GB_TEST_SEED from the environment when set (else the test's own constant) and names that seed in its
 * failure message, so a failure is rerun exactly with GB_TEST_SEED=<seed> ./build/test_all --filter ... */
static inline unsigned long gb_test_seed(unsigned long dflt)
{
    const char *s = getenv("GB_TEST_SEED");
    return s && *s ? strtoul(s, NULL, 10) : dflt;
}
/* a 64-bit LCG (Knuth's MMIX constants): uniform on [0, 1) */
static inline double gb_test_uniform(unsigned long *state)
{
    *state = *state * 6364136223846793005UL + 1442695040888963407UL;
    return (double)(*state >> 11) / 9007199254740992.0;
}
/* an integer uniform on [lo, hi] from the same stream: the random sizes of a randomised test */
static inline long gb_test_int(unsigned long *state, long lo, long hi)
{
    return lo + (long)(gb_test_uniform(state) * (double)(hi - lo + 1));
}

/* |x| < 2^e */
static inline int below(const mpfr_t x, long e)
{
    return mpfr_zero_p(x) || mpfr_get_exp(x) <= e;
}

#endif
