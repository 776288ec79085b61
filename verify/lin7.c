/* LIN-7 [derived]: trained on fem data (full span, consistent load) the model learns
 * A_FEM = K⁻¹M exactly. Each sine is an eigenvector: A_FEM s_m = r_m s_m/(k m²π²) with
 * r_m = θ²(2 + cos θ)/(12 sin²(θ/2)), θ = mπΔx. Tested on sin:p the MSE is
 *   (1/(S n)) Σ_s Σ_m c_{s,m}² ((r_m - 1)/(k m²π²))² ‖s_m‖²  ≈ p Δx⁴/(288 k²): order 4. */
#include "lin_common.h"
#include "core/status.h"
#include "predict/lin_predict.h"
#include "rate/rate.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define LIN7_A_TOL 1e-10    /* the learned W against A_FEM, relative */
#define LIN7_MSE_TOL 1e-6   /* the test MSE against its closed form, relative */
#define LIN7_ORDER 4.0      /* the test MSE's order in Δx (rate rule of SPEC §4) */

static const char *cols[] = {"N", "test p", "|W - A_FEM|/|A_FEM|", "test MSE measured", "predicted (drawn test set)",
                             "relative difference", "p dx^4/288k^2"};

typedef struct {
    long N;
    int modes;
} ratio_arg;

/* the fem symbol ratios of modes 1..modes on N intervals (gb_lin_fem_sine_ratio) at prec bits */
static int sine_ratios(double *r, mpfr_prec_t prec, const void *arg)
{
    const ratio_arg *a = arg;
    for (int m = 1; m <= a->modes; m++)
        r[m - 1] = gb_lin_fem_sine_ratio(m, a->N, prec);
    return 0;
}

int gb_verify_lin7(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "A_FEM in closed form from G (MPFR); sine eigenpairs of K and M";
    static char statement[256];   /* the claim keeps the pointer until its report is written */
    snprintf(statement, sizeof statement, "Trained on fem data the linear model learns A_FEM; tested on sines its MSE "
             "is the closed form above, of order %g in Δx.", LIN7_ORDER);
    c->statement = statement;
    c->cases.ncols = sizeof cols / sizeof *cols;
    c->cases.cols = cols;
    c->plot_title = "LIN-7: test MSE on sin:p of the fem-trained linear model";
    c->plot_xlabel = "dx";
    c->plot_ylabel = "test MSE";
    char extra[320];
    snprintf(extra, sizeof extra,
             "- N = 16, 24, 32, 48, 64, 96, 128; closed-form W (S ≥ N+1: full span); test p = 1, 4, 8\n"
             "- rules: |W - A_FEM| ≤ %g relative; MSE within %s of the closed form; finest-3 slope %g ± %g\n",
             LIN7_A_TOL, GB_NUM("%g", LIN7_MSE_TOL), LIN7_ORDER, GB_RATE_TOL);
    gb_verify_params(c, o, GB_USES_DATA | GB_USES_SAMPLES | GB_USES_MPFR, extra);
    static const long Ns[] = {16, 24, 32, 48, 64, 96, 128};
    static const int ps[] = {1, 4, 8};
    int nl = o->quick ? 5 : 7;
    double dx[8], mse[3][8];
    for (int g = 0; g < nl; g++) {
        long N = Ns[g], n = N + 1;
        gb_lin_case k;
        int st = gb_lin_case_init(&k, o, GB_FAMILY_FEM, 0, N, 0.0, GB_LOAD_CONSISTENT);
        if (st)
            return st;
        if (!k.agree)
            gb_claim_judge(c, GB_INCONCLUSIVE, "N=%ld: A P differs at p and 2p bits in the printed digits", N);
        double *W = malloc(sizeof(double) * n * n);
        gb_linear_closed_form(W, &k.L, NULL);
        double dA = gb_linear_rel_dist(W, k.AP, n);
        if (k.L.rank != n)
            gb_claim_judge(c, GB_INCONCLUSIVE, "N=%ld: fem forcings of rank %ld < %ld", N, k.L.rank, n);
        if (!(dA <= LIN7_A_TOL))
            gb_claim_judge(c, GB_FAIL, "N=%ld: learned W is %.2e from A_FEM", N, dA);
        dx[g] = 1.0 / N;
        for (int i = 0; i < 3; i++) {
            gb_data_spec ts = gb_verify_spec(o, GB_FAMILY_SIN, ps[i], N);
            ts.seed = o->seed + GB_TEST_SEED_OFFSET;
            const gb_dataset_struct *td = gb_fd_dataset_get(&ts);
            double m = gb_linear_mse(W, td), fs = 0, ratio[8];
            int agree = gb_verify_dual_array(ratio, ps[i], o, sine_ratios, &(ratio_arg){N, ps[i]});
            if (agree < 0) {
                gb_claim_judge(c, GB_ERROR, "N=%ld p=%d: no memory for the 2p check", N, ps[i]);
                continue;
            }
            if (!agree)
                gb_claim_judge(c, GB_INCONCLUSIVE, "N=%ld p=%d: the fem ratios differ at p and 2p bits", N, ps[i]);
            for (int mm = 1; mm <= ps[i]; mm++) {
                double r = ratio[mm - 1], c2 = 0;
                double e = (r - 1) / (o->k * mm * mm * M_PI * M_PI);
                for (long s = 0; s < ts.S; s++)
                    c2 += td->coef[s * td->nb + mm - 1] * td->coef[s * td->nb + mm - 1];
                fs += c2 / ts.S * e * e * (N / 2.0) / n;
            }
            double rel = fabs(m / fs - 1);
            if (!(rel <= LIN7_MSE_TOL))
                gb_claim_judge(c, GB_FAIL, "N=%ld p=%d: MSE %.6e vs closed form %.6e", N, ps[i], m, fs);
            mse[i][g] = m;
            gb_table_row(&c->cases, N, (long)ps[i], dA, m, fs, rel,
                         ps[i] * pow(dx[g], 4) / (288 * o->k * o->k));
        }
        free(W);
        gb_lin_case_clear(&k);
        gb_fd_cache_clear();
    }
    gb_str_printf(&c->measured, "finest-3 slopes:");
    for (int i = 0; i < 3; i++) {
        gb_rate_fit f;
        gb_str why;
        gb_str_init(&why);
        if (gb_rate_fit_loglog(&f, dx, mse[i], nl) == GB_OK) {
            gb_verdict v = gb_verdict_rate(&f, LIN7_ORDER, GB_RATE_TOL, &why);
            if (v != GB_PASS)
                gb_claim_judge(c, v, "test p=%d: %s", ps[i], gb_str_get(&why));
            gb_str_printf(&c->measured, " p=%d: %.3f (R² %.5f);", ps[i], f.slope_fine3, f.r2);
        }
        gb_str_clear(&why);
        char lab[48];
        snprintf(lab, sizeof lab, "sin:%d measured", ps[i]);
        gb_series *s = gb_claim_series(c, lab, 0);
        snprintf(lab, sizeof lab, "sin:%d p dx^4/288k^2", ps[i]);
        gb_series *l = gb_claim_series(c, lab, 1);
        for (int g = 0; g < nl; g++) {
            s->x[g] = l->x[g] = dx[g];
            s->y[g] = mse[i][g];
            l->y[g] = ps[i] * pow(dx[g], 4) / (288 * o->k * o->k);
        }
        s->n = l->n = nl;
    }
    gb_str_printf(&c->prediction, "W = A_FEM; test MSE on sines = closed form ≈ pΔx⁴/(288k²), order %g", LIN7_ORDER);
    return GB_OK;
}
