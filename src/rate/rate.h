/* Convergence rates (SPEC §4 "Rates"): least-squares fit of log|error| against
 * log Δx, with a 95% confidence interval, R², pairwise rates and the slope over
 * the finest three levels. */
#ifndef GB_RATE_H
#define GB_RATE_H

#define GB_RATE_MAX_LEVELS 64

typedef struct {
    int n;                 /* levels used */
    double slope, intercept;
    double se, ci_lo, ci_hi; /* standard error and 95% interval of the slope (n ≥ 3) */
    double r2;
    double pairwise[GB_RATE_MAX_LEVELS]; /* rate between level i and i+1 (n-1 values) */
    double slope_fine3;    /* slope over the three smallest Δx */
    double r2_fine3;
} gb_rate_fit;

/* Two-sided 97.5% quantile of Student's t with `dof` degrees of freedom */
double gb_rate_t975(int dof);

/* fits log|err| = a + b log dx over the n points (dx need not be sorted; the finest
 * three are those of smallest dx). GB_EINVAL if n < 2, a dx ≤ 0 or an err = 0. */
int gb_rate_fit_loglog(gb_rate_fit *fit, const double *dx, const double *err, int n);

#endif
