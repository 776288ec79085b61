#include "stencil/stencil.h"
#include "core/status.h"
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
