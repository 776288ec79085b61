#include "data/data.h"
#include "core/grid.h"
#include "core/status.h"
#include "helpers.h"
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

/* the default seed, or GB_TEST_SEED's: no test here depends on one draw's values */
static gb_data_spec small(gb_family fam, int p, long N)
{
    gb_data_spec s;
    gb_data_spec_default(&s);
    s.family = fam;
    s.p = p;
    s.N = N;
    s.S = 50;
    s.seed = gb_test_seed(s.seed);
    return s;
}

Test(data, same_seed_same_bits)
{
    for (int fam = 0; fam < 4; fam++) {
        gb_data_spec s = small(fam, 5, 24);
        gb_dataset_t a, b;
        cr_assert_eq(gb_dataset_init(a, &s), GB_OK);
        cr_assert_eq(gb_dataset_init(b, &s), GB_OK);
        cr_assert_eq(memcmp(a->u, b->u, sizeof(double) * s.S * 25), 0, "family %d (GB_TEST_SEED=%lu)", fam, s.seed);
        cr_assert_eq(memcmp(a->f, b->f, sizeof(double) * s.S * 25), 0, "family %d (GB_TEST_SEED=%lu)", fam, s.seed);
        s.seed++;   /* the next seed draws other coefficients */
        gb_dataset_t c;
        cr_assert_eq(gb_dataset_init(c, &s), GB_OK);
        cr_assert_neq(memcmp(a->coef, c->coef, sizeof(double) * s.S * a->nb), 0, "family %d: seeds %lu and %lu draw alike",
                      fam, s.seed - 1, s.seed);
        gb_dataset_clear(a);
        gb_dataset_clear(b);
        gb_dataset_clear(c);
    }
}

/* the same draw on every grid: convergence studies see one data set */
Test(data, coefficients_do_not_depend_on_the_grid)
{
    gb_data_spec s = small(GB_FAMILY_COS, 4, 16), t = small(GB_FAMILY_COS, 4, 64);
    gb_dataset_t a, b;
    gb_dataset_init(a, &s);
    gb_dataset_init(b, &t);
    cr_assert_eq(memcmp(a->coef, b->coef, sizeof(double) * s.S * 4), 0, "GB_TEST_SEED=%lu", s.seed);
    gb_dataset_clear(a);
    gb_dataset_clear(b);
}

/* u and f are the exact values rounded once: recompute one sample at 1024 bits */
Test(data, values_are_correctly_rounded)
{
    gb_data_spec s = small(GB_FAMILY_POLY, 8, 20);
    s.k = 0.7;
    gb_dataset_t d;
    gb_dataset_init(d, &s);
    mpfr_t x, k, acc, t;
    mpfr_inits2(1024, x, k, acc, t, (mpfr_ptr)0);
    mpfr_set_d(k, s.k, MPFR_RNDN);
    for (long sm = 0; sm < 3; sm++)
        for (long i = 0; i <= s.N; i++) {
            gb_grid_node(x, i, s.N);
            mpfr_set_zero(acc, 1);
            for (int b = 0; b < d->nb; b++) {
                gb_basis_solution(t, GB_EQ_POISSON, GB_FAMILY_POLY, d->terms[b], x, k);
                mpfr_mul_d(t, t, d->coef[sm * d->nb + b], MPFR_RNDN);
                mpfr_add(acc, acc, t, MPFR_RNDN);
            }
            cr_assert_eq(mpfr_get_d(acc, MPFR_RNDN), d->u[sm * (s.N + 1) + i], "sample %ld node %ld (GB_TEST_SEED=%lu)",
                         sm, i, s.seed);
        }
    cr_assert_eq(d->u[0], 0.0);
    cr_assert_eq(d->u[s.N], 0.0);
    mpfr_clears(x, k, acc, t, (mpfr_ptr)0);
    gb_dataset_clear(d);
}

Test(data, uniform_law_stays_in_range)
{
    gb_data_spec s = small(GB_FAMILY_SIN, 8, 10);
    s.law = GB_LAW_UNIFORM;
    s.S = 2000;
    gb_dataset_t d;
    gb_dataset_init(d, &s);
    double lo = 1, hi = -1;
    for (long i = 0; i < s.S * d->nb; i++) {
        lo = d->coef[i] < lo ? d->coef[i] : lo;
        hi = d->coef[i] > hi ? d->coef[i] : hi;
    }
    cr_assert(lo >= -1 && hi < 1 && lo < -0.99 && hi > 0.99, "range [%.17g, %.17g] (GB_TEST_SEED=%lu)", lo, hi, s.seed);
    gb_dataset_clear(d);
}

Test(data, spec_check_rejects_bad_values)
{
    char msg[128];
    gb_data_spec s = small(GB_FAMILY_POLY, 9, 16);
    cr_assert_eq(gb_data_spec_check(&s, msg, sizeof msg), GB_EINVAL);
    cr_assert(strstr(msg, "p = 9"));
    s.p = 3;
    s.S = 0;
    cr_assert_eq(gb_data_spec_check(&s, msg, sizeof msg), GB_EINVAL);
    s.S = 5;
    s.k = -1;
    cr_assert_eq(gb_data_spec_check(&s, msg, sizeof msg), GB_EINVAL);
    s.k = 1;
    s.prec = 32;
    cr_assert_eq(gb_data_spec_check(&s, msg, sizeof msg), GB_EINVAL);
    s.prec = 128;
    cr_assert_eq(gb_data_spec_check(&s, msg, sizeof msg), GB_OK);
    gb_dataset_t d;
    s.N = 1;
    cr_assert_eq(gb_dataset_init(d, &s), GB_EINVAL);
}

Test(data, label_noise_has_the_requested_size)
{
    gb_data_spec s = small(GB_FAMILY_SIN, 2, 16), c;
    s.S = 400;
    c = s;
    s.noise = 0.01;
    gb_dataset_t a, b;
    gb_dataset_init(a, &c);
    gb_dataset_init(b, &s);
    double ss = 0;
    long n = 0;
    for (long sm = 0; sm < s.S; sm++)
        for (long i = 1; i < s.N; i++, n++) {
            double e = b->u[sm * 17 + i] - a->u[sm * 17 + i];
            ss += e * e;
        }
    double sd = sqrt(ss / n);
    /* ± 5.5 standard errors of sd: a bound for any seed */
    cr_assert(sd > 0.0095 && sd < 0.0105, "noise sd %g (GB_TEST_SEED=%lu)", sd, s.seed);
    cr_assert_eq(b->u[0], 0.0);
    gb_dataset_clear(a);
    gb_dataset_clear(b);
}
