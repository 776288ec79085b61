#include "data/data.h"
#include <stdint.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void gb_rng_seed(gmp_randstate_t state, unsigned long seed, int family, int p, int mode, int stream)
{
    uint64_t x = (uint64_t)seed;
    uint64_t h = splitmix64(&x);
    uint64_t parts[4] = {(uint64_t)family, (uint64_t)p, (uint64_t)mode, (uint64_t)stream};
    for (int i = 0; i < 4; i++) {
        x = h ^ (parts[i] + 0x632BE59BD9B4E019ULL * (uint64_t)(i + 1));
        h = splitmix64(&x);
    }
    mpz_t z;
    mpz_init_set_ui(z, (unsigned long)(h >> 32));
    mpz_mul_2exp(z, z, 32);
    mpz_add_ui(z, z, (unsigned long)(h & 0xffffffffULL));
    gmp_randseed(state, z);
    mpz_clear(z);
}

double gb_rng_draw(gmp_randstate_t state, gb_law law)
{
    mpfr_t x;
    mpfr_init2(x, 53);
    if (law == GB_LAW_NORMAL)
        mpfr_nrandom(x, state, MPFR_RNDN);
    else {
        mpfr_urandom(x, state, MPFR_RNDN);     /* [0,1) */
        mpfr_mul_2ui(x, x, 1, MPFR_RNDN);
        mpfr_sub_ui(x, x, 1, MPFR_RNDN);       /* exact: [-1,1) */
    }
    double v = mpfr_get_d(x, MPFR_RNDN);
    mpfr_clear(x);
    return v;
}
