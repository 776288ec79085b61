#include "claim/claim.h"
#include "core/status.h"
#include "rate/rate.h"
#include "helpers.h"
#include <criterion/criterion.h>
#include <math.h>

Test(rate, exact_power_law_gives_its_slope)
{
    double dx[6], e[6];
    for (int i = 0; i < 6; i++) {
        dx[i] = 1.0 / (16 << i);
        e[i] = 3.0 * pow(dx[i], 4);
    }
    gb_rate_fit f;
    cr_assert_eq(gb_rate_fit_loglog(&f, dx, e, 6), GB_OK);
    cr_assert_float_eq(f.slope, 4.0, 1e-12);
    cr_assert_float_eq(f.slope_fine3, 4.0, 1e-12);
    cr_assert_float_eq(f.r2, 1.0, 1e-12);
    cr_assert_float_eq(exp(f.intercept), 3.0, 1e-10);
    for (int i = 0; i < 5; i++)
        cr_assert_float_eq(f.pairwise[i], 4.0, 1e-12);
}

/* order does not matter; the finest three are those of smallest dx */
Test(rate, finest_three_follow_dx_not_input_order)
{
    double dx[5] = {1.0 / 64, 1.0 / 8, 1.0 / 32, 1.0 / 16, 1.0 / 128}, e[5];
    for (int i = 0; i < 5; i++)
        e[i] = dx[i] <= 1.0 / 32 ? pow(dx[i], 2) : dx[i] / 32; /* continuous; rate 2 on the fine levels only */
    gb_rate_fit f;
    gb_rate_fit_loglog(&f, dx, e, 5);
    cr_assert_float_eq(f.slope_fine3, 2.0, 1e-12);
    cr_assert(f.slope < 2.0);
}

/* with noise, the 95% interval covers the true slope about 95% of the time, on 4..9 levels and a slope in
 * [1, 6) drawn per trial: with normal noise in log e the t interval is exact for any n ≥ 3 and any slope, so
 * the bounds stay ± 4.1 binomial standard errors, a chance failure for about 4e-5 of seeds (none of
 * GB_TEST_SEED = 0..2999 fails; pooled over them the coverage is 0.9499) */
Test(rate, confidence_interval_covers)
{
    unsigned long seed = gb_test_seed(12345), x = seed;
    int cover = 0, trials = 2000;
    for (int t = 0; t < trials; t++) {
        int n = (int)gb_test_int(&x, 4, 9);
        double q = 1 + 5 * gb_test_uniform(&x), dx[9], e[9];
        for (int i = 0; i < n; i++) {
            double z = 0;
            for (int j = 0; j < 12; j++) /* ≈ N(0,1) */
                z += gb_test_uniform(&x);
            dx[i] = 1.0 / (8 << i);
            e[i] = pow(dx[i], q) * exp(0.05 * (z - 6));
        }
        gb_rate_fit f;
        cr_assert_eq(gb_rate_fit_loglog(&f, dx, e, n), GB_OK, "GB_TEST_SEED=%lu, trial %d: %d levels, slope %.17g", seed, t,
                     n, q);
        cover += f.ci_lo <= q && q <= f.ci_hi;
    }
    cr_assert(cover > 0.93 * trials && cover < 0.97 * trials, "coverage %d/%d (GB_TEST_SEED=%lu)", cover, trials, seed);
}

Test(rate, student_t_quantiles)
{
    cr_assert_float_eq(gb_rate_t975(1), 12.706204736, 1e-8);
    cr_assert_float_eq(gb_rate_t975(10), 2.228138852, 1e-8);
    cr_assert_float_eq(gb_rate_t975(60), 2.000297822, 2e-4);
    cr_assert_float_eq(gb_rate_t975(100000), 1.959963985, 1e-4);
}

Test(rate, rejects_degenerate_input)
{
    double dx[2] = {0.1, 0.05}, e[2] = {1e-3, 0};
    gb_rate_fit f;
    cr_assert_eq(gb_rate_fit_loglog(&f, dx, e, 2), GB_EINVAL);
    cr_assert_eq(gb_rate_fit_loglog(&f, dx, e, 1), GB_EINVAL);
    e[1] = NAN;
    cr_assert_eq(gb_rate_fit_loglog(&f, dx, e, 2), GB_EINVAL);
}

static gb_verdict judge(const double *e, int n, double q)
{
    double dx[8];
    for (int i = 0; i < n; i++)
        dx[i] = 1.0 / (16 << i);
    gb_rate_fit f;
    gb_rate_fit_loglog(&f, dx, e, n);
    gb_str why;
    gb_str_init(&why);
    gb_verdict v = gb_verdict_rate(&f, q, 0.1, &why);
    gb_str_clear(&why);
    return v;
}

Test(rate, verdict_rules_of_the_spec)
{
    double good[5], slow[5], noisy[5] = {1e-2, 1e-6, 1e-3, 1e-9, 1e-5};
    for (int i = 0; i < 5; i++) {
        good[i] = pow(2.0, -4.0 * i);
        slow[i] = pow(2.0, -3.7 * i);
    }
    cr_assert_eq(judge(good, 5, 4), GB_PASS);
    cr_assert_eq(judge(good, 3, 4), GB_INCONCLUSIVE, "3 levels are not evidence");
    cr_assert_eq(judge(slow, 5, 4), GB_FAIL);
    cr_assert_eq(judge(good, 5, 3.5), GB_FAIL, "a rate well above the theorem's is a failure too");
    cr_assert_eq(judge(noisy, 5, 4), GB_INCONCLUSIVE, "poor R² is never PASS");
}

Test(rate, verdict_order_and_digits)
{
    cr_assert_eq(gb_verdict_worst(GB_PASS, GB_INCONCLUSIVE), GB_INCONCLUSIVE);
    cr_assert_eq(gb_verdict_worst(GB_FAIL, GB_INCONCLUSIVE), GB_FAIL);
    cr_assert_eq(gb_verdict_worst(GB_FAIL, GB_ERROR), GB_ERROR);
    cr_assert(gb_digits_agree(1.0 / 3, 1.0 / 3 + 1e-17, 15));
    cr_assert(!gb_digits_agree(1.0 / 3, 1.0 / 3 + 1e-14, 15));
}
