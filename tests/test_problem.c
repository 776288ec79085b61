#include "problem/problem.h"
#include "core/grid.h"
#include "predict/lin_predict.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "helpers.h"

#define P 512

/* -k u'' = f checked by a centred difference with h = 2^-60 at 512 bits:
 * independent of the derivative formulas used elsewhere */
Test(problem, exact_solutions_satisfy_the_ode)
{
    mpfr_t x, xp, xm, k, u0, up, um, f, d2, h;
    mpfr_inits2(P, x, xp, xm, k, u0, up, um, f, d2, h, (mpfr_ptr)0);
    mpfr_set_d(k, 1.7, MPFR_RNDN);
    mpfr_set_ui_2exp(h, 1, -60, MPFR_RNDN);
    for (int fam = 0; fam < 3; fam++)
        for (int i = 0; i <= 8; i++) {
            if (fam && !i)
                continue;
            for (int j = 1; j <= 7; j++) {
                mpfr_set_d(x, j / 8.0 + 0.013, MPFR_RNDN);
                mpfr_add(xp, x, h, MPFR_RNDN);
                mpfr_sub(xm, x, h, MPFR_RNDN);
                gb_basis_solution(u0, GB_EQ_POISSON, fam, i, x, k);
                gb_basis_solution(up, GB_EQ_POISSON, fam, i, xp, k);
                gb_basis_solution(um, GB_EQ_POISSON, fam, i, xm, k);
                mpfr_mul_2ui(u0, u0, 1, MPFR_RNDN);
                mpfr_add(d2, up, um, MPFR_RNDN);
                mpfr_sub(d2, d2, u0, MPFR_RNDN);
                mpfr_div(d2, d2, h, MPFR_RNDN);
                mpfr_div(d2, d2, h, MPFR_RNDN);
                mpfr_mul(d2, d2, k, MPFR_RNDN);
                gb_basis_forcing(f, fam, i, x);
                mpfr_add(d2, d2, f, MPFR_RNDN);     /* k u'' + f = 0 */
                cr_assert(below(d2, -90), "%s i=%d x=%d/8",
                          gb_family_name(fam), i, j);
            }
        }
    mpfr_clears(x, xp, xm, k, u0, up, um, f, d2, h, (mpfr_ptr)0);
}

Test(problem, exact_solutions_vanish_on_the_boundary)
{
    mpfr_t x, k, u;
    mpfr_inits2(P, x, k, u, (mpfr_ptr)0);
    mpfr_set_ui(k, 1, MPFR_RNDN);
    for (int fam = 0; fam < 3; fam++)
        for (int i = fam ? 1 : 0; i <= 8; i++)
            for (int e = 0; e <= 1; e++) {
                mpfr_set_ui(x, e, MPFR_RNDN);
                gb_basis_solution(u, GB_EQ_POISSON, fam, i, x, k);
                cr_assert(below(u, -P + 8), "%s i=%d x=%d",
                          gb_family_name(fam), i, e);
            }
    mpfr_clears(x, k, u, (mpfr_ptr)0);
}

/* the P1 FEM with consistent load is nodally exact for linear forcing: f = x gives (x - x³)/6 */
Test(problem, fem_is_nodally_exact_for_linear_forcing)
{
    long N = 37;
    mpfr_t f[38], u[38], w[76], k, x, ex, d;
    mpfr_inits2(256, k, x, ex, d, (mpfr_ptr)0);
    mpfr_set_d(k, 2.5, MPFR_RNDN);
    for (long i = 0; i <= N; i++) {
        mpfr_inits2(256, f[i], u[i], w[i], w[N + 1 + i], (mpfr_ptr)0);
        gb_grid_node(f[i], i, N);
    }
    gb_fem_solve(u, f, N, k, GB_LOAD_CONSISTENT, w);
    for (long i = 0; i <= N; i++) {
        gb_grid_node(x, i, N);
        gb_basis_solution(ex, GB_EQ_POISSON, GB_FAMILY_POLY, 1, x, k);
        mpfr_sub(d, ex, u[i], MPFR_RNDN);
        cr_assert(below(d, -240), "node %ld", i);
    }
    for (long i = 0; i <= N; i++)
        mpfr_clears(f[i], u[i], w[i], w[N + 1 + i], (mpfr_ptr)0);
    mpfr_clears(k, x, ex, d, (mpfr_ptr)0);
}

/* FD-8 in rationals, and its failure when the operator is wrong */
Test(problem, discrete_green_identity_is_exact)
{
    mpq_t k;
    mpq_init(k);
    for (long N = 2; N <= 40; N++) {
        mpq_set_ui(k, 1, 1);
        cr_assert_eq(gb_green_discrete_identity_defects(N, k), 0, "N=%ld", N);
        mpq_set_ui(k, 7, 3);
        cr_assert_eq(gb_green_discrete_identity_defects(N, k), 0, "N=%ld k=7/3", N);
    }
    mpq_clear(k);
}

Test(problem, green_series_converges_to_green)
{
    mpfr_t x, s, k, g, gs, d;
    mpfr_inits2(128, x, s, k, g, gs, d, (mpfr_ptr)0);
    mpfr_set_d(x, 0.5, MPFR_RNDN);
    mpfr_set_d(s, 0.5, MPFR_RNDN);
    mpfr_set_ui(k, 1, MPFR_RNDN);
    gb_green(g, x, s, k);
    cr_assert_float_eq(mpfr_get_d(g, MPFR_RNDN), 0.25, 1e-16);
    /* SPEC GRN-3: deficit G - G_p at (1/2,1/2) is 0.047358 for p = 1, 0.012601 for p = 8 */
    gb_green_series(gs, x, s, k, 1);
    mpfr_sub(d, g, gs, MPFR_RNDN);
    cr_assert_float_eq(mpfr_get_d(d, MPFR_RNDN), 0.047358, 5e-7);
    gb_green_series(gs, x, s, k, 8);
    mpfr_sub(d, g, gs, MPFR_RNDN);
    cr_assert_float_eq(mpfr_get_d(d, MPFR_RNDN), 0.012601, 5e-7);
    mpfr_clears(x, s, k, g, gs, d, (mpfr_ptr)0);
}

Test(problem, family_names_round_trip)
{
    for (int i = 0; i < 4; i++) {
        gb_family f;
        cr_assert_eq(gb_family_parse(&f, gb_family_name(i)), 0);
        cr_assert_eq((int)f, i);
    }
    gb_family f;
    cr_assert_neq(gb_family_parse(&f, "sine"), 0);
}

/* SPEC §11: k u'''' = f checked by the 5-point fourth difference with h = 2^-40 at 512 bits (independent of the
 * closed forms' derivative code), and against that code's fourth derivative; u = u'' = 0 at both ends */
Test(problem, biharmonic_solutions_satisfy_the_ode_and_the_boundary_conditions)
{
    mpfr_t x, y, k, u, f, d4, h, t;
    mpfr_inits2(P, x, y, k, u, f, d4, h, t, (mpfr_ptr)0);
    mpfr_set_d(k, 1.7, MPFR_RNDN);
    mpfr_set_ui_2exp(h, 1, -40, MPFR_RNDN);
    static const int w[] = {1, -4, 6, -4, 1};
    for (int fam = 0; fam < 3; fam++)
        for (int i = fam ? 1 : 0; i <= 8; i++) {
            for (int j = 1; j <= 7; j++) {
                mpfr_set_d(x, j / 8.0 + 0.013, MPFR_RNDN);
                mpfr_set_zero(d4, 1);
                for (int l = -2; l <= 2; l++) {
                    mpfr_mul_si(y, h, l, MPFR_RNDN);
                    mpfr_add(y, y, x, MPFR_RNDN);
                    gb_basis_solution(u, GB_EQ_BIHARMONIC, fam, i, y, k);
                    mpfr_mul_si(u, u, w[l + 2], MPFR_RNDN);
                    mpfr_add(d4, d4, u, MPFR_RNDN);
                }
                for (int e = 0; e < 4; e++)
                    mpfr_div(d4, d4, h, MPFR_RNDN);
                mpfr_mul(d4, d4, k, MPFR_RNDN);
                gb_basis_forcing(f, fam, i, x);
                mpfr_sub(t, d4, f, MPFR_RNDN);            /* k u'''' − f = 0 */
                cr_assert(below(t, -60), "%s i=%d x=%d/8 (difference)", gb_family_name(fam), i, j);
                gb_basis_solution_deriv(u, GB_EQ_BIHARMONIC, fam, i, 4, x, k);
                mpfr_mul(u, u, k, MPFR_RNDN);
                mpfr_sub(t, u, f, MPFR_RNDN);
                cr_assert(below(t, -P + 16), "%s i=%d x=%d/8 (fourth derivative)", gb_family_name(fam), i, j);
            }
            for (int e = 0; e <= 1; e++) {
                mpfr_set_ui(x, e, MPFR_RNDN);
                gb_basis_solution(u, GB_EQ_BIHARMONIC, fam, i, x, k);
                cr_assert(below(u, -P + 16), "%s i=%d u(%d)", gb_family_name(fam), i, e);
                gb_basis_solution_deriv(u, GB_EQ_BIHARMONIC, fam, i, 2, x, k);
                cr_assert(below(u, -P + 16), "%s i=%d u''(%d)", gb_family_name(fam), i, e);
            }
        }
    /* the classic plate: f = 1 gives (x − 2x³ + x⁴)/(24k) */
    mpfr_set_d(x, 0.3, MPFR_RNDN);
    gb_basis_solution(u, GB_EQ_BIHARMONIC, GB_FAMILY_POLY, 0, x, k);
    mpfr_mul(u, u, k, MPFR_RNDN);
    cr_assert_float_eq(mpfr_get_d(u, MPFR_RNDN), (0.3 - 2 * 0.027 + 0.0081) / 24, 1e-17);
    mpfr_clears(x, y, k, u, f, d4, h, t, (mpfr_ptr)0);
}

Test(problem, equation_names_round_trip)
{
    gb_equation eq;
    for (int e = 0; e < 2; e++) {
        cr_assert_eq(gb_equation_parse(&eq, gb_equation_name((gb_equation)e)), 0);
        cr_assert_eq((int)eq, e);
    }
    cr_assert_eq(gb_equation_order(GB_EQ_POISSON), 2);
    cr_assert_eq(gb_equation_order(GB_EQ_BIHARMONIC), 4);
    cr_assert_neq(gb_equation_parse(&eq, "heat"), 0);
}

/* the mixed P1 method for the biharmonic converges at order 2 to the exact solution (f = sin πx: nodal error
 * ratio ≈ 4 when N doubles), and its first solve is Poisson's */
Test(problem, biharmonic_mixed_fem_converges_at_order_two)
{
    double err[2];
    for (int g = 0; g < 2; g++) {
        long N = 32L << g, n = N + 1;
        mpfr_t *f = malloc(sizeof(mpfr_t) * n), *u = malloc(sizeof(mpfr_t) * n), *w = malloc(sizeof(mpfr_t) * 3 * n);
        mpfr_t k, x, ex, d;
        mpfr_inits2(256, k, x, ex, d, (mpfr_ptr)0);
        mpfr_set_d(k, 2.5, MPFR_RNDN);
        for (long i = 0; i < n; i++) {
            mpfr_inits2(256, f[i], u[i], w[i], w[n + i], w[2 * n + i], (mpfr_ptr)0);
            gb_grid_node(x, i, N);
            gb_basis_forcing(f[i], GB_FAMILY_SIN, 1, x);
        }
        gb_fem_solve_eq(u, f, N, k, GB_LOAD_CONSISTENT, GB_EQ_BIHARMONIC, w);
        err[g] = 0;
        for (long i = 0; i < n; i++) {
            gb_grid_node(x, i, N);
            gb_basis_solution(ex, GB_EQ_BIHARMONIC, GB_FAMILY_SIN, 1, x, k);
            mpfr_sub(d, ex, u[i], MPFR_RNDN);
            err[g] = fmax(err[g], fabs(mpfr_get_d(d, MPFR_RNDN)));
        }
        cr_assert(mpfr_zero_p(u[0]) && mpfr_zero_p(u[N]));
        for (long i = 0; i < n; i++)
            mpfr_clears(f[i], u[i], w[i], w[n + i], w[2 * n + i], (mpfr_ptr)0);
        free(f); free(u); free(w);
        mpfr_clears(k, x, ex, d, (mpfr_ptr)0);
    }
    cr_assert(err[0] > 0 && err[0] / err[1] > 3.8 && err[0] / err[1] < 4.2, "ratio %g", err[0] / err[1]);
}

/* SPEC §11: G₄ = x(1 − s)(2s − s² − x²)/(6k) is cubic in x on each side of s, so the central second difference is
 * exact there: −Δ_h² G₄(·, s) = G(·, s)/k with G Poisson's Green's function for k = 1; it vanishes at the ends, is
 * symmetric, and its eigen-expansion converges to it within Σ_{m>M} 2/(k m⁴π⁴) */
Test(problem, biharmonic_green_function)
{
    mpfr_t x, s, k, one, g0, gp, gm, g1, t, h, xp, xm;
    mpfr_inits2(P, x, s, k, one, g0, gp, gm, g1, t, h, xp, xm, (mpfr_ptr)0);
    mpfr_set_d(k, 1.7, MPFR_RNDN);
    mpfr_set_ui(one, 1, MPFR_RNDN);
    mpfr_set_ui_2exp(h, 1, -20, MPFR_RNDN);
    for (int a = 1; a <= 7; a++)
        for (int b = 1; b <= 7; b++) {
            if (a == b)
                continue;
            mpfr_set_d(x, a / 8.0, MPFR_RNDN);
            mpfr_set_d(s, b / 8.0 + 0.01, MPFR_RNDN);
            mpfr_add(xp, x, h, MPFR_RNDN);
            mpfr_sub(xm, x, h, MPFR_RNDN);
            gb_green4(g0, x, s, k);
            gb_green4(gp, xp, s, k);
            gb_green4(gm, xm, s, k);
            mpfr_mul_2ui(g0, g0, 1, MPFR_RNDN);
            mpfr_sub(t, g0, gp, MPFR_RNDN);
            mpfr_sub(t, t, gm, MPFR_RNDN);
            mpfr_div(t, t, h, MPFR_RNDN);
            mpfr_div(t, t, h, MPFR_RNDN);
            mpfr_mul(t, t, k, MPFR_RNDN);      /* −k Δ_h² G₄ */
            gb_green(g1, x, s, one);
            mpfr_sub(t, t, g1, MPFR_RNDN);
            cr_assert(below(t, -P + 64), "x=%d/8 s=%d/8+0.01", a, b);
            gb_green4(g0, x, s, k);
            gb_green4(g1, s, x, k);
            cr_assert(mpfr_equal_p(g0, g1), "symmetry");
            gb_green_series_eq(gp, GB_EQ_BIHARMONIC, x, s, k, 200);
            mpfr_sub(t, g0, gp, MPFR_RNDN);
            cr_assert(fabs(mpfr_get_d(t, MPFR_RNDN)) < 2.0 / (3 * pow(200, 3) * pow(M_PI, 4) * 1.7) + 1e-30,
                      "series at M = 200: %g", mpfr_get_d(t, MPFR_RNDN));
        }
    mpfr_set_ui(x, 1, MPFR_RNDN);
    gb_green4(g0, x, s, k);
    cr_assert(mpfr_zero_p(g0));
    /* the beam's midpoint deflection under a unit load at the middle: 1/(48k) */
    mpfr_set_d(x, 0.5, MPFR_RNDN);
    gb_green_eq(g0, GB_EQ_BIHARMONIC, x, x, k);
    cr_assert_float_eq(mpfr_get_d(g0, MPFR_RNDN), 1 / (48 * 1.7), 1e-17);
    mpfr_clears(x, s, k, one, g0, gp, gm, g1, t, h, xp, xm, (mpfr_ptr)0);
}

/* the grid form of the expansion (one sine table per node, each entry once) gives gb_green_series_eq's
 * bits on every entry, for both equations, random grids, mode counts and precisions */
Test(problem, green_matrix_from_sine_table_equals_pointwise)
{
    unsigned long seed = gb_test_seed(31), st = seed;
    for (int it = 0; it < 6; it++) {
        long N = gb_test_int(&st, 2, 24), modes = gb_test_int(&st, 1, 12);
        mpfr_prec_t prec = (mpfr_prec_t)gb_test_int(&st, 64, 300);
        gb_equation eq = it % 2 ? GB_EQ_BIHARMONIC : GB_EQ_POISSON;
        double kd = 0.5 + gb_test_uniform(&st), *G = malloc(sizeof(double) * (size_t)((N + 1) * (N + 1)));
        cr_assert(G);
        gb_lin_green_matrix_eq(G, eq, N, kd, modes, prec);
        mpfr_t x, s, k, g;
        mpfr_inits2(prec, x, s, k, g, (mpfr_ptr)0);
        mpfr_set_d(k, kd, MPFR_RNDN);
        for (long i = 0; i <= N; i++)
            for (long j = 0; j <= N; j++) {
                gb_grid_node(x, i, N);
                gb_grid_node(s, j, N);
                gb_green_series_eq(g, eq, x, s, k, modes);
                double want = mpfr_get_d(g, MPFR_RNDN), got = G[i * (N + 1) + j];
                cr_assert(memcmp(&want, &got, sizeof want) == 0,
                          "seed %lu iteration %d: %s N=%ld modes=%ld prec=%ld k=%.17g entry (%ld,%ld): %.17g, "
                          "pointwise %.17g", seed, it, gb_equation_name(eq), N, modes, (long)prec, kd, i,
                          j, got, want);
            }
        mpfr_clears(x, s, k, g, (mpfr_ptr)0);
        free(G);
    }
}
