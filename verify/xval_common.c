/* The pieces the deterministic cross-validation claims share (verify/xval_common.h): the benchmark's options
 * and data sets of a verify run, the printed parameters, notes and heat maps, and the learned FD rows' closed
 * form that XV-FD judges and OPP-1 reads. */
#include "core/status.h"
#include "predict/fd_predict.h"
#include "predict/lin_predict.h"
#include "xval_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS GB_XV_NSETS

/* the benchmark's options for a verify run (N = 32, SPEC §8) */
gb_xv_opts gb_xv_verify_opts(const gb_verify_opts *o, long S)
{
    gb_xv_opts x;
    gb_xv_opts_default(&x);
    x.N = 32;
    x.S = S;
    x.seed = o->seed;
    x.k = o->k;
    x.law = o->law;
    x.prec = o->prec;
    x.progress = o->progress;
    return x;
}

/* data sets are shared by the claims of one run: the last set generated is kept */
gb_xv_data *gb_xv_verify_data(const gb_xv_opts *x)
{
    static gb_xv_data D;
    static int have;
    if (have && D.o.N == x->N && D.o.S == x->S && D.o.seed == x->seed && D.o.k == x->k && D.o.law == x->law &&
        D.o.prec == x->prec) {
        D.o.progress = x->progress;
        return &D;
    }
    if (have)
        gb_xv_data_clear(&D);
    have = gb_xv_data_init(&D, x) == GB_OK;
    return have ? &D : NULL;
}

void gb_xv_verify_params(gb_claim_t c, const gb_verify_opts *o, const gb_xv_opts *x, const gb_xv_matrix *X)
{
    char extra[1200];
    snprintf(extra, sizeof extra,
             "- benchmark: N = %ld (%ld nodes), S = %ld samples per training and per test set; training sets use "
             "the seed, test sets the seed + %lu\n- model: %s\n- training: %s\n",
             x->N, x->N + 1, x->S, GB_XV_TEST_SEED, X->arch, X->train);
    gb_verify_params(c, o, GB_USES_DATA | GB_USES_MPFR, extra);
}

/* the matrix, block statistics and per-row training outcome, as notes */
void gb_xv_verify_notes(gb_claim_t c, const gb_xv_matrix *X)
{
    gb_str_printf(&c->notes, "### log10 test MSE (rows: training set, columns: test set)\n\n");
    gb_xv_markdown(&c->notes, X);
    gb_str_printf(&c->notes, "### Block statistics of log10 MSE\n\n");
    gb_xv_stats_markdown(&c->notes, X);
}

void gb_xv_verify_heatmap(gb_claim_t c, const char *suffix, const gb_xv_matrix *X, const char *title)
{
    gb_xv_heatmap_fill(gb_claim_heatmap(c, suffix, title, NS, NS, 1), X);
}

/* the closed-form relative matrix of the learned FD rows (w*_∞ per row, SPEC §4) and the terms of each
 * test set, at precision prec; w_inf[i] and R[i·NS + j] out; dR[i·NS + j] = ∂R/∂w */
static int fd_closed_form(double *w_inf, double *R, double *dR, const gb_xv_opts *x, const gb_verify_opts *o,
                          mpfr_prec_t prec)
{
    gb_stencil_t st;
    int rc = gb_stencil_init(st, 2);
    if (rc)
        return rc;
    gb_fd_xval_terms T[NS];
    for (int j = 0; j < NS; j++) {
        gb_data_spec s = gb_xv_spec(x, j, 1);
        gb_lin_xval_basis *B = gb_lin_pred_xval_basis(&s, prec);
        if (!B)
            return GB_ENOMEM;
        gb_fd_pred_xval_terms(&T[j], B);
        gb_lin_pred_xval_free(B);
    }
    mpfr_t w, delta;
    mpfr_inits2(prec, w, delta, (mpfr_ptr)0);
    for (int i = 0; i < NS && !rc; i++) {
        gb_data_spec s = gb_xv_spec(x, i, 0);
        rc = gb_fd_pred_inf(w, delta, &s, st);
        if (o->fault == GB_FAULT_WSTAR)   /* the fault: a model that learned k, FD-3's bias ignored */
            mpfr_set_d(w, x->k, MPFR_RNDN);
        w_inf[i] = mpfr_get_d(w, MPFR_RNDN);
        for (int j = 0; j < NS; j++)
            R[i * NS + j] = gb_fd_pred_xval_rel(&T[j], w, dR ? &dR[i * NS + j] : NULL);
    }
    mpfr_clears(w, delta, (mpfr_ptr)0);
    for (int j = 0; j < NS; j++)
        gb_fd_pred_xval_terms_clear(&T[j]);
    gb_stencil_clear(st);
    return rc;
}

typedef struct {
    const gb_xv_opts *x;
    const gb_verify_opts *o;
} fd_arg;

/* fd_closed_form at prec bits, one row per entry (i, j): R, ∂R/∂w, w*_∞ of row i */
static int fd_closed_form_rows(double *out, mpfr_prec_t prec, const void *arg)
{
    const fd_arg *a = arg;
    double *w = malloc(sizeof(double) * NS), *R = malloc(sizeof(double) * NS * NS),
           *dR = malloc(sizeof(double) * NS * NS);
    int st = w && R && dR ? fd_closed_form(w, R, dR, a->x, a->o, prec) : GB_ENOMEM;
    for (long e = 0; e < NS * NS && !st; e++) {
        out[3 * e] = R[e];
        out[3 * e + 1] = dR[e];
        out[3 * e + 2] = w[e / NS];
    }
    free(w); free(R); free(dR);
    return st;
}

/* the closed form of every entry at p and 2p (each entry one prediction, its row's w*_∞ part of it): the p
 * values out, agree[i·NS + j] */
int gb_xv_verify_fd_closed_form_dual(double *w_inf, double *R, double *dR, int *agree, const gb_xv_opts *x,
                                     const gb_verify_opts *o)
{
    double *rows = malloc(sizeof(double) * 3 * NS * NS);
    if (!rows || !w_inf || !R || !dR || !agree) {
        free(rows);
        return GB_ENOMEM;
    }
    if (gb_verify_dual_rows(rows, agree, NS * NS, 3, o, fd_closed_form_rows, &(fd_arg){x, o}) < 0) {
        free(rows);
        return GB_EINVAL;
    }
    for (long e = 0; e < NS * NS; e++) {
        R[e] = rows[3 * e];
        dR[e] = rows[3 * e + 1];
        w_inf[e / NS] = rows[3 * e + 2];
    }
    free(rows);
    return GB_OK;
}
