/* The heat-equation analogue of the companion paper (src/npde/heat.c): the periodic schemes act on a Fourier
 * mode by their symbols, the exact-exponential data decay mode by mode, the fit of ν̂ and its closed form agree,
 * and bad specifications are refused by name. */
#include "core/status.h"
#include "npde/heat.h"
#include "stencil/stencil.h"
#include "claims.h"
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

Test(npde, periodic_scheme_acts_on_a_mode_by_its_symbol)
{
    long N = 48;
    double u[48], D[48], dx = 2 * M_PI / N;
    for (int q = 2; q <= 6; q += 2)
        for (int m = 1; m < N / 2; m += 5) {
            for (long j = 0; j < N; j++)
                u[j] = cos(m * j * dx) + 0.5 * sin(m * j * dx);
            gb_heat_apply(D, u, N, q);
            mpfr_t th, s;
            mpfr_inits2(128, th, s, (mpfr_ptr)0);
            mpfr_set_d(th, m * dx, MPFR_RNDN);
            gb_stencil_symbol_closed(s, q, th);
            double sig = mpfr_get_d(s, MPFR_RNDN) / (dx * dx);
            mpfr_clears(th, s, (mpfr_ptr)0);
            for (long j = 0; j < N; j++)
                cr_assert(fabs(D[j] + sig * u[j]) <= 1e-12 * (1 + sig), "q=%d m=%d node %ld", q, m, j);
        }
}

Test(npde, snapshots_decay_by_the_data_schemes_symbol_and_the_fit_matches_the_closed_form)
{
    gb_heat_spec s;
    gb_heat_spec_default(&s);
    s.N = 32;
    s.mode = 5;
    s.J = 3;
    double *U = malloc(sizeof(double) * s.J * s.N);
    cr_assert_eq(gb_heat_snapshots(U, &s, 4), GB_OK);
    /* cos(5x) with amplitude exp(−ν σ_4(θ) t/Δx²) at t = T/2 and T */
    double dx = 2 * M_PI / s.N, th = 5 * dx;
    mpfr_t m;
    mpfr_init2(m, 128);
    mpfr_set_d(m, th, MPFR_RNDN);
    gb_stencil_symbol_closed(m, 4, m);
    double lam = s.nu * mpfr_get_d(m, MPFR_RNDN) / (dx * dx);
    mpfr_clear(m);
    for (long j = 0; j < s.J; j++)
        for (long i = 0; i < s.N; i++)
            cr_assert(fabs(U[j * s.N + i] - exp(-lam * s.T * j / 2.0) * cos(5 * i * dx)) < 1e-14, "t_%ld x_%ld", j, i);
    /* single mode: ν̂/ν = σ_4/σ_2 exactly, by the fit and by the closed form */
    double fit = gb_heat_fit_nu(U, s.J, s.N, s.nu, 4, 2) / s.nu;
    mpfr_t r, a, b, t;
    mpfr_inits2(256, r, a, b, t, (mpfr_ptr)0);
    cr_assert_eq(gb_heat_pred_nu_ratio(r, &s, 4, 2), GB_OK);
    mpfr_set_d(t, th, MPFR_RNDN);
    mpfr_const_pi(t, MPFR_RNDN);
    mpfr_mul_ui(t, t, 10, MPFR_RNDN);
    mpfr_div_ui(t, t, 32, MPFR_RNDN);   /* θ = 5 · 2π/32 */
    gb_stencil_symbol_closed(a, 4, t);
    gb_stencil_symbol_closed(b, 2, t);
    mpfr_div(a, a, b, MPFR_RNDN);
    cr_assert(fabs(mpfr_get_d(r, MPFR_RNDN) / mpfr_get_d(a, MPFR_RNDN) - 1) < 1e-15);
    cr_assert(fabs(fit / mpfr_get_d(a, MPFR_RNDN) - 1) < 1e-13, "fit %.17g", fit);
    cr_assert(fit > 1.001, "σ_4 > σ_2 at θ = %g: the learned ν̂ exceeds ν", th);
    mpfr_clears(r, a, b, t, (mpfr_ptr)0);
    free(U);
}

Test(npde, bad_specifications_are_refused_by_name)
{
    gb_heat_spec s;
    char msg[256];
    gb_heat_spec_default(&s);
    cr_assert_eq(gb_heat_spec_check(&s, msg, sizeof msg), GB_OK);
    s.N = 4;
    cr_assert_eq(gb_heat_spec_check(&s, msg, sizeof msg), GB_EINVAL);
    cr_assert(strstr(msg, "N = 4"), "%s", msg);
    gb_heat_spec_default(&s);
    s.modes = 32;   /* N/2: the Nyquist mode */
    cr_assert_eq(gb_heat_spec_check(&s, msg, sizeof msg), GB_EINVAL);
    cr_assert(strstr(msg, "modes"), "%s", msg);
    gb_heat_spec_default(&s);
    s.nu = NAN;
    cr_assert_eq(gb_heat_spec_check(&s, msg, sizeof msg), GB_EINVAL);
    s.nu = 0.1;
    s.J = 1;
    cr_assert_eq(gb_heat_spec_check(&s, msg, sizeof msg), GB_EINVAL);
    s.J = 11;
    s.T = -1;
    cr_assert_eq(gb_heat_spec_check(&s, NULL, 0), GB_EINVAL);
    s.T = 1;
    s.prec = 8;
    cr_assert_eq(gb_heat_spec_check(&s, msg, sizeof msg), GB_EINVAL);
}

/* NPDE-1 passes and flips when the prediction forgets the data's truncation (ν̂ = ν) */
Test(npde, npde1_passes_and_fails_without_the_truncation, .timeout = 120)
{
    cr_assert_eq(gb_test_claim("NPDE-1", 0, 0), GB_PASS);
    cr_assert_eq(gb_test_claim("NPDE-1", GB_FAULT_WSTAR, 0), GB_FAIL);
}

/* NPDE-7 passes, and expecting the rate of the wrong scheme (max(p, k)) fails it */
Test(npde, npde7_passes_and_fails_on_the_wrong_rate, .timeout = 120)
{
    cr_assert_eq(gb_test_claim("NPDE-7", 0, 1), GB_PASS);
    cr_assert_eq(gb_test_claim("NPDE-7", GB_FAULT_CONSTANT, 1), GB_FAIL);
}

/* NPDE-2 passes, and predicting no correction (the model needs none) fails it */
Test(npde, npde2_passes_and_fails_without_the_truncation_difference)
{
    cr_assert_eq(gb_test_claim("NPDE-2", 0, 0), GB_PASS);
    cr_assert_eq(gb_test_claim("NPDE-2", GB_FAULT_WSTAR, 0), GB_FAIL);
}

/* the fitted correction of matched-width data is the two schemes' weight difference, ν (a_p − a_k)/Δx² */
Test(npde, correction_stencil_is_the_weight_difference)
{
    gb_heat_spec s;
    gb_heat_spec_default(&s);
    s.N = 32;
    double *U = malloc(sizeof(double) * s.J * s.N), c[5], d[3];
    cr_assert_eq(gb_heat_snapshots(U, &s, 4), GB_OK);
    cr_assert_eq(gb_heat_fit_correction(c, U, s.J, s.N, s.nu, 4, 2, 2), GB_OK);
    cr_assert_eq(gb_heat_pred_correction(d, &s, 4, 2, 2), GB_OK);
    /* FD_4 − FD_2 at offsets 0, 1, 2: −5/2 + 2, 4/3 − 1, −1/12 (over Δx²) */
    double dx2 = (2 * M_PI / s.N) * (2 * M_PI / s.N), want[3] = {-0.5, 1.0 / 3, -1.0 / 12};
    for (int l = 0; l <= 2; l++) {
        cr_assert(fabs(d[l] - s.nu * want[l] / dx2) < 1e-10 * s.nu / dx2, "closed form d_%d = %.15g", l, d[l]);
        cr_assert(fabs(c[2 + l] - s.nu * want[l] / dx2) < 1e-8 * s.nu / dx2, "learned c_%d = %.15g", l, c[2 + l]);
    }
    /* fewer modes than unknowns: the normal equations are singular, said so */
    s.mode = 3;
    cr_assert_eq(gb_heat_snapshots(U, &s, 4), GB_OK);
    cr_assert_eq(gb_heat_fit_correction(c, U, s.J, s.N, s.nu, 4, 2, 2), GB_EINVAL);
    free(U);
}

/* NPDE-3 passes, and a closed form that forgets the learned truncation (ν̂ = ν) fails it */
Test(npde, npde3_passes_and_fails_without_the_truncation)
{
    cr_assert_eq(gb_test_claim("NPDE-3", 0, 0), GB_PASS);
    cr_assert_eq(gb_test_claim("NPDE-3", GB_FAULT_WSTAR, 0), GB_FAIL);
}

/* NPDE-0 passes (orders 2, 4, 6), and a closed form on the wrong mode (an off-by-one grid) fails it */
Test(npde, npde0_passes_and_fails_on_an_off_by_one_mode)
{
    cr_assert_eq(gb_test_claim("NPDE-0", 0, 0), GB_PASS);
    cr_assert_eq(gb_test_claim("NPDE-0", GB_FAULT_GRID, 0), GB_FAIL);
}
