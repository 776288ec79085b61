/* greenbound linear | green (the linear model): train u = W f on one data set (Theorem 3.2, SPEC §5),
 * compare W with its MPFR prediction, and read the Green's function off W. 'green' with another model
 * class, or with a checkpoint, goes to the network command (nn_cmd.c). */
#include "cli/cli.h"
#include "core/jnum.h"
#include "linear/linear.h"
#include "predict/lin_predict.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_TRAIN = 256, O_TEST, O_N, O_SAMPLES, O_INIT, O_SOLVER, O_STEPS, O_SEED, O_K, O_LOAD, O_PREC, O_JSON,
       O_MODEL, O_EQUATION };

#define COMMON_OPTS                                                                                               \
    {"equation", O_EQUATION, "E", "poisson or biharmonic (k u'''' = f, simply supported; not with fem)\n"        \
                                  "                                                   (default poisson)"},        \
    {"train", O_TRAIN, "F[:P]", "poly:P, cos:P, sin:P (P in 1..8) or fem               (required)"},              \
    {"N", O_N, "N", "grid intervals, 2..1024                              (required)"},                            \
    {"samples", O_SAMPLES, "S", "samples, 1..10000000                          (default 10000)"},                  \
    {"init", O_INIT, "I", "zero or normal:STD (STD > 0)                    (default zero)"},                       \
    {"solver", O_SOLVER, "S", "gd or closed                                       (default gd)"},                  \
    {"steps", O_STEPS, "T", "gradient-descent step cap, 1..10000000        (default 20000)"},                      \
    {"seed", O_SEED, "X", "non-negative integer seed                         (default 1)"},                        \
    {"k", O_K, "K", "diffusivity, finite and > 0                       (default 1)"},                              \
    {"load", O_LOAD, "L", "fem load vector: consistent or lumped    (default consistent)"},                        \
    {"prec", O_PREC, "BITS", "MPFR working precision, 64..65536               (default 256)"}

static const gb_cli_opt linear_opts[] = {
    COMMON_OPTS,
    {"test", O_TEST, "F[:P]", "a test data set (seed + 1000003); adds test_mse"},
    {"json", O_JSON, NULL, "one JSON object: train_mse, test_mse, dist_to_pred, …"},
    {0}};

const gb_cli_cmd gb_linear_cli = {
    "linear", "usage: greenbound linear --train FAMILY[:P] [--test FAMILY[:P]] --N N [options]",
    "Trains u = W f on the data set F(FAMILY, P) by full-batch gradient descent on the MSE\n"
    "(step 2/(λ_max+λ_min⁺) from the spectrum of C), or in closed form, and compares W with\n"
    "the MPFR prediction W* = A P + W⁰(I - P).",
    linear_opts, NULL};

static const gb_cli_opt green_opts[] = {
    {"model", O_MODEL, "M", "linear here; the network classes are read as in 'greenbound help train'"},
    COMMON_OPTS,
    {"json", O_JSON, NULL, "G_hat ((N+1)×(N+1), row-major nested arrays) and rel_err_vs_G\n"
                           "(‖Ĝ - G‖_F/‖G‖_F)"},
    {0}};

const gb_cli_cmd gb_green_cli = {
    "green", "usage: greenbound green --model linear --train FAMILY[:P] --N N [options]\n"
             "       greenbound green --model M [the options of 'train'] [--alpha A]\n"
             "       greenbound green --load FILE [--alpha A]",
    "Trains the model, probes it with one-hot inputs and prints Ĝ(x_i, x_j) = W_ij/Δx beside\n"
    "the analytic G. For a network class M, or a checkpoint, see 'greenbound help train'.",
    green_opts, NULL};

/* shared by 'linear' and 'green': parse, train, predict. W and Wpred are n×n (malloc'd). */
typedef struct {
    gb_data_spec train, test;
    int have_test, json, closed;
    double init_std;
    long steps;
} linear_args;

static int parse_init(double *std, const char *s)
{
    if (!strcmp(s, "zero")) {
        *std = 0;
        return 0;
    }
    if (!strncmp(s, "normal:", 7))
        return parse_pos_double(std, "--init normal:STD", s + 7, 0);
    return usage_error("--init: expected zero or normal:STD, got '%s'%s", s, "");
}

static int parse_linear(linear_args *a, int argc, char **argv, int green)
{
    memset(a, 0, sizeof *a);
    gb_data_spec_default(&a->train);
    a->steps = 20000;
    int have_train = 0, have_model = !green, have_N = 0, c, rc = 0;
    gb_cli_parser P;
    gb_cli_begin(&P, green ? &gb_green_cli : &gb_linear_cli, argc, argv);
    while (!rc && (c = gb_cli_next(&P)) > 0) {
        const char *v = P.arg, *f = P.flag;
        switch (c) {
        case O_JSON: a->json = 1; break;
        case O_MODEL:
            if (strcmp(v, "linear"))
                return usage_error("--model: expected linear, deeplinear, mlp, deeponet, fno, pinn or pideeponet, "
                                   "got '%s'%s", v, "");
            have_model = 1;
            break;
        case O_TRAIN: rc = parse_family_p(&a->train, f, v); have_train = 1; break;
        case O_EQUATION:
            if (gb_equation_parse(&a->train.equation, v))
                return usage_error("--equation: expected poisson or biharmonic, got '%s'%s", v, "");
            break;
        case O_TEST: rc = parse_family_p(&a->test, f, v); a->have_test = 1; break;
        case O_N: rc = parse_long(&a->train.N, f, v, 2, 1024); have_N = 1; break;
        case O_SAMPLES: rc = parse_long(&a->train.S, f, v, 1, 10000000); break;
        case O_STEPS: rc = parse_long(&a->steps, f, v, 1, 10000000); break;
        case O_SEED: rc = parse_seed(&a->train.seed, f, v, 0x7fffffffL); break;
        case O_K: rc = parse_pos_double(&a->train.k, f, v, 0); break;
        case O_LOAD: rc = parse_load(&a->train.load, v); break;
        case O_INIT: rc = parse_init(&a->init_std, v); break;
        case O_PREC: {
            long bits;
            rc = parse_long(&bits, f, v, 64, 65536);
            a->train.prec = bits;
            break;
        }
        case O_SOLVER:
            if (strcmp(v, "gd") && strcmp(v, "closed"))
                return usage_error("--solver: expected gd or closed, got '%s'%s", v, "");
            a->closed = !strcmp(v, "closed");
            break;
        }
    }
    if ((rc = gb_cli_stop(c, rc)) || (rc = gb_cli_no_operands(&P)))
        return rc;
    if (!have_model)
        return usage_error("green: --model is required (linear)%s%s", "", "");
    if (!have_train)
        return usage_error("--train is required (poly:P, cos:P, sin:P or fem)%s%s", "", "");
    if (!have_N)
        return usage_error("--N is required (2..1024)%s%s", "", "");
    if (a->train.equation == GB_EQ_BIHARMONIC && (a->train.family == GB_FAMILY_FEM ||
                                                  (a->have_test && a->test.family == GB_FAMILY_FEM)))
        return usage_error("--equation biharmonic: the fem family's closed form is Poisson's; use poly, cos or sin%s%s",
                           "", "");
    if (a->have_test) {
        gb_data_spec t = a->train;
        t.family = a->test.family;
        t.p = a->test.p;
        t.seed = a->train.seed + GB_TEST_SEED_OFFSET;
        a->test = t;
    }
    return 0;
}

int parse_only_linear(int argc, char **argv)
{
    linear_args a;
    return parse_linear(&a, argc, argv, 0);
}

/* trains; fills W, Wpred; returns 0 or an exit status */
static int train_linear(const linear_args *a, const gb_dataset_struct *d, double *W, double *Wpred, long *steps)
{
    long n = a->train.N + 1;
    gb_linear_data L;
    if (gb_linear_data_init(&L, d)) {
        fprintf(stderr, "greenbound: the SVD of the training forcings failed\n");
        return EXIT_RUNTIME;
    }
    double *W0 = malloc(sizeof(double) * n * n), *AP = malloc(sizeof(double) * n * n), *P = malloc(sizeof(double) * n * n);
    gb_linear_init_weights(W0, n, a->init_std, a->train.seed);
    gb_lin_pred_operator(AP, P, &a->train, a->train.prec);
    if (a->train.family == GB_FAMILY_FEM && L.rank < n)
        gb_linear_projector(P, &L);  /* fewer samples than nodes: the span is the data's */
    gb_linear_limit(Wpred, AP, P, W0, n);
    *steps = 0;
    int rc = 0;
    if (a->closed)
        gb_linear_closed_form(W, &L, W0);
    else {
        memcpy(W, W0, sizeof(double) * n * n);
        gb_linear_gd_trace tr;
        if (gb_linear_gd(W, &L, gb_linear_step(&L, NULL), a->steps, 1e-15, NULL, 1, &tr)) {
            fprintf(stderr, "greenbound: gradient descent diverged (NaN/Inf)\n");
            rc = EXIT_RUNTIME;
        }
        *steps = tr.steps;
    }
    free(W0); free(AP); free(P);
    gb_linear_data_clear(&L);
    return rc;
}

static int run_linear(int argc, char **argv, int green)
{
    linear_args a;
    int rc = parse_linear(&a, argc, argv, green);
    if (rc)
        return gb_cli_exit(rc);
    long N = a.train.N, n = N + 1, steps;
    gb_dataset_t d, t;
    if (gb_dataset_init(d, &a.train)) {
        fprintf(stderr, "greenbound: cannot generate the training data\n");
        return EXIT_RUNTIME;
    }
    double *W = malloc(sizeof(double) * n * n), *Wp = malloc(sizeof(double) * n * n);
    if (!W || !Wp)
        rc = (fprintf(stderr, "greenbound: out of memory for N = %ld\n", N), 3);
    if (rc || (rc = train_linear(&a, d, W, Wp, &steps))) {   /* nothing leaks on the error paths */
        free(W);
        free(Wp);
        gb_dataset_clear(d);
        return rc;
    }
    double train = gb_linear_mse(W, d), dist = gb_linear_rel_dist(W, Wp, n), test = NAN;
    if (a.have_test) {
        gb_dataset_init(t, &a.test);
        test = gb_linear_mse(W, t);
        gb_dataset_clear(t);
    }
    if (!green) {
        if (a.json) {
            json_t *j = json_object();
            json_object_set_new(j, "train_mse", gb_json_num(train));
            if (a.have_test)
                json_object_set_new(j, "test_mse", gb_json_num(test));
            json_object_set_new(j, "dist_to_pred", gb_json_num(dist));
            json_object_set_new(j, "steps", json_integer(steps));
            json_object_set_new(j, "solver", json_string(a.closed ? "closed" : "gd"));
            json_object_set_new(j, "N", json_integer(N));
            json_object_set_new(j, "samples", json_integer(a.train.S));
            json_object_set_new(j, "equation", json_string(gb_equation_name(a.train.equation)));
            json_dumpf(j, stdout, JSON_REAL_PRECISION(17));
            fputc('\n', stdout);
            json_decref(j);
        } else {
            printf("train %s:%d, N = %ld (%ld nodes), S = %ld, solver %s (%ld steps)\n",
                   gb_family_name(a.train.family), a.train.p, N, n, a.train.S, a.closed ? "closed" : "gd", steps);
            printf("train MSE                       %.3e\n", train);
            if (a.have_test)
                printf("test MSE (%s:%d)               %.3e\n", gb_family_name(a.test.family), a.test.p, test);
            printf("|W - W*|_F / |W*|_F            %.3e\n", dist);
        }
    } else {
        double *G = malloc(sizeof(double) * n * n), num = 0, den = 0;
        gb_lin_green_matrix_eq(G, a.train.equation, N, a.train.k, 0, a.train.prec);
        for (long i = 0; i < n * n; i++) {
            W[i] *= (double)N;   /* Ĝ = W/Δx */
            num += (W[i] - G[i]) * (W[i] - G[i]);
            den += G[i] * G[i];
        }
        double rel = sqrt(num / den);
        if (a.json) {
            json_t *j = json_object(), *rows = json_array();
            for (long i = 0; i < n; i++) {
                json_t *r = json_array();
                for (long k = 0; k < n; k++)
                    json_array_append_new(r, gb_json_num(W[i * n + k]));
                json_array_append_new(rows, r);
            }
            json_object_set_new(j, "G_hat", rows);
            json_object_set_new(j, "rel_err_vs_G", gb_json_num(rel));
            json_object_set_new(j, "N", json_integer(N));
            json_object_set_new(j, "equation", json_string(gb_equation_name(a.train.equation)));
            json_dumpf(j, stdout, JSON_REAL_PRECISION(17));
            fputc('\n', stdout);
            json_decref(j);
        } else {
            printf("Ĝ = W/Δx from %s:%d, N = %ld%s: |Ĝ - G|_F/|G|_F = %.3e\n", gb_family_name(a.train.family),
                   a.train.p, N, a.train.equation == GB_EQ_BIHARMONIC ? " (biharmonic: G = G₄)" : "", rel);
            long h = N / 2;
            printf("column s = x_%ld:\n   x        Ĝ(x,s)          G(x,s)\n", h);
            for (long i = 0; i < n; i += (n > 17 ? n / 16 : 1))
                printf("%6.4f  % .10f  % .10f\n", (double)i / N, W[i * n + h], G[i * n + h]);
        }
        free(G);
    }
    free(W); free(Wp);
    gb_dataset_clear(d);
    return 0;
}

int cmd_linear(int argc, char **argv) { return run_linear(argc, argv, 0); }

/* the value of --NAME (given as "--NAME V" or "--NAME=V") in argv, or NULL */
static const char *value_of(int argc, char **argv, const char *name)
{
    size_t len = strlen(name);
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (!strncmp(argv[i], "--", 2) && !strncmp(argv[i] + 2, name, len)) {
            if (argv[i][2 + len] == '=')
                return argv[i] + 3 + len;
            if (!argv[i][2 + len] && i + 1 < argc)
                return argv[i + 1];
        }
    return NULL;
}

/* 'green' probes a network (another --model, or --load FILE: a checkpoint of any class, linear included)
 * through the network command; the linear model trained here otherwise. --load consistent|lumped is the
 * fem load. */
static int is_network(int argc, char **argv)
{
    const char *m = value_of(argc, argv, "model"), *l = value_of(argc, argv, "load");
    return (m && strcmp(m, "linear")) || (l && strcmp(l, "consistent") && strcmp(l, "lumped"));
}

int cmd_green(int argc, char **argv)
{
    return is_network(argc, argv) ? cmd_green_nn(argc, argv) : run_linear(argc, argv, 1);
}

int parse_only_green(int argc, char **argv)
{
    linear_args a;
    return is_network(argc, argv) ? parse_only_green_nn(argc, argv) : parse_linear(&a, argc, argv, 1);
}
