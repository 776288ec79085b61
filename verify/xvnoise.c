/* XV-NOISE [paper Fig. 7 + derived]: the linear model trained by T GD steps on labels with Gaussian noise σ
 * on the interior nodes. W_T is linear in the targets, so the noisy matrix is, entry by entry, the T-step
 * closed form on the noisy targets Y; in expectation over the noise each entry gains
 *   σ² ((N−1)/(N+1)) tr(Σ̂_j K_i),   K_i = g_T(C) C g_T(C)/S  (→ (F Fᵀ)⁺ when converged),
 * Σ̂_j the test set's second moment: the in-span entries rise from the floor to it, entries far above it
 * keep their value, and the walls of the pattern stay. */
#include "core/status.h"
#include "linear/linear.h"
#include "xval_common.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS GB_XV_NSETS

static const char *noise_cols[] = {"train", "test", "MSE noisy measured", "MSE T-step form (noisy Y)", "MSE noise-free",
                                   "noise term expected", "s.e.", "z", "rule"};
#define NOISE_T 200000L
#define NOISE_FORM 1e-6      /* measured against the T-step form on the same noisy data */
#define NOISE_INSPAN 1e-3    /* an entry is noise-dominated when its noise-free MSE is below this × the term */
#define NOISE_FAR 1e6        /* an entry is far above the noise when its noise-free MSE exceeds this × the term */
#define NOISE_KEEP 0.01      /* ... and then moves by less than this, relative */
#define NOISE_WALL 1.0       /* U and X of the noisy matrix, per family, in decades */

int gb_verify_xv_noise(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "LIN-4 (the T-step closed form); XV-LIN; SPEC §2 data sets with label noise";
    c->statement = "With label noise σ on the interior nodes the GD-trained linear model's matrix equals, entry by "
                   "entry, the T-step closed form on the noisy targets; in expectation over the noise the in-span "
                   "entries rise from the floor to σ² ((N−1)/(N+1)) tr(Σ_j K), entries far above that term keep "
                   "their value, and the walls of the pattern stay (Fig. 7).";
    c->cases.ncols = sizeof noise_cols / sizeof *noise_cols;
    c->cases.cols = noise_cols;
    gb_xv_opts x = gb_xv_verify_opts(o, GB_XV_S_CLOSED);
    gb_xv_data *D = gb_xv_verify_data(&x);
    if (!D)
        return GB_ENOMEM;
    long N = x.N, n = N + 1, nn = n * n;
    gb_xv_matrix *Xn = malloc(sizeof *Xn), *X0 = malloc(sizeof *X0);
    int st = gb_xv_run(Xn, GB_XV_LINEAR, D);
    if (st) {
        free(Xn); free(X0);
        return st;
    }
    snprintf(Xn->train, sizeof Xn->train, "plain GD from W⁰ = 0, η = 1/λ_max(C), T = %ld steps (SPEC §5 defaults)",
             NOISE_T);
    *X0 = *Xn;
    gb_xv_verify_params(c, o, &x, Xn);
    double s2 = o->noise * o->noise * (o->fault == GB_FAULT_NOISE ? 2.0 : 1.0);
    gb_str_printf(&c->params,
                  "- label noise σ = %.17g on the interior nodes of every training set (boundary labels stay 0; "
                  "test sets noise-free); the noise-free matrix is trained alike on the same forcings\n"
                  "- rules: every entry within %.0e relative of the T-step form on the noisy targets; entries whose "
                  "noise-free MSE is below %.0e × the noise term: |z| ≤ %.0f against noise-free + term, s.e. = "
                  "σ² √(2(N−1) tr((Σ̂_j K)²))/n; entries above %.0e × the term move < %.0f %%; U and X of the noisy "
                  "matrix ≥ %.0f in every family\n",
                  o->noise, NOISE_FORM, NOISE_INSPAN, GB_Z_SAMPLING, NOISE_FAR, 100 * NOISE_KEEP, NOISE_WALL);
    double *W = malloc(sizeof(double) * nn), *Wf = malloc(sizeof(double) * nn), *W0 = malloc(sizeof(double) * nn),
           *Wf0 = malloc(sizeof(double) * nn), *K = malloc(sizeof(double) * nn), *Sg = malloc(sizeof(double) * nn),
           *M = malloc(sizeof(double) * nn);
    double worst_form = 0, worst_z = 0, worst_keep = 0, sum_meas = 0, sum_exp = 0;
    long inspan = 0, far = 0;
    char zrule[32];
    snprintf(zrule, sizeof zrule, "form; |z| ≤ %.0f", GB_Z_SAMPLING);
    for (int i = 0; i < NS && !st; i++) {
        gb_data_spec sn = gb_xv_spec(&x, i, 0);
        sn.noise = o->noise;
        gb_dataset_t dn;
        gb_linear_data Ln, L0;
        if ((st = gb_dataset_init(dn, &sn)))
            break;
        if ((st = gb_linear_data_init(&Ln, dn))) {
            gb_dataset_clear(dn);
            break;
        }
        if ((st = gb_linear_data_init(&L0, &D->train[i]))) {
            gb_linear_data_clear(&Ln);
            gb_dataset_clear(dn);
            break;
        }
        double eta = 1.0 / Ln.lam_max;   /* the forcings, so C and η, are the noise-free set's */
        memset(W, 0, sizeof(double) * nn);
        memset(W0, 0, sizeof(double) * nn);
        if (gb_linear_gd_steps(W, &Ln, eta, NOISE_T, 64) || gb_linear_gd_steps(W0, &L0, eta, NOISE_T, 64))
            gb_claim_judge(c, GB_ERROR, "%s: gradient descent produced NaN/Inf", gb_xv_label(i));
        gb_linear_gd_formula(Wf, &Ln, NULL, eta, NOISE_T);
        gb_linear_gd_formula(Wf0, &L0, NULL, eta, NOISE_T);
        gb_linear_gd_noise_kernel(K, &Ln, eta, NOISE_T);
        for (int j = 0; j < NS; j++) {
            const gb_dataset_struct *td = &D->test[j];
            double m = gb_linear_mse(W, td), mf = gb_linear_mse(Wf, td), m0 = gb_linear_mse(W0, td),
                   mf0 = gb_linear_mse(Wf0, td);
            Xn->mse[i * NS + j] = m;
            X0->mse[i * NS + j] = m0;
            /* Σ̂_j = FᵀF/S of the test set; M = Σ̂_j K; E = σ² (N−1) tr(M)/n, Var = 2 σ⁴ (N−1) tr(M²)/n² */
            long St = td->spec.S;
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, n, St, 1.0 / St, td->f, n, td->f, n, 0, Sg, n);
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, Sg, n, K, n, 0, M, n);
            double tr = 0, tr2 = 0;
            for (long a = 0; a < n; a++) {
                tr += M[a * n + a];
                for (long b = 0; b < n; b++)
                    tr2 += M[a * n + b] * M[b * n + a];
            }
            double E = s2 * (N - 1) * tr / n, se = s2 * sqrt(2.0 * (N - 1) * tr2) / n, z = NAN;
            double form = fabs(m - mf) / mf;
            worst_form = fmax(worst_form, form);
            if (!(form <= NOISE_FORM))
                gb_claim_judge(c, GB_FAIL, "%s→%s: measured MSE %.6e, T-step form %.6e", gb_xv_label(i), gb_xv_label(j),
                               m, mf);
            const char *rule = "form";
            if (mf0 <= NOISE_INSPAN * E) {
                rule = zrule;
                inspan++;
                z = (m - mf0 - E) / se;
                worst_z = fmax(worst_z, fabs(z));
                sum_meas += m - mf0;
                sum_exp += E;
                if (!(fabs(z) <= GB_Z_SAMPLING))
                    gb_claim_judge(c, GB_FAIL, "%s→%s: noise term measured %.4e, expected %.4e ± %.1e (z = %.1f)",
                                   gb_xv_label(i), gb_xv_label(j), m - mf0, E, se, z);
            } else if (mf0 >= NOISE_FAR * E) {
                rule = "form; kept";
                far++;
                double keep = fabs(m / m0 - 1);
                worst_keep = fmax(worst_keep, keep);
                if (!(keep < NOISE_KEEP))
                    gb_claim_judge(c, GB_FAIL, "%s→%s: far above the noise (%.2e) yet moved by %.2f %%", gb_xv_label(i),
                                   gb_xv_label(j), m0, 100 * keep);
            }
            gb_table_row(&c->cases, gb_xv_label(i), gb_xv_label(j), m, mf, m0, E, se, z, rule);
        }
        gb_linear_data_clear(&Ln);
        gb_linear_data_clear(&L0);
        gb_dataset_clear(dn);
    }
    free(W); free(Wf); free(W0); free(Wf0); free(K); free(Sg); free(M);
    if (st) {
        free(Xn); free(X0);
        return st;
    }
    static const char *fams[3] = {"poly", "cos", "sin"};
    char walls[256] = "";
    for (int f = 0; f < 3; f++) {
        double U = gb_xv_contrast_family(Xn, GB_XV_U, f), Xc = gb_xv_contrast_family(Xn, GB_XV_X, f);
        double U0 = gb_xv_contrast_family(X0, GB_XV_U, f), X00 = gb_xv_contrast_family(X0, GB_XV_X, f);
        snprintf(walls + strlen(walls), sizeof walls - strlen(walls), "%s%s U %.2f (noise-free %.2f), X %.2f (%.2f)",
                 f ? "; " : "", fams[f], U, U0, Xc, X00);
        if (!(U >= NOISE_WALL) || !(Xc >= NOISE_WALL))
            gb_claim_judge(c, GB_FAIL, "%s: the noisy matrix's walls U = %.2f, X = %.2f (required ≥ %.0f)", fams[f], U, Xc,
                           NOISE_WALL);
    }
    gb_xv_verify_heatmap(c, "noisy", Xn, "XV-NOISE: L = log10 R with label noise (rows: train, columns: test)");
    gb_xv_verify_heatmap(c, "noise-free", X0, "XV-NOISE: the same model and data without noise");
    gb_str_printf(&c->notes,
                  "%ld entries are noise-dominated (their noise-free MSE below %.0e × the term): over them the measured "
                  "noise terms sum to %.4f × the expected. %ld entries lie more than %.0e × above the term; the largest "
                  "relative move among them is %.1e. Walls (family means of the contrasts of SPEC §8, in decades): "
                  "%s. The expected term uses the test set's own second moment Σ̂_j; with its population value "
                  "μ₂ Φ_j Φ_jᵀ and converged rows it is SPEC §8's σ² ((N−1)/(N+1)) tr(Σ_j (F Fᵀ)⁺). "
                  "Derivation: doc/cross-validation.md.\n",
                  inspan, NOISE_INSPAN, sum_meas / sum_exp, far, NOISE_FAR, worst_keep, walls);
    gb_xv_verify_notes(c, Xn);
    gb_str_printf(&c->prediction, "entries = T-step form on noisy Y; in-span rise to σ²((N−1)/(N+1)) tr(Σ_j K); "
                  "far entries kept; walls ≥ %g", NOISE_WALL);
    gb_str_printf(&c->measured, "max |measured/form − 1| %.1e; %ld in-span entries max |z| %.2f (sum ratio %.3f); %ld far "
                                "entries moved ≤ %.1e",
                  worst_form, inspan, worst_z, sum_meas / sum_exp, far, worst_keep);
    free(Xn); free(X0);
    return GB_OK;
}
