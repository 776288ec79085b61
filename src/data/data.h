/* Data sets F(type, p) of SPEC §2: forcings and exact solutions on the grid,
 * evaluated in MPFR and rounded once to double.
 *
 * Determinism: coefficients come from GMP's Mersenne Twister (gmp_randinit_mt)
 * through mpfr_nrandom / mpfr_urandom at 53 bits, seeded by a SplitMix64 hash of
 * (seed, family, p, mode, stream). GMP and MPFR fix these algorithms, so a seed
 * gives the same data on every machine. The coefficients of poly/cos/sin data do
 * not depend on N: the same draw is seen on every grid of a convergence study. */
#ifndef GB_DATA_H
#define GB_DATA_H

#include "problem/problem.h"
#include <gmp.h>
#include <mpfr.h>

/* The one test-seed rule of every command and claim: a test set is the training set's draw with the seed
 * + GB_TEST_SEED_OFFSET (fresh samples of the same laws, never the training samples). */
#define GB_TEST_SEED_OFFSET 1000003UL

typedef enum { GB_LAW_NORMAL = 0, GB_LAW_UNIFORM } gb_law;

typedef struct {
    gb_equation equation; /* Poisson (SPEC §2) or the simply supported biharmonic (SPEC §11) */
    gb_family family;
    int p;              /* terms 1..p (poly/cos/sin) */
    int mode;           /* > 0: the single term `mode` only (e.g. one sine mode) */
    int poly_const;     /* poly: include the x^0 term */
    long N;             /* grid intervals */
    long S;             /* samples */
    double k;           /* diffusivity */
    unsigned long seed;
    gb_law law;         /* coefficient law */
    double noise;       /* std of additive Gaussian label noise on u */
    gb_load load;       /* fem load vector */
    mpfr_prec_t prec;   /* working precision of the exact evaluation */
    double solution_fault; /* mutation tests only: u of the last term scaled by (1 + fault) */
} gb_data_spec;

void gb_data_spec_default(gb_data_spec *spec);
/* GB_EINVAL with a message in msg (if non-NULL) when the spec is out of range */
int gb_data_spec_check(const gb_data_spec *spec, char *msg, size_t len);
/* number of basis terms (coefficients per sample) and the term indices */
int gb_data_spec_terms(const gb_data_spec *spec, int *terms);

typedef struct {
    gb_data_spec spec;
    int nb;            /* coefficients per sample */
    int *terms;        /* term index of each coefficient (poly/cos/sin); node index for fem */
    double *coef;      /* S × nb, exact doubles */
    double *f, *u;     /* S × (N+1), row-major per sample */
} gb_dataset_struct;
typedef gb_dataset_struct gb_dataset_t[1];

/* memory and generation */
int gb_dataset_init(gb_dataset_t d, const gb_data_spec *spec);
void gb_dataset_clear(gb_dataset_t d);

/* random numbers */
/* seeds `state` (gmp_randinit_mt done by the caller) for one stream of one data set */
void gb_rng_seed(gmp_randstate_t state, unsigned long seed, int family, int p, int mode, int stream);
/* one draw of the coefficient law, an exact double */
double gb_rng_draw(gmp_randstate_t state, gb_law law);

#endif
