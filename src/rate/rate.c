#include "rate/rate.h"
#include "core/status.h"
#include <math.h>
#include <stdlib.h>

double gb_rate_t975(int dof)
{
    static const double t[] = {0, 12.706204736, 4.302652730, 3.182446305, 2.776445105,
                               2.570581836, 2.446911851, 2.364624252, 2.306004135,
                               2.262157163, 2.228138852, 2.200985160, 2.178812830,
                               2.160368656, 2.144786688, 2.131449546, 2.119905299,
                               2.109815578, 2.100922040, 2.093024054, 2.085963447,
                               2.079613845, 2.073873068, 2.068657610, 2.063898562,
                               2.059538553, 2.055529439, 2.051830516, 2.048407142,
                               2.045229642, 2.042272456};
    if (dof < 1)
        return NAN;
    if (dof <= 30)
        return t[dof];
    /* Cornish-Fisher expansion about the normal quantile, accurate to 1e-4 for dof > 30 */
    double z = 1.959963985, z3 = z * z * z, z5 = z3 * z * z, v = dof;
    return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v);
}

static void ols(const double *x, const double *y, int n, double *b, double *a, double *se, double *r2)
{
    double mx = 0, my = 0;
    for (int i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
    mx /= n; my /= n;
    double sxx = 0, sxy = 0, syy = 0;
    for (int i = 0; i < n; i++) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (y[i] - my);
        syy += (y[i] - my) * (y[i] - my);
    }
    *b = sxy / sxx;
    *a = my - *b * mx;
    double sse = 0;
    for (int i = 0; i < n; i++) {
        double e = y[i] - (*a + *b * x[i]);
        sse += e * e;
    }
    *r2 = syy > 0 ? 1 - sse / syy : 1.0;
    *se = n > 2 ? sqrt(sse / (n - 2) / sxx) : NAN;
}

static int by_dx_desc(const void *pa, const void *pb)
{
    const double *a = pa, *b = pb;
    return (a[0] < b[0]) - (a[0] > b[0]);
}

int gb_rate_fit_loglog(gb_rate_fit *f, const double *dx, const double *err, int n)
{
    if (n < 2 || n > GB_RATE_MAX_LEVELS)
        return GB_EINVAL;
    double pts[GB_RATE_MAX_LEVELS][2], x[GB_RATE_MAX_LEVELS], y[GB_RATE_MAX_LEVELS];
    for (int i = 0; i < n; i++) {
        if (!(dx[i] > 0) || !(fabs(err[i]) > 0) || !isfinite(err[i]) || !isfinite(dx[i]))
            return GB_EINVAL;
        pts[i][0] = dx[i];
        pts[i][1] = fabs(err[i]);
    }
    qsort(pts, (size_t)n, sizeof pts[0], by_dx_desc);  /* coarse to fine */
    for (int i = 0; i < n; i++) {
        x[i] = log(pts[i][0]);
        y[i] = log(pts[i][1]);
    }
    f->n = n;
    ols(x, y, n, &f->slope, &f->intercept, &f->se, &f->r2);
    double t = gb_rate_t975(n - 2);
    f->ci_lo = n > 2 ? f->slope - t * f->se : NAN;
    f->ci_hi = n > 2 ? f->slope + t * f->se : NAN;
    for (int i = 0; i + 1 < n; i++)
        f->pairwise[i] = (y[i + 1] - y[i]) / (x[i + 1] - x[i]);
    if (n >= 3) {
        double a, se;
        ols(x + n - 3, y + n - 3, 3, &f->slope_fine3, &a, &se, &f->r2_fine3);
    } else {
        f->slope_fine3 = NAN;
        f->r2_fine3 = NAN;
    }
    return GB_OK;
}
