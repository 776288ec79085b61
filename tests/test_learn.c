#include "core/status.h"
#include "learn/fd_model.h"
#include "predict/fd_predict.h"
#include "helpers.h"
#include <criterion/criterion.h>
#include <math.h>

static void fit(gb_fd_fit *res, gb_dataset_t d, int q, int *status)
{
    gb_stencil_t st;
    gb_stencil_init(st, q);
    gb_fd_fit_opts o;
    gb_fd_fit_opts_default(&o);
    *status = gb_fd_fit_run(res, d, st, &o);
    gb_stencil_clear(st);
}

/* FD-4 on three samples, N = 20 (not a power of two), k = 0.6; the ratio is the symbol's whatever the
 * draw (GB_TEST_SEED replays another) */
Test(learn, single_mode_gives_the_symbol_ratio)
{
    for (int q = 2; q <= 8; q += 2) {
        gb_data_spec s;
        gb_data_spec_default(&s);
        s.family = GB_FAMILY_SIN;
        s.mode = 3;
        s.N = 20;
        s.S = 3;
        s.k = 0.6;
        s.seed = gb_test_seed(s.seed);
        gb_dataset_t d;
        cr_assert_eq(gb_dataset_init(d, &s), GB_OK, "GB_TEST_SEED=%lu", s.seed);
        gb_fd_fit r;
        int st;
        fit(&r, d, q, &st);
        cr_assert_eq(st, GB_OK, "q=%d (GB_TEST_SEED=%lu)", q, s.seed);
        mpfr_t w;
        mpfr_init2(w, 128);
        gb_fd_pred_single_mode(w, q, 3, 20, 0.6);
        double wp = mpfr_get_d(w, MPFR_RNDN);
        mpfr_clear(w);
        cr_assert(fabs(r.w_ls / wp - 1) < 1e-14, "q=%d: %.17g vs %.17g (GB_TEST_SEED=%lu)", q, r.w_ls, wp, s.seed);
        cr_assert(fabs(r.w_gd / wp - 1) < 1e-14, "q=%d GD: %.17g vs %.17g (GB_TEST_SEED=%lu)", q, r.w_gd, wp, s.seed);
        gb_dataset_clear(d);
    }
}

Test(learn, nan_in_the_data_is_an_error)
{
    gb_data_spec s;
    gb_data_spec_default(&s);
    s.p = 3;
    s.N = 16;
    s.S = 4;
    s.seed = gb_test_seed(s.seed);
    gb_dataset_t d;
    cr_assert_eq(gb_dataset_init(d, &s), GB_OK, "GB_TEST_SEED=%lu", s.seed);
    d->u[2 * 17 + 5] = NAN;
    gb_fd_fit r;
    int st;
    fit(&r, d, 2, &st);
    cr_assert_eq(st, GB_ENONFIN, "GB_TEST_SEED=%lu", s.seed);
    gb_dataset_clear(d);
}

/* measured w equals the finite-sample exact prediction to round-off; the
 * estimated floor is not absurdly loose (measured deviation is within it); on any draw */
Test(learn, least_squares_matches_the_exact_finite_sample_value)
{
    gb_data_spec s;
    gb_data_spec_default(&s);
    s.p = 6;
    s.N = 48;
    s.S = 200;
    s.seed = gb_test_seed(s.seed);
    gb_dataset_t d;
    cr_assert_eq(gb_dataset_init(d, &s), GB_OK, "GB_TEST_SEED=%lu", s.seed);
    gb_stencil_t st;
    gb_stencil_init(st, 4);
    gb_fd_fit r;
    gb_fd_fit_opts o;
    gb_fd_fit_opts_default(&o);
    cr_assert_eq(gb_fd_fit_run(&r, d, st, &o), GB_OK, "GB_TEST_SEED=%lu", s.seed);
    mpfr_t w, dl;
    mpfr_inits2(256, w, dl, (mpfr_ptr)0);
    gb_fd_pred_sample(w, dl, d, st);
    double pred = mpfr_get_d(dl, MPFR_RNDN);
    cr_assert(fabs(r.rel_ls - pred) <= 10 * r.roundoff_rel, "%.6e vs %.6e (σ %.1e; GB_TEST_SEED=%lu)", r.rel_ls, pred,
              r.roundoff_rel, s.seed);
    cr_assert(r.roundoff_rel < 1e-15, "round-off %.3e (GB_TEST_SEED=%lu)", r.roundoff_rel, s.seed);
    cr_assert(isfinite(r.se_w) && r.se_w > 0, "se %g (GB_TEST_SEED=%lu)", r.se_w, s.seed);
    mpfr_clears(w, dl, (mpfr_ptr)0);
    gb_stencil_clear(st);
    gb_dataset_clear(d);
}

/* the learned model as a solver: w L_h u = f on the interior with zero ends, i.e. u = Δx G f / w
 * (FD-8 with k = 1); checked through the residual of the stencil itself and against the exact
 * discrete solution of a single sine mode, u = Δx² s_m/(w σ₂(θ)) */
Test(learn, fd_solve_inverts_the_learned_equation)
{
    static const long Ns[] = {2, 3, 16, 33};
    for (int g = 0; g < 4; g++) {
        long N = Ns[g];
        double f[34], u[34], w = 0.93;
        for (long i = 0; i <= N; i++)
            f[i] = sin(1.7 * i) + 0.25 * i;
        gb_fd_solve(u, f, N, w);
        cr_assert_eq(u[0], 0.0);
        cr_assert_eq(u[N], 0.0);
        for (long i = 1; i < N; i++) {
            double r = w * (2 * u[i] - u[i - 1] - u[i + 1]) * N * N;
            cr_assert(fabs(r - f[i]) <= 1e-12 * (1 + fabs(f[i])), "N=%ld i=%ld: residual %.3e", N, i, r - f[i]);
        }
        int m = 1 + (int)(N / 3);
        double th = M_PI * m / N, sig = 4 * sin(th / 2) * sin(th / 2);
        for (long i = 0; i <= N; i++)
            f[i] = sin(m * M_PI * i / N);
        gb_fd_solve(u, f, N, w);
        for (long i = 1; i < N; i++)
            cr_assert(fabs(u[i] - f[i] / ((double)N * N * w * sig)) <= 1e-13, "N=%ld mode %d node %ld", N, m, i);
    }
}
