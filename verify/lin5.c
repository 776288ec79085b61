/* LIN-5 [Q25 §4 + derived]: nested training spaces give lower-triangular test errors.
 * Trained on sin:p with W⁰ = 0, W* f = Σ_{m≤p} c_m u_m, so on sin:p' the error is
 * Σ_{m>p} c_m u_m: zero for p' ≤ p, and by the discrete orthogonality of sines
 *   MSE = (1/(S n)) Σ_s Σ_{m=p+1}^{p'} c_{s,m}² ‖s_m‖² / (k² m⁴ π⁴),  ‖s_m‖² = N/2,
 * exactly on the drawn test set (infinite data: E[c²] = 1 in place of the mean of c²). */
#include "lin_common.h"
#include "core/status.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define LIN5_FLOOR 1e-25   /* p' ≤ p: the test MSE is at the floor, below this */
#define LIN5_TOL 1e-9      /* p' > p: the test MSE against the drawn-set closed form, relative */

static const char *cols[] = {"train p", "test p'", "test MSE measured", "predicted (drawn test set)",
                             "predicted (infinite data)", "relative difference"};

static int const_pi(mpfr_t pi, const void *arg)
{
    (void)arg;
    mpfr_const_pi(pi, MPFR_RNDN);
    return 0;
}

int gb_verify_lin5(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "LIN-1; discrete orthogonality of sines on the grid";
    c->statement = "Trained on sin:p (W⁰ = 0) and tested on sin:p', the test MSE is at the floor for p' ≤ p "
                   "and equals the closed form Σ_{m=p+1}^{p'} E[c_m²]‖s_m‖²/(n k² m⁴π⁴) for p' > p.";
    c->cases.ncols = sizeof cols / sizeof *cols;
    c->cases.cols = cols;
    long N = 64, n = N + 1;
    char extra[256];
    snprintf(extra, sizeof extra,
             "- N = %ld, W⁰ = 0, closed-form W (equal to GD by LIN-1); test sets: seed + %lu\n"
             "- rules: p' ≤ p below %s; p' > p within %s (relative) of the drawn-set closed form\n", N,
             GB_TEST_SEED_OFFSET, GB_NUM("%g", LIN5_FLOOR), GB_NUM("%g", LIN5_TOL));
    gb_verify_params(c, o, GB_USES_DATA | GB_USES_SAMPLES | GB_USES_MPFR, extra);
    double pi;
    if (!gb_verify_dual(&pi, o, const_pi, NULL))
        gb_claim_judge(c, GB_INCONCLUSIVE, "π differs at p and 2p bits");
    double pi4 = pow(pi, 4);
    double worst_low = 0, worst_rel = 0;
    gb_heatmap *hm = gb_claim_heatmap(c, "matrix", "LIN-5: test MSE, train sin:p (rows) → test sin:p' (columns)", 8, 8, 1);
    static const char *const sets[] = {"sin:1", "sin:2", "sin:3", "sin:4", "sin:5", "sin:6", "sin:7", "sin:8"};
    snprintf(hm->xlabel, sizeof hm->xlabel, "test set");
    snprintf(hm->ylabel, sizeof hm->ylabel, "training set");
    hm->xtics = hm->ytics = sets;
    hm->cblabel = "log10 test MSE (absolute)";
    hm->cell_labels = 1;
    for (int p = 1; p <= 8; p++) {
        gb_lin_case k;
        int st = gb_lin_case_init(&k, o, GB_FAMILY_SIN, p, N, 0.0, GB_LOAD_CONSISTENT);
        if (st)
            return st;
        double *W = malloc(sizeof(double) * n * n);
        gb_linear_closed_form(W, &k.L, NULL);
        for (int q = 1; q <= 8; q++) {
            gb_data_spec ts = gb_verify_spec(o, GB_FAMILY_SIN, q, N);
            ts.seed = o->seed + GB_TEST_SEED_OFFSET;
            const gb_dataset_struct *td = gb_fd_dataset_get(&ts);
            double mse = gb_linear_mse(W, td), fs = 0, inf = 0;
            for (int m = p + 1; m <= q; m++) {
                double w = (N / 2.0) / (o->k * o->k * pow(m, 4) * pi4), c2 = 0;
                for (long s = 0; s < ts.S; s++)
                    c2 += td->coef[s * td->nb + (m - 1)] * td->coef[s * td->nb + (m - 1)];
                fs += c2 / ts.S * w / n;
                inf += w / n;
            }
            double rel = q > p ? fabs(mse / fs - 1) : NAN;
            if (q <= p) {
                worst_low = fmax(worst_low, mse);
                if (!(mse < LIN5_FLOOR))
                    gb_claim_judge(c, GB_FAIL, "train p=%d test p'=%d: MSE %.2e is not at the floor", p, q, mse);
            } else {
                worst_rel = fmax(worst_rel, rel);
                if (!(rel <= LIN5_TOL))
                    gb_claim_judge(c, GB_FAIL, "train p=%d test p'=%d: MSE %.6e vs closed form %.6e", p, q, mse, fs);
            }
            gb_table_row(&c->cases, (long)p, (long)q, mse, fs, inf, rel);
            hm->z[(p - 1) * 8 + (q - 1)] = mse;
        }
        free(W);
        gb_lin_case_clear(&k);
    }
    gb_fd_cache_clear();
    gb_str_printf(&c->prediction, "lower triangle at the floor; upper triangle Σ_{m>p} E[c²]‖s_m‖²/(n k²m⁴π⁴)");
    gb_str_printf(&c->measured, "max lower-triangle MSE %.1e; max relative error above it %.1e", worst_low, worst_rel);
    return GB_OK;
}
