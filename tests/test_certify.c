/* Certified enclosures: the Arb balls contain the MPFR predictions they certify, are tight, and reject a value
 * one part in 1e15 off. */
#include "certify/enclose.h"
#include "predict/fd_predict.h"
#include "predict/lin_predict.h"
#include <criterion/criterion.h>
#include <math.h>

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
