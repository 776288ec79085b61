/* Statistics of trained-network claims: see stats.h. */
#include "stats/stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

void gb_stats_t_interval(gb_stats_interval *r, const double *v, long n, double level)
{
    r->n = r->nonfinite = 0;
    r->mean = r->sd = r->t = r->lo = r->hi = NAN;
    double *w = n > 0 ? malloc(sizeof(double) * (size_t)n) : NULL;
    if (n > 0 && !w)
        return;
    for (long k = 0; k < n; k++) {
        if (isfinite(v[k]))
            w[r->n++] = v[k];
        else
            r->nonfinite++;
    }
    if (r->n >= 1)
        r->mean = gsl_stats_mean(w, 1, (size_t)r->n);
    if (r->n >= 2 && !r->nonfinite) {
        r->sd = gsl_stats_sd_m(w, 1, (size_t)r->n, r->mean);
        r->t = gsl_cdf_tdist_Pinv(0.5 + level / 2, (double)(r->n - 1));
        double h = r->t * r->sd / sqrt((double)r->n);
        r->lo = r->mean - h;
        r->hi = r->mean + h;
    }
    free(w);
}

static gb_stats_rule rule(double lo, double hi, int ls, int hs)
{
    gb_stats_rule r = {lo, hi, ls, hs, GB_STATS_MIN_SEEDS};
    return r;
}

gb_stats_rule gb_stats_at_least(double a) { return rule(a, INFINITY, 0, 0); }
gb_stats_rule gb_stats_above(double a) { return rule(a, INFINITY, 1, 0); }
gb_stats_rule gb_stats_at_most(double b) { return rule(-INFINITY, b, 0, 0); }
gb_stats_rule gb_stats_below(double b) { return rule(-INFINITY, b, 0, 1); }
gb_stats_rule gb_stats_between(double a, double b) { return rule(a, b, 1, 1); }
gb_stats_rule gb_stats_within(double a, double b) { return rule(a, b, 0, 0); }

int gb_stats_rule_holds(const gb_stats_rule *r, double x)
{
    int lo = r->lo_strict ? x > r->lo : x >= r->lo;
    int hi = r->hi_strict ? x < r->hi : x <= r->hi;
    return lo && hi;
}

void gb_stats_rule_text(char *buf, size_t len, const gb_stats_rule *r)
{
    int lo = isfinite(r->lo), hi = isfinite(r->hi);
    if (lo && hi)
        snprintf(buf, len, "in %c%g, %g%c", r->lo_strict ? '(' : '[', r->lo, r->hi, r->hi_strict ? ')' : ']');
    else if (lo)
        snprintf(buf, len, "%s %g", r->lo_strict ? ">" : "≥", r->lo);
    else if (hi)
        snprintf(buf, len, "%s %g", r->hi_strict ? "<" : "≤", r->hi);
    else
        snprintf(buf, len, "any value");
}

/* the whole interval outside the range, on one side */
static int outside(const gb_stats_rule *r, double lo, double hi)
{
    int below = r->lo_strict ? hi <= r->lo : hi < r->lo;
    int above = r->hi_strict ? lo >= r->hi : lo > r->hi;
    return below || above;
}

void gb_stats_binomial_interval(gb_stats_interval *r, long k, long n, double level)
{
    memset(r, 0, sizeof *r);
    r->n = n;
    r->lo = r->hi = r->mean = NAN;
    if (n < 1 || k < 0 || k > n)
        return;
    double a = (1 - level) / 2;
    r->mean = (double)k / (double)n;
    r->lo = k == 0 ? 0.0 : gsl_cdf_beta_Pinv(a, (double)k, (double)(n - k + 1));
    r->hi = k == n ? 1.0 : gsl_cdf_beta_Pinv(1 - a, (double)(k + 1), (double)(n - k));
}

gb_verdict gb_stats_judge(const gb_stats_interval *iv, const gb_stats_rule *r, gb_str *why)
{
    char txt[96];
    gb_stats_rule_text(txt, sizeof txt, r);
    if (iv->nonfinite) {
        if (why)
            gb_str_printf(why, "%ld of %ld seeds gave a non-finite value", iv->nonfinite, iv->n + iv->nonfinite);
        return GB_ERROR;
    }
    if (iv->n < r->min_seeds || !isfinite(iv->lo)) {
        if (why)
            gb_str_printf(why, "%ld seeds, the rule needs %ld", iv->n, r->min_seeds);
        return GB_INCONCLUSIVE;
    }
    if (gb_stats_rule_holds(r, iv->lo) && gb_stats_rule_holds(r, iv->hi)) {
        if (why)
            gb_str_printf(why, "the interval [%.3g, %.3g] lies %s", iv->lo, iv->hi, txt);
        return GB_PASS;
    }
    if (outside(r, iv->lo, iv->hi)) {
        if (why)
            gb_str_printf(why, "the interval [%.3g, %.3g] lies wholly outside %s", iv->lo, iv->hi, txt);
        return GB_FAIL;
    }
    if (why)
        gb_str_printf(why, "the interval [%.3g, %.3g] straddles a bound of %s", iv->lo, iv->hi, txt);
    return GB_INCONCLUSIVE;
}

gb_verdict gb_stats_judge_trend(const gb_stats_interval *iv, gb_str *why)
{
    if (iv->nonfinite) {
        if (why)
            gb_str_printf(why, "%ld of %ld seeds gave no ρ", iv->nonfinite, iv->n + iv->nonfinite);
        return GB_ERROR;
    }
    if (iv->n < GB_STATS_MIN_TREND_SEEDS || !isfinite(iv->lo)) {
        if (why)
            gb_str_printf(why, "%ld seeds, the trend rule needs %d", iv->n, GB_STATS_MIN_TREND_SEEDS);
        return GB_INCONCLUSIVE;
    }
    if (iv->lo > GB_STATS_TREND_PASS) {
        if (why)
            gb_str_printf(why, "the interval of mean ρ [%.3g, %.3g] lies above %g", iv->lo, iv->hi, GB_STATS_TREND_PASS);
        return GB_PASS;
    }
    if (iv->hi < GB_STATS_TREND_FAIL) {
        if (why)
            gb_str_printf(why, "the interval of mean ρ [%.3g, %.3g] lies below %g", iv->lo, iv->hi, GB_STATS_TREND_FAIL);
        return GB_FAIL;
    }
    if (why)
        gb_str_printf(why, "the interval of mean ρ [%.3g, %.3g] is neither above %g nor below %g", iv->lo, iv->hi,
                      GB_STATS_TREND_PASS, GB_STATS_TREND_FAIL);
    return GB_INCONCLUSIVE;
}

double gb_stats_spearman(const double *x, const double *y, long n)
{
    if (n < 2)
        return NAN;
    for (long k = 0; k < n; k++)   /* GSL would rank a NaN like a number */
        if (!isfinite(x[k]) || !isfinite(y[k]))
            return NAN;
    double *d = malloc(sizeof(double) * 4 * (size_t)n);
    if (!d)
        return NAN;
    for (long k = 0; k < n; k++)
        d[k] = x[k], d[n + k] = y[k];
    double rho = gsl_stats_spearman(d, 1, d + n, 1, (size_t)n, d + 2 * n);
    free(d);
    return rho;
}

double gb_stats_median(double *v, long n)
{
    if (n < 1)
        return NAN;
    gsl_sort(v, 1, (size_t)n);
    return gsl_stats_median_from_sorted_data(v, 1, (size_t)n);
}
