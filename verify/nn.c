/* NN-1 (SPEC §7): the invariance lemma on the model classes trained in C (PINN-1, GRN-5 and NN-FLOOR,
 * statistical claims judged per tier, are in pinn1.c, grn5.c and nnfloor.c).
 * Models, gradients and optimisers are in src/nn/; doc/model-classes.md derives what is checked. */
#include "core/status.h"
#include "linear/linear.h"
#include "nn/model.h"
#include "nn/train.h"
#include "verify.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* a data set F(fam, p) of S samples on the claim's grid */
static int nn_data(gb_dataset_t d, const gb_verify_opts *o, gb_family fam, int p, long N, long S)
{
    gb_data_spec spec = gb_verify_spec(o, fam, p, N);
    spec.S = S;
    return gb_dataset_init(d, &spec);
}

/* one training run on d (a pinn uses its first pinn_forcings samples); the caller frees x */
typedef struct {
    gb_nn_model_t m;
    gb_train_result r;
} nn_run;

static int nn_run_train(nn_run *x, const gb_verify_opts *o, const gb_nn_arch *a, const gb_train_opts *t,
                        const gb_dataset_struct *d, gb_train_hook hook, void *ctx)
{
    memset(x, 0, sizeof *x);
    int st = gb_nn_model_init(x->m, a, gb_train_batch(t, a, d->spec.S), o->seed);
    if (st) return st;
    st = gb_train(&x->r, x->m, d, t, hook, ctx);
    if (o->progress)
        fprintf(stderr, "  %s on %s:%d: %s after %ld epochs, train MSE %.3e\n", gb_nn_class_name(a->cls),
                gb_family_name(d->spec.family), d->spec.p, gb_train_status_name(x->r.status), x->r.epochs,
                x->r.train_mse);
    return st;
}

static void nn_run_clear(nn_run *x)
{
    gb_nn_model_clear(x->m);
    gb_train_result_clear(&x->r);
    memset(x, 0, sizeof *x);
}

/* ---------------------------------------------------------------------------------------------- */
/* NN-1: the invariance lemma */

typedef struct {
    long n, rows, rank;
    const double *V;     /* rows of V: right singular vectors of the training forcings */
    double *Q0;          /* W₁(I − P) at t = 0 */
    double *Q;           /* scratch */
} nn1_state;

/* training hook: Q_0 = W₁(I − P) before the first step (buffers allocated here, freed by the caller) */
static void nn1_snapshot(const gb_nn_model_t m, long step, void *ctx)
{
    nn1_state *s = ctx;
    if (step) return;
    const double *W = gb_nn_first_layer(&s->rows, m);
    s->Q0 = malloc((size_t)(s->rows * s->n) * sizeof(double));
    s->Q = malloc((size_t)(s->rows * s->n) * sizeof(double));
    if (s->Q0 && s->Q) gb_linear_off_span(s->Q0, W, s->rows, s->n, s->V, s->rank);
    else { free(s->Q0); s->Q0 = NULL; }
}

#define NN1_N 32            /* grid intervals of the training data sin:4 */
#define NN1_S 200           /* training samples */
#define NN1_EPOCHS 100      /* epochs per run */
#define NN1_BATCH 50        /* the minibatch of sgd and momentum */
#define NN1_FROZEN 1e-12    /* frozen: |Q_T − Q_0|/|Q_0| at most this */
#define NN1_DECAY 1e-10     /* weight decay: |Q_T|/|Q_0| within this (relative) of (1 − ηλ)^T */
#define NN1_ADAM 1e-6       /* Adam moves Q by at least this */

static const char *cols_nn1[] = {"model", "optimiser", "weight decay", "steps", "lr", "train MSE",
                                 "|Q_T - Q_0|/|Q_0|", "predicted |Q_T|/|Q_0|", "measured |Q_T|/|Q_0|", "verdict"};

int gb_verify_nn1(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "gradient checks of every model class (tests/test_nn.c)";
    c->statement = "If the first operation on f is a dense map W₁ f + b₁, every gradient on training inputs has "
                   "rows in span(U): Q = W₁(I − UUᵀ) is frozen under GD, SGD and heavy-ball momentum, decays as "
                   "(1 − ηλ)^t under weight decay λ, and is not preserved by Adam.";
    c->cases.ncols = sizeof cols_nn1 / sizeof *cols_nn1;
    c->cases.cols = cols_nn1;
    long N = NN1_N, S = NN1_S, epochs = NN1_EPOCHS;
    char extra[640];
    snprintf(extra, sizeof extra,
             "- training data sin:4, N = %ld (%ld nodes), S = %ld samples, %ld epochs per run\n"
             "- models whose first map on f is dense: deeplinear, mlp, deeponet (branch); "
             "SPEC §7 default architectures\n"
             "- sgd and momentum: minibatches of %d (%ld steps per epoch); momentum μ = 0.9\n"
             "- P from the SVD of the training forcings (rank rule of src/linear)\n"
             "- rules: frozen ⇔ |Q_T − Q_0|/|Q_0| ≤ %g; decay within %g of (1 − ηλ)^T; "
             "Adam moves Q by ≥ %s (else the lemma's contrast FAILs)\n", N, N + 1, S, epochs, NN1_BATCH,
             S / NN1_BATCH, NN1_FROZEN, NN1_DECAY, GB_NUM("%g", NN1_ADAM));
    gb_verify_params(c, o, GB_USES_DATA, extra);
    gb_dataset_t d;
    int st = nn_data(d, o, GB_FAMILY_SIN, 4, N, S);
    if (st) return st;
    gb_linear_data L;
    st = gb_linear_data_init(&L, d);
    if (st) { gb_dataset_clear(d); return st; }
    static const gb_nn_class models[] = {GB_NN_DEEPLINEAR, GB_NN_MLP, GB_NN_DEEPONET};
    static const double lrs[] = {2e-2, 5e-2, 2e-2};
    struct { gb_opt_kind opt; double wd; } runs[] = {
        {GB_OPT_GD, 0}, {GB_OPT_SGD, 0}, {GB_OPT_MOMENTUM, 0}, {GB_OPT_GD, 0.5}, {GB_OPT_ADAM, 0}};
    double worst_frozen = 0, worst_decay = 0, least_adam = INFINITY;
    for (int mi = 0; mi < 3; mi++)
        for (int ri = 0; ri < 5; ri++) {
            gb_nn_arch a;
            gb_nn_arch_default(&a, models[mi], N);
            gb_train_opts t;
            gb_train_opts_default(&t, models[mi]);
            t.opt = runs[ri].opt; t.weight_decay = runs[ri].wd; t.epochs = epochs; t.seed = o->seed;
            t.lr = runs[ri].opt == GB_OPT_ADAM ? 1e-3 : lrs[mi];
            t.batch = (runs[ri].opt == GB_OPT_SGD || runs[ri].opt == GB_OPT_MOMENTUM) ? NN1_BATCH : 0;
            if (runs[ri].opt == GB_OPT_MOMENTUM) t.lr *= 0.1; /* effective step η/(1 − μ) */
            nn_run x;
            nn1_state s = {L.n, 0, L.rank, L.V, NULL, NULL};
            st = nn_run_train(&x, o, &a, &t, d, nn1_snapshot, &s); /* Q_0 at step 0 */
            if (st || !s.Q0) {
                free(s.Q0); free(s.Q); nn_run_clear(&x); gb_linear_data_clear(&L); gb_dataset_clear(d);
                return st ? st : GB_ENOMEM;
            }
            long rows = s.rows;
            gb_linear_off_span(s.Q, gb_nn_first_layer(&rows, x.m), rows, s.n, s.V, s.rank);
            double q0 = gb_linear_fro(s.Q0, rows * L.n), qT = gb_linear_fro(s.Q, rows * L.n);
            for (long i = 0; i < rows * L.n; i++) s.Q[i] -= s.Q0[i];
            double change = gb_linear_fro(s.Q, rows * L.n) / q0;
            double pred = runs[ri].wd > 0 ? pow(1.0 - t.lr * runs[ri].wd, (double)x.r.steps) : 1.0;
            const char *verdict;
            char lab[32];
            snprintf(lab, sizeof lab, "%s/%s%s", gb_nn_class_name(models[mi]), gb_opt_name(t.opt),
                     runs[ri].wd > 0 ? "+decay" : "");
            if (x.r.status == GB_TRAIN_DIVERGED) {
                gb_claim_judge(c, GB_ERROR, "%s: training diverged", lab);
                verdict = "ERROR";
            } else if (runs[ri].opt == GB_OPT_ADAM) {
                least_adam = fmin(least_adam, change);
                verdict = change >= NN1_ADAM ? "moves (as predicted)" : "FAIL";
                if (change < NN1_ADAM) gb_claim_judge(c, GB_FAIL, "%s: Adam left Q within %.2e", lab, change);
            } else if (runs[ri].wd > 0) {
                double e = fabs(qT / q0 - pred) / pred;
                worst_decay = fmax(worst_decay, e);
                verdict = e <= NN1_DECAY ? "PASS" : "FAIL";
                if (e > NN1_DECAY)
                    gb_claim_judge(c, GB_FAIL, "%s: |Q_T|/|Q_0| = %.12g, predicted %.12g", lab, qT / q0, pred);
            } else {
                worst_frozen = fmax(worst_frozen, change);
                verdict = change <= NN1_FROZEN ? "PASS" : "FAIL";
                if (change > NN1_FROZEN) gb_claim_judge(c, GB_FAIL, "%s: Q moved by %.2e", lab, change);
            }
            gb_table_row(&c->cases, gb_nn_class_name(models[mi]), gb_opt_name(t.opt), runs[ri].wd,
                         x.r.steps, t.lr, x.r.train_mse, change, pred, qT / q0, verdict);
            free(s.Q0); free(s.Q);
            nn_run_clear(&x);
        }
    gb_linear_data_clear(&L);
    gb_dataset_clear(d);
    gb_str_printf(&c->prediction, "Q frozen (GD/SGD/momentum), (1 − ηλ)^t with decay, moved by Adam");
    gb_str_printf(&c->measured, "max frozen change %.1e; max decay error %.1e; Adam moved Q by ≥ %.1e",
                  worst_frozen, worst_decay, least_adam);
    return GB_OK;
}
