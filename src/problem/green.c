#include "problem/problem.h"
#include <stdlib.h>

void gb_green(mpfr_t res, const mpfr_t x, const mpfr_t s, const mpfr_t k)
{
    mpfr_t t;
    mpfr_init2(t, mpfr_get_prec(res) + 16);
    const mpfr_ptr lo = mpfr_cmp(x, s) < 0 ? (mpfr_ptr)x : (mpfr_ptr)s;
    const mpfr_ptr hi = mpfr_cmp(x, s) < 0 ? (mpfr_ptr)s : (mpfr_ptr)x;
    mpfr_ui_sub(t, 1, hi, MPFR_RNDN);
    mpfr_mul(t, t, lo, MPFR_RNDN);
    mpfr_div(res, t, k, MPFR_RNDN);
    mpfr_clear(t);
}

/* Σ_{m≤M} 2 sin(mπx) sin(mπs)/(k (mπ)^(2h)): G (h = 1) or G₄ (h = 2) */
static void green_series_pow(mpfr_t res, const mpfr_t x, const mpfr_t s, const mpfr_t k, long M, int h);

void gb_green_series(mpfr_t res, const mpfr_t x, const mpfr_t s, const mpfr_t k, long M)
{
    green_series_pow(res, x, s, k, M, 1);
}

void gb_green4_series(mpfr_t res, const mpfr_t x, const mpfr_t s, const mpfr_t k, long M)
{
    green_series_pow(res, x, s, k, M, 2);
}

void gb_green4(mpfr_t res, const mpfr_t x, const mpfr_t s, const mpfr_t k)
{
    mpfr_t t, u;
    mpfr_inits2(mpfr_get_prec(res) + 16, t, u, (mpfr_ptr)0);
    const mpfr_ptr lo = mpfr_cmp(x, s) < 0 ? (mpfr_ptr)x : (mpfr_ptr)s;
    const mpfr_ptr hi = mpfr_cmp(x, s) < 0 ? (mpfr_ptr)s : (mpfr_ptr)x;
    mpfr_ui_sub(t, 2, hi, MPFR_RNDN);
    mpfr_mul(t, t, hi, MPFR_RNDN);       /* 2s − s² */
    mpfr_sqr(u, lo, MPFR_RNDN);
    mpfr_sub(t, t, u, MPFR_RNDN);        /* − x² */
    mpfr_mul(t, t, lo, MPFR_RNDN);
    mpfr_ui_sub(u, 1, hi, MPFR_RNDN);
    mpfr_mul(t, t, u, MPFR_RNDN);
    mpfr_div_ui(t, t, 6, MPFR_RNDN);
    mpfr_div(res, t, k, MPFR_RNDN);
    mpfr_clears(t, u, (mpfr_ptr)0);
}

void gb_green_eq(mpfr_t res, gb_equation eq, const mpfr_t x, const mpfr_t s, const mpfr_t k)
{
    if (eq == GB_EQ_BIHARMONIC)
        gb_green4(res, x, s, k);
    else
        gb_green(res, x, s, k);
}

void gb_green_series_eq(mpfr_t res, gb_equation eq, const mpfr_t x, const mpfr_t s, const mpfr_t k, long M)
{
    green_series_pow(res, x, s, k, M, eq == GB_EQ_BIHARMONIC ? 2 : 1);
}

/* The expansion's arithmetic, shared by the pointwise and the grid forms so that they agree bit for bit:
 * the working precision (res's + 32 bits), the mode sine sin(mπx) and the term added per mode */
static mpfr_prec_t series_prec(const mpfr_t res) { return mpfr_get_prec(res) + 32; }

static void mode_sine(mpfr_t out, const mpfr_t pi, long m, const mpfr_t x)
{
    mpfr_mul_si(out, pi, m, MPFR_RNDN);
    mpfr_mul(out, out, x, MPFR_RNDN);
    mpfr_sin(out, out, MPFR_RNDN);
}

/* acc += sx ss/(mπ)^(2h); a and t are scratch at acc's precision */
static void add_term(mpfr_t acc, mpfr_t a, mpfr_t t, const mpfr_t pi, long m, const mpfr_t sx, const mpfr_t ss,
                     int h)
{
    mpfr_mul(a, sx, ss, MPFR_RNDN);   /* (commutative: G_M(x,s) = G_M(s,x) bit for bit) */
    mpfr_mul_si(t, pi, m, MPFR_RNDN);
    mpfr_sqr(t, t, MPFR_RNDN);
    if (h == 2)
        mpfr_sqr(t, t, MPFR_RNDN);
    mpfr_div(a, a, t, MPFR_RNDN);
    mpfr_add(acc, acc, a, MPFR_RNDN);
}

static void series_end(mpfr_t res, mpfr_t acc, const mpfr_t k)
{
    mpfr_mul_2ui(acc, acc, 1, MPFR_RNDN);
    mpfr_div(res, acc, k, MPFR_RNDN);
}

void gb_green_series_sines(mpfr_t *sn, const mpfr_t x, long M, mpfr_prec_t prec)
{
    mpfr_t pi;
    mpfr_init2(pi, prec);
    mpfr_const_pi(pi, MPFR_RNDN);
    for (long m = 1; m <= M; m++)
        mode_sine(sn[m - 1], pi, m, x);
    mpfr_clear(pi);
}

void gb_green_series_from_sines(mpfr_t res, gb_equation eq, const mpfr_t *sx, const mpfr_t *ss, const mpfr_t k,
                                long M)
{
    mpfr_t acc, pi, a, t;
    mpfr_inits2(series_prec(res), acc, pi, a, t, (mpfr_ptr)0);
    mpfr_const_pi(pi, MPFR_RNDN);
    mpfr_set_zero(acc, 1);
    for (long m = 1; m <= M; m++)
        add_term(acc, a, t, pi, m, sx[m - 1], ss[m - 1], eq == GB_EQ_BIHARMONIC ? 2 : 1);
    series_end(res, acc, k);
    mpfr_clears(acc, pi, a, t, (mpfr_ptr)0);
}

static void green_series_pow(mpfr_t res, const mpfr_t x, const mpfr_t s, const mpfr_t k, long M, int h)
{
    mpfr_t acc, pi, a, b, t;
    mpfr_inits2(series_prec(res), acc, pi, a, b, t, (mpfr_ptr)0);
    mpfr_const_pi(pi, MPFR_RNDN);
    mpfr_set_zero(acc, 1);
    for (long m = 1; m <= M; m++) {
        mode_sine(a, pi, m, x);
        mode_sine(b, pi, m, s);
        add_term(acc, a, t, pi, m, a, b, h);
    }
    series_end(res, acc, k);
    mpfr_clears(acc, pi, a, b, t, (mpfr_ptr)0);
}

/* G(x_i,x_j) in rationals: x = i/N */
static void green_q(mpq_t res, long i, long j, long N, const mpq_t k)
{
    long lo = i < j ? i : j, hi = i < j ? j : i;
    mpq_set_si(res, lo * (N - hi), (unsigned long)(N * N));
    mpq_canonicalize(res);
    mpq_div(res, res, k);
}

long gb_green_discrete_identity_defects(long N, const mpq_t k)
{
    /* k L_h = (k/Δx²) tridiag(-1,2,-1) = k N² tridiag(-1,2,-1); Δx G = G/N */
    long defects = 0;
    mpq_t kN2, g, acc, t;
    mpq_inits(kN2, g, acc, t, (mpq_ptr)0);
    mpq_set_si(kN2, N * N, 1);
    mpq_mul(kN2, kN2, k);
    for (long i = 1; i <= N - 1; i++)
        for (long j = 1; j <= N - 1; j++) {
            mpq_set_ui(acc, 0, 1);
            for (long l = i - 1; l <= i + 1; l++) {
                if (l < 1 || l > N - 1)
                    continue;                  /* Dirichlet: boundary values vanish */
                green_q(g, l, j, N, k);
                mpq_set_si(t, l == i ? 2 : -1, 1);
                mpq_mul(t, t, g);
                mpq_add(acc, acc, t);
            }
            mpq_mul(acc, acc, kN2);
            mpq_set_si(t, N, 1);
            mpq_div(acc, acc, t);              /* times Δx */
            if (mpq_cmp_si(acc, i == j ? 1 : 0, 1) != 0)
                defects++;
        }
    mpq_clears(kN2, g, acc, t, (mpq_ptr)0);
    return defects;
}
