#include "certify/enclose.h"
#include <flint/flint.h>
#include <flint/fmpq.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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

/* the central FD_q weights a_{-r..r}, r = q/2, from their closed form */
static void central_weights(arb_ptr a, int q, slong prec)
{
    int r = q / 2;
    arb_t t, u;
    arb_init(t); arb_init(u);
    arb_zero(a + r);
    for (int j = 1; j <= r; j++) {
        arb_fac_ui(t, (ulong)r, prec);
        arb_sqr(t, t, prec);
        arb_mul_2exp_si(t, t, 1);
        arb_fac_ui(u, (ulong)(r - j), prec);
        arb_div(t, t, u, prec);
        arb_fac_ui(u, (ulong)(r + j), prec);
        arb_div(t, t, u, prec);
        arb_div_ui(t, t, (ulong)(j * j), prec);
        if (j % 2 == 0)
            arb_neg(t, t);
        arb_set(a + r + j, t);
        arb_set(a + r - j, t);
        arb_submul_ui(a + r, t, 2, prec);
    }
    arb_clear(t); arb_clear(u);
}

/* forcing f and solution u of term i at x_n = n/N */
static void term_values(arb_t f, arb_t u, gb_family fam, int i, long n, long N, const arb_t k, slong prec)
{
    arb_t x, t;
    arb_init(x); arb_init(t);
    fmpq_t y;
    fmpq_init(y);
    fmpq_set_si(y, n, (ulong)N);
    arb_set_fmpq(x, y, prec);
    if (fam == GB_FAMILY_POLY) {
        arb_pow_ui(f, x, (ulong)i, prec);
        arb_pow_ui(t, x, (ulong)i + 2, prec);
        arb_sub(u, x, t, prec);
        arb_div_ui(u, u, (ulong)((i + 1) * (i + 2)), prec);
    } else {
        fmpq_set_si(y, (slong)i * n, (ulong)N);
        if (fam == GB_FAMILY_SIN) {
            arb_sin_pi_fmpq(f, y, prec);
            arb_set(u, f);
        } else {
            arb_cos_pi_fmpq(f, y, prec);
            arb_sub_ui(u, f, 1, prec);
            if (i % 2)
                arb_addmul_ui(u, x, 2, prec);
        }
        arb_const_pi(t, prec);
        arb_mul_ui(t, t, (ulong)i, prec);
        arb_sqr(t, t, prec);
        arb_div(u, u, t, prec);
    }
    arb_div(u, u, k, prec);
    fmpq_clear(y);
    arb_clear(x); arb_clear(t);
}

void gb_enclose_fd_lsq(arb_t delta, arb_t kv, gb_family fam, const int *terms, int nb, const double *coef, long S,
                       long N, int q, double kd, slong prec)
{
    int r = q / 2;
    long n = N + 1, ne = N - q + 1;
    arb_ptr a = _arb_vec_init(q + 1), f = _arb_vec_init(nb * n), u = _arb_vec_init(n);
    arb_ptr D = _arb_vec_init(nb * ne), R = _arb_vec_init(nb * ne), C = _arb_vec_init(nb * nb);
    arb_t k, t, DD, DR, FF, RF, g;
    arb_init(k); arb_init(t); arb_init(DD); arb_init(DR); arb_init(FF); arb_init(RF); arb_init(g);
    arb_set_d(k, kd);
    central_weights(a, q, prec);
    for (int b = 0; b < nb; b++) {
        for (long i = 0; i < n; i++)
            term_values(f + b * n + i, u + i, fam, terms[b], i, N, k, prec);
        for (long j = 0; j < ne; j++) {
            arb_ptr Dj = D + b * ne + j;
            arb_zero(Dj);
            for (int l = -r; l <= r; l++)
                arb_addmul(Dj, a + r + l, u + r + j + l, prec);
            arb_mul_si(Dj, Dj, N * N, prec);
            arb_mul(R + b * ne + j, Dj, k, prec);
            arb_add(R + b * ne + j, R + b * ne + j, f + b * n + r + j, prec);
        }
    }
    /* the coefficient Gram, exact products of doubles */
    for (int b = 0; b < nb; b++)
        for (int c = 0; c < nb; c++) {
            arb_ptr Cbc = C + b * nb + c;
            if (!coef) {
                arb_set_si(Cbc, b == c);
                continue;
            }
            arb_zero(Cbc);
            for (long s = 0; s < S; s++) {
                arb_set_d(t, coef[s * nb + b]);
                arb_set_d(g, coef[s * nb + c]);
                arb_addmul(Cbc, t, g, prec);
            }
        }
    for (int b = 0; b < nb; b++)
        for (int c = 0; c < nb; c++) {
            if (arb_is_zero(C + b * nb + c))
                continue;
            arb_ptr Db = D + b * ne, Dc = D + c * ne, Rb = R + b * ne, Rc = R + c * ne;
            arb_ptr fb = f + b * n + r, fc = f + c * n + r;
            arb_ptr pairs[4][2] = {{Db, Dc}, {Db, Rc}, {fb, fc}, {Rb, fc}};
            arb_ptr acc[4] = {DD, DR, FF, RF};
            for (int p = 0; p < 4; p++) {
                arb_dot(g, NULL, 0, pairs[p][0], 1, pairs[p][1], 1, ne, prec);
                arb_addmul(acc[p], g, C + b * nb + c, prec);
            }
        }
    if (delta) {
        arb_mul(t, DD, k, prec);
        arb_div(delta, DR, t, prec);
        arb_neg(delta, delta);
    }
    if (kv) {
        arb_div(kv, RF, FF, prec);
        arb_neg(kv, kv);
    }
    _arb_vec_clear(a, q + 1); _arb_vec_clear(f, nb * n); _arb_vec_clear(u, n);
    _arb_vec_clear(D, nb * ne); _arb_vec_clear(R, nb * ne); _arb_vec_clear(C, nb * nb);
    arb_clear(k); arb_clear(t); arb_clear(DD); arb_clear(DR); arb_clear(FF); arb_clear(RF); arb_clear(g);
}

void gb_enclose_mu(arb_t mu, int q, int p, slong prec)
{
    arb_t num, den, t, u;
    arb_init(num); arb_init(den); arb_init(t); arb_init(u);
    for (int i = q; i <= p; i++) {
        arb_fac_ui(t, (ulong)i, prec);
        arb_fac_ui(u, (ulong)(i - q), prec);
        arb_mul_ui(u, u, (ulong)(2 * i - q + 1), prec);
        arb_div(t, t, u, prec);
        arb_add(num, num, t, prec);
    }
    for (int i = 1; i <= p; i++) {
        arb_one(t);
        arb_div_ui(t, t, (ulong)(2 * i + 1), prec);
        arb_add(den, den, t, prec);
    }
    /* β_{q+2} = (−1)^{q/2+1} 2 ((q/2)!)² / (q+2)! */
    arb_fac_ui(t, (ulong)(q / 2), prec);
    arb_sqr(t, t, prec);
    arb_mul_2exp_si(t, t, 1);
    arb_fac_ui(u, (ulong)(q + 2), prec);
    arb_div(t, t, u, prec);
    if ((q / 2) % 2 == 0)
        arb_neg(t, t);
    arb_div(mu, num, den, prec);
    arb_mul(mu, mu, t, prec);
    arb_neg(mu, mu);
    arb_clear(num); arb_clear(den); arb_clear(t); arb_clear(u);
}

void gb_enclose_fem_ratio(arb_t ratio, int q, int lumped, slong prec)
{
    const int M = q + 2;   /* ĝ has degree ≤ q/2 in cos θ, ĝ² ≤ q: the midpoint rule on M > q/2 + 1 points is exact */
    arb_t th, sq, s2, m, g, sum, sum2;
    arb_init(th); arb_init(sq); arb_init(s2); arb_init(m); arb_init(g); arb_init(sum); arb_init(sum2);
    for (int j = 0; j < M; j++) {
        arb_const_pi(th, prec);
        arb_mul_ui(th, th, (ulong)(2 * j + 1), prec);
        arb_div_ui(th, th, (ulong)(2 * M), prec);   /* θ_j = π (j + ½)/M */
        sigma_q(sq, q, th, prec);
        sigma_q(s2, 2, th, prec);
        arb_div(g, sq, s2, prec);
        if (!lumped) {
            arb_cos(m, th, prec);
            arb_add_ui(m, m, 2, prec);
            arb_div_ui(m, m, 3, prec);
            arb_mul(g, g, m, prec);
        }
        arb_add(sum, sum, g, prec);
        arb_addmul(sum2, g, g, prec);
    }
    arb_div(ratio, sum, sum2, prec);   /* (Σĝ/M) / (Σĝ²/M) */
    arb_clear(th); arb_clear(sq); arb_clear(s2); arb_clear(m); arb_clear(g); arb_clear(sum); arb_clear(sum2);
}

int gb_enclose_green_inverse(arb_mat_t X, long N, double kd, slong prec)
{
    long n = N - 1;
    arb_mat_t A;
    arb_mat_init(A, n, n);
    arb_t s;
    arb_init(s);
    arb_set_d(s, kd);
    arb_mul_si(s, s, N * N, prec);
    for (long i = 0; i < n; i++) {
        arb_mul_2exp_si(arb_mat_entry(A, i, i), s, 1);
        if (i > 0)
            arb_neg(arb_mat_entry(A, i, i - 1), s);
        if (i + 1 < n)
            arb_neg(arb_mat_entry(A, i, i + 1), s);
    }
    int ok = arb_mat_inv(X, A, prec);
    arb_clear(s);
    arb_mat_clear(A);
    return ok;
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
