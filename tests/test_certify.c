/* Certified enclosures: the Arb balls contain the MPFR predictions they certify, are tight, and reject a value
 * one part in 1e15 off. */
#include "certify/enclose.h"
#include "experiment/fd_case.h"
#include "predict/fd_predict.h"
#include "verify.h"
#include "predict/lin_predict.h"
#include "helpers.h"
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

Test(certify, single_mode_ball_holds_the_mpfr_value_and_rejects_a_neighbour)
{
    for (int q = 2; q <= 8; q += 2)
        for (long N = 16; N <= 64; N *= 2) {
            mpfr_t w;
            mpfr_init2(w, 256);
            gb_fd_pred_single_mode(w, q, 3, N, 1.0);
            double x = mpfr_get_d(w, MPFR_RNDN);
            mpfr_clear(w);
            arb_t b;
            arb_init(b);
            gb_enclose_single_mode(b, q, 3, N, 512);
            cr_assert(gb_enclose_contains_double(b, x), "q=%d N=%ld", q, N);
            cr_assert(!gb_enclose_contains_double(b, x * (1 + 1e-15)), "q=%d N=%ld: a ball too wide", q, N);
            cr_assert(arf_cmpabs_2exp_si(arb_midref(b), 2) < 0);
            cr_assert(mag_cmp_2exp_si(arb_radref(b), -400) < 0, "q=%d N=%ld: radius not tight", q, N);
            arb_clear(b);
        }
    /* q = 2 by hand: θ²/(4 sin²(θ/2)) */
    arb_t b;
    arb_init(b);
    gb_enclose_single_mode(b, 2, 1, 16, 256);
    double th = M_PI / 16, v = th * th / (4 * sin(th / 2) * sin(th / 2));
    cr_assert(fabs(arf_get_d(arb_midref(b), ARF_RND_NEAR) / v - 1) < 1e-14);
    arb_clear(b);
}

Test(certify, sine_ratio_and_green_balls_hold_their_mpfr_values)
{
    for (int p = 1; p <= 8; p++) {
        mpfr_t r;
        mpfr_init2(r, 256);
        gb_fd_pred_sine_q2(r, p, 32);
        arb_t b;
        arb_init(b);
        gb_enclose_sine_q2(b, p, 32, 512);
        cr_assert(gb_enclose_contains_double(b, mpfr_get_d(r, MPFR_RNDN)), "p=%d", p);
        arb_clear(b);
        mpfr_clear(r);
    }
    long N = 16, n = N + 1;
    double G[17 * 17], Gp[17 * 17];
    gb_lin_green_matrix(G, N, 1.5, 0, 256);
    gb_lin_green_matrix(Gp, N, 1.5, 4, 256);
    arb_t b;
    arb_init(b);
    for (long i = 1; i < N; i++)
        for (long j = 1; j < N; j++) {
            gb_enclose_green(b, i, j, N, 1.5, 0, 512);
            cr_assert(gb_enclose_contains_double(b, G[i * n + j]), "G(%ld,%ld)", i, j);
            gb_enclose_green(b, i, j, N, 1.5, 4, 512);
            cr_assert(gb_enclose_contains_double(b, Gp[i * n + j]), "G_4(%ld,%ld)", i, j);
            cr_assert(!gb_enclose_contains_double(b, G[i * n + j]), "G and G_4 differ at (%ld,%ld)", i, j);
        }
    cr_assert(!gb_enclose_contains_double(b, NAN));
    arb_clear(b);
    char s[96];
    arb_init(b);
    arb_set_si(b, 3);
    gb_enclose_str(s, sizeof s, b, 10);
    cr_assert_str_eq(s, "3.000000000");
    arb_clear(b);
}

/* a ball holds the double and is tight enough to reject it one part in 1e12 off (or 1e-300 off zero) */
static void holds_tightly(const arb_t b, double x, const char *what)
{
    cr_assert(gb_enclose_contains_double(b, x), "%s: %.17g outside the ball", what, x);
    double off = x != 0 ? x * (1 + 1e-12) : 1e-300;
    cr_assert(!gb_enclose_contains_double(b, off), "%s: the ball is too wide", what);
}

Test(certify, least_squares_balls_hold_the_mpfr_predictions)
{
    arb_t d, kv;
    arb_init(d);
    arb_init(kv);
    char what[64];
    gb_family fams[] = {GB_FAMILY_POLY, GB_FAMILY_COS, GB_FAMILY_SIN};
    for (int f = 0; f < 3; f++)
        for (int q = 2; q <= 8; q += 2)
            for (int p = 1; p <= 8; p += 3) {
                if (fams[f] == GB_FAMILY_POLY && p < q)
                    continue;   /* w* = k: below, as the exact zero it is */
                gb_data_spec s;
                gb_data_spec_default(&s);
                s.family = fams[f];
                s.p = p;
                s.N = 32;
                mpfr_t w, delta;
                mpfr_inits2(256, w, delta, (mpfr_ptr)0);
                gb_fd_pred_inf(w, delta, &s, gb_fd_stencil(q));
                int terms[8];
                for (int i = 0; i < p; i++)
                    terms[i] = i + 1;
                gb_enclose_fd_lsq(d, NULL, s.family, terms, p, NULL, 0, 32, q, 1.0, 512);
                snprintf(what, sizeof what, "%s p=%d q=%d", gb_family_name(s.family), p, q);
                holds_tightly(d, mpfr_get_d(delta, MPFR_RNDN), what);
                mpfr_clears(w, delta, (mpfr_ptr)0);
            }
    /* poly data of degree p < q: w* = k exactly, the ball is about zero */
    int t3[] = {1, 2, 3};
    gb_enclose_fd_lsq(d, NULL, GB_FAMILY_POLY, t3, 3, NULL, 0, 64, 4, 1.5, 512);
    cr_assert(arb_contains_zero(d) && mag_cmp_2exp_si(arb_radref(d), -400) < 0);
    /* on drawn coefficients (any draw: GB_TEST_SEED replays another): the finite-sample w* and FD-6's k v* − 1 */
    gb_data_spec s;
    gb_data_spec_default(&s);
    s.p = 6;
    s.N = 16;
    s.S = 50;
    s.k = 0.7;
    s.seed = gb_test_seed(s.seed);
    gb_dataset_t ds;
    cr_assert_eq(gb_dataset_init(ds, &s), 0, "GB_TEST_SEED=%lu", s.seed);
    mpfr_t w, delta, v;
    mpfr_inits2(256, w, delta, v, (mpfr_ptr)0);
    gb_fd_pred_sample(w, delta, ds, gb_fd_stencil(4));
    gb_fd_pred_inverse(v, ds, gb_fd_stencil(4));
    gb_enclose_fd_lsq(d, kv, GB_FAMILY_POLY, ds->terms, ds->nb, ds->coef, s.S, s.N, 4, s.k, 512);
    snprintf(what, sizeof what, "finite-sample w*/k - 1 (GB_TEST_SEED=%lu)", s.seed);
    holds_tightly(d, mpfr_get_d(delta, MPFR_RNDN), what);
    snprintf(what, sizeof what, "k v* - 1 (GB_TEST_SEED=%lu)", s.seed);
    holds_tightly(kv, mpfr_get_d(v, MPFR_RNDN), what);
    mpfr_clears(w, delta, v, (mpfr_ptr)0);
    gb_dataset_clear(ds);
    arb_clear(d);
    arb_clear(kv);
}

Test(certify, mu_fem_ratio_and_green_inverse_hold_their_rationals)
{
    arb_t b;
    arb_init(b);
    char what[64];
    for (int q = 2; q <= 8; q += 2) {
        for (int p = q; p <= 8; p++) {
            mpq_t mu;
            mpq_init(mu);
            gb_fd_mu(mu, gb_fd_stencil(q), p);
            gb_enclose_mu(b, q, p, 256);
            snprintf(what, sizeof what, "mu_%d(%d)", q, p);
            holds_tightly(b, gb_verify_q_to_d(mu), what);
            mpq_clear(mu);
        }
        for (int lumped = 0; lumped <= 1; lumped++) {
            mpq_t r;
            mpq_init(r);
            gb_fd_fem_ratio(r, gb_fd_stencil(q), lumped ? GB_LOAD_LUMPED : GB_LOAD_CONSISTENT);
            gb_enclose_fem_ratio(b, q, lumped, 256);
            snprintf(what, sizeof what, "fem q=%d lumped=%d", q, lumped);
            holds_tightly(b, gb_verify_q_to_d(r), what);
            mpq_clear(r);
        }
    }
    /* SPEC §4 FD-7's table, a third source: 1944/1559 (FD4, consistent), 28/33 (FD4, lumped) */
    gb_enclose_fem_ratio(b, 4, 0, 256);
    holds_tightly(b, 1944.0 / 1559.0, "1944/1559");
    gb_enclose_fem_ratio(b, 4, 1, 256);
    holds_tightly(b, 28.0 / 33.0, "28/33");
    arb_clear(b);
    /* (k L_h)⁻¹ = Δx G(x_i, x_j) = min(i,j)(N − max(i,j))/(k N³) on the interior nodes */
    long N = 12;
    arb_mat_t X;
    arb_mat_init(X, N - 1, N - 1);
    cr_assert(gb_enclose_green_inverse(X, N, 1.5, 256));
    for (long i = 1; i < N; i++)
        for (long j = 1; j < N; j++) {
            long lo = i < j ? i : j, hi = i < j ? j : i;
            double g = (double)(lo * (N - hi)) / (1.5 * (double)(N * N * N));
            cr_assert(gb_enclose_contains_double(arb_mat_entry(X, i - 1, j - 1), g), "(%ld,%ld)", i, j);
            cr_assert(!gb_enclose_contains_double(arb_mat_entry(X, i - 1, j - 1), g * (1 + 1e-12)));
        }
    arb_mat_clear(X);
}
