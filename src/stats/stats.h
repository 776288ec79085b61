/* Statistics of claims about trained networks (SPEC §10).
 *
 * A statistic is computed once per seed; its 95 % interval is the Student-t interval of the seed
 * mean, mean ± t_{n−1, 0.975} s/√n (t quantile from GSL). A rule is a predicted range for the
 * statistic, written once as a gb_stats_rule so that the check and the printed text cannot drift:
 *   PASS          the whole interval lies inside the predicted range
 *   FAIL          the whole interval lies outside it (on one side)
 *   INCONCLUSIVE  otherwise (the interval straddles a threshold), or fewer than the rule's seeds
 * The trend rule is the same machinery with the range (0.5, ∞) for PASS and (−∞, 0) for FAIL. */
#ifndef GB_STATS_H
#define GB_STATS_H

#include "claim/claim.h"

#define GB_STATS_LEVEL 0.95
#define GB_STATS_MIN_SEEDS 5          /* a statistical claim */
#define GB_STATS_MIN_TREND_SEEDS 10   /* a trend claim (Spearman ρ per seed) */
#define GB_STATS_TREND_PASS 0.5       /* the interval of mean ρ above this: PASS */
#define GB_STATS_TREND_FAIL 0.0       /* below this: FAIL */

typedef struct {
    long n;                 /* finite values used */
    long nonfinite;         /* NaN/Inf values among the input (an interval over them is meaningless) */
    double mean, sd;        /* sample mean and standard deviation (n − 1) */
    double t;               /* t_{n−1} quantile of the two-sided level */
    double lo, hi;          /* the interval */
} gb_stats_interval;

/* the Student-t interval of the mean of v[0..n); n < 2 or any non-finite value gives lo = hi = NaN */
void gb_stats_t_interval(gb_stats_interval *r, const double *v, long n, double level);

/* the Clopper–Pearson interval of a proportion k of n (exact, from the beta quantiles of GSL): mean = k/n,
 * n = the trials; k = 0 gives lo = 0, k = n gives hi = 1 */
void gb_stats_binomial_interval(gb_stats_interval *r, long k, long n, double level);

/* A predicted range lo ◁ x ◁ hi (±INFINITY for an open side); strict = 1 for < or >. */
typedef struct {
    double lo, hi;
    int lo_strict, hi_strict;
    long min_seeds;
} gb_stats_rule;

/* x ≥ a, x > a, x ≤ b, x < b, a < x < b, a ≤ x ≤ b */
gb_stats_rule gb_stats_at_least(double a);
gb_stats_rule gb_stats_above(double a);
gb_stats_rule gb_stats_at_most(double b);
gb_stats_rule gb_stats_below(double b);
gb_stats_rule gb_stats_between(double a, double b);
gb_stats_rule gb_stats_within(double a, double b);

/* does x satisfy the rule's range? */
int gb_stats_rule_holds(const gb_stats_rule *r, double x);
/* the range as text, e.g. "≥ 2", "< 0", "in (−1, 0)", "in [−7, −5]" */
void gb_stats_rule_text(char *buf, size_t len, const gb_stats_rule *r);
/* the interval rule: PASS, FAIL or INCONCLUSIVE as above; why (may be NULL) gets one sentence */
gb_verdict gb_stats_judge(const gb_stats_interval *iv, const gb_stats_rule *r, gb_str *why);

/* the trend rule on per-seed Spearman ρ values */
gb_verdict gb_stats_judge_trend(const gb_stats_interval *iv, gb_str *why);

/* Spearman's rank correlation of x and y (ties get mean ranks), through GSL; NaN for n < 2, constant
 * input, or any non-finite value */
double gb_stats_spearman(const double *x, const double *y, long n);
/* median of v[0..n) (sorts v in place) */
double gb_stats_median(double *v, long n);

#endif
