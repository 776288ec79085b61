/* P2D-2 [paper Fig. 8b + derived]: the Green's lens on 2-D Poisson (SPEC §11). Probing the trained linear model with
 * one-hot inputs reads Ĝ(·, s_j) = W e_j / h² off its weights, and Theorem 3.2 says W = A (P_X ⊗ P_Y): Ĝ is the
 * discrete Green's function A e_j/h² of −k Δ with the source projected on the training span, and it inherits its
 * tensor structure. */
#include "verify.h"
#include "core/status.h"
#include "linear/linear.h"
#include "problem/poisson2d.h"
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define P2D2_N 15
#define P2D2_S 100
#define P2D2_TOL 1e-9

static const char *cols[] = {"train", "rank", "max |Ĝ − Ĝ_pred| / max |Ĝ_pred|", "|Ĝ − G_h|_F / |G_h|_F",
                             "Ĝ at the centre / G_h there"};

typedef struct {
    long n;
    const gb_p2d_factor *fx, *fy;
} proj_arg;

/* P_X, then P_Y (n × n each), from the bases at prec bits */
static int projectors_at(double *out, mpfr_prec_t prec, const void *arg)
{
    const proj_arg *a = arg;
    int st = gb_p2d_projector(out, a->n, a->fx, prec);
    return st ? st : gb_p2d_projector(out + a->n * a->n, a->n, a->fy, prec);
}

int gb_verify_p2d2(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "P2D-1's solver and data; LIN-1's least squares";
    c->statement = "The one-hot probes of the linear model trained on 2-D Poisson data X ⊗ Y give Ĝ = W e_j / h² = "
                   "A (P_X ⊗ P_Y) e_j / h²: the discrete Green's function with its source projected on the span.";
    c->cases.ncols = sizeof cols / sizeof *cols;
    c->cases.cols = cols;
    char extra[512];
    snprintf(extra, sizeof extra,
             "- n = %d interior nodes per axis; training sets sin:p ⊗ sin:p (p = 1, 2, 4, 8), poly:4 ⊗ sin:4, "
             "poly:2 ⊗ poly:3; %d samples; W from the data's least squares (W⁰ = 0)\n"
             "- rule: max |Ĝ − A (P_X ⊗ P_Y)/h²| ≤ %g max |A (P_X ⊗ P_Y)/h²| over every probe\n",
             P2D2_N, P2D2_S, P2D2_TOL);
    gb_verify_params(c, o, 0, extra);
    long n = P2D2_N, m = n * n, S = P2D2_S, ctr = (n / 2) * n + n / 2;
    double h2 = 1.0 / ((double)(n + 1) * (double)(n + 1)), k = o->k;
    double *A = malloc(sizeof(double) * m * m), *W = malloc(sizeof(double) * m * m), *Ws = malloc(sizeof(double) * m * m),
           *Px = malloc(sizeof(double) * 2 * n * n), *Py = Px + n * n,
           *F = malloc(sizeof(double) * S * m), *U = malloc(sizeof(double) * S * m);
    int st = (!A || !W || !Ws || !Px || !F || !U) ? GB_ENOMEM : gb_p2d_operator(A, n, k);
    static const gb_p2d_factor sets[][2] = {{{GB_FAMILY_SIN, 1}, {GB_FAMILY_SIN, 1}}, {{GB_FAMILY_SIN, 2}, {GB_FAMILY_SIN, 2}},
                                            {{GB_FAMILY_SIN, 4}, {GB_FAMILY_SIN, 4}}, {{GB_FAMILY_SIN, 8}, {GB_FAMILY_SIN, 8}},
                                            {{GB_FAMILY_POLY, 4}, {GB_FAMILY_SIN, 4}}, {{GB_FAMILY_POLY, 2}, {GB_FAMILY_POLY, 3}}};
    double worst = 0;
    for (int t = 0; t < 6 && !st; t++) {
        const gb_p2d_factor *fx = &sets[t][0], *fy = &sets[t][1];
        if ((st = gb_p2d_data(F, U, S, n, k, fx, fy, o->seed, o->prec)))
            break;
        gb_linear_data L;
        if ((st = gb_linear_data_init_arrays(&L, F, U, S, m)))
            break;
        gb_linear_closed_form(W, &L, NULL);
        long rank = L.rank;
        gb_linear_data_clear(&L);
        int agree = gb_verify_dual_array(Px, 2 * n * n, o, projectors_at, &(proj_arg){n, fx, fy});
        if (agree < 0) {
            st = GB_ENOMEM;
            break;
        }
        if (!agree)
            gb_claim_judge(c, GB_INCONCLUSIVE, "set %d: P_X or P_Y differs at p and 2p bits", t);
        /* Ĝ_pred = A (P_X ⊗ P_Y)/h²; the sign fault negates A */
        if ((st = gb_p2d_times_kron(Ws, A, Px, Py, n)))
            break;
        for (long i = 0; i < m * m; i++)
            Ws[i] *= (o->fault == GB_FAULT_SIGN ? -1.0 : 1.0) / h2;
        double e = 0, mx = 0, dg = 0, ng = 0;
        for (long i = 0; i < m * m; i++) {
            double g = W[i] / h2, gh = A[i] / h2;
            e = fmax(e, fabs(g - Ws[i]));
            mx = fmax(mx, fabs(Ws[i]));
            dg += (g - gh) * (g - gh);
            ng += gh * gh;
        }
        e /= mx;
        char lab[32];
        snprintf(lab, sizeof lab, "%s:%d⊗%s:%d", gb_family_name(fx->family), fx->p, gb_family_name(fy->family), fy->p);
        if (!(e <= P2D2_TOL))
            gb_claim_judge(c, GB_FAIL, "%s: Ĝ differs from A (P_X ⊗ P_Y)/h² by %.2e (relative to its maximum)", lab, e);
        worst = fmax(worst, e);
        gb_table_row(&c->cases, lab, rank, e, sqrt(dg / ng), W[ctr * m + ctr] / A[ctr * m + ctr]);
        if (t == 3 || t == 4) {   /* the probe at the centre as an image: the learned and the exact Green's function */
            char suf[24], title[128];
            snprintf(suf, sizeof suf, "probe-%s", t == 3 ? "sin8" : "poly4-sin4");
            snprintf(title, sizeof title, "P2D-2: Ĝ(·, centre) learned from %s", lab);
            gb_heatmap *hp = gb_claim_heatmap(c, suf, title, n, n, 0);
            for (long i = 0; hp && i < m; i++)
                hp->z[i] = W[i * m + ctr] / h2;
            if (hp) {
                snprintf(hp->xlabel, sizeof hp->xlabel, "y node j");
                snprintf(hp->ylabel, sizeof hp->ylabel, "x node i");
                hp->cblabel = "Ĝ(x, y; centre)";
            }
        }
    }
    if (!st) {
        gb_heatmap *hg = gb_claim_heatmap(c, "probe-exact", "P2D-2: the discrete Green's function A e_centre / h²", n, n,
                                          0);
        for (long i = 0; hg && i < m; i++)
            hg->z[i] = A[i * m + ctr] / h2;
        if (hg) {
            snprintf(hg->xlabel, sizeof hg->xlabel, "y node j");
            snprintf(hg->ylabel, sizeof hg->ylabel, "x node i");
            hg->cblabel = "G_h(x, y; centre)";
        }
    } else
        gb_claim_judge(c, GB_ERROR, "%s", gb_strerror(st));
    gb_str_printf(&c->prediction, "Ĝ = A (P_X ⊗ P_Y) e_j / h², every probe");
    gb_str_printf(&c->measured, "%ld training sets; max |Ĝ − Ĝ_pred| / max |Ĝ_pred| = %.1e", c->cases.nrows, worst);
    free(A); free(W); free(Ws); free(Px); free(F); free(U);
    return GB_OK;
}
