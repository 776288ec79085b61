#include "core/status.h"
#include "predict/fd_predict.h"
#include <criterion/criterion.h>
#include "helpers.h"
#include <math.h>

static void mu(mpq_t r, int q, int p)
{
    gb_stencil_t st;
    gb_stencil_init(st, q);
    gb_fd_mu(r, st, p);
    gb_stencil_clear(st);
}

/* SPEC §4 lists these values of μ_q(p) */
Test(predict, mu_matches_spec_values)
{
    const struct { int q, p; const char *v; } exact[] = {
        {2, 2, "-5/48"}, {2, 3, "-49/213"}, {2, 4, "-47/124"}, {4, 4, "21/310"}};
    mpq_t r, x;
    mpq_inits(r, x, (mpq_ptr)0);
    for (int i = 0; i < 4; i++) {
        mu(r, exact[i].q, exact[i].p);
        mpq_set_str(x, exact[i].v, 10);
        cr_assert(mpq_equal(r, x), "q=%d p=%d", exact[i].q, exact[i].p);
    }
    mu(r, 2, 8);
    cr_assert_float_eq(mpq_get_d(r), -1.1949, 5e-5);
    mu(r, 4, 8);
    cr_assert_float_eq(mpq_get_d(r), 2.7509, 5e-5);
    mu(r, 6, 6);
    cr_assert_float_eq(mpq_get_d(r), -0.19230, 5e-6);
    mpq_clears(r, x, (mpq_ptr)0);
}

/* SPEC FD-7: 4/3, 1944/1559, 30312/24809 consistent; 1, 28/33, 3996/5035 lumped */
Test(predict, fem_ratios_match_spec)
{
    const char *cons[] = {"4/3", "1944/1559", "30312/24809"}, *lump[] = {"1", "28/33", "3996/5035"};
    mpq_t r, x;
    mpq_inits(r, x, (mpq_ptr)0);
    for (int i = 0; i < 3; i++) {
        gb_stencil_t st;
        gb_stencil_init(st, 2 * (i + 1));
        gb_fd_fem_ratio(r, st, GB_LOAD_CONSISTENT);
        mpq_set_str(x, cons[i], 10);
        cr_assert(mpq_equal(r, x), "consistent q=%d", 2 * (i + 1));
        gb_fd_fem_ratio(r, st, GB_LOAD_LUMPED);
        mpq_set_str(x, lump[i], 10);
        cr_assert(mpq_equal(r, x), "lumped q=%d", 2 * (i + 1));
        gb_stencil_clear(st);
    }
    mpq_clears(r, x, (mpq_ptr)0);
}

/* two routes to one number: the basis Gram formula on FEM hats reproduces the rational at finite N */
Test(predict, fem_basis_route_equals_the_rational)
{
    gb_data_spec s;
    gb_data_spec_default(&s);
    s.family = GB_FAMILY_FEM;
    s.N = 23;
    s.k = 1.3;
    for (int q = 2; q <= 8; q += 2) {
        gb_stencil_t st;
        gb_stencil_init(st, q);
        mpfr_t w, d;
        mpfr_inits2(200, w, d, (mpfr_ptr)0);
        gb_fd_pred_inf(w, d, &s, st);
        mpq_t r;
        mpq_init(r);
        gb_fd_fem_ratio(r, st, GB_LOAD_CONSISTENT);
        mpfr_div_d(w, w, 1.3, MPFR_RNDN);
        mpfr_sub_q(w, w, r, MPFR_RNDN);
        cr_assert(below(w, -150), "q=%d", q);
        mpfr_clears(w, d, (mpfr_ptr)0);
        mpq_clear(r);
        gb_stencil_clear(st);
    }
}

/* sines, q = 2: the Gram route equals Σ r_m / Σ r_m² (SPEC FD-5) */
Test(predict, sine_mixture_q2_closed_form)
{
    gb_stencil_t st;
    gb_stencil_init(st, 2);
    for (int p = 1; p <= 8; p++) {
        gb_data_spec s;
        gb_data_spec_default(&s);
        s.family = GB_FAMILY_SIN;
        s.p = p;
        s.N = 40;
        mpfr_t w, d, r;
        mpfr_inits2(200, w, d, r, (mpfr_ptr)0);
        gb_fd_pred_inf(w, d, &s, st);
        gb_fd_pred_sine_q2(r, p, 40);
        mpfr_sub(w, w, r, MPFR_RNDN);
        cr_assert(below(w, -150), "p=%d", p);
        mpfr_clears(w, d, r, (mpfr_ptr)0);
    }
    gb_stencil_clear(st);
}

/* FD-6: the Taylor sum equals the generic least-squares value on the same draw (any draw: GB_TEST_SEED
 * replays another) */
Test(predict, inverse_fit_taylor_sum_equals_generic_route)
{
    for (int q = 2; q <= 6; q += 2) {
        gb_data_spec s;
        gb_data_spec_default(&s);
        s.p = 8;
        s.N = 20;
        s.S = 30;
        s.seed = gb_test_seed(s.seed);
        gb_dataset_t d;
        cr_assert_eq(gb_dataset_init(d, &s), GB_OK, "GB_TEST_SEED=%lu", s.seed);
        gb_stencil_t st;
        gb_stencil_init(st, q);
        mpfr_t a, b;
        mpfr_inits2(200, a, b, (mpfr_ptr)0);
        gb_fd_pred_inverse(a, d, st);
        gb_fd_pred_sample_inverse(b, d, st);
        mpfr_sub(b, b, a, MPFR_RNDN);
        mpfr_div(b, b, a, MPFR_RNDN);
        cr_assert(below(b, -150), "q=%d: relative difference %.3e (GB_TEST_SEED=%lu)", q, mpfr_get_d(b, MPFR_RNDN), s.seed);
        mpfr_clears(a, b, (mpfr_ptr)0);
        gb_stencil_clear(st);
        gb_dataset_clear(d);
    }
}

/* the infinite-data constant approaches μ_q(p) as N grows (FD-2's 1 + O(Δx)) */
Test(predict, infinite_data_constant_tends_to_mu)
{
    gb_stencil_t st;
    gb_stencil_init(st, 2);
    mpq_t m;
    mpq_init(m);
    gb_fd_mu(m, st, 4);
    double prev = INFINITY;
    for (long N = 32; N <= 256; N *= 2) {
        gb_data_spec s;
        gb_data_spec_default(&s);
        s.p = 4;
        s.N = N;
        mpfr_t w, d;
        mpfr_inits2(128, w, d, (mpfr_ptr)0);
        gb_fd_pred_inf(w, d, &s, st);
        double c = mpfr_get_d(d, MPFR_RNDN) * N * N, gap = fabs(c / mpq_get_d(m) - 1);
        cr_assert(gap < 0.6 * prev, "N=%ld gap %g", N, gap);
        prev = gap;
        mpfr_clears(w, d, (mpfr_ptr)0);
    }
    mpq_clear(m);
    gb_stencil_clear(st);
}

/* SPEC §11, BH-1: on the biharmonic's 5-point window (nodes 2..N−2) the Gram route equals the weighted law
 * Σ r_m W_m / Σ r_m² W_m; the rate constants of the 5-point stencil */
Test(predict, biharmonic_sine_mixture_weighted_law)
{
    gb_stencil_t st;
    gb_stencil_init_op(st, 4, 2);
    for (int p = 1; p <= 8; p++) {
        gb_data_spec s;
        gb_data_spec_default(&s);
        s.equation = GB_EQ_BIHARMONIC;
        s.family = GB_FAMILY_SIN;
        s.p = p;
        s.N = 24;
        mpfr_t w, d, r;
        mpfr_inits2(200, w, d, r, (mpfr_ptr)0);
        gb_fd_pred_inf(w, d, &s, st);
        gb_fd_pred_sine_mixture(r, 4, 2, p, 24);
        mpfr_sub(r, w, r, MPFR_RNDN);
        cr_assert(below(r, -150), "p=%d", p);
        mpfr_clears(w, d, r, (mpfr_ptr)0);
    }
    gb_stencil_clear(st);
    /* μ of the 5-point stencil on poly p = 2: −(β_6/β_4) (2/3)/(8/15) = −5/24 */
    mpq_t mu, ex;
    mpq_inits(mu, ex, (mpq_ptr)0);
    gb_stencil_init_op(st, 4, 2);
    gb_fd_mu(mu, st, 2);
    mpq_set_si(ex, -5, 24);
    cr_assert(mpq_equal(mu, ex));
    mpfr_t K;
    mpfr_init2(K, 128);
    gb_fd_pred_mixture_const(K, st, 1);   /* |β_6| π² = π²/6 */
    cr_assert_float_eq(mpfr_get_d(K, MPFR_RNDN), M_PI * M_PI / 6, 1e-15);
    mpfr_clear(K);
    mpq_clears(mu, ex, (mpq_ptr)0);
    gb_stencil_clear(st);
}
