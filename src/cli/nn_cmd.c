/* greenbound train | green --model M: the model classes of SPEC §7 from the command line. */
#include "cli/cli.h"
#include "core/jnum.h"
#include "core/blas.h"
#include "core/status.h"
#include "nn/model.h"
#include "nn/train.h"
#include "predict/lin_predict.h"

#include <cblas.h>
#include <jansson.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *train_help =
    "usage: greenbound train --model M --train FAMILY[:P] [options]\n"
    "\n"
    "Trains one model class of SPEC §7 on F(FAMILY, P) and reports training and test MSE.\n"
    "  --model M         linear | deeplinear | mlp | deeponet | fno | pinn | pideeponet\n"
    "  --train F[:P]     training data set: poly:P, cos:P, sin:P (P = 1..8) or fem\n"
    "  --test F[:P]      a test data set (repeatable, up to 25; default: the training family)\n"
    "  --N N             grid intervals (default 64; N+1 nodes in and out)\n"
    "  --samples S       training samples (default 1000; pinn: its forcings)\n"
    "  --test-samples S  samples per test set (default 500)\n"
    "  --seed X          data seed; the test sets use X + 1 (default 1)\n"
    "  --init-seed X     weight seed (default 1)\n"
    "optimiser (defaults per class, see doc/model-classes.md):\n"
    "  --optimizer gd|sgd|momentum|adam   --lr LR   --batch B (0 = full)   --epochs E\n"
    "  --momentum MU   --weight-decay L   --tol T (stop at loss ≤ T)   --patience P (early stop)\n"
    "  --plateau-window W  train to the plateau (SPEC §7): every W epochs, halve the rate unless the\n"
    "                    window's best loss is 1 % below the best before; stop after --plateau-halvings\n"
    "                    H halvings (default 10) or at --epochs (0 = constant rate, the default)\n"
    "architecture (SPEC §7 defaults):\n"
    "  --depth L (deeplinear 3)   --width W (mlp 256)   --don-width W --don-depth D --latent P (128, 2, 64)\n"
    "  --fno-width C (even) --fno-layers L --modes M --fno-proj P (32, 4, 16, 64)\n"
    "  --pinn-width W --pinn-depth D --forcings S (32, 3, 8)   --k-init K (0.5)\n"
    "  --phys-weight L (1)   --k K (diffusivity of data and residual, 1)\n"
    "output:\n"
    "  --save FILE       checkpoint (format in doc/model-classes.md)\n"
    "  --json            one JSON object: model, architecture, status, epochs, train_mse, test_mse{}\n"
    "  --quiet           no progress bar (it is shown only when stderr is a terminal)\n"
    "\n"
    "greenbound green --model M [same options] [--alpha A] (or green --load FILE, the class and grid read\n"
    "from the checkpoint; a --model given with it must agree) probes the model with one-hot forcings:\n"
    "Ĝ(x_i, x_j) = (Model(α e_j) − Model(0))_i / (α Δx), printed beside the analytic G.\n";

typedef struct {
    gb_nn_arch arch;
    gb_train_opts opt;
    gb_data_spec train, test[25];
    int ntest, json, quiet, have_train, have_model;
    long test_samples;
    unsigned long init_seed;
    const char *save, *load;
    double alpha;
} nn_args;

static int parse_int_opt(int *dst, const char *flag, const char *v, long lo, long hi)
{
    long x;
    if (parse_long(&x, flag, v, lo, hi)) return EXIT_USAGE;
    *dst = (int)x;
    return 0;
}

static int parse_nn(nn_args *a, int argc, char **argv, int green)
{
    memset(a, 0, sizeof *a);
    gb_data_spec_default(&a->train);
    a->train.N = 64;
    a->test_samples = 500;
    a->init_seed = 1;
    a->alpha = 1.0;
    gb_nn_class cls = GB_NN_MLP;
    for (int i = 1; i < argc; i++)   /* --help answers whatever else is on the line */
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(train_help, stdout);   /* it covers green --model M too */
            return -1;
        }
    /* first pass: the class, so that the defaults below are the class's */
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--model")) {
            VALUE(v);
            if (gb_nn_class_parse(&cls, v))
                return usage_error("--model: expected linear, deeplinear, mlp, deeponet, fno, pinn or pideeponet, got '%s'%s", v, "");
            a->have_model = 1;
        }
    int loading = 0;   /* a checkpoint names its own class: --model is then only a check */
    for (int i = 1; i + 1 < argc; i++)
        loading |= !strcmp(argv[i], "--load");
    if (!a->have_model && !loading) return usage_error("--model is required%s%s", "", "");
    long N = 64, x;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--N")) { VALUE(v); if (parse_long(&N, "--N", v, 4, 4096)) return EXIT_USAGE; }
    gb_nn_arch_default(&a->arch, cls, N);
    a->train.N = N;
    gb_train_opts_default(&a->opt, cls);
    a->opt.progress = 1;
    gb_nn_arch *r = &a->arch;
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i];
        int rc = 0;
        if (!strcmp(f, "--model") || !strcmp(f, "--N")) { i++; continue; }
        if (!strcmp(f, "--json")) { a->json = 1; continue; }
        if (!strcmp(f, "--quiet")) { a->quiet = 1; continue; }
        if (!strcmp(f, "--help") || !strcmp(f, "-h")) { fputs(train_help, stdout); return -1; }
        VALUE(v);
        if (!strcmp(f, "--train")) { rc = parse_family_p(&a->train, f, v); a->have_train = 1; }
        else if (!strcmp(f, "--test")) {
            if (a->ntest == 25) return usage_error("--test: at most 25 test sets%s%s", "", "");
            gb_data_spec_default(&a->test[a->ntest]);
            rc = parse_family_p(&a->test[a->ntest++], f, v);
        }
        else if (!strcmp(f, "--samples")) {
            /* a PINN fits one network per forcing: its sample count is --forcings, never silently ignored */
            if (cls == GB_NN_PINN)
                return usage_error("--samples: a pinn trains on --forcings S forcings (default 8), got --samples %s%s", v, "");
            rc = parse_long(&a->opt.samples, f, v, 1, 1000000);
        }
        else if (!strcmp(f, "--test-samples")) rc = parse_long(&a->test_samples, f, v, 1, 1000000);
        else if (!strcmp(f, "--seed")) { rc = parse_long(&x, f, v, 0, 1L << 62); a->train.seed = (unsigned long)x; }
        else if (!strcmp(f, "--init-seed")) { rc = parse_long(&x, f, v, 0, 1L << 62); a->init_seed = (unsigned long)x; }
        else if (!strcmp(f, "--optimizer")) {
            if (gb_opt_parse(&a->opt.opt, v)) return usage_error("--optimizer: expected gd, sgd, momentum or adam, got '%s'%s", v, "");
        }
        else if (!strcmp(f, "--lr")) rc = parse_pos_double(&a->opt.lr, f, v, 0);
        else if (!strcmp(f, "--batch")) rc = parse_long(&a->opt.batch, f, v, 0, 1000000);
        else if (!strcmp(f, "--epochs")) rc = parse_long(&a->opt.epochs, f, v, 0, 100000000);
        else if (!strcmp(f, "--momentum")) {
            rc = parse_pos_double(&a->opt.momentum, f, v, 1);
            if (!rc && a->opt.momentum >= 1) return usage_error("--momentum: expected a value in [0, 1), got '%s'%s", v, "");
        }
        else if (!strcmp(f, "--weight-decay")) rc = parse_pos_double(&a->opt.weight_decay, f, v, 1);
        else if (!strcmp(f, "--tol")) rc = parse_pos_double(&a->opt.tol, f, v, 1);
        else if (!strcmp(f, "--patience")) rc = parse_long(&a->opt.patience, f, v, 0, 100000000);
        else if (!strcmp(f, "--plateau-window")) rc = parse_long(&a->opt.plateau_window, f, v, 0, 100000000);
        else if (!strcmp(f, "--plateau-halvings")) rc = parse_int_opt(&a->opt.plateau_halvings, f, v, 1, 60);
        else if (!strcmp(f, "--depth")) rc = parse_int_opt(&r->depth, f, v, 1, 10);
        else if (!strcmp(f, "--width")) rc = parse_int_opt(&r->width, f, v, 1, 8192);
        else if (!strcmp(f, "--don-width")) rc = parse_int_opt(&r->don_width, f, v, 1, 8192);
        else if (!strcmp(f, "--don-depth")) rc = parse_int_opt(&r->don_depth, f, v, 0, 8);
        else if (!strcmp(f, "--latent")) rc = parse_int_opt(&r->don_latent, f, v, 1, 8192);
        else if (!strcmp(f, "--fno-width")) rc = parse_int_opt(&r->fno_width, f, v, 1, 1024);
        else if (!strcmp(f, "--fno-layers")) rc = parse_int_opt(&r->fno_layers, f, v, 1, GB_FNO_MAX_LAYERS);
        else if (!strcmp(f, "--modes")) rc = parse_int_opt(&r->fno_modes, f, v, 1, (N + 1) / 2);
        else if (!strcmp(f, "--fno-proj")) rc = parse_int_opt(&r->fno_proj, f, v, 1, 8192);
        else if (!strcmp(f, "--pinn-width")) rc = parse_int_opt(&r->pinn_width, f, v, 1, 8192);
        else if (!strcmp(f, "--pinn-depth")) rc = parse_int_opt(&r->pinn_depth, f, v, 1, 8);
        else if (!strcmp(f, "--forcings")) rc = parse_int_opt(&r->pinn_forcings, f, v, 1, 4096);
        else if (!strcmp(f, "--k-init")) rc = parse_pos_double(&r->k_init, f, v, 0);
        else if (!strcmp(f, "--phys-weight")) rc = parse_pos_double(&r->phys_weight, f, v, 1);
        else if (!strcmp(f, "--k")) { rc = parse_pos_double(&r->k, f, v, 0); a->train.k = r->k; }
        else if (!strcmp(f, "--save") && !green) a->save = v;
        else if (!strcmp(f, "--load") && green) a->load = v;
        else if (!strcmp(f, "--alpha") && green) {
            char *end;
            a->alpha = strtod(v, &end);
            if (*end || end == v || !isfinite(a->alpha) || a->alpha == 0)
                return usage_error("--alpha: expected a finite non-zero number, got '%s'%s", v, "");
        }
        else return usage_error("unknown option '%s' (see 'greenbound help train')%s", f, "");
        if (rc) return EXIT_USAGE;
    }
    if (!a->have_train && !a->load) return usage_error("--train is required%s%s", "", "");
    if (a->quiet) a->opt.progress = 0;
    char msg[200];
    if (gb_nn_arch_check(r, msg, sizeof msg)) return usage_error("%s%s", msg, "");
    a->train.S = (cls == GB_NN_PINN) ? r->pinn_forcings : a->opt.samples;
    a->opt.samples = 0; /* the data set holds exactly the training samples */
    if (!a->ntest && a->have_train) { a->test[0] = a->train; a->ntest = 1; }
    for (int t = 0; t < a->ntest; t++) {
        a->test[t].N = N; a->test[t].k = r->k; a->test[t].S = a->test_samples;
        a->test[t].seed = a->train.seed + 1;
        if (gb_data_spec_check(&a->test[t], msg, sizeof msg)) return usage_error("--test: %s%s", msg, "");
    }
    if (a->have_train && gb_data_spec_check(&a->train, msg, sizeof msg)) return usage_error("--train: %s%s", msg, "");
    return 0;
}

static void set_name(char *buf, size_t len, const gb_data_spec *s)
{
    if (s->family == GB_FAMILY_FEM) snprintf(buf, len, "fem");
    else snprintf(buf, len, "%s:%d", gb_family_name(s->family), s->p);
}

/* trains (or loads) the model of the arguments; on success *out owns it. Runtime errors exit 3 (README);
 * a diverged training is a result, reported with exit 1 by the caller */
static int build_model(nn_args *a, gb_nn_model **out, gb_train_result *res, json_t *js)
{
    int st;
    char msg[300];
    *out = NULL;
    memset(res, 0, sizeof *res);
    if (a->load) {
        st = gb_nn_load(out, a->load, 256, msg, sizeof msg);
        if (st) { fprintf(stderr, "greenbound: %s\n", msg); return 3; }
        if (a->have_model && (*out)->arch.cls != a->arch.cls) {
            fprintf(stderr, "greenbound: %s holds a %s model, --model says %s\n", a->load,
                    gb_nn_class_name((*out)->arch.cls), gb_nn_class_name(a->arch.cls));
            gb_nn_free(*out); *out = NULL;
            return EXIT_USAGE;
        }
        a->arch = (*out)->arch;
        /* the model, its architecture and grid are the checkpoint's, not the command line's defaults */
        char buf[400];
        gb_nn_arch_describe(&a->arch, buf, sizeof buf);
        json_object_set_new(js, "model", json_string(gb_nn_class_name(a->arch.cls)));
        json_object_set_new(js, "architecture", json_string(buf));
        json_object_set_new(js, "N", json_integer(a->arch.N));
        json_object_set_new(js, "nodes", json_integer(a->arch.N + 1));
        json_object_set_new(js, "loaded", json_string(a->load));
        return 0;
    }
    gb_dataset_t d;
    st = gb_dataset_init(d, &a->train);
    if (st) { fprintf(stderr, "greenbound: cannot build the training set: %s\n", gb_strerror(st)); return 3; }
    long bmax = gb_train_batch(&a->opt, &a->arch, a->train.S);
    if (bmax < 256) bmax = 256; /* room for test sets and probes in chunks of 256 */
    st = gb_nn_create(out, &a->arch, bmax, a->init_seed);
    if (st) { gb_dataset_clear(d); fprintf(stderr, "greenbound: cannot build the model: %s\n", gb_strerror(st)); return 3; }
    double t0 = now();
    st = gb_train(*out, d, &a->opt, res, NULL, NULL);
    double t1 = now();
    gb_dataset_clear(d);
    if (st) {
        fprintf(stderr, "greenbound: training failed: %s\n", gb_strerror(st));
        gb_nn_free(*out); *out = NULL;
        return 3;
    }
    json_object_set_new(js, "status", json_string(gb_train_status_name(res->status)));
    json_object_set_new(js, "epochs", json_integer(res->epochs));
    json_object_set_new(js, "steps", json_integer(res->steps));
    json_object_set_new(js, "train_loss", gb_json_num(res->loss));
    json_object_set_new(js, "train_mse", gb_json_num(res->train_mse));
    json_object_set_new(js, "lr_final", gb_json_num(res->lr_final));
    if (a->opt.plateau_window > 0) {
        json_object_set_new(js, "halvings", json_integer(res->halvings));
        json_object_set_new(js, "still_improving", json_boolean(res->improving == 1));
    }
    /* a wall time is no result: it goes to stderr, so the same seed gives the same JSON on every run */
    if (!a->quiet)
        fprintf(stderr, "greenbound: train: %.3g s per epoch (%ld epochs)\n",
                res->epochs ? (t1 - t0) / (double)res->epochs : 0.0, res->epochs);
    if (a->arch.cls == GB_NN_PINN) json_object_set_new(js, "k_learned", gb_json_num(gb_nn_learned_k(*out)));
    return 0;
}

static json_t *describe(const nn_args *a)
{
    char buf[400], name[16];
    json_t *js = json_object();
    json_object_set_new(js, "model", json_string(gb_nn_class_name(a->arch.cls)));
    gb_nn_arch_describe(&a->arch, buf, sizeof buf);
    json_object_set_new(js, "architecture", json_string(buf));
    json_object_set_new(js, "N", json_integer(a->arch.N));
    json_object_set_new(js, "nodes", json_integer(a->arch.N + 1));
    if (!a->load) {
        set_name(name, sizeof name, &a->train);
        json_object_set_new(js, "train", json_string(name));
        json_object_set_new(js, "samples", json_integer(a->train.S));
        json_object_set_new(js, "seed", json_integer((json_int_t)a->train.seed));
        json_object_set_new(js, "init_seed", json_integer((json_int_t)a->init_seed));
        json_object_set_new(js, "optimizer", json_string(gb_opt_name(a->opt.opt)));
        json_object_set_new(js, "lr", gb_json_num(a->opt.lr));
        json_object_set_new(js, "batch", json_integer(gb_train_batch(&a->opt, &a->arch, a->train.S)));
        json_object_set_new(js, "weight_decay", gb_json_num(a->opt.weight_decay));
    }
    return js;
}

static int emit(json_t *js, int as_json)
{
    if (as_json) {
        char *s = json_dumps(js, JSON_INDENT(2) | JSON_REAL_PRECISION(17) | JSON_PRESERVE_ORDER);
        puts(s);
        free(s);
    } else {
        const char *key;
        json_t *v;
        json_object_foreach(js, key, v) {
            if (json_is_object(v) || json_is_array(v)) continue;
            char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(6));
            printf("%-18s %s\n", key, s);
            free(s);
        }
        json_t *t = json_object_get(js, "test_mse");
        if (t) json_object_foreach(t, key, v) {
            if (json_is_number(v)) printf("test_mse %-9s %.6e\n", key, json_number_value(v));
            else printf("test_mse %-9s nan\n", key);   /* null: not a number */
        }
    }
    return 0;
}

/* what train and green share: arguments, the JSON description, the trained or loaded model */
typedef struct {
    nn_args a;
    json_t *js;
    gb_nn_model *m;
    gb_train_result res;
} nn_session;

/* 0: ready; otherwise the exit status (−1 from parse_nn: --help was printed) */
static int nn_start(nn_session *S, int argc, char **argv, int green)
{
    memset(S, 0, sizeof *S);
    int rc = parse_nn(&S->a, argc, argv, green);
    if (rc) return rc < 0 ? 0 : rc;
    S->js = describe(&S->a);
    rc = build_model(&S->a, &S->m, &S->res, S->js);
    if (rc) { json_decref(S->js); S->js = NULL; }
    return rc;
}

static void nn_finish(nn_session *S)
{
    json_decref(S->js);
    gb_train_result_clear(&S->res);
    gb_nn_free(S->m);
}

int cmd_train(int argc, char **argv)
{
    nn_session S;
    int rc = nn_start(&S, argc, argv, 0);
    if (rc || !S.m) return rc;
    nn_args a = S.a;
    gb_nn_model *m = S.m;
    json_t *js = S.js, *tm = json_object();
    for (int t = 0; t < a.ntest && !rc; t++) {
        char name[16];
        set_name(name, sizeof name, &a.test[t]);
        gb_dataset_t d;
        if (gb_dataset_init(d, &a.test[t])) { rc = 3; break; }
        double mse;
        int st = gb_nn_mse(m, d, &mse);
        gb_dataset_clear(d);
        if (st) { fprintf(stderr, "greenbound: test on %s: %s\n", name, gb_strerror(st)); rc = 3; break; }
        json_object_set_new(tm, name, gb_json_num(mse));
    }
    json_object_set_new(js, "test_mse", tm);
    if (!rc && a.save) {
        int st = gb_nn_save(m, a.save);
        if (st) { fprintf(stderr, "greenbound: cannot write %s: %s\n", a.save, gb_strerror(st)); rc = 3; }
        else json_object_set_new(js, "saved", json_string(a.save));
    }
    if (!rc) emit(js, a.json);
    if (!rc && S.res.status == GB_TRAIN_DIVERGED) {
        fprintf(stderr, "greenbound: training diverged after %ld epochs\n", S.res.epochs);
        rc = 1;
    }
    nn_finish(&S);
    return rc;
}

int cmd_green_nn(int argc, char **argv)
{
    nn_session S;
    int rc = nn_start(&S, argc, argv, 1);
    if (rc || !S.m) return rc;
    gb_nn_model *m = S.m;
    long n = m->n, N = m->arch.N;
    double *Gh = malloc((size_t)(n * n) * sizeof(double)), *G = malloc((size_t)(n * n) * sizeof(double));
    int st = (Gh && G) ? gb_nn_green(m, S.a.alpha, m->arch.k, Gh) : GB_ENOMEM;
    if (st) {
        fprintf(stderr, "greenbound: probing failed: %s\n", gb_strerror(st));
        free(Gh); free(G); nn_finish(&S);
        return 3;
    }
    gb_lin_green_matrix(G, N, m->arch.k, 0, 128);
    double num = 0, den = 0;
    json_t *rows = json_array();
    for (long i = 0; i < n; i++) {
        json_t *row = json_array();
        for (long j = 0; j < n; j++) {
            double e = Gh[i * n + j] - G[i * n + j];
            num += e * e; den += G[i * n + j] * G[i * n + j];
            json_array_append_new(row, gb_json_num(Gh[i * n + j]));
        }
        json_array_append_new(rows, row);
    }
    json_object_set_new(S.js, "alpha", gb_json_num(S.a.alpha));
    json_object_set_new(S.js, "rel_err_vs_G", gb_json_num(sqrt(num / den)));
    if (S.a.json) {
        json_object_set_new(S.js, "G_hat", rows);
        emit(S.js, 1);
    } else {
        json_decref(rows);
        emit(S.js, 0);
        long c = n / 2;
        printf("\ncolumn j = %ld (x_j = %g):\n  x_i        G_hat          G\n", c, (double)c / (double)N);
        for (long i = 0; i < n; i += (n > 17 ? n / 16 : 1))
            printf("  %-8.4f % .6e % .6e\n", (double)i / (double)N, Gh[i * n + c], G[i * n + c]);
    }
    free(Gh); free(G);
    nn_finish(&S);
    return 0;
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
        gb_nn_loss_grad(m, d, idx, B, &loss, NULL);
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

int bench_nn(long N)
{
    gb_data_spec spec;
    gb_data_spec_default(&spec);
    spec.family = GB_FAMILY_SIN; spec.p = 4; spec.N = N; spec.S = 10000;
    gb_dataset_t d;
    if (gb_dataset_init(d, &spec)) { fprintf(stderr, "greenbound: bench: cannot generate data\n"); return 3; }
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
        if (gb_nn_create(&m, &a, step[k].B, 1)) { gb_dataset_clear(d); return 3; }
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
        if (gb_nn_create(&m, &a, B, 1)) { gb_dataset_clear(d); return 3; }
        double s = time_step(m, d, &o, B, 5, NULL) * (double)((S + B - 1) / B);
        printf("    %-10s %-8s batch %5ld of %5ld   %8.2f ms per epoch\n", gb_nn_class_name((gb_nn_class)c),
               gb_opt_name(o.opt), B, S, 1e3 * s);
        gb_nn_free(m);
    }
    gb_dataset_clear(d);
    return 0;
}
