#include "stencil/stencil.h"
#include "core/status.h"
#include <stdlib.h>

int gb_stencil_is_valid_order(int q) { return q == 2 || q == 4 || q == 6 || q == 8; }

static void stencil_update_integers(gb_stencil_t st)
{
    int n = 2 * st->r + 1;
    mpz_set_ui(st->den, 1);
    for (int i = 0; i < n; i++)
        mpz_lcm(st->den, st->den, mpq_denref(st->a[i]));
    mpz_t t;
    mpz_init(t);
    for (int i = 0; i < n; i++) {
        mpz_divexact(t, st->den, mpq_denref(st->a[i]));
        mpz_mul(t, t, mpq_numref(st->a[i]));
        st->num[i] = mpz_get_si(t);
    }
    mpz_clear(t);
}

int gb_stencil_weights(mpq_t *a, int lo, int hi, int d)
{
    int n = hi - lo + 1;
    if (n < 1 || d < 0 || d >= n)
        return GB_EINVAL;
    mpq_t *M = malloc(sizeof(mpq_t) * n * (n + 1)); /* augmented moment system */
    if (!M)
        return GB_ENOMEM;
    for (int i = 0; i < n * (n + 1); i++)
        mpq_init(M[i]);
    /* row j: Σ_l l^j a_l = j! δ_{jd} */
    mpz_t fac;
    mpz_init(fac);
    mpz_fac_ui(fac, (unsigned long)d);
    for (int j = 0; j < n; j++) {
        for (int c = 0; c < n; c++) {
            long l = c + lo, pw = 1;
            for (int e = 0; e < j; e++)
                pw *= l;
            mpq_set_si(M[j * (n + 1) + c], pw, 1);
        }
        if (j == d)
            mpq_set_z(M[j * (n + 1) + n], fac);
    }
    mpz_clear(fac);
    /* exact Gauss-Jordan elimination with row pivoting on nonzero entries */
    mpq_t f, t;
    mpq_init(f);
    mpq_init(t);
    for (int c = 0; c < n; c++) {
        int piv = c;
        while (mpq_sgn(M[piv * (n + 1) + c]) == 0)
            piv++;
        if (piv != c)
            for (int k = 0; k <= n; k++)
                mpq_swap(M[piv * (n + 1) + k], M[c * (n + 1) + k]);
        for (int j = 0; j < n; j++) {
            if (j == c || mpq_sgn(M[j * (n + 1) + c]) == 0)
                continue;
            mpq_div(f, M[j * (n + 1) + c], M[c * (n + 1) + c]);
            for (int k = c; k <= n; k++) {
                mpq_mul(t, f, M[c * (n + 1) + k]);
                mpq_sub(M[j * (n + 1) + k], M[j * (n + 1) + k], t);
            }
        }
    }
    for (int c = 0; c < n; c++)
        mpq_div(a[c], M[c * (n + 1) + n], M[c * (n + 1) + c]);
    mpq_clear(f);
    mpq_clear(t);
    for (int i = 0; i < n * (n + 1); i++)
        mpq_clear(M[i]);
    free(M);
    return GB_OK;
}

int gb_stencil_init(gb_stencil_t st, int q) { return gb_stencil_init_op(st, 2, q); }

int gb_stencil_init_op(gb_stencil_t st, int d, int q)
{
    if (!gb_stencil_is_valid_order(q) || (d != 2 && d != 4))
        return GB_EINVAL;
    int r = (d + q) / 2 - 1, n = 2 * r + 1;
    st->q = q;
    st->d = d;
    st->r = r;
    st->a = malloc(sizeof(mpq_t) * n);
    st->num = malloc(sizeof(long) * n);
    if (!st->a || !st->num) {
        free(st->a);
        free(st->num);
        return GB_ENOMEM;
    }
    mpz_init(st->den);
    for (int i = 0; i < n; i++)
        mpq_init(st->a[i]);
    int s = gb_stencil_weights(st->a, -r, r, d);
    if (s)
        return s;
    if (d % 4 == 0) /* L = −d⁴/dx⁴: the discrete equation stays −k FD u = f */
        for (int i = 0; i < n; i++)
            mpq_neg(st->a[i], st->a[i]);
    stencil_update_integers(st);
    return GB_OK;
}

void gb_stencil_clear(gb_stencil_t st)
{
    for (int i = 0; i <= 2 * st->r; i++)
        mpq_clear(st->a[i]);
    mpz_clear(st->den);
    free(st->a);
    free(st->num);
}

void gb_stencil_moment(mpq_t res, const gb_stencil_t st, int j)
{
    mpq_t t, pw;
    mpq_init(t);
    mpq_init(pw);
    mpq_set_ui(res, 0, 1);
    for (int c = 0; c <= 2 * st->r; c++) {
        long l = c - st->r;
        mpz_t z;
        mpz_init_set_si(z, l);
        mpz_pow_ui(z, z, (unsigned long)j);
        mpq_set_z(pw, z);
        mpz_clear(z);
        mpq_mul(t, st->a[c], pw);
        mpq_add(res, res, t);
    }
    mpq_clear(t);
    mpq_clear(pw);
}

void gb_stencil_beta(mpq_t res, const gb_stencil_t st, int j)
{
    mpz_t fact;
    mpq_t qf;
    mpz_init(fact);
    mpq_init(qf);
    mpz_fac_ui(fact, (unsigned long)j);
    mpq_set_z(qf, fact);
    gb_stencil_moment(res, st, j);
    mpq_div(res, res, qf);
    mpz_clear(fact);
    mpq_clear(qf);
}

void gb_stencil_perturb(gb_stencil_t st, int l, const mpq_t delta)
{
    mpq_add(st->a[l + st->r], st->a[l + st->r], delta);
    stencil_update_integers(st);
}

void gb_stencil_symbol(mpfr_t res, const gb_stencil_t st, const mpfr_t theta)
{
    mpfr_prec_t prec = mpfr_get_prec(res) + 32;
    mpfr_t acc, t, c;
    mpfr_inits2(prec, acc, t, c, (mpfr_ptr)0);
    mpfr_set_zero(acc, 1);
    for (int i = 0; i <= 2 * st->r; i++) {
        long l = i - st->r;
        mpfr_mul_si(t, theta, l, MPFR_RNDN);
        mpfr_cos(c, t, MPFR_RNDN);
        mpfr_mul_q(c, c, st->a[i], MPFR_RNDN);
        mpfr_sub(acc, acc, c, MPFR_RNDN);
    }
    mpfr_set(res, acc, MPFR_RNDN);
    mpfr_clears(acc, t, c, (mpfr_ptr)0);
}

void gb_stencil_symbol_closed(mpfr_t res, int q, const mpfr_t theta)
{
    mpfr_prec_t prec = mpfr_get_prec(res) + 32;
    mpfr_t s, pw, acc, t;
    mpz_t binom;
    mpfr_inits2(prec, s, pw, acc, t, (mpfr_ptr)0);
    mpz_init(binom);
    mpfr_div_2ui(s, theta, 1, MPFR_RNDN);
    mpfr_sin(s, s, MPFR_RNDN);
    mpfr_mul_2ui(s, s, 1, MPFR_RNDN);
    mpfr_sqr(s, s, MPFR_RNDN);          /* (2 sin(θ/2))² */
    mpfr_set_ui(pw, 1, MPFR_RNDN);
    mpfr_set_zero(acc, 1);
    for (unsigned long n = 1; n <= (unsigned long)q / 2; n++) {
        mpfr_mul(pw, pw, s, MPFR_RNDN);
        mpz_bin_uiui(binom, 2 * n, n);
        mpz_mul_ui(binom, binom, n * n);
        mpfr_div_z(t, pw, binom, MPFR_RNDN);
        mpfr_add(acc, acc, t, MPFR_RNDN);
    }
    mpfr_mul_2ui(res, acc, 1, MPFR_RNDN);
    mpfr_clears(s, pw, acc, t, (mpfr_ptr)0);
    mpz_clear(binom);
}

void gb_stencil_symbol_closed_op(mpfr_t res, int d, int q, const mpfr_t theta)
{
    if (d == 2) {
        gb_stencil_symbol_closed(res, q, theta);
        return;
    }
    int r = (d + q) / 2 - 1, h = d / 2;
    mpfr_prec_t prec = mpfr_get_prec(res) + 32;
    /* c[n]: coefficient of s^{2n} in θ² (exact rationals); e[n]: in (θ²)^j, j = 1..h, truncated at n = r */
    mpq_t *c = malloc(sizeof(mpq_t) * (size_t)(r + 1) * 3), *e = c + r + 1, *t = e + r + 1;
    for (int n = 0; n <= 3 * r + 2; n++)
        mpq_init(c[n]);
    mpz_t binom;
    mpz_init(binom);
    for (int n = 1; n <= r; n++) {
        mpz_bin_uiui(binom, 2 * (unsigned long)n, (unsigned long)n);
        mpz_mul_ui(binom, binom, (unsigned long)n * (unsigned long)n);
        mpq_set_z(c[n], binom);
        mpq_inv(c[n], c[n]);
        mpq_mul_2exp(c[n], c[n], 1);
        mpq_set(e[n], c[n]);
    }
    mpq_t prod;
    mpq_init(prod);
    for (int j = 2; j <= h; j++) {
        for (int n = 0; n <= r; n++) {
            mpq_set_ui(t[n], 0, 1);
            for (int m = 1; m < n; m++) {
                mpq_mul(prod, e[m], c[n - m]);
                mpq_add(t[n], t[n], prod);
            }
        }
        for (int n = 0; n <= r; n++)
            mpq_set(e[n], t[n]);
    }
    mpfr_t s2, pw, acc, term;
    mpfr_inits2(prec, s2, pw, acc, term, (mpfr_ptr)0);
    mpfr_div_2ui(s2, theta, 1, MPFR_RNDN);
    mpfr_sin(s2, s2, MPFR_RNDN);
    mpfr_mul_2ui(s2, s2, 1, MPFR_RNDN);
    mpfr_sqr(s2, s2, MPFR_RNDN);
    mpfr_set_ui(pw, 1, MPFR_RNDN);
    mpfr_set_zero(acc, 1);
    for (int n = 1; n <= r; n++) {
        mpfr_mul(pw, pw, s2, MPFR_RNDN);
        mpfr_mul_q(term, pw, e[n], MPFR_RNDN);
        mpfr_add(acc, acc, term, MPFR_RNDN);
    }
    mpfr_set(res, acc, MPFR_RNDN);
    mpfr_clears(s2, pw, acc, term, (mpfr_ptr)0);
    mpq_clear(prod);
    mpz_clear(binom);
    for (int n = 0; n <= 3 * r + 2; n++)
        mpq_clear(c[n]);
    free(c);
}

void gb_stencil_apply_ld(long double *D, const gb_stencil_t st, const double *u,
                         long i0, long n, long N)
{
    /* integer numerators keep Σ_l a_l = 0 and the other moment conditions exact:
     * only the products and sums round, at 64-bit significand */
    long double scale = (long double)N * (long double)N / (long double)mpz_get_d(st->den);
    for (int e = 2; e < st->d; e++)
        scale *= (long double)N;
    int r = st->r;
    for (long j = 0; j < n; j++) {
        const double *c = u + i0 + j;
        long double s = 0.0L;
        for (int l = -r; l <= r; l++)
            s += (long double)st->num[l + r] * (long double)c[l];
        D[j] = s * scale;
    }
}
