/* greenbound bench: timings of the heavy steps (data generation, fits, predictions, one optimiser step
 * per model class). Timings are printed only; they never enter a report. */
#include "cli/cli.h"
#include "core/blas.h"
#include "experiment/fd_case.h"
#include "linear/linear.h"
#include "nn/model.h"
#include "nn/train.h"
#include "predict/fd_predict.h"

#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

enum { O_N = 256, O_SAMPLES };

static const gb_cli_opt opts[] = {
    {"N", O_N, "N", "grid intervals of the data and fit timings, 10..65536 (default 256)"},
    {"samples", O_SAMPLES, "S", "samples, 1..10000000                          (default 10000)"},
    {0}};

const gb_cli_cmd gb_bench_cli = {
    "bench", "usage: greenbound bench [--N N] [--samples S]",
    "Times one data set (poly p=8), the fit of w (q=4) and its predictions, at N=256 and\n"
    "S=10000 by default, the linear model's closed form and gradient step, and one optimiser step\n"
    "of each network class. Timings are printed only; they never enter a report.",
    opts, NULL};

static int parse(long *N, long *S, int argc, char **argv)
{
    *N = 256;
    *S = 10000;
    int c, rc = 0;
    gb_cli_parser P;
    gb_cli_begin(&P, &gb_bench_cli, argc, argv);
    while (!rc && (c = gb_cli_next(&P)) > 0)
        rc = c == O_N ? parse_long(N, P.flag, P.arg, 10, 65536) : parse_long(S, P.flag, P.arg, 1, 10000000);
    if ((rc = gb_cli_stop(c, rc)))
        return rc;
    return gb_cli_no_operands(&P);
}

int parse_only_bench(int argc, char **argv)
{
    long N, S;
    return parse(&N, &S, argc, argv);
}

static int bench_nn(long N);

int cmd_bench(int argc, char **argv)
{
    long N, S;
    int rc = parse(&N, &S, argc, argv);
    if (rc)
        return gb_cli_exit(rc);
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

/* median of `reps` timed optimiser steps (loss, gradient, update) on one batch; the fastest in *best
 * (may be NULL) */
static double time_step(gb_nn_model *m, const gb_dataset_struct *d, const gb_train_opts *o, long B, int reps,
                        double *best)
{
    gb_optim q;
    long *idx = malloc((size_t)B * sizeof(long));
    double t[32], loss;
    if (!idx || gb_optim_init(&q, o, m->nparam)) { free(idx); return NAN; }
    for (long i = 0; i < B; i++) idx[i] = i % d->spec.S;
    if (reps > 31) reps = 31;
    for (int r = -2; r < reps; r++) { /* two warm-up steps: plans, caches, thread pools */
        double t0 = now();
        gb_nn_loss_grad(&loss, NULL, m, d, idx, B);
        gb_optim_step(&q, m->theta, m->grad);
        if (r >= 0) t[r] = now() - t0;
    }
    for (int i = 1; i < reps; i++)
        for (int j = i; j > 0 && t[j] < t[j - 1]; j--) { double x = t[j]; t[j] = t[j - 1]; t[j - 1] = x; }
    gb_optim_clear(&q);
    free(idx);
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
        gb_nn_model *m;
        if (gb_nn_create(&m, &a, step[k].B, 1)) { gb_dataset_clear(d); return EXIT_RUNTIME; }
        double best, s = time_step(m, d, &o, step[k].B, 25, &best);
        printf("  one Adam step, %-10s batch %5ld   %8.2f ms (%5.2f)   (goal ≤ %.0f ms)\n", gb_nn_class_name(step[k].cls),
               step[k].B, 1e3 * s, 1e3 * best, step[k].goal_ms);
        gb_nn_free(m);
    }
    printf("  time per epoch at the default training settings (doc/model-classes.md):\n");
    for (int c = 0; c < GB_NN_NCLASSES; c++) {
        gb_nn_arch a;
        gb_nn_arch_default(&a, (gb_nn_class)c, N);
        gb_train_opts o;
        gb_train_opts_default(&o, (gb_nn_class)c);
        long S = c == GB_NN_PINN ? a.pinn_forcings : o.samples, B = gb_train_batch(&o, &a, S);
        gb_nn_model *m;
        if (gb_nn_create(&m, &a, B, 1)) { gb_dataset_clear(d); return EXIT_RUNTIME; }
        double s = time_step(m, d, &o, B, 5, NULL) * (double)((S + B - 1) / B);
        printf("    %-10s %-8s batch %5ld of %5ld   %8.2f ms per epoch\n", gb_nn_class_name((gb_nn_class)c),
               gb_opt_name(o.opt), B, S, 1e3 * s);
        gb_nn_free(m);
    }
    gb_dataset_clear(d);
    return 0;
}
