#include "stencil/stencil.h"
#include "core/status.h"
#include <math.h>
#include <criterion/criterion.h>
#include "helpers.h"

/* moment conditions: Σ a_l l^j = j! δ_{j2}, j = 0..q */
Test(stencil, moment_conditions_hold_exactly)
{
    for (int q = 2; q <= 8; q += 2) {
        gb_stencil_t st;
        cr_assert_eq(gb_stencil_init(st, q), GB_OK);
        mpq_t m;
        mpq_init(m);
        for (int j = 0; j <= q + 1; j++) {
            gb_stencil_moment(m, st, j);
            cr_assert_eq(mpq_cmp_si(m, j == 2 ? 2 : 0, 1), 0, "q=%d j=%d", q, j);
        }
        /* the first non-vanishing truncation moment is j = q+2 */
        gb_stencil_moment(m, st, q + 2);
        cr_assert_neq(mpq_sgn(m), 0, "q=%d", q);
        mpq_clear(m);
        gb_stencil_clear(st);
    }
}

/* SPEC §3 lists the weights and β_{q+2}; our derivation must reproduce them */
Test(stencil, weights_and_beta_match_spec)
{
    const char *w4[] = {"-1/12", "4/3", "-5/2", "4/3", "-1/12"};
    const char *w8[] = {"-1/560", "8/315", "-1/5", "8/5", "-205/72", "8/5", "-1/5", "8/315", "-1/560"};
    const char *beta[] = {"1/12", "-1/90", "1/560", "-1/3150"};
    gb_stencil_t st;
    mpq_t x;
    mpq_init(x);
    gb_stencil_init(st, 4);
    for (int i = 0; i < 5; i++) {
        mpq_set_str(x, w4[i], 10);
        cr_assert(mpq_equal(x, st->a[i]), "q=4 weight %d", i);
    }
    gb_stencil_clear(st);
    gb_stencil_init(st, 8);
    for (int i = 0; i < 9; i++) {
        mpq_set_str(x, w8[i], 10);
        cr_assert(mpq_equal(x, st->a[i]), "q=8 weight %d", i);
    }
    gb_stencil_clear(st);
    for (int q = 2; q <= 8; q += 2) {
        gb_stencil_init(st, q);
        mpq_t b;
        mpq_init(b);
        gb_stencil_beta(b, st, q + 2);
        mpq_set_str(x, beta[q / 2 - 1], 10);
        cr_assert(mpq_equal(x, b), "beta_%d for q=%d", q + 2, q);
        mpq_clear(b);
        gb_stencil_clear(st);
    }
    mpq_clear(x);
}

Test(stencil, integer_numerators_reproduce_weights)
{
    for (int q = 2; q <= 8; q += 2) {
        gb_stencil_t st;
        gb_stencil_init(st, q);
        long sum = 0;
        for (int i = 0; i <= q; i++) {
            mpq_t t;
            mpq_init(t);
            mpq_set_si(t, st->num[i], 1);
            mpq_set_den(t, st->den);
            mpq_canonicalize(t);
            cr_assert(mpq_equal(t, st->a[i]));
            sum += st->num[i];
            mpq_clear(t);
        }
        cr_assert_eq(sum, 0, "integer weights must annihilate constants exactly");
        gb_stencil_clear(st);
    }
}

/* the symbol from the weights equals the closed form, at 256 bits, for many θ */
Test(stencil, symbol_matches_closed_form)
{
    mpfr_t th, a, b, d;
    mpfr_inits2(256, th, a, b, d, (mpfr_ptr)0);
    for (int q = 2; q <= 8; q += 2) {
        gb_stencil_t st;
        gb_stencil_init(st, q);
        for (int i = 1; i <= 40; i++) {
            mpfr_const_pi(th, MPFR_RNDN);
            mpfr_mul_d(th, th, i / 40.0, MPFR_RNDN);   /* θ ∈ (0, π] */
            gb_stencil_symbol(a, st, th);
            gb_stencil_symbol_closed(b, q, th);
            mpfr_sub(d, a, b, MPFR_RNDN);
            cr_assert(below(d, -240), "q=%d θ=%d/40 π", q, i);
        }
        gb_stencil_clear(st);
    }
    mpfr_clears(th, a, b, d, (mpfr_ptr)0);
}

Test(stencil, rejects_bad_orders)
{
    gb_stencil_t st;
    cr_assert_eq(gb_stencil_init(st, 3), GB_EINVAL);
    cr_assert_eq(gb_stencil_init(st, 10), GB_EINVAL);
    cr_assert_eq(gb_stencil_init(st, 0), GB_EINVAL);
}

Test(stencil, perturbation_breaks_consistency)
{
    gb_stencil_t st;
    gb_stencil_init(st, 4);
    mpq_t d, m;
    mpq_inits(d, m, (mpq_ptr)0);
    mpq_set_si(d, 1, 1024);
    gb_stencil_perturb(st, 0, d);
    gb_stencil_moment(m, st, 0);
    cr_assert(mpq_equal(m, d));
    mpq_clears(d, m, (mpq_ptr)0);
    gb_stencil_clear(st);
}

/* SPEC §11: the biharmonic's operator L = −d⁴/dx⁴; order 2 is the 5-point [1, −4, 6, −4, 1]/Δx⁴ (negated), order 4
 * the 7-point [−1, 12, −39, 56, −39, 12, −1]/(6Δx⁴) (negated); β_4 = −1, the lower moments vanish */
Test(stencil, biharmonic_weights_and_moments)
{
    const char *w2[] = {"-1", "4", "-6", "4", "-1"};
    const char *w4[] = {"1/6", "-2", "13/2", "-28/3", "13/2", "-2", "1/6"};
    mpq_t x;
    mpq_init(x);
    gb_stencil_t st;
    cr_assert_eq(gb_stencil_init_op(st, 4, 2), GB_OK);
    cr_assert_eq(st->r, 2);
    for (int i = 0; i < 5; i++) {
        mpq_set_str(x, w2[i], 10);
        cr_assert(mpq_equal(x, st->a[i]), "q=2 weight %d", i);
    }
    gb_stencil_clear(st);
    cr_assert_eq(gb_stencil_init_op(st, 4, 4), GB_OK);
    cr_assert_eq(st->r, 3);
    for (int i = 0; i < 7; i++) {
        mpq_set_str(x, w4[i], 10);
        mpq_canonicalize(x);
        cr_assert(mpq_equal(x, st->a[i]), "q=4 weight %d", i);
    }
    gb_stencil_clear(st);
    for (int q = 2; q <= 8; q += 2) {
        cr_assert_eq(gb_stencil_init_op(st, 4, q), GB_OK);
        for (int j = 0; j < q + 4; j++) {
            gb_stencil_beta(x, st, j);
            cr_assert_eq(mpq_cmp_si(x, j == 4 ? -1 : 0, 1), 0, "q=%d j=%d", q, j);
        }
        gb_stencil_beta(x, st, q + 4);
        cr_assert_neq(mpq_sgn(x), 0, "q=%d", q);
        gb_stencil_clear(st);
    }
    gb_stencil_beta(x, (gb_stencil_init_op(st, 4, 2), st), 6);
    cr_assert_eq(mpq_cmp_si(x, -1, 6), 0, "β_6 of the 5-point stencil");
    gb_stencil_clear(st);
    cr_assert_eq(gb_stencil_init_op(st, 3, 2), GB_EINVAL);
    cr_assert_eq(gb_stencil_init_op(st, 4, 3), GB_EINVAL);
    mpq_clear(x);
}

/* the closed-form symbol of the order-d operator (series of (θ²)^{d/2} in s² = 4 sin²(θ/2)) equals the symbol
 * from the weights, which it never reads; d = 4, q = 2 is (2 sin(θ/2))⁴ */
Test(stencil, biharmonic_symbol_closed_form_matches_weights)
{
    mpfr_t th, a, b, s;
    mpfr_inits2(256, th, a, b, s, (mpfr_ptr)0);
    for (int q = 2; q <= 8; q += 2)
        for (int d = 2; d <= 4; d += 2) {
            gb_stencil_t st;
            gb_stencil_init_op(st, d, q);
            for (int i = 1; i <= 7; i++) {
                mpfr_set_d(th, 0.41 * i, MPFR_RNDN);
                gb_stencil_symbol(a, st, th);
                gb_stencil_symbol_closed_op(b, d, q, th);
                mpfr_sub(s, a, b, MPFR_RNDN);
                cr_assert(below(s, -230), "d=%d q=%d θ=%.2f", d, q, 0.41 * i);
            }
            gb_stencil_clear(st);
        }
    mpfr_set_d(th, 1.3, MPFR_RNDN);
    gb_stencil_symbol_closed_op(a, 4, 2, th);
    mpfr_div_2ui(s, th, 1, MPFR_RNDN);
    mpfr_sin(s, s, MPFR_RNDN);
    mpfr_mul_2ui(s, s, 1, MPFR_RNDN);
    mpfr_pow_ui(s, s, 4, MPFR_RNDN);
    mpfr_sub(s, s, a, MPFR_RNDN);
    cr_assert(below(s, -240));
    mpfr_clears(th, a, b, s, (mpfr_ptr)0);
}

/* the evaluation on doubles scales by N⁴ for d = 4: u = x⁴ has u'''' = 24 exactly, so FD u = −24 on every node */
Test(stencil, biharmonic_apply_scales_by_n4)
{
    long N = 20;
    double u[21];
    for (long i = 0; i <= N; i++)
        u[i] = pow((double)i / N, 4);
    gb_stencil_t st;
    gb_stencil_init_op(st, 4, 2);
    long double D[17];
    gb_stencil_apply_ld(D, st, u, 2, 17, N);
    for (int j = 0; j < 17; j++)
        cr_assert(fabsl(D[j] + 24.0L) < 1e-8L, "node %d: %Lg", j + 2, D[j]);
    gb_stencil_clear(st);
}
