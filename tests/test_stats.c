/* The statistics of SPEC §10: the Student-t interval against its textbook values, the interval
 * rule's three outcomes and their boundaries, the trend rule, Spearman with ties. Random inputs
 * come from a seed taken from GB_TEST_SEED when set, printed on failure. */
#include "stats/stats.h"
#include "helpers.h"
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

Test(stats, t_interval_matches_the_tables)
{
    /* t_{4, 0.975} = 2.776 (SPEC §10); t_{9, 0.975} = 2.262 (textbook values to 17 digits; GSL's
     * inverse is accurate to about 1e-10, far below the 3 digits an interval is printed with) */
    double v5[5] = {1, 2, 3, 4, 5};
    gb_stats_interval iv;
    gb_stats_t_interval(&iv, v5, 5, GB_STATS_LEVEL);
    cr_assert_eq(iv.n, 5);
    cr_assert_float_eq(iv.t, 2.7764451051977934, 1e-9);
    cr_assert_float_eq(iv.mean, 3.0, 1e-15);
    cr_assert_float_eq(iv.sd, sqrt(2.5), 1e-15);
    cr_assert_float_eq(iv.lo, 3 - iv.t * sqrt(2.5) / sqrt(5.0), 1e-14);
    double v10[10];
    for (int k = 0; k < 10; k++)
        v10[k] = k;
    gb_stats_t_interval(&iv, v10, 10, GB_STATS_LEVEL);
    cr_assert_float_eq(iv.t, 2.2621571627409915, 1e-9);
    /* one value: a mean but no interval */
    gb_stats_t_interval(&iv, v5, 1, GB_STATS_LEVEL);
    cr_assert(isnan(iv.lo) && iv.mean == 1);
    /* a NaN is counted, never averaged away */
    double bad[5] = {1, 2, NAN, 4, 5};
    gb_stats_t_interval(&iv, bad, 5, GB_STATS_LEVEL);
    cr_assert_eq(iv.nonfinite, 1);
    cr_assert(isnan(iv.lo));
}

static gb_verdict judge(double lo, double hi, gb_stats_rule r)
{
    gb_stats_interval iv = {.n = 5, .nonfinite = 0, .mean = (lo + hi) / 2, .sd = 1, .t = 2.776, .lo = lo, .hi = hi};
    return gb_stats_judge(&iv, &r, NULL);
}

Test(stats, interval_rule_passes_fails_and_straddles)
{
    cr_assert_eq(judge(2.1, 3.0, gb_stats_at_least(2)), GB_PASS);
    cr_assert_eq(judge(2.0, 3.0, gb_stats_at_least(2)), GB_PASS);     /* ≥ includes the bound */
    cr_assert_eq(judge(1.0, 1.9, gb_stats_at_least(2)), GB_FAIL);
    cr_assert_eq(judge(1.9, 2.1, gb_stats_at_least(2)), GB_INCONCLUSIVE);
    cr_assert_eq(judge(-0.5, -0.1, gb_stats_below(0)), GB_PASS);
    cr_assert_eq(judge(-0.5, 0.0, gb_stats_below(0)), GB_INCONCLUSIVE); /* < excludes it */
    cr_assert_eq(judge(0.0, 0.3, gb_stats_below(0)), GB_FAIL);
    /* a two-sided range: outside on either side fails, over an edge is inconclusive */
    gb_stats_rule slight = gb_stats_between(-1, 0);
    cr_assert_eq(judge(-0.6, -0.2, slight), GB_PASS);
    cr_assert_eq(judge(-2.0, -1.2, slight), GB_FAIL);
    cr_assert_eq(judge(0.1, 0.4, slight), GB_FAIL);
    cr_assert_eq(judge(-1.2, -0.8, slight), GB_INCONCLUSIVE);
    cr_assert_eq(judge(-1.5, 0.5, slight), GB_INCONCLUSIVE);
    /* too few seeds, or a non-finite seed */
    gb_stats_rule r = gb_stats_at_least(2);
    gb_stats_interval iv = {.n = 4, .lo = 3, .hi = 4};
    cr_assert_eq(gb_stats_judge(&iv, &r, NULL), GB_INCONCLUSIVE);
    iv.n = 5;
    iv.nonfinite = 1;
    cr_assert_eq(gb_stats_judge(&iv, &r, NULL), GB_ERROR);
    char t[64];
    gb_stats_rule_text(t, sizeof t, &slight);
    cr_assert_str_eq(t, "in (-1, 0)");
    gb_stats_rule w = gb_stats_within(-7, -5);
    gb_stats_rule_text(t, sizeof t, &w);
    cr_assert_str_eq(t, "in [-7, -5]");
}

Test(stats, trend_rule)
{
    double up[10], flat[10], down[10];
    for (int k = 0; k < 10; k++) {
        up[k] = 0.8 + 0.01 * k;
        flat[k] = (k % 2 ? 0.6 : -0.6);
        down[k] = -0.5 - 0.01 * k;
    }
    gb_stats_interval iv;
    gb_stats_t_interval(&iv, up, 10, GB_STATS_LEVEL);
    cr_assert_eq(gb_stats_judge_trend(&iv, NULL), GB_PASS);
    gb_stats_t_interval(&iv, flat, 10, GB_STATS_LEVEL);
    cr_assert_eq(gb_stats_judge_trend(&iv, NULL), GB_INCONCLUSIVE);
    gb_stats_t_interval(&iv, down, 10, GB_STATS_LEVEL);
    cr_assert_eq(gb_stats_judge_trend(&iv, NULL), GB_FAIL);
    gb_stats_t_interval(&iv, up, 9, GB_STATS_LEVEL);   /* nine seeds are not enough for a trend */
    cr_assert_eq(gb_stats_judge_trend(&iv, NULL), GB_INCONCLUSIVE);
}

/* Spearman against the direct formula 1 − 6Σd²/(n(n²−1)) on tie-free random data, and a tie case */
Test(stats, spearman_with_and_without_ties)
{
    unsigned long seed = gb_test_seed(20261202UL), st = seed;
    for (int trial = 0; trial < 50; trial++) {
        int n = (int)gb_test_int(&st, 3, 42);
        double x[64], y[64];
        for (int k = 0; k < n; k++)
            x[k] = gb_test_uniform(&st), y[k] = gb_test_uniform(&st) + 0.5 * x[k];
        double d2 = 0;
        for (int k = 0; k < n; k++) {
            int rx = 1, ry = 1;
            for (int l = 0; l < n; l++)
                rx += x[l] < x[k], ry += y[l] < y[k];
            d2 += (double)(rx - ry) * (rx - ry);
        }
        double want = 1 - 6 * d2 / ((double)n * ((double)n * n - 1));
        double got = gb_stats_spearman(x, y, n);
        cr_assert_float_eq(got, want, 1e-12, "GB_TEST_SEED=%lu, trial %d, n %d (x[0] %.17g, y[0] %.17g): ρ %.17g, want %.17g",
                           seed, trial, n, x[0], y[0], got, want);
    }
    /* ties at mean ranks: x = 1,2,2,3 → ranks 1, 2.5, 2.5, 4; y increasing → ρ = 0.9487 */
    double x[4] = {1, 2, 2, 3}, y[4] = {1, 2, 3, 4};
    cr_assert_float_eq(gb_stats_spearman(x, y, 4), 3 / sqrt(10.0), 1e-12);
    cr_assert(isnan(gb_stats_spearman(x, y, 1)));
    double yn[4] = {1, NAN, 3, 4};   /* GSL would rank the NaN: a ρ from it must not look like evidence */
    cr_assert(isnan(gb_stats_spearman(x, yn, 4)));
    double m[5] = {5, 1, 4, 2, 3};
    cr_assert_eq(gb_stats_median(m, 5), 3);
    cr_assert_eq(gb_stats_median(m, 4), 2.5);
}

/* regression: this file once read GB_TEST_SEED itself, and an empty value gave seed 0 where every other
 * randomised test took its default; now all go through gb_test_seed (tests/helpers.h) */
Test(stats, regression_empty_test_seed_takes_the_default)
{
    const char *env = getenv("GB_TEST_SEED");
    char *saved = env ? strdup(env) : NULL;
    setenv("GB_TEST_SEED", "", 1);
    cr_assert_eq(gb_test_seed(20261202UL), 20261202UL, "an empty GB_TEST_SEED must mean unset");
    setenv("GB_TEST_SEED", "0", 1);
    cr_assert_eq(gb_test_seed(20261202UL), 0, "GB_TEST_SEED=0 is the seed 0");
    unsetenv("GB_TEST_SEED");
    cr_assert_eq(gb_test_seed(20261202UL), 20261202UL);
    if (saved)
        setenv("GB_TEST_SEED", saved, 1);
    free(saved);
}
