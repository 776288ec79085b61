/* LIN-4 [derived]: the error of the converged model on any test forcing f is
 *   (W* - A) f = (W⁰ - A)(I - P) f,
 * so it depends only on the part of f outside the training span. Trained on sin:p
 * (W⁰ ~ N(0, 0.1²)), tested on cos:p' forcings, with A f the exact solution u(f) and
 * A P f from the MPFR prediction: (W⁰ - A)(I - P) f = W⁰(I - P) f - u(f) + A P f. */
#include "lin_common.h"
#include "core/status.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char *cols[] = {"train", "test", "N", "max |(W_GD - A) f|", "max |lhs - rhs|", "relative"};

int gb_verify_lin4(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "LIN-1; exact test solutions";
    c->statement = "For every test forcing f, (W* - A) f = (W⁰ - A)(I - P) f: the trained model's error comes only "
                   "from the component of f outside the training span.";
    c->cases.ncols = sizeof cols / sizeof *cols;
    c->cases.cols = cols;
    gb_verify_params(c, o, "- train sin:p, p = 2, 4, 8, by GD from W⁰ ~ N(0, 0.1²); test cos:4 and cos:8 (seed + 1000003); N = 32, 64\n"
                           "- rule: max |lhs - rhs| ≤ 1e-10 × max |lhs|\n");
    static const int ps[] = {2, 4, 8}, qs[] = {4, 8};
    static const long Ns[] = {32, 64};
    double worst = 0;
    for (int g = 0; g < 2; g++)
        for (int i = 0; i < 3; i++) {
            gb_lin_case k;
            int st = gb_lin_case_init(&k, o, GB_FAMILY_SIN, ps[i], Ns[g], 0.1, GB_LOAD_CONSISTENT);
            if (st)
                return st;
            long n = k.n;
            double *W = malloc(sizeof(double) * n * n);
            if (gb_lin_case_train(&k, W, 20000) < 0)
                gb_claim_judge(c, GB_ERROR, "sin:%d N=%ld: gradient descent produced NaN/Inf", ps[i], Ns[g]);
            for (int j = 0; j < 2; j++) {
                gb_data_spec ts = gb_verify_spec(o, GB_FAMILY_COS, qs[j], Ns[g]);
                ts.seed = o->seed + 1000003;
                ts.S = 200;
                const gb_dataset_struct *td = gb_fd_dataset_get(&ts);
                double lmax = 0, dmax = 0, *pf = malloc(sizeof(double) * n);
                for (long s = 0; s < ts.S; s++) {
                    const double *f = td->f + s * n, *u = td->u + s * n;
                    for (long l = 0; l < n; l++) {
                        pf[l] = 0;
                        for (long m = 0; m < n; m++)
                            pf[l] += k.P[l * n + m] * f[m];
                    }
                    for (long r = 0; r < n; r++) {
                        double wf = 0, apf = 0, w0f = 0, w0pf = 0;
                        for (long l = 0; l < n; l++) {
                            wf += W[r * n + l] * f[l];
                            apf += k.AP[r * n + l] * f[l];
                            w0f += k.W0[r * n + l] * f[l];
                        }
                        for (long l = 0; l < n; l++)     /* W⁰ P f */
                            w0pf += k.W0[r * n + l] * pf[l];
                        double lhs = wf - u[r], rhs = (w0f - w0pf) - u[r] + apf;
                        lmax = fmax(lmax, fabs(lhs));
                        dmax = fmax(dmax, fabs(lhs - rhs));
                    }
                }
                free(pf);
                double rel = dmax / lmax;
                worst = fmax(worst, rel);
                if (!(rel <= 1e-10))
                    gb_claim_judge(c, GB_FAIL, "sin:%d → cos:%d, N=%ld: identity off by %.2e (relative)", ps[i], qs[j],
                                   Ns[g], rel);
                char tr[16], te[16];
                snprintf(tr, sizeof tr, "sin:%d", ps[i]);
                snprintf(te, sizeof te, "cos:%d", qs[j]);
                gb_table_row(&c->cases, tr, te, Ns[g], lmax, dmax, rel);
            }
            free(W);
            gb_lin_case_clear(&k);
        }
    gb_fd_cache_clear();
    gb_str_printf(&c->prediction, "(W* - A) f = (W⁰ - A)(I - P) f for every test f");
    gb_str_printf(&c->measured, "%ld train/test pairs; max relative difference %.1e", c->cases.nrows, worst);
    return GB_OK;
}
