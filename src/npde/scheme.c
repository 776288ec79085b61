#include "npde/scheme.h"
#include "core/status.h"
#include "stencil/stencil.h"

#include <gmp.h>
#include <math.h>
#include <stdio.h>

int gb_scheme_init(gb_scheme *s, int deriv, int order, int upwind)
{
    if (upwind ? deriv != 1 : (deriv < 1 || deriv > 3 || (order != 2 && order != 4 && order != 6)))
        return GB_EINVAL;
    s->deriv = deriv;
    s->order = upwind ? 1 : order;
    int r = order / 2 + (deriv == 3);   /* u_xxx needs one more point each side for the same order */
    s->lo = upwind ? -1 : -r;
    s->hi = upwind ? 0 : r;
    int n = s->hi - s->lo + 1;
    mpq_t a[GB_SCHEME_MAX_WIDTH];
    for (int i = 0; i < n; i++)
        mpq_init(a[i]);
    int st = gb_stencil_weights(a, s->lo, s->hi, deriv);
    if (!st) {
        mpz_t den, t;
        mpz_inits(den, t, (mpz_ptr)0);
        mpz_set_ui(den, 1);
        for (int i = 0; i < n; i++)
            mpz_lcm(den, den, mpq_denref(a[i]));
        for (int i = 0; i < n; i++) {
            mpz_divexact(t, den, mpq_denref(a[i]));
            mpz_mul(t, t, mpq_numref(a[i]));
            s->num[i] = mpz_get_si(t);
        }
        s->den = mpz_get_si(den);
        mpz_clears(den, t, (mpz_ptr)0);
    }
    for (int i = 0; i < n; i++)
        mpq_clear(a[i]);
    return st;
}

void gb_scheme_name(char *buf, size_t len, const gb_scheme *s)
{
    static const char *d[] = {"", "u_x", "u_xx", "u_xxx"};
    if (s->order == 1)
        snprintf(buf, len, "upwind %s", d[s->deriv]);
    else
        snprintf(buf, len, "central order %d %s", s->order, d[s->deriv]);
}

void gb_scheme_apply(double *Du, const gb_scheme *s, const double *u, long N, double dx)
{
    long double scale = 1.0L / ((long double)s->den * powl((long double)dx, s->deriv));
    for (long j = 0; j < N; j++) {
        long double acc = 0;
        for (int l = s->lo; l <= s->hi; l++) {
            long i = (j + l) % N;
            acc += (long double)s->num[l - s->lo] * u[i < 0 ? i + N : i];
        }
        Du[j] = (double)(acc * scale);
    }
}

void gb_scheme_apply_transpose(double *Dtw, const gb_scheme *s, const double *w, long N, double dx)
{
    long double scale = 1.0L / ((long double)s->den * powl((long double)dx, s->deriv));
    for (long j = 0; j < N; j++) {
        long double acc = 0;
        for (int l = s->lo; l <= s->hi; l++) {
            long i = (j - l) % N;
            acc += (long double)s->num[l - s->lo] * w[i < 0 ? i + N : i];
        }
        Dtw[j] = (double)(acc * scale);
    }
}

void gb_scheme_symbol(double *re, double *im, const gb_scheme *s, double theta)
{
    double x = 0, y = 0;
    for (int l = s->lo; l <= s->hi; l++) {
        double a = (double)s->num[l - s->lo] / (double)s->den;
        x += a * cos(l * theta);
        y += a * sin(l * theta);
    }
    *re = x;
    *im = y;
}
