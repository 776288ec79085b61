/* GRN-1 … GRN-3 [Q25 §5 + derived]: probing the trained linear model with one-hot inputs
 * reads its Green's function off the weights, Ĝ(x_i, x_j) = W_ij / Δx.
 *   GRN-1  lumped fem data (= FD-generated data u = (k L_h)⁻¹ f): Ĝ = G, W⁻¹ = k L_h tridiagonal;
 *   GRN-2  consistent fem data: Ĝ = G - (Δx/6k) δ_ij; W⁻¹ is not banded, its rows decay
 *          like (-(2-√3))^{|i-j|};
 *   GRN-3  sin:p data, W⁰ = 0: Ĝ = G_p, the p-mode eigen-expansion. */
#include "core/blas.h"
#include "lin_common.h"
#include "core/status.h"
#include "predict/lin_predict.h"
#include "certify/enclose.h"
#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *cols[] = {"data", "N", "max |Ĝ - G_pred| / max G", "W⁻¹ check", "value", "GD steps"};

#define GRN_TOL 1e-9         /* GRN-1…3: Ĝ against its prediction, and GRN-1's W⁻¹ against k L_h, relative */
#define GRN2_DECAY_TOL 1e-6  /* GRN-2: the decay ratio of W⁻¹'s centre row against −(2 − √3), relative */
#define GRN2_D_MIN 2         /* ... at distances d = GRN2_D_MIN … GRN2_D_MAX from the diagonal */
#define GRN2_D_MAX 5
#define GRN2_WALL 8          /* ... on entries at least this many nodes from the boundary */
#define GRN2_BANDED 1e-3     /* GRN-2: W⁻¹ is not banded: |W⁻¹_{r,r+3}| above this × |W⁻¹_{r,r}| */

/* trains by GD, returns Ĝ = W/Δx (n × n) */
static double *learn_green(gb_lin_case *k, long *steps)
{
    long n = k->n;
    double *W = malloc(sizeof(double) * n * n);
    *steps = gb_lin_case_train(k, W, GB_LIN_GD_STEPS);
    for (long i = 0; i < n * n; i++)
        W[i] *= (double)(n - 1);
    return W;
}

static double max_rel(const double *A, const double *B, long n, long j0, long j1)
{
    double e = 0, m = 0;
    for (long i = 0; i < n; i++)
        for (long j = j0; j <= j1; j++) {
            e = fmax(e, fabs(A[i * n + j] - B[i * n + j]));
            m = fmax(m, fabs(B[i * n + j]));
        }
    return e / m;
}


/* every entry of an MPFR-computed G (modes = 0) or G_p on N intervals, as rounded to double and printed, must
 * lie in its Arb ball (G_p(x, 1) = Σ sin(mπ)… is 1e-89 at 256 bits: zero at the working precision) */
static void certify_green(gb_claim_t c, const gb_verify_opts *o, const double *G, long N, double k, long modes)
{
    long n = N + 1;
    arb_t b;
    arb_init(b);
    char what[96];
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) {
            gb_enclose_green(b, i, j, N, k, modes, 2 * (slong)o->prec);
            snprintf(what, sizeof what, "N=%ld modes=%ld: G(x_%ld, x_%ld)", N, modes, i, j);
            gb_verify_certify(c, o, b, G[i * n + j], what, NULL, 0);
        }
    arb_clear(b);
}

/* inverse of the interior block of W (rows/cols 1..N-1), in place of Inv */
static int interior_inverse(double *Inv, const double *W, long n)
{
    long m = n - 2;
    gb_blas_single_thread();
    lapack_int *ipiv = malloc(sizeof(lapack_int) * m);
    for (long i = 0; i < m; i++)
        for (long j = 0; j < m; j++)
            Inv[i * m + j] = W[(i + 1) * n + j + 1];
    int info = LAPACKE_dgetrf(LAPACK_ROW_MAJOR, m, m, Inv, m, ipiv);
    if (!info)
        info = LAPACKE_dgetri(LAPACK_ROW_MAJOR, m, Inv, m, ipiv);
    free(ipiv);
    return info;
}

static int grn_fem(gb_claim_t c, const gb_verify_opts *o, gb_load load)
{
    int lumped = load == GB_LOAD_LUMPED;
    c->cases.ncols = sizeof cols / sizeof *cols;
    c->cases.cols = cols;
    static const long Ns[] = {16, 24, 32, 64};
    double worst = 0, wcheck = 0;
    for (int g = 0; g < 4; g++) {
        long N = Ns[g], n = N + 1, m = N - 1, steps;
        gb_lin_case k;
        int st = gb_lin_case_init(&k, o, GB_FAMILY_FEM, 0, N, 0.0, load);
        if (st)
            return st;
        double *Gh = learn_green(&k, &steps), *G = malloc(sizeof(double) * n * n), *Inv = malloc(sizeof(double) * m * m);
        gb_verify_green(c, o, G, GB_EQ_POISSON, N, o->k, 0);
        certify_green(c, o, G, N, o->k, 0);
        if (o->fault == GB_FAULT_SIGN)
            for (long i = 0; i < n * n; i++)
                G[i] = -G[i];
        /* prediction on the interior columns: G - (Δx/6k) δ (consistent) or G (lumped) */
        if (!lumped)
            for (long i = 1; i < N; i++)
                G[i * n + i] -= 1.0 / (6.0 * N * o->k);
        double e = max_rel(Gh, G, n, 1, N - 1);
        if (!(e <= GRN_TOL))
            gb_claim_judge(c, GB_FAIL, "N=%ld: Ĝ differs from the prediction by %.2e", N, e);
        worst = fmax(worst, e);
        if (interior_inverse(Inv, Gh, n)) {
            gb_claim_judge(c, GB_ERROR, "N=%ld: the learned interior block is singular", N);
            continue;
        }
        /* W⁻¹ = (Δx Ĝ)⁻¹ = Inv / Δx */
        for (long i = 0; i < m * m; i++)
            Inv[i] *= (double)N;
        double chk;
        const char *what;
        char decay_what[64];
        if (lumped) {
            /* k L_h = k N² tridiag(-1, 2, -1) */
            double err = 0, s = o->k * N * N;
            for (long i = 0; i < m; i++)
                for (long j = 0; j < m; j++) {
                    double ex = i == j ? 2 * s : (labs(i - j) == 1 ? -s : 0);
                    err = fmax(err, fabs(Inv[i * m + j] - ex) / (2 * s));
                }
            chk = err;
            what = "max |W⁻¹ - k L_h| / (2kN²)";
            if (!(err <= GRN_TOL))
                gb_claim_judge(c, GB_FAIL, "N=%ld: W⁻¹ is not k L_h (%.2e)", N, err);
        } else {
            /* decay of the centre row away from the diagonal: ratio → -(2 - √3). The wall
             * reflects the decay with weight (2-√3)^{2·distance}: only entries ≥ GRN2_WALL nodes from the
             * boundary are compared ((2-√3)^(2 GRN2_WALL) ≈ 1e-9); a grid too small for any is reported n/a */
            long r = m / 2;
            double target = -(2 - sqrt(3.0)), err = NAN;
            for (long d = GRN2_D_MIN; d <= GRN2_D_MAX && r + d + 1 <= m - 1 - GRN2_WALL; d++)
                err = fmax(isnan(err) ? 0 : err, fabs(Inv[r * m + r + d + 1] / Inv[r * m + r + d] / target - 1));
            chk = err;
            snprintf(decay_what, sizeof decay_what, "max |ratio/(-(2-√3)) - 1|, d = %d..%d", GRN2_D_MIN, GRN2_D_MAX);
            what = decay_what;
            if (!isnan(err) && !(err <= GRN2_DECAY_TOL))
                gb_claim_judge(c, GB_FAIL, "N=%ld: W⁻¹ rows do not decay like (-(2-√3))^d (%.2e)", N, err);
            double off = fabs(Inv[r * m + r + 3]);
            if (!(off > GRN2_BANDED * fabs(Inv[r * m + r])))
                gb_claim_judge(c, GB_FAIL, "N=%ld: W⁻¹ looks banded", N);
        }
        if (!isnan(chk))
            wcheck = fmax(wcheck, chk);
        gb_table_row(&c->cases, lumped ? "fem lumped" : "fem consistent", N, e, what, chk, steps);
        free(Gh); free(G); free(Inv);
        gb_lin_case_clear(&k);
        gb_fd_cache_clear();
    }
    gb_str_printf(&c->measured, "max |Ĝ - prediction|/max G = %.1e; W⁻¹ check %.1e", worst, wcheck);
    return GB_OK;
}

int gb_verify_grn1(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "FD-8 (the discrete Green identity); LIN-1";
    c->certified_what = "every entry of the MPFR G";
    c->statement = "Trained on lumped fem data (the same as FD-generated data u = (k L_h)⁻¹ f), the weights are "
                   "the Green's function: Ĝ = W/Δx = G on the interior, and W⁻¹ = k L_h is exactly tridiagonal.";
    char extra[192];
    snprintf(extra, sizeof extra, "- N = 16, 24, 32, 64; gradient descent from W⁰ = 0\n- rules: ≤ %s relative for Ĝ and "
             "for W⁻¹\n", GB_NUM("%g", GRN_TOL));
    gb_verify_params(c, o, GB_USES_DATA | GB_USES_SAMPLES | GB_USES_MPFR, extra);
    gb_str_printf(&c->prediction, "Ĝ = G; W⁻¹ = k L_h");
    return grn_fem(c, o, GB_LOAD_LUMPED);
}

int gb_verify_grn2(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "A_FEM in closed form (LIN-7)";
    c->certified_what = "every entry of the MPFR G";
    c->statement = "Trained on consistent fem data, Ĝ = G - (Δx/6k) δ_ij on the interior columns; W⁻¹ on the interior "
                   "is not tridiagonal: its rows decay like (-(2-√3))^{|i-j|} = (-0.2679492…)^{|i-j|}.";
    char extra[512];
    snprintf(extra, sizeof extra,
             "- N = 16, 24, 32, 64; gradient descent from W⁰ = 0\n"
             "- rules: Ĝ within %s (relative); decay ratio within %s for d = %d..%d from the diagonal on the "
             "centre row, on entries at least %d nodes from the boundary (the wall reflects the decay "
             "with weight (2-√3)^(2·distance)); N = 16 has none: n/a\n", GB_NUM("%g", GRN_TOL),
             GB_NUM("%g", GRN2_DECAY_TOL), GRN2_D_MIN, GRN2_D_MAX, GRN2_WALL);
    gb_verify_params(c, o, GB_USES_DATA | GB_USES_SAMPLES | GB_USES_MPFR, extra);
    gb_str_printf(&c->prediction, "Ĝ = G - (Δx/6k)δ; W⁻¹ rows decay by -(2-√3)");
    return grn_fem(c, o, GB_LOAD_CONSISTENT);
}

static const char *cols3[] = {"p", "N", "max |Ĝ - G_p| / max G_p", "deficit G - Ĝ at (1/2,1/2)",
                              "predicted deficit G - G_p", "GD steps"};

int gb_verify_grn3(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "LIN-1; sine eigen-expansion of G";
    c->certified_what = "every entry of the MPFR G and G_p";
    c->statement = "Trained on sin:p with W⁰ = 0, Ĝ = G_p(x,s) = Σ_{m≤p} 2 sin(mπx) sin(mπs)/(k m²π²); the deficit "
                   "G - G_p at (1/2,1/2) is 0.047358 (p = 1, 2), 0.024842 (p = 4), 0.012601 (p = 8) for k = 1.";
    c->cases.ncols = sizeof cols3 / sizeof *cols3;
    c->cases.cols = cols3;
    c->plot_title = "GRN-3: learned Green's function column at s = 1/2 (sin data)";
    c->plot_xlabel = "x";
    c->plot_ylabel = "G(x, 1/2)";
    c->plot_linear_x = c->plot_linear_y = 1;
    char extra[192];
    snprintf(extra, sizeof extra,
             "- p = 1, 2, 4, 8; N = 64 (x = 1/2 is a node); gradient descent from W⁰ = 0\n"
             "- rule: Ĝ within %s of G_p (relative to its maximum)\n", GB_NUM("%g", GRN_TOL));
    gb_verify_params(c, o, GB_USES_DATA | GB_USES_SAMPLES | GB_USES_MPFR, extra);
    long N = 64, n = N + 1, h = N / 2;
    static const int ps[] = {1, 2, 4, 8};
    double worst = 0;
    double *G = malloc(sizeof(double) * n * n), *Gp = malloc(sizeof(double) * n * n);
    gb_verify_green(c, o, G, GB_EQ_POISSON, N, o->k, 0);
    certify_green(c, o, G, N, o->k, 0);
    gb_series *sg = gb_claim_series(c, "G (exact)", 1);
    for (long i = 0; i < n; i += 2) {
        sg->x[sg->n] = (double)i / N;
        sg->y[sg->n++] = G[i * n + h];
    }
    for (int t = 0; t < 4; t++) {
        long steps;
        gb_lin_case k;
        int st = gb_lin_case_init(&k, o, GB_FAMILY_SIN, ps[t], N, 0.0, GB_LOAD_CONSISTENT);
        if (st)
            return st;
        double *Gh = learn_green(&k, &steps);
        /* prediction: A P / Δx = G_p; the projector fault (P = I) predicts the full G */
        gb_verify_green(c, o, Gp, GB_EQ_POISSON, N, o->k, o->fault == GB_FAULT_PROJECTOR ? 0 : ps[t]);
        certify_green(c, o, Gp, N, o->k, o->fault == GB_FAULT_PROJECTOR ? 0 : ps[t]);
        if (o->fault == GB_FAULT_SIGN)
            for (long i = 0; i < n * n; i++)
                Gp[i] = -Gp[i];
        double e = max_rel(Gh, Gp, n, 0, N);
        if (!(e <= GRN_TOL))
            gb_claim_judge(c, GB_FAIL, "p=%d: Ĝ differs from G_p by %.2e", ps[t], e);
        worst = fmax(worst, e);
        gb_table_row(&c->cases, (long)ps[t], N, e, G[h * n + h] - Gh[h * n + h], G[h * n + h] - Gp[h * n + h],
                     steps);
        if (ps[t] == 8) {   /* the learned weights and their distance from the true operator, W - Δx G */
            gb_heatmap *hw = gb_claim_heatmap(c, "G-hat", "GRN-3: learned Ĝ = W/Δx, sin:8, N = 64", n, n, 0);
            gb_heatmap *hd = gb_claim_heatmap(c, "G-hat-minus-G", "GRN-3: (W - A)/Δx = Ĝ - G, sin:8", n, n, 0);
            for (long a = 0; a < n * n; a++) {
                hw->z[a] = Gh[a];
                hd->z[a] = Gh[a] - G[a];
            }
            snprintf(hw->xlabel, sizeof hw->xlabel, "source node j (s = j/N)");
            snprintf(hw->ylabel, sizeof hw->ylabel, "node i (x = i/N)");
            snprintf(hd->xlabel, sizeof hd->xlabel, "source node j (s = j/N)");
            snprintf(hd->ylabel, sizeof hd->ylabel, "node i (x = i/N)");
            hw->cblabel = "Ĝ(x, s)";
            hd->cblabel = "Ĝ(x, s) − G(x, s) (the modes above p = 8)";
            hd->diverging = 1;
        }
        char lab[32];
        snprintf(lab, sizeof lab, "learned, sin:%d", ps[t]);
        gb_series *s = gb_claim_series(c, lab, 0);
        for (long i = 0; i < n; i += 2) {
            s->x[s->n] = (double)i / N;
            s->y[s->n++] = Gh[i * n + h];
        }
        free(Gh);
        gb_lin_case_clear(&k);
    }
    free(G);
    free(Gp);
    gb_fd_cache_clear();
    gb_str_printf(&c->prediction, "Ĝ = G_p (p-mode eigen-expansion)");
    gb_str_printf(&c->measured, "max |Ĝ - G_p|/max G_p = %.1e over p = 1, 2, 4, 8", worst);
    return GB_OK;
}

static const char *cols4[] = {"data", "N", "error left (1-ηλ_min)^T", "max |Ĝ - Ĝ_pred| / max |Ĝ_pred|", "Ĝ_pred from",
                              "|Ĝ - G|/|G| measured", "|Ĝ_pred - G|/|G|", "|W* - A_G|/|A_G| closed form"};

#define GRN4_N 64
#define GRN4_T 200000L
#define GRN4_TOL 1e-8     /* SPEC §6 GRN-4 */
#define GRN4_DIST 1e-6    /* the distance from G against its prediction */
#define GRN4_NOT_G 0.01   /* "never 0" */

/* GRN-4 [paper + derived]: trained on poly or cos data the probed Ĝ is the identifiable operator's
 * column, (W* e_j)/Δx with W* = A P from the basis's exact solutions in MPFR (the T-step closed form
 * of GD where it has not converged), checked entry by entry; its distance from G is the closed form
 * ‖W* − A_G‖/‖A_G‖ of LIN-3a, never zero. */
int gb_verify_grn4(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "LIN-1; the MPFR operator A P; the T-step closed form of GD (SPEC §5)";
    c->statement = "Trained on poly or cos data, the probed Green's function is Ĝ = (W* e_j)/Δx, W* = A P from the "
                   "basis's exact solutions, entry by entry (the T-step closed form where GD has not converged); "
                   "its distance from G is the closed form ‖W* − A_G‖/‖A_G‖, never 0.";
    c->cases.ncols = sizeof cols4 / sizeof *cols4;
    c->cases.cols = cols4;
    char extra[512];
    snprintf(extra, sizeof extra,
             "- poly:p and cos:p, p = 1..8; N = %d; plain GD from W⁰ = 0, η = 1/λ_max(C), T = %ld steps (applied "
             "%d at a time through the exact block map); probes Ĝ_ij = (W e_j − W 0)_i/Δx\n"
             "- rules: max |Ĝ − Ĝ_pred| ≤ %.0e max |Ĝ_pred| (W* has exact zeros: no entry-wise relative test); the "
             "distance from G within %.0e relative of its prediction; the closed form above %.2f\n",
             GRN4_N, GRN4_T, GB_LIN_GD_BLOCK, GRN4_TOL, GRN4_DIST, GRN4_NOT_G);
    gb_verify_params(c, o, GB_USES_DATA | GB_USES_SAMPLES | GB_USES_MPFR, extra);
    c->plot_title = "GRN-4: distance of the probed Ĝ from G (N = 64)";
    c->plot_xlabel = "p";
    c->plot_ylabel = "|Ĝ - G|_F / |G|_F";
    c->plot_linear_x = 1;
    long N = GRN4_N, n = N + 1;
    double *G = malloc(sizeof(double) * n * n), *Gp = malloc(sizeof(double) * n * n);
    gb_verify_green(c, o, G, GB_EQ_POISSON, N, o->k, 0);
    for (long a = 0; a < n * n; a++)   /* the fault: a wrong G in the prediction only */
        Gp[a] = G[a] * (o->fault == GB_FAULT_GREEN ? 1.001 : 1.0);
    double worst = 0, worst_d = 0;
    for (int f = 0; f < 2; f++) {
        gb_family fam = f ? GB_FAMILY_COS : GB_FAMILY_POLY;
        char lab[32];
        snprintf(lab, sizeof lab, "%s measured", gb_family_name(fam));
        gb_series *sm = gb_claim_series(c, lab, GB_SERIES_MEASURED);
        snprintf(lab, sizeof lab, "%s closed form |W* - A_G|", gb_family_name(fam));
        gb_series *sp = gb_claim_series(c, lab, GB_SERIES_LINE);
        for (int p = 1; p <= 8; p++) {
            gb_lin_case k;
            int st = gb_lin_case_init(&k, o, fam, p, N, 0.0, GB_LOAD_CONSISTENT);
            if (st) {
                free(G); free(Gp);
                return st;
            }
            if (!k.agree)
                gb_claim_judge(c, GB_INCONCLUSIVE, "%s:%d: A P differs at p and 2p bits in the printed digits",
                               gb_family_name(fam), p);
            double eta = 1.0 / k.L.lam_max, left = gb_linear_gd_left(&k.L, eta, GRN4_T);
            double *W = calloc((size_t)(n * n), sizeof(double)), *Pr = malloc(sizeof(double) * n * n),
                   *Gh = malloc(sizeof(double) * n * n), *e = calloc((size_t)n, sizeof(double)),
                   *col = malloc(sizeof(double) * n);
            snprintf(lab, sizeof lab, "%s:%d", gb_family_name(fam), p);
            if (gb_linear_gd_steps(W, &k.L, eta, GRN4_T, GB_LIN_GD_BLOCK))
                gb_claim_judge(c, GB_ERROR, "%s: gradient descent produced NaN/Inf", lab);
            /* the probe: Ĝ(:, j) = (W e_j − W 0)/Δx, one one-hot input at a time */
            for (long j = 0; j < n; j++) {
                e[j] = 1;
                cblas_dgemv(CblasRowMajor, CblasNoTrans, n, n, 1.0, W, n, e, 1, 0.0, col, 1);
                for (long i = 0; i < n; i++)
                    Gh[i * n + j] = col[i] * N;
                e[j] = 0;
            }
            /* the prediction: W* = A P (MPFR) where converged, else the T-step closed form on the same data */
            int conv = left < GB_LIN_CONVERGED;
            if (conv)
                memcpy(Pr, k.Wpred, sizeof(double) * n * n);
            else
                gb_linear_gd_formula(Pr, &k.L, NULL, o->fault == GB_FAULT_STEP ? eta / 2 : eta, GRN4_T);
            for (long a = 0; a < n * n; a++)
                Pr[a] *= N;
            double err = max_rel(Gh, Pr, n, 0, N);
            double dm = gb_linear_rel_dist(Gh, G, n), dq = gb_linear_rel_dist(Pr, Gp, n);
            double *Ws = malloc(sizeof(double) * n * n);
            for (long a = 0; a < n * n; a++)
                Ws[a] = k.Wpred[a] * N;
            double dstar = gb_linear_rel_dist(Ws, Gp, n);
            free(Ws);
            worst = fmax(worst, err);
            worst_d = fmax(worst_d, fabs(dm / dq - 1));
            if (!(err <= GRN4_TOL))
                gb_claim_judge(c, GB_FAIL, "%s: Ĝ is %.2e from its prediction (relative to its largest entry)", lab, err);
            if (!(fabs(dm / dq - 1) <= GRN4_DIST))
                gb_claim_judge(c, GB_FAIL, "%s: distance from G %.8f against the predicted %.8f", lab, dm, dq);
            if (!(dstar > GRN4_NOT_G))
                gb_claim_judge(c, GB_FAIL, "%s: the closed form puts W* within %.2e of A_G", lab, dstar);
            gb_table_row(&c->cases, lab, N, left, err, conv ? "W* (converged)" : "T-step formula", dm, dq, dstar);
            sm->x[sm->n] = sp->x[sp->n] = p;
            sm->y[sm->n++] = dm;
            sp->y[sp->n++] = dstar;
            free(W); free(Pr); free(Gh); free(e); free(col);
            gb_lin_case_clear(&k);
        }
    }
    free(G);
    free(Gp);
    gb_fd_cache_clear();
    gb_str_printf(&c->notes,
                  "Where GD has not converged on the span in T steps (poly p ≥ 4: κ(C) up to ~1e11) the trained Ĝ is "
                  "the T-step closed form's, whose distance from G lies above the limit's; the closed-form column is "
                  "the T → ∞ value (SPEC §6: poly 0.665 at p = 1 falling to 0.0335 at p = 8; cos 0.979 falling to a "
                  "plateau near 0.87). Derivation: doc/greens-functions.md.\n\nRule change (SPEC §6 revision, fixed "
                  "before this run): GRN-4 formerly compared the closed-form least-squares W with the MPFR A P within "
                  "100 ε κ(F) and only reported the distance from G (PASS); it now judges the GD-trained Ĝ entry by "
                  "entry and the distance against its closed form. Its verdict did not move.\n");
    gb_str_printf(&c->prediction, "Ĝ = W* e_j/Δx (T-step form where unconverged), entry by entry; |Ĝ − G|/|G| = its closed form > 0");
    gb_str_printf(&c->measured, "%ld data sets: max |Ĝ − Ĝ_pred|/max|Ĝ_pred| = %.1e; distance from G within %.1e of its prediction",
                  c->cases.nrows, worst, worst_d);
    return GB_OK;
}
