#include "core/status.h"
#include "learn/fd_model.h"
#include "predict/fd_predict.h"
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

/* FD-4 on three samples, N = 20 (not a power of two), k = 0.6 */
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
        gb_dataset_t d;
        gb_dataset_init(d, &s);
        gb_fd_fit r;
        int st;
        fit(&r, d, q, &st);
        cr_assert_eq(st, GB_OK);
        mpfr_t w;
        mpfr_init2(w, 128);
        gb_fd_pred_single_mode(w, q, 3, 20, 0.6);
        double wp = mpfr_get_d(w, MPFR_RNDN);
        mpfr_clear(w);
        cr_assert(fabs(r.w_ls / wp - 1) < 1e-14, "q=%d: %.17g vs %.17g", q, r.w_ls, wp);
        cr_assert(fabs(r.w_gd / wp - 1) < 1e-14, "q=%d GD", q);
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
    gb_dataset_t d;
    gb_dataset_init(d, &s);
    d->u[2 * 17 + 5] = NAN;
    gb_fd_fit r;
    int st;
    fit(&r, d, 2, &st);
    cr_assert_eq(st, GB_ENONFIN);
    gb_dataset_clear(d);
}

/* measured w equals the finite-sample exact prediction to round-off; the
 * estimated floor is not absurdly loose (measured deviation is within it) */
Test(learn, least_squares_matches_the_exact_finite_sample_value)
{
    gb_data_spec s;
    gb_data_spec_default(&s);
    s.p = 6;
    s.N = 48;
    s.S = 200;
    gb_dataset_t d;
    gb_dataset_init(d, &s);
    gb_stencil_t st;
    gb_stencil_init(st, 4);
    gb_fd_fit r;
    gb_fd_fit_opts o;
    gb_fd_fit_opts_default(&o);
    cr_assert_eq(gb_fd_fit_run(&r, d, st, &o), GB_OK);
    mpfr_t w, dl;
    mpfr_inits2(256, w, dl, (mpfr_ptr)0);
    gb_fd_pred_sample(w, dl, d, st);
    double pred = mpfr_get_d(dl, MPFR_RNDN);
    cr_assert(fabs(r.rel_ls - pred) <= 10 * r.roundoff_rel, "%.6e vs %.6e (σ %.1e)", r.rel_ls, pred, r.roundoff_rel);
    cr_assert(r.roundoff_rel < 1e-15);
    cr_assert(isfinite(r.se_w) && r.se_w > 0);
    mpfr_clears(w, dl, (mpfr_ptr)0);
    gb_stencil_clear(st);
    gb_dataset_clear(d);
}
