/* Optimisers and training loop: see train.h. */
#include "nn/train.h"
#include "core/status.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *opt_names[] = {"gd", "sgd", "momentum", "adam"};
static const char *status_names[] = {"max-epochs", "tolerance", "patience", "diverged", "plateau"};

const char *gb_opt_name(gb_opt_kind k) { return (k >= 0 && k <= GB_OPT_ADAM) ? opt_names[k] : "?"; }
const char *gb_train_status_name(gb_train_status s) { return (s >= 0 && s <= GB_TRAIN_PLATEAU) ? status_names[s] : "?"; }

int gb_opt_parse(gb_opt_kind *k, const char *s)
{
    for (int i = 0; i <= GB_OPT_ADAM; i++)
        if (!strcmp(s, opt_names[i])) { *k = (gb_opt_kind)i; return GB_OK; }
    return GB_EINVAL;
}

void gb_train_opts_default(gb_train_opts *o, gb_nn_class cls)
{
    memset(o, 0, sizeof *o);
    o->opt = GB_OPT_ADAM;
    o->lr = 1e-3; o->momentum = 0.9; o->beta1 = 0.9; o->beta2 = 0.999; o->eps = 1e-8;
    o->epochs = 2000; o->batch = 0; o->samples = 1000;
    o->tol = 0; o->patience = 0; o->seed = 1;
    o->plateau_window = 0; o->plateau_halvings = 10; o->plateau_gain = 0.01;
    switch (cls) {
    case GB_NN_LINEAR: o->opt = GB_OPT_GD; o->lr = 0.5; o->epochs = 5000; break;
    case GB_NN_DEEPLINEAR: o->lr = 1e-3; break;
    case GB_NN_DEEPONET: case GB_NN_PIDEEPONET: o->batch = 100; o->epochs = 1500; o->lr = 5e-4; break;
    case GB_NN_FNO: o->batch = 100; o->epochs = 100; break;
    case GB_NN_PINN: o->epochs = 5000; o->samples = 0; break;
    default: break;
    }
}

/* the training samples a run uses out of S: a pinn's forcings, else min(samples, S) */
static long used_samples(const gb_train_opts *o, const gb_nn_arch *a, long S)
{
    return (a->cls == GB_NN_PINN) ? a->pinn_forcings : (o->samples > 0 && o->samples < S ? o->samples : S);
}

long gb_train_batch(const gb_train_opts *o, const gb_nn_arch *a, long S)
{
    long n = used_samples(o, a, S);
    if (o->opt == GB_OPT_GD || o->batch <= 0 || o->batch > n) return n;
    return o->batch;
}

void gb_train_result_clear(gb_train_result *r)
{
    memset(r, 0, sizeof *r);
}

int gb_optim_init(gb_optim_t q, const gb_train_opts *o, long nparam)
{
    memset(q, 0, sizeof *q);
    q->o = *o; q->P = nparam; q->b1t = q->b2t = 1.0;
    q->v = calloc((size_t)nparam, sizeof(double));
    q->s2 = calloc((size_t)nparam, sizeof(double));
    return (q->v && q->s2) ? GB_OK : GB_ENOMEM;
}

void gb_optim_clear(gb_optim_t q)
{
    free(q->v); free(q->s2);
    q->v = q->s2 = NULL;
}

void gb_optim_step(double *th, gb_optim_t q, const double *g)
{
    const gb_train_opts *o = &q->o;
    double lr = o->lr, wd = o->weight_decay, *v = q->v, *s2 = q->s2;
    long P = q->P;
    q->t++;
    switch (o->opt) {
    case GB_OPT_GD: case GB_OPT_SGD:
        for (long i = 0; i < P; i++) th[i] -= lr * (g[i] + wd * th[i]);
        break;
    case GB_OPT_MOMENTUM:
        for (long i = 0; i < P; i++) { v[i] = o->momentum * v[i] + g[i] + wd * th[i]; th[i] -= lr * v[i]; }
        break;
    case GB_OPT_ADAM: {
        q->b1t *= o->beta1; q->b2t *= o->beta2;
        double c1 = 1.0 / (1.0 - q->b1t), c2 = 1.0 / (1.0 - q->b2t), b1 = o->beta1, b2 = o->beta2;
        #pragma omp simd
        for (long i = 0; i < P; i++) {
            double gi = g[i] + wd * th[i];
            v[i] = b1 * v[i] + (1.0 - b1) * gi;
            s2[i] = b2 * s2[i] + (1.0 - b2) * gi * gi;
            th[i] -= lr * (v[i] * c1) / (sqrt(s2[i] * c2) + o->eps);
        }
        break;
    }
    }
}

void gb_plateau_init(gb_plateau *p, const gb_train_opts *o)
{
    p->window = o->plateau_window;
    p->max_halvings = o->plateau_halvings;
    p->gain = o->plateau_gain;
    p->lr = o->lr;
    p->epoch = 0;
    p->halvings = 0;
    p->improving = 1;
    p->best_before = p->win_best = INFINITY;
}

int gb_plateau_epoch(gb_plateau *p, double loss)
{
    p->epoch++;
    if (p->window <= 0)
        return 0;
    p->win_best = fmin(p->win_best, loss);
    p->improving = p->win_best <= p->best_before * (1.0 - p->gain);
    if (p->epoch % p->window)
        return 0;
    p->best_before = fmin(p->best_before, p->win_best);
    p->win_best = INFINITY;
    if (p->improving)
        return 0;
    p->lr *= 0.5;
    return ++p->halvings >= p->max_halvings;
}

static void progress_bar(long e, long E, double loss)
{
    int w = 30, k = (int)(w * e / (E > 0 ? E : 1));
    fprintf(stderr, "\r[%.*s%*s] epoch %ld/%ld  loss %.3e", k, "==============================", w - k, "", e, E, loss);
}

int gb_train(gb_train_result *r, gb_nn_model_t m, const gb_dataset_struct *d, const gb_train_opts *o,
             gb_train_hook hook, void *ctx)
{
    memset(r, 0, sizeof *r);
    if (!(o->lr > 0) || o->epochs < 0 || !(o->weight_decay >= 0) || d->spec.N != m->arch.N) return GB_EINVAL;
    if (o->plateau_window < 0 || (o->plateau_window > 0 && (o->plateau_halvings < 1 || !(o->plateau_gain >= 0)
                                                            || !(o->plateau_gain < 1))))
        return GB_EINVAL;
    long S = used_samples(o, &m->arch, d->spec.S);
    if (S > d->spec.S) return GB_EINVAL; /* pinn: more forcings than samples */
    long B = gb_train_batch(o, &m->arch, d->spec.S);
    if (B > m->bmax) return GB_EINVAL;
    gb_optim_t q;
    long *idx = malloc((size_t)S * sizeof(long));
    if (gb_optim_init(q, o, m->nparam) || !idx) {
        gb_optim_clear(q); free(idx);
        return GB_ENOMEM;
    }
    for (long i = 0; i < S; i++) idx[i] = i;
    gmp_randstate_t rs;
    gmp_randinit_mt(rs);
    gb_rng_seed(rs, o->seed, 200 + (int)m->arch.cls, 0, 0, 11);
    int show = o->progress && isatty(2);
    double best = INFINITY;
    gb_plateau pl;
    gb_plateau_init(&pl, o);
    long since_best = 0, t = 0;
    int st = GB_OK;
    r->status = GB_TRAIN_MAXEPOCH;

    if (hook) hook(m, 0, ctx);
    for (long e = 1; e <= o->epochs; e++) {
        if (B < S && o->opt != GB_OPT_GD) /* Fisher-Yates shuffle */
            for (long i = S - 1; i > 0; i--) {
                long j = (long)gmp_urandomm_ui(rs, (unsigned long)(i + 1)), tmp = idx[i];
                idx[i] = idx[j]; idx[j] = tmp;
            }
        double eloss = 0;
        long nb = 0;
        for (long b0 = 0; b0 < S; b0 += B) {
            long bs = S - b0 < B ? S - b0 : B;
            double loss;
            st = gb_nn_loss_grad(&loss, NULL, m, d, idx + b0, bs);
            if (st == GB_ENONFIN) { r->status = GB_TRAIN_DIVERGED; st = GB_OK; goto done; }
            if (st) goto done;
            if (t == 0) r->first_loss = loss;
            if (loss > 1e6 * r->first_loss && r->first_loss > 0) { r->status = GB_TRAIN_DIVERGED; goto done; }
            eloss += loss * (double)bs;
            nb += bs;
            gb_optim_step(m->theta, q, m->grad);
            t++;
            if (hook) hook(m, t, ctx);
        }
        eloss /= (double)nb;
        r->epochs = e;
        r->loss = eloss;
        if (show && (e % 10 == 0 || e == o->epochs)) progress_bar(e, o->epochs, eloss);
        if (o->tol > 0 && eloss <= o->tol) { r->status = GB_TRAIN_TOL; break; }
        if (eloss < best * (1.0 - 1e-4)) { best = eloss; since_best = 0; }
        else if (o->patience > 0 && ++since_best >= o->patience) { r->status = GB_TRAIN_PATIENCE; break; }
        if (o->plateau_window > 0) {
            int reached = gb_plateau_epoch(&pl, eloss);
            q->o.lr = pl.lr;
            if (reached) { r->status = GB_TRAIN_PLATEAU; break; }
        }
    }
done:
    if (show) fputc('\n', stderr);
    if (r->status == GB_TRAIN_DIVERGED)   /* no final loss to report: never a 0 that reads as a perfect fit */
        r->loss = r->train_mse = NAN;
    r->lr_final = pl.lr;
    r->halvings = pl.halvings;
    r->improving = o->plateau_window > 0 ? pl.improving : -1;
    r->steps = t;
    if (!st && r->status != GB_TRAIN_DIVERGED) {
        /* final loss and data MSE over all training samples, in batches */
        double L = 0, D = 0;
        for (long b0 = 0; b0 < S && !st; b0 += B) {
            long bs = S - b0 < B ? S - b0 : B;
            double loss, dm;
            for (long i = 0; i < bs; i++) idx[i] = b0 + i;
            st = gb_nn_loss(&loss, &dm, m, d, idx, bs);
            L += loss * (double)bs; D += dm * (double)bs;
        }
        if (st == GB_ENONFIN) { r->status = GB_TRAIN_DIVERGED; st = GB_OK; }
        r->loss = L / (double)S; r->train_mse = D / (double)S;
    }
    gmp_randclear(rs);
    gb_optim_clear(q);
    free(idx);
    return st;
}
