/* greenbound bench: timings of the heavy steps (data generation, fits, predictions, one optimiser step
 * per model class). Timings are printed only; they never enter a report. */
#include "cli/cli.h"
#include "core/blas.h"
#include "experiment/fd_case.h"
#include "linear/linear.h"
#include "nn/model.h"
#include "nn/train.h"
#include "predict/fd_predict.h"
#include "core/record.h"
#include "core/status.h"
#include "core/str.h"
#include "xval/npy.h"
#include "cli/bench_floor.h"

#include <jansson.h>
#include <string.h>

#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

enum { O_N = 256, O_SAMPLES, O_PEER, O_MODEL, O_STEPS, O_SCALING, O_FLOOR };

static const gb_cli_opt opts[] = {
    {"N", O_N, "N", "grid intervals of the data and fit timings, 10..65536 (default 256)"},
    {"samples", O_SAMPLES, "S", "samples, 1..10000000                          (default 10000)"},
    {"peer", O_PEER, "DIR", "for a peer implementation (scripts/bench-peer.py): write each network's\n"
                            "layers, initial θ, batch and first three Adam losses to DIR/<model>/"},
    {"model", O_MODEL, "M", "the peer comparison's networks: deeplinear, mlp or both (default both)"},
    {"steps", O_STEPS, "K", "with --model: time K Adam steps after two warm-up steps, one JSON line of\n"
                            "seconds per step on stdout, 1..1000"},
    {"floor", O_FLOOR, NULL, "with --model and --steps: time the step's floor instead (the same step blocked\n"
                             "through the batch, src/cli/bench_floor.c), its gradient first checked\n"
                             "against greenbound's to 1e-12 relative"},
    {"scaling", O_SCALING, "NMAX", "time data, the linear model's closed form and GD step and the MPFR\n"
                                   "predictions at N = 32, 64, ..., NMAX (a power of two, 64..4096) on S\n"
                                   "samples; one JSON object on stdout (scripts/bench-scaling.py)"},
    {0}};

const gb_cli_cmd gb_bench_cli = {
    "bench",
    "usage: greenbound bench [--N N] [--samples S] | --peer DIR [--model M] | --model M --steps K |\n"
    "       --scaling NMAX [--samples S]",
    "Times one data set (poly p=8), the fit of w (q=4) and its predictions, at N=256 and\n"
    "S=10000 by default, the linear model's closed form and gradient step, and one optimiser step\n"
    "of each network class. Timings are printed only; they never enter a report. --peer and\n"
    "--steps serve the side-by-side comparison of 'make bench' (scripts/bench-peer.py).",
    opts, NULL};

typedef struct {
    long N, S, steps, scaling;
    int floor;
    const char *peer;
    int nmodels;
    gb_nn_class models[2];
} bench_args;

static int parse(bench_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->N = 256;
    a->S = 10000;
    int c, rc = 0;
    gb_cli_parser P;
    gb_cli_begin(&P, &gb_bench_cli, argc, argv);
    while (!rc && (c = gb_cli_next(&P)) > 0)
        switch (c) {
        case O_N: rc = parse_long(&a->N, P.flag, P.arg, 10, 65536); break;
        case O_SAMPLES: rc = parse_long(&a->S, P.flag, P.arg, 1, 10000000); break;
        case O_PEER: a->peer = P.arg; break;
        case O_STEPS: rc = parse_long(&a->steps, P.flag, P.arg, 1, 1000); break;
        case O_FLOOR: a->floor = 1; break;
        case O_SCALING:
            rc = parse_long(&a->scaling, P.flag, P.arg, 64, 4096);
            if (!rc && (a->scaling & (a->scaling - 1)))
                rc = usage_error("--scaling: NMAX must be a power of two, got '%s'%s", P.arg, "");
            break;
        case O_MODEL:
            if (!strcmp(P.arg, "both"))
                a->nmodels = 0;
            else if (gb_nn_class_parse(&a->models[0], P.arg) ||
                     (a->models[0] != GB_NN_DEEPLINEAR && a->models[0] != GB_NN_MLP))
                rc = usage_error("--model: expected deeplinear, mlp or both, got '%s'%s", P.arg, "");
            else
                a->nmodels = 1;
            break;
        }
    if ((rc = gb_cli_stop(c, rc)))
        return rc;
    if (a->steps && a->nmodels != 1)
        return usage_error("--steps times one network: give --model deeplinear or --model mlp%s%s", "", "");
    if (a->steps && a->peer)
        return usage_error("--steps and --peer are separate calls%s%s", "", "");
    if (a->floor && !a->steps)
        return usage_error("--floor times steps: give --model deeplinear or --model mlp and --steps K%s%s", "", "");
    if (a->scaling && (a->steps || a->peer || a->nmodels))
        return usage_error("--scaling is a call of its own (with --samples only)%s%s", "", "");
    if (!a->nmodels) {
        a->nmodels = 2;
        a->models[0] = GB_NN_DEEPLINEAR;
        a->models[1] = GB_NN_MLP;
    }
    return gb_cli_no_operands(&P);
}

int parse_only_bench(int argc, char **argv)
{
    bench_args a;
    return parse(&a, argc, argv);
}

static int bench_nn(long N);
static int bench_peer(const bench_args *a);

int cmd_bench(int argc, char **argv)
{
    bench_args a;
    int rc = parse(&a, argc, argv);
    if (rc)
        return gb_cli_exit(rc);
    if (a.peer || a.steps)
        return bench_peer(&a);
    if (a.scaling)
        return gb_bench_scaling(a.S, a.scaling);
    long N = a.N, S = a.S;
    gb_data_spec spec;
    gb_data_spec_default(&spec);
    spec.p = 8;
    spec.N = N;
    spec.S = S;
    double t0 = now();
    gb_dataset_t d;
    if (gb_dataset_init(d, &spec)) {
        fprintf(stderr, "greenbound: bench: cannot generate data\n");
        return EXIT_RUNTIME;
    }
    double t1 = now();
    gb_fd_fit fit;
    gb_fd_fit_opts fo;
    gb_fd_fit_opts_default(&fo);
    gb_fd_fit_run(&fit, d, gb_fd_stencil(4), &fo);
    double t2 = now();
    mpfr_t w, dl;
    mpfr_inits2(256, w, dl, (mpfr_ptr)0);
    gb_fd_pred_sample(w, dl, d, gb_fd_stencil(4));
    double t3 = now();
    gb_fd_pred_inf(w, dl, &spec, gb_fd_stencil(4));
    double t4 = now();
    mpfr_clears(w, dl, (mpfr_ptr)0);
    printf("bench: poly p=8, q=4, N=%ld, S=%ld\n", N, S);
    printf("  data generation (MPFR, correctly rounded)   %8.3f s  (%.0f ns per value)\n", t1 - t0,
           1e9 * (t1 - t0) / (2.0 * S * (N + 1)));
    printf("  fit: least squares + GD (%3ld iterations)     %8.3f s\n", fit.gd_iters, t2 - t1);
    printf("  finite-sample prediction, 256 bits           %8.3f s\n", t3 - t2);
    printf("  infinite-data prediction, 256 bits           %8.3f s\n", t4 - t3);
    gb_dataset_clear(d);
    /* the linear model at N = 128: closed form and the cost of one GD step */
    spec.family = GB_FAMILY_FEM;
    spec.N = 128;
    gb_dataset_init(d, &spec);
    long n = 129;
    double *W = calloc((size_t)(n * n), sizeof(double));
    double t5 = now();
    gb_linear_data L;
    gb_linear_data_init(&L, d);
    gb_linear_closed_form(W, &L, NULL);
    double t6 = now();
    gb_linear_gd_trace tr;
    gb_linear_gd(W, &L, gb_linear_step(&L, NULL), 1000, 0.0, NULL, 1, &tr);
    double t7 = now();
    printf("bench: linear model, fem data, N=128 (%ld nodes), S=%ld\n", n, S);
    printf("  statistics + SVD + closed form              %8.3f s\n", t6 - t5);
    printf("  one gradient-descent step (n³ GEMM)         %8.3f ms\n", 1e3 * (t7 - t6) / 1000);
    free(W);
    gb_linear_data_clear(&L);
    gb_dataset_clear(d);
    gb_fd_cache_clear();
    return bench_nn(64);
}

/* t[0..reps) = the seconds of `reps` optimiser steps (loss, gradient, update) on the batch of samples
 * 0, 1, … (mod S), after two warm-up steps (plans, caches, thread pools); a status */
static int timed_steps(double *t, gb_nn_model_t m, const gb_dataset_struct *d, const gb_train_opts *o, long B,
                       long reps)
{
    gb_optim_t q;
    long *idx = malloc((size_t)B * sizeof(long));
    if (!idx || gb_optim_init(q, o, m->nparam)) { free(idx); return GB_ENOMEM; }
    for (long i = 0; i < B; i++) idx[i] = i % d->spec.S;
    int st = GB_OK;
    double loss;
    for (long r = -2; r < reps && !st; r++) {
        double t0 = now();
        st = gb_nn_loss_grad(&loss, NULL, m, d, idx, B);
        gb_optim_step(m->theta, q, m->grad);
        if (r >= 0) t[r] = now() - t0;
    }
    gb_optim_clear(q);
    free(idx);
    return st;
}

/* median of `reps` (≤ 31) timed optimiser steps; the fastest in *best (may be NULL) */
static double time_step(gb_nn_model_t m, const gb_dataset_struct *d, const gb_train_opts *o, long B, int reps,
                        double *best)
{
    double t[32];
    if (reps > 31) reps = 31;
    if (timed_steps(t, m, d, o, B, reps)) {
        if (best) *best = NAN;
        return NAN;
    }
    for (int i = 1; i < reps; i++)
        for (int j = i; j > 0 && t[j] < t[j - 1]; j--) { double x = t[j]; t[j] = t[j - 1]; t[j - 1] = x; }
    if (best) *best = t[0];
    return t[reps / 2];
}

/* the rate of one 1000 × 1000 × 1000 product per thread, all threads at once: the machine's speed
 * at the moment of the step timings, so that they can be compared across machines and moments
 * (a shared host's speed drifts by 10–20 %) */
static double dgemm_rate(void)
{
    const int n = 1000, T = omp_get_max_threads();
    gb_blas_single_thread();
    double *a = malloc((size_t)n * n * sizeof(double)), *c = malloc((size_t)T * n * n * sizeof(double));
    if (!a || !c) { free(a); free(c); return NAN; }
    for (long i = 0; i < (long)n * n; i++) a[i] = 1.0 / (double)(1 + i % 7);
    double best = INFINITY;
    for (int r = 0; r < 4; r++) {
        double t0 = now();
        #pragma omp parallel for schedule(static)
        for (int t = 0; t < T; t++)
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, a, n, a, n, 0.0,
                        c + (long)t * n * n, n);
        double dt = now() - t0;
        if (dt < best) best = dt;
    }
    free(a); free(c);
    return 2.0 * n * n * n * T / best / 1e9;
}

static int bench_nn(long N)
{
    gb_data_spec spec;
    gb_data_spec_default(&spec);
    spec.family = GB_FAMILY_SIN; spec.p = 4; spec.N = N; spec.S = 10000;
    gb_dataset_t d;
    if (gb_dataset_init(d, &spec)) { fprintf(stderr, "greenbound: bench: cannot generate data\n"); return EXIT_RUNTIME; }
    printf("bench: model classes, float64, N=%ld (%ld nodes), sin:4 data; median (fastest) of 25 steps; %d OpenMP\n"
           "       threads, OpenBLAS %s kernels (src/core/blas.h); this machine's DGEMM now: %.0f GFLOP/s\n", N, N + 1,
           omp_get_max_threads(), gb_blas_kernels(), dgemm_rate());
    struct { gb_nn_class cls; long B; double goal_ms; } step[] = {
        {GB_NN_MLP, 10000, 40}, {GB_NN_DEEPONET, 10000, 30}, {GB_NN_FNO, 256, 20}};
    for (int k = 0; k < 3; k++) {
        gb_nn_arch a;
        gb_nn_arch_default(&a, step[k].cls, N);
        gb_train_opts o;
        gb_train_opts_default(&o, step[k].cls);
        o.opt = GB_OPT_ADAM;
        gb_nn_model_t m;
        if (gb_nn_model_init(m, &a, step[k].B, 1)) { gb_dataset_clear(d); return EXIT_RUNTIME; }
        double best, s = time_step(m, d, &o, step[k].B, 25, &best);
        printf("  one Adam step, %-10s batch %5ld   %8.2f ms (%5.2f)   (goal ≤ %.0f ms)\n", gb_nn_class_name(step[k].cls),
               step[k].B, 1e3 * s, 1e3 * best, step[k].goal_ms);
        gb_nn_model_clear(m);
    }
    printf("  time per epoch at the default training settings (doc/model-classes.md):\n");
    for (int c = 0; c < GB_NN_NCLASSES; c++) {
        gb_nn_arch a;
        gb_nn_arch_default(&a, (gb_nn_class)c, N);
        gb_train_opts o;
        gb_train_opts_default(&o, (gb_nn_class)c);
        long S = c == GB_NN_PINN ? a.pinn_forcings : o.samples, B = gb_train_batch(&o, &a, S);
        gb_nn_model_t m;
        if (gb_nn_model_init(m, &a, B, 1)) { gb_dataset_clear(d); return EXIT_RUNTIME; }
        double s = time_step(m, d, &o, B, 5, NULL) * (double)((S + B - 1) / B);
        printf("    %-10s %-8s batch %5ld of %5ld   %8.2f ms per epoch\n", gb_nn_class_name((gb_nn_class)c),
               gb_opt_name(o.opt), B, S, 1e3 * s);
        gb_nn_model_clear(m);
    }
    gb_dataset_clear(d);
    return 0;
}

/* ---- the side-by-side comparison (scripts/bench-peer.py) ----
 * Both sides start from the same θ on the same batch of sin:4 data (N = 64, B = 10000) and take the same
 * Adam steps (the class defaults of doc/model-classes.md); the peer checks the first three losses against
 * these and times its own steps between calls of this one. */
enum { PEER_N = 64, PEER_B = 10000, PEER_CHECK = 3 };

static int peer_model(gb_nn_model_t m, gb_dataset_t d, gb_train_opts *o, gb_nn_class cls)
{
    gb_data_spec spec;
    gb_data_spec_default(&spec);
    spec.family = GB_FAMILY_SIN; spec.p = 4; spec.N = PEER_N; spec.S = PEER_B;
    if (gb_dataset_init(d, &spec))
        return GB_ENOMEM;
    gb_nn_arch a;
    gb_nn_arch_default(&a, cls, PEER_N);
    gb_train_opts_default(o, cls);
    o->opt = GB_OPT_ADAM;
    int st = gb_nn_model_init(m, &a, PEER_B, 1);
    if (st)
        gb_dataset_clear(d);
    return st;
}

/* the chain's layers in θ order: rows (out), cols (in), bias, activation after it */
static json_t *peer_layers(const gb_nn_model_t m)
{
    json_t *L = json_array();
    const gb_chain_struct *c = &m->body;
    for (int l = 0; l < c->L; l++)
        json_array_append_new(L, json_pack("{s:i, s:i, s:I, s:b, s:s}", "rows", c->dims[l + 1], "cols", c->dims[l],
                                           "offset", (json_int_t)c->off[l], "bias", c->bias,
                                           "act", l + 1 < c->L && c->act == GB_ACT_TANH ? "tanh" : "none"));
    return L;
}

static int peer_export(const char *dir, gb_nn_class cls)
{
    gb_nn_model_t m;
    gb_dataset_t d;
    gb_train_opts o;
    char path[4096], sub[3072];
    if ((size_t)snprintf(sub, sizeof sub, "%s/%s", dir, gb_nn_class_name(cls)) >= sizeof sub) {
        fprintf(stderr, "greenbound: bench --peer: the folder name is too long\n");
        return EXIT_USAGE;
    }
    snprintf(path, sizeof path, "%s/theta.npy", sub);
    if (gb_record_mkdirs_for(path) || peer_model(m, d, &o, cls))
        return EXIT_RUNTIME;
    long n = PEER_N + 1;
    int st = gb_npy_write(path, m->theta, m->nparam, 0);
    snprintf(path, sizeof path, "%s/F.npy", sub);
    st = st ? st : gb_npy_write(path, d->f, PEER_B, n);
    snprintf(path, sizeof path, "%s/U.npy", sub);
    st = st ? st : gb_npy_write(path, d->u, PEER_B, n);
    /* the first losses of the run (each before its step) */
    gb_optim_t q;
    long *idx = malloc(sizeof(long) * PEER_B);
    json_t *losses = json_array();
    if (!st && idx && !gb_optim_init(q, &o, m->nparam)) {
        for (long i = 0; i < PEER_B; i++)
            idx[i] = i;
        for (int k = 0; k < PEER_CHECK && !st; k++) {
            double loss;
            st = gb_nn_loss_grad(&loss, NULL, m, d, idx, PEER_B);
            gb_optim_step(m->theta, q, m->grad);
            json_array_append_new(losses, gb_record_num(loss));
        }
        gb_optim_clear(q);
    } else
        st = st ? st : GB_ENOMEM;
    free(idx);
    if (!st) {
        char desc[256];
        gb_nn_arch_describe(desc, sizeof desc, &m->arch);
        json_t *js = json_pack("{s:s, s:s, s:I, s:I, s:o, s:f, s:f, s:f, s:f, s:f, s:o, s:s}", "model",
                               gb_nn_class_name(cls), "architecture", desc, "batch", (json_int_t)PEER_B, "nparam",
                               (json_int_t)m->nparam, "layers", peer_layers(m), "lr", o.lr, "beta1", o.beta1, "beta2",
                               o.beta2, "eps", o.eps, "weight_decay", o.weight_decay, "losses", losses, "loss",
                               "mean over the batch and the nodes of (prediction - u)^2; each loss before its step");
        losses = NULL;
        snprintf(path, sizeof path, "%s/peer.json", sub);
        st = js ? gb_record_write(js, path, 0) : GB_ENOMEM;
    }
    json_decref(losses);
    gb_nn_model_clear(m);
    gb_dataset_clear(d);
    if (st)
        fprintf(stderr, "greenbound: bench --peer: cannot write %s: %s\n", sub, gb_strerror(st));
    return st ? EXIT_RUNTIME : 0;
}

/* the floor of the model's step (bench_floor.c) on the peer batch: its gradient checked against greenbound's
 * (max |Δ| / max |g| in *gdiff, at most FLOOR_AGREE), then t[0..reps) the seconds of `reps` floor steps after
 * two warm-up steps, from the same θ */
#define FLOOR_AGREE 1e-12
static int floor_steps(double *t, double *gdiff, gb_nn_model_struct *m, const gb_dataset_struct *d, const gb_train_opts *o,
                       long reps)
{
    long P = m->nparam, *idx = malloc(sizeof(long) * PEER_B);
    double *th = malloc(sizeof(double) * (size_t)P), *g = malloc(sizeof(double) * (size_t)P), loss, lg;
    gb_floor *f = gb_floor_new(&m->body, PEER_B);
    int st = idx && th && g && f ? GB_OK : GB_ENOMEM;
    for (long i = 0; !st && i < PEER_B; i++)
        idx[i] = i;
    if (!st)
        memcpy(th, m->theta, sizeof(double) * (size_t)P);
    if (!st && !(st = gb_nn_loss_grad(&lg, NULL, m, d, idx, PEER_B)) &&
        !(st = gb_floor_grad(f, &loss, g, th, d->f, d->u))) {
        double dmax = 0, gmax = 0;
        for (long i = 0; i < P; i++) {
            dmax = fmax(dmax, fabs(g[i] - m->grad[i]));
            gmax = fmax(gmax, fabs(m->grad[i]));
        }
        *gdiff = gmax > 0 ? dmax / gmax : dmax;
        if (!(*gdiff <= FLOOR_AGREE) || !(fabs(loss - lg) <= FLOOR_AGREE * lg)) {
            fprintf(stderr, "greenbound: bench --floor: the floor's gradient differs from greenbound's by %.3g "
                            "(loss %.17g against %.17g): not the same step\n", *gdiff, loss, lg);
            st = GB_EINVAL;
        }
    }
    for (long r = -2; !st && r < reps; r++) {
        double t0 = now();
        st = gb_floor_step(f, &loss, g, th, d->f, d->u, o->lr, o->beta1, o->beta2, o->eps);
        if (r >= 0)
            t[r] = now() - t0;
    }
    gb_floor_free(f);
    free(idx), free(th), free(g);
    return st;
}

static int bench_peer(const bench_args *a)
{
    if (a->peer) {
        for (int k = 0; k < a->nmodels; k++)
            if (peer_export(a->peer, a->models[k]))
                return EXIT_RUNTIME;
        return 0;
    }
    gb_nn_model_t m;
    gb_dataset_t d;
    gb_train_opts o;
    if (peer_model(m, d, &o, a->models[0]))
        return EXIT_RUNTIME;
    double *t = malloc(sizeof(double) * (size_t)a->steps), gdiff = NAN;
    int st = !t ? GB_ENOMEM : a->floor ? floor_steps(t, &gdiff, m, d, &o, a->steps)
                                       : timed_steps(t, m, d, &o, PEER_B, a->steps);
    if (!st) {
        printf("{\"model\": \"%s\", \"threads\": %d, ", gb_nn_class_name(a->models[0]), omp_get_max_threads());
        if (a->floor)
            printf("\"floor\": true, \"grad_rel_diff\": %.3g, \"gflop\": %.6g, ", gdiff,
                   gb_floor_flops(&m->body, PEER_B) / 1e9);
        printf("\"seconds\": [");
        for (long r = 0; r < a->steps; r++)
            printf("%s%.9g", r ? ", " : "", t[r]);
        printf("]}\n");
    }
    free(t);
    gb_nn_model_clear(m);
    gb_dataset_clear(d);
    if (st)
        fprintf(stderr, "greenbound: bench --steps: %s\n", gb_strerror(st));
    return st ? EXIT_RUNTIME : 0;
}
