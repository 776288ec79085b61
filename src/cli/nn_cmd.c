/* greenbound train | green --model M: the model classes of SPEC §7 from the command line. */
#include "cli/cli.h"
#include "core/status.h"
#include "nn/model.h"
#include "nn/train.h"

#include <jansson.h>
#include <math.h>
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
    "architecture (SPEC §7 defaults):\n"
    "  --depth L (deeplinear 3)   --width W (mlp 256)   --don-width W --don-depth D --latent P (128, 2, 64)\n"
    "  --fno-width C --fno-layers L --modes M --fno-proj P (32, 4, 16, 64)\n"
    "  --pinn-width W --pinn-depth D --forcings S (32, 3, 8)   --k-init K (0.5)\n"
    "  --phys-weight L (1)   --k K (diffusivity of data and residual, 1)\n"
    "output:\n"
    "  --save FILE       checkpoint (format in doc/model-classes.md)\n"
    "  --json            one JSON object: model, architecture, status, epochs, train_mse, test_mse{}\n"
    "  --quiet           no progress bar (it is shown only when stderr is a terminal)\n"
    "\n"
    "greenbound green --model M [same options | --load FILE] [--alpha A] probes the model with\n"
    "one-hot forcings: Ĝ(x_i, x_j) = Model(α e_j)_i / (α Δx), printed beside the analytic G.\n";

typedef struct {
    gb_nn_arch arch;
    gb_train_opts opt;
    gb_data_spec train, test[25];
    int ntest, json, quiet, have_train, have_model;
    long test_samples;
    unsigned long init_seed;
    const char *save, *load;
    double alpha;
    /* explicitly given optimiser settings, applied over the class defaults */
    int set_opt, set_lr, set_batch, set_epochs, set_samples;
    gb_opt_kind o_opt;
    double o_lr;
    long o_batch, o_epochs, o_samples;
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
    /* first pass: the class, so that the defaults below are the class's */
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--model")) {
            VALUE(v);
            if (gb_nn_class_parse(&cls, v))
                return usage_error("--model: expected linear, deeplinear, mlp, deeponet, fno, pinn or pideeponet, got '%s'%s", v, "");
            a->have_model = 1;
        }
    if (!a->have_model) return usage_error("--model is required%s%s", "", "");
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
        else if (!strcmp(f, "--samples")) { rc = parse_long(&a->o_samples, f, v, 1, 1000000); a->set_samples = 1; }
        else if (!strcmp(f, "--test-samples")) rc = parse_long(&a->test_samples, f, v, 1, 1000000);
        else if (!strcmp(f, "--seed")) { rc = parse_long(&x, f, v, 0, 1L << 62); a->train.seed = (unsigned long)x; }
        else if (!strcmp(f, "--init-seed")) { rc = parse_long(&x, f, v, 0, 1L << 62); a->init_seed = (unsigned long)x; }
        else if (!strcmp(f, "--optimizer")) {
            if (gb_opt_parse(&a->o_opt, v)) return usage_error("--optimizer: expected gd, sgd, momentum or adam, got '%s'%s", v, "");
            a->set_opt = 1;
        }
        else if (!strcmp(f, "--lr")) { rc = parse_pos_double(&a->o_lr, f, v, 0); a->set_lr = 1; }
        else if (!strcmp(f, "--batch")) { rc = parse_long(&a->o_batch, f, v, 0, 1000000); a->set_batch = 1; }
        else if (!strcmp(f, "--epochs")) { rc = parse_long(&a->o_epochs, f, v, 0, 100000000); a->set_epochs = 1; }
        else if (!strcmp(f, "--momentum")) {
            rc = parse_pos_double(&a->opt.momentum, f, v, 1);
            if (!rc && a->opt.momentum >= 1) return usage_error("--momentum: expected a value in [0, 1), got '%s'%s", v, "");
        }
        else if (!strcmp(f, "--weight-decay")) rc = parse_pos_double(&a->opt.weight_decay, f, v, 1);
        else if (!strcmp(f, "--tol")) rc = parse_pos_double(&a->opt.tol, f, v, 1);
        else if (!strcmp(f, "--patience")) rc = parse_long(&a->opt.patience, f, v, 0, 100000000);
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
    if (a->set_opt) a->opt.opt = a->o_opt;
    if (a->set_lr) a->opt.lr = a->o_lr;
    if (a->set_batch) a->opt.batch = a->o_batch;
    if (a->set_epochs) a->opt.epochs = a->o_epochs;
    if (a->set_samples) a->opt.samples = a->o_samples;
    if (a->quiet) a->opt.progress = 0;
    char msg[200];
    if (gb_nn_arch_check(r, msg, sizeof msg)) return usage_error("%s%s", msg, "");
    a->train.S = (cls == GB_NN_PINN) ? r->pinn_forcings : a->opt.samples;
    a->opt.samples = 0; /* the data set holds exactly the training samples */
    if (!a->ntest && a->have_train) { a->test[0] = a->train; a->ntest = 1; }
    for (int t = 0; t < a->ntest; t++) {
        a->test[t].N = N; a->test[t].k = r->k; a->test[t].S = a->test_samples;
        a->test[t].seed = a->train.seed + 1;
    }
    return 0;
}

static void set_name(char *buf, size_t len, const gb_data_spec *s)
{
    if (s->family == GB_FAMILY_FEM) snprintf(buf, len, "fem");
    else snprintf(buf, len, "%s:%d", gb_family_name(s->family), s->p);
}

/* trains (or loads) the model of the arguments; on success *out owns it */
static int build_model(nn_args *a, gb_nn_model **out, gb_train_result *res, json_t *js)
{
    int st;
    char msg[300];
    *out = NULL;
    memset(res, 0, sizeof *res);
    if (a->load) {
        st = gb_nn_load(out, a->load, 256, msg, sizeof msg);
        if (st) { fprintf(stderr, "greenbound: %s\n", msg); return 1; }
        a->arch = (*out)->arch;
        json_object_set_new(js, "loaded", json_string(a->load));
        return 0;
    }
    if (gb_data_spec_check(&a->train, msg, sizeof msg)) { fprintf(stderr, "greenbound: --train: %s\n", msg); return EXIT_USAGE; }
    gb_dataset_t d;
    st = gb_dataset_init(d, &a->train);
    if (st) { fprintf(stderr, "greenbound: cannot build the training set: %s\n", gb_strerror(st)); return 1; }
    long bmax = gb_train_batch(&a->opt, &a->arch, a->train.S);
    if (bmax < 256) bmax = 256 < a->train.S || a->arch.cls == GB_NN_PINN ? bmax : 256;
    st = gb_nn_create(out, &a->arch, bmax, a->init_seed);
    if (st) { gb_dataset_clear(d); fprintf(stderr, "greenbound: cannot build the model: %s\n", gb_strerror(st)); return 1; }
    double t0 = now();
    st = gb_train(*out, d, &a->opt, res, NULL, NULL);
    double t1 = now();
    gb_dataset_clear(d);
    if (st) {
        fprintf(stderr, "greenbound: training failed: %s\n", gb_strerror(st));
        gb_nn_free(*out); *out = NULL;
        return 1;
    }
    json_object_set_new(js, "status", json_string(gb_train_status_name(res->status)));
    json_object_set_new(js, "epochs", json_integer(res->epochs));
    json_object_set_new(js, "steps", json_integer(res->steps));
    json_object_set_new(js, "train_loss", json_real(res->loss));
    json_object_set_new(js, "train_mse", json_real(res->train_mse));
    json_object_set_new(js, "seconds_per_epoch", json_real(res->epochs ? (t1 - t0) / (double)res->epochs : 0));
    if (a->arch.cls == GB_NN_PINN) json_object_set_new(js, "k_learned", json_real(gb_nn_learned_k(*out)));
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
        json_object_set_new(js, "lr", json_real(a->opt.lr));
        json_object_set_new(js, "batch", json_integer(gb_train_batch(&a->opt, &a->arch, a->train.S)));
        json_object_set_new(js, "weight_decay", json_real(a->opt.weight_decay));
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
        if (t) json_object_foreach(t, key, v) printf("test_mse %-9s %.6e\n", key, json_real_value(v));
    }
    return 0;
}

int cmd_train(int argc, char **argv)
{
    nn_args a;
    int rc = parse_nn(&a, argc, argv, 0);
    if (rc) return rc < 0 ? 0 : rc;
    json_t *js = describe(&a);
    gb_nn_model *m;
    gb_train_result res;
    rc = build_model(&a, &m, &res, js);
    if (rc) { json_decref(js); return rc; }
    json_t *tm = json_object();
    for (int t = 0; t < a.ntest && !rc; t++) {
        char name[16], msg[200];
        set_name(name, sizeof name, &a.test[t]);
        gb_dataset_t d;
        if (gb_data_spec_check(&a.test[t], msg, sizeof msg)) { fprintf(stderr, "greenbound: --test: %s\n", msg); rc = EXIT_USAGE; break; }
        if (gb_dataset_init(d, &a.test[t])) { rc = 1; break; }
        double mse;
        int st = gb_nn_mse(m, d, &mse);
        gb_dataset_clear(d);
        if (st) { fprintf(stderr, "greenbound: test on %s: %s\n", name, gb_strerror(st)); rc = 1; break; }
        json_object_set_new(tm, name, json_real(mse));
    }
    json_object_set_new(js, "test_mse", tm);
    if (!rc && a.save) {
        int st = gb_nn_save(m, a.save);
        if (st) { fprintf(stderr, "greenbound: cannot write %s: %s\n", a.save, gb_strerror(st)); rc = 1; }
        else json_object_set_new(js, "saved", json_string(a.save));
    }
    if (!rc) emit(js, a.json);
    if (!rc && res.status == GB_TRAIN_DIVERGED) {
        fprintf(stderr, "greenbound: training diverged after %ld epochs\n", res.epochs);
        rc = 1;
    }
    json_decref(js);
    gb_train_result_clear(&res);
    gb_nn_free(m);
    return rc;
}

int cmd_green_nn(int argc, char **argv)
{
    nn_args a;
    int rc = parse_nn(&a, argc, argv, 1);
    if (rc) return rc < 0 ? 0 : rc;
    json_t *js = describe(&a);
    gb_nn_model *m;
    gb_train_result res;
    rc = build_model(&a, &m, &res, js);
    if (rc) { json_decref(js); return rc; }
    long n = m->n;
    double *G = malloc((size_t)(n * n) * sizeof(double));
    int st = G ? gb_nn_green(m, a.alpha, m->arch.k, G) : GB_ENOMEM;
    if (st) {
        fprintf(stderr, "greenbound: probing failed: %s\n", gb_strerror(st));
        free(G); json_decref(js); gb_nn_free(m); gb_train_result_clear(&res);
        return 1;
    }
    double num = 0, den = 0;
    json_t *rows = json_array();
    for (long i = 0; i < n; i++) {
        json_t *row = json_array();
        for (long j = 0; j < n; j++) {
            double x = (double)i / (double)m->arch.N, s = (double)j / (double)m->arch.N;
            double g = (x < s ? x : s) * (1.0 - (x < s ? s : x)) / m->arch.k, e = G[i * n + j] - g;
            num += e * e; den += g * g;
            json_array_append_new(row, json_real(G[i * n + j]));
        }
        json_array_append_new(rows, row);
    }
    json_object_set_new(js, "alpha", json_real(a.alpha));
    json_object_set_new(js, "rel_err_vs_G", json_real(sqrt(num / den)));
    if (a.json) json_object_set_new(js, "G_hat", rows);
    else {
        json_decref(rows);
        emit(js, 0);
        long c = n / 2;
        printf("\ncolumn j = %ld (x_j = %g):\n  x_i        G_hat          G\n", c, (double)c / (double)m->arch.N);
        for (long i = 0; i < n; i += (n > 17 ? n / 16 : 1)) {
            double x = (double)i / (double)m->arch.N, s = (double)c / (double)m->arch.N;
            printf("  %-8.4f % .6e % .6e\n", x, G[i * n + c], (x < s ? x : s) * (1.0 - (x < s ? s : x)) / m->arch.k);
        }
    }
    if (a.json) emit(js, 1);
    free(G);
    json_decref(js);
    gb_nn_free(m);
    gb_train_result_clear(&res);
    return 0;
}

/* median of `reps` timed optimiser steps (loss, gradient, update) on one batch */
static double time_step(gb_nn_model *m, const gb_dataset_struct *d, const gb_train_opts *o, long B, int reps)
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
    return t[reps / 2];
}

int bench_nn(long N)
{
    gb_data_spec spec;
    gb_data_spec_default(&spec);
    spec.family = GB_FAMILY_SIN; spec.p = 4; spec.N = N; spec.S = 10000;
    gb_dataset_t d;
    if (gb_dataset_init(d, &spec)) { fprintf(stderr, "greenbound: bench: cannot generate data\n"); return 3; }
    printf("bench: model classes, float64, N=%ld (%ld nodes), sin:4 data; median of 9 steps\n", N, N + 1);
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
        double s = time_step(m, d, &o, step[k].B, 9);
        printf("  one Adam step, %-10s batch %5ld   %8.2f ms   (goal ≤ %.0f ms)\n", gb_nn_class_name(step[k].cls),
               step[k].B, 1e3 * s, step[k].goal_ms);
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
        double s = time_step(m, d, &o, B, 5) * (double)((S + B - 1) / B);
        printf("    %-10s %-8s batch %5ld of %5ld   %8.2f ms per epoch\n", gb_nn_class_name((gb_nn_class)c),
               gb_opt_name(o.opt), B, S, 1e3 * s);
        gb_nn_free(m);
    }
    gb_dataset_clear(d);
    return 0;
}
