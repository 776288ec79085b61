#include "certify/enclose.h"
#include <flint/flint.h>
#include <math.h>
#include <stdio.h>

/* σ_q(θ) for q = 2, 4, 6, 8 */
static void sigma_q(arb_t s, int q, const arb_t theta, slong prec)
{
    arb_t h, t, c;
    arb_init(h); arb_init(t); arb_init(c);
    arb_mul_2exp_si(h, theta, -1);
    arb_sin(h, h, prec);
    arb_mul_2exp_si(h, h, 1);                 /* 2 sin(θ/2) */
    arb_zero(s);
    for (int m = 1; m <= q / 2; m++) {
        arb_pow_ui(t, h, 2 * (ulong)m, prec);
        arb_bin_uiui(c, 2 * (ulong)m, (ulong)m, prec);
        arb_mul_ui(c, c, (ulong)m * (ulong)m, prec);
        arb_div(t, t, c, prec);
        arb_add(s, s, t, prec);
    }
    arb_mul_2exp_si(s, s, 1);
    arb_clear(h); arb_clear(t); arb_clear(c);
}

/* θ = nπ/N */
static void theta(arb_t th, long n, long N, slong prec)
{
    arb_const_pi(th, prec);
    arb_mul_si(th, th, n, prec);
    arb_div_si(th, th, N, prec);
}

void gb_enclose_single_mode(arb_t w, int q, long n, long N, slong prec)
{
    arb_t th, s;
    arb_init(th); arb_init(s);
    theta(th, n, N, prec);
    sigma_q(s, q, th, prec);
    arb_sqr(w, th, prec);
    arb_div(w, w, s, prec);
    arb_clear(th); arb_clear(s);
}

void gb_enclose_sine_q2(arb_t ratio, int p, long N, slong prec)
{
    arb_t th, r, s1, s2;
    arb_init(th); arb_init(r); arb_init(s1); arb_init(s2);
    for (int m = 1; m <= p; m++) {
        theta(th, m, N, prec);
        sigma_q(r, 2, th, prec);
        arb_sqr(th, th, prec);
        arb_div(r, r, th, prec);
        arb_add(s1, s1, r, prec);
        arb_sqr(r, r, prec);
        arb_add(s2, s2, r, prec);
    }
    arb_div(ratio, s1, s2, prec);
    arb_clear(th); arb_clear(r); arb_clear(s1); arb_clear(s2);
}

void gb_enclose_green(arb_t g, long i, long j, long N, double k, long modes, slong prec)
{
    arb_t x, s, t, u, kk;
    arb_init(x); arb_init(s); arb_init(t); arb_init(u); arb_init(kk);
    arb_set_d(kk, k);
    if (modes <= 0) {
        long lo = i < j ? i : j, hi = i < j ? j : i;   /* min(x,s)(1 − max(x,s)) = lo (N − hi)/N² */
        arb_set_si(g, lo * (N - hi));
        arb_div_si(g, g, N, prec);
        arb_div_si(g, g, N, prec);
    } else {
        arb_zero(g);
        for (long m = 1; m <= modes; m++) {
            arb_const_pi(t, prec);
            arb_mul_si(x, t, m * i, prec);
            arb_div_si(x, x, N, prec);
            arb_sin(x, x, prec);
            arb_mul_si(s, t, m * j, prec);
            arb_div_si(s, s, N, prec);
            arb_sin(s, s, prec);
            arb_mul(u, x, s, prec);
            arb_mul_2exp_si(u, u, 1);
            arb_sqr(t, t, prec);
            arb_mul_si(t, t, m * m, prec);
            arb_div(u, u, t, prec);
            arb_add(g, g, u, prec);
        }
    }
    arb_div(g, g, kk, prec);
    arb_clear(x); arb_clear(s); arb_clear(t); arb_clear(u); arb_clear(kk);
}

int gb_enclose_contains_double(const arb_t b, double x)
{
    if (!isfinite(x))
        return 0;
    arb_t X;
    arb_init(X);
    arb_set_d(X, x);
    if (x != 0)   /* half an ulp of x: 2^(ilogb(x) − 53) */
        arb_add_error_2exp_si(X, (slong)(ilogb(x) - 53));
    else
        arb_add_error_2exp_si(X, -1074);
    int ok = arb_overlaps(b, X);
    arb_clear(X);
    return ok;
}

void gb_enclose_str(char *buf, size_t len, const arb_t b, slong digits)
{
    char *s = arb_get_str(b, digits, 0);
    snprintf(buf, len, "%s", s);
    flint_free(s);
}
