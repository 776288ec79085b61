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

enum { O_MODEL = 256, O_TRAIN, O_TEST, O_N, O_SAMPLES, O_TEST_SAMPLES, O_SEED, O_INIT_SEED, O_OPTIMIZER, O_LR,
       O_BATCH, O_EPOCHS, O_MOMENTUM, O_WEIGHT_DECAY, O_TOL, O_PATIENCE, O_PLATEAU_WINDOW, O_PLATEAU_HALVINGS,
       O_DEPTH, O_WIDTH, O_DON_WIDTH, O_DON_DEPTH, O_LATENT, O_FNO_WIDTH, O_FNO_LAYERS, O_MODES, O_FNO_PROJ,
       O_PINN_WIDTH, O_PINN_DEPTH, O_FORCINGS, O_K_INIT, O_PHYS_WEIGHT, O_K, O_SAVE, O_LOAD, O_ALPHA, O_JSON,
       O_QUIET };

/* the options of train; green --model M takes them too, with --load and --alpha in place of --save */
#define NN_OPTS(...)                                                                                              \
    {"model", O_MODEL, "M", "linear | deeplinear | mlp | deeponet | fno | pinn | pideeponet"},                    \
    {"train", O_TRAIN, "F[:P]", "training data set: poly:P, cos:P, sin:P (P = 1..8) or fem"},                      \
    {"test", O_TEST, "F[:P]", "a test data set (repeatable, up to 25; default: the training family)"},             \
    {"N", O_N, "N", "grid intervals, 4..4096 (default 64; N+1 nodes in and out)"},                                \
    {"samples", O_SAMPLES, "S", "training samples, 1..1000000 (default 1000; a pinn takes --forcings)"},           \
    {"test-samples", O_TEST_SAMPLES, "S", "samples per test set (default 500)"},                                   \
    {"seed", O_SEED, "X", "data seed; the test sets use X + 1000003 (default 1)"},                                      \
    {"init-seed", O_INIT_SEED, "X", "weight seed (default 1)"},                                                    \
    {NULL, 0, NULL, "optimiser (defaults per class, see doc/model-classes.md):"},                                  \
    {"optimizer", O_OPTIMIZER, "O", "gd | sgd | momentum | adam"},                                                 \
    {"lr", O_LR, "LR", "learning rate, > 0"},                                                                      \
    {"batch", O_BATCH, "B", "mini-batch size (0 = full batch)"},                                                   \
    {"epochs", O_EPOCHS, "E", "epoch cap"},                                                                        \
    {"momentum", O_MOMENTUM, "MU", "momentum, in [0, 1)"},                                                         \
    {"weight-decay", O_WEIGHT_DECAY, "L", "L2 weight decay, >= 0"},                                                \
    {"tol", O_TOL, "T", "stop at loss <= T"},                                                                      \
    {"patience", O_PATIENCE, "P", "early stop after P epochs without improvement"},                                \
    {"plateau-window", O_PLATEAU_WINDOW, "W",                                                                      \
     "train to the plateau (SPEC §7): every W epochs, halve the rate unless the\n"                                 \
     "window's best loss is 1 % below the best before; stop after --plateau-halvings\n"                            \
     "H halvings or at --epochs (0 = constant rate, the default)"},                                                \
    {"plateau-halvings", O_PLATEAU_HALVINGS, "H", "halvings of the plateau rule, 1..60 (default 10)"},             \
    {NULL, 0, NULL, "architecture (SPEC §7 defaults):"},                                                           \
    {"depth", O_DEPTH, "L", "deeplinear layers, 1..10 (3)"},                                                       \
    {"width", O_WIDTH, "W", "mlp hidden width (256)"},                                                             \
    {"don-width", O_DON_WIDTH, "W", "DeepONet branch and trunk width (128)"},                                      \
    {"don-depth", O_DON_DEPTH, "D", "DeepONet hidden layers, 0..8 (2)"},                                           \
    {"latent", O_LATENT, "P", "DeepONet latent dimension (64)"},                                                   \
    {"fno-width", O_FNO_WIDTH, "C", "FNO channels, even (32)"},                                                    \
    {"fno-layers", O_FNO_LAYERS, "L", "FNO Fourier layers (4)"},                                                   \
    {"modes", O_MODES, "M", "FNO Fourier modes, 1..(N+1)/2 (16)"},                                                 \
    {"fno-proj", O_FNO_PROJ, "P", "FNO projection width (64)"},                                                    \
    {"pinn-width", O_PINN_WIDTH, "W", "PINN width (32)"},                                                          \
    {"pinn-depth", O_PINN_DEPTH, "D", "PINN hidden layers, 1..8 (3)"},                                             \
    {"forcings", O_FORCINGS, "S", "PINN forcings, one network each (8)"},                                          \
    {"k-init", O_K_INIT, "K", "PINN's initial learned diffusivity (0.5)"},                                         \
    {"phys-weight", O_PHYS_WEIGHT, "L", "weight of the physics residual (1)"},                                     \
    {"k", O_K, "K", "diffusivity of data and residual (1)"},                                                       \
    {NULL, 0, NULL, "output:"},                                                                                    \
    __VA_ARGS__,                                                                                                   \
    {"json", O_JSON, NULL, "one JSON object: model, architecture, status, epochs, train_mse, test_mse{}"},         \
    {"quiet", O_QUIET, NULL, "no progress bar (it is shown only when stderr is a terminal)"},                      \
    {0}

static const gb_cli_opt train_opts[] = {NN_OPTS(
    {"save", O_SAVE, "FILE", "checkpoint (format in doc/model-classes.md)"})};
static const gb_cli_opt green_nn_opts[] = {NN_OPTS(
    {"load", O_LOAD, "FILE", "a checkpoint: the class and grid are read from it (a --model given\n"
                             "with it must agree)"},
    {"alpha", O_ALPHA, "A", "the probe's amplitude, finite and non-zero (default 1)"})};

const gb_cli_cmd gb_train_cli = {
    "train", "usage: greenbound train --model M --train FAMILY[:P] [options]",
    "Trains one model class of SPEC §7 on F(FAMILY, P) and reports training and test MSE.",
    train_opts,
    "greenbound green --model M [same options] [--alpha A] (or green --load FILE, the class and grid read\n"
    "from the checkpoint; a --model given with it must agree) probes the model with one-hot forcings:\n"
    "Ĝ(x_i, x_j) = (Model(α e_j) − Model(0))_i / (α Δx), printed beside the analytic G.\n"};

static const gb_cli_cmd green_nn_cli = {
    "green", "usage: greenbound green --model M [the options of train] [--alpha A]\n"
             "       greenbound green --load FILE [--alpha A]",
    "Trains (or loads) a network and probes it with one-hot forcings:\n"
    "Ĝ(x_i, x_j) = (Model(α e_j) − Model(0))_i / (α Δx), printed beside the analytic G.",
    green_nn_opts, NULL};

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

/* one option of the architecture or the optimiser (the class's defaults are already in place) */
static int parse_setting(nn_args *a, int c, const char *f, const char *v)
{
    gb_nn_arch *r = &a->arch;
    gb_train_opts *o = &a->opt;
    switch (c) {
    case O_TRAIN: a->have_train = 1; return parse_family_p(&a->train, f, v);
    case O_TEST:
        if (a->ntest == 25)
            return usage_error("--test: at most 25 test sets%s%s", "", "");
        gb_data_spec_default(&a->test[a->ntest]);
        return parse_family_p(&a->test[a->ntest++], f, v);
    case O_SAMPLES:   /* a PINN fits one network per forcing: its sample count is --forcings, never ignored */
        if (r->cls == GB_NN_PINN)
            return usage_error("--samples: a pinn trains on --forcings S forcings (default 8), got --samples %s%s", v,
                               "");
        return parse_long(&o->samples, f, v, 1, 1000000);
    case O_TEST_SAMPLES: return parse_long(&a->test_samples, f, v, 1, 1000000);
    case O_SEED: return parse_seed(&a->train.seed, f, v, 1L << 62);
    case O_INIT_SEED: return parse_seed(&a->init_seed, f, v, 1L << 62);
    case O_OPTIMIZER:
        if (gb_opt_parse(&o->opt, v))
            return usage_error("--optimizer: expected gd, sgd, momentum or adam, got '%s'%s", v, "");
        return 0;
    case O_LR: return parse_pos_double(&o->lr, f, v, 0);
    case O_BATCH: return parse_long(&o->batch, f, v, 0, 1000000);
    case O_EPOCHS: return parse_long(&o->epochs, f, v, 0, 100000000);
    case O_MOMENTUM:
        if (parse_pos_double(&o->momentum, f, v, 1))
            return EXIT_USAGE;
        return o->momentum < 1 ? 0 : usage_error("--momentum: expected a value in [0, 1), got '%s'%s", v, "");
    case O_WEIGHT_DECAY: return parse_pos_double(&o->weight_decay, f, v, 1);
    case O_TOL: return parse_pos_double(&o->tol, f, v, 1);
    case O_PATIENCE: return parse_long(&o->patience, f, v, 0, 100000000);
    case O_PLATEAU_WINDOW: return parse_long(&o->plateau_window, f, v, 0, 100000000);
    case O_PLATEAU_HALVINGS: return parse_int(&o->plateau_halvings, f, v, 1, 60);
    case O_DEPTH: return parse_int(&r->depth, f, v, 1, 10);
    case O_WIDTH: return parse_int(&r->width, f, v, 1, 8192);
    case O_DON_WIDTH: return parse_int(&r->don_width, f, v, 1, 8192);
    case O_DON_DEPTH: return parse_int(&r->don_depth, f, v, 0, 8);
    case O_LATENT: return parse_int(&r->don_latent, f, v, 1, 8192);
    case O_FNO_WIDTH: return parse_int(&r->fno_width, f, v, 1, 1024);
    case O_FNO_LAYERS: return parse_int(&r->fno_layers, f, v, 1, GB_FNO_MAX_LAYERS);
    case O_MODES: return parse_int(&r->fno_modes, f, v, 1, (a->train.N + 1) / 2);
    case O_FNO_PROJ: return parse_int(&r->fno_proj, f, v, 1, 8192);
    case O_PINN_WIDTH: return parse_int(&r->pinn_width, f, v, 1, 8192);
    case O_PINN_DEPTH: return parse_int(&r->pinn_depth, f, v, 1, 8);
    case O_FORCINGS: return parse_int(&r->pinn_forcings, f, v, 1, 4096);
    case O_K_INIT: return parse_pos_double(&r->k_init, f, v, 0);
    case O_PHYS_WEIGHT: return parse_pos_double(&r->phys_weight, f, v, 1);
    case O_K:
        if (parse_pos_double(&r->k, f, v, 0))
            return EXIT_USAGE;
        a->train.k = r->k;
        return 0;
    case O_SAVE: a->save = v; return 0;
    case O_LOAD: a->load = v; return 0;
    case O_ALPHA: {
        char *end;
        a->alpha = strtod(v, &end);
        if (*end || end == v || !isfinite(a->alpha) || a->alpha == 0)
            return usage_error("--alpha: expected a finite non-zero number, got '%s'%s", v, "");
        return 0;
    }
    case O_JSON: a->json = 1; return 0;
    case O_QUIET: a->quiet = 1; return 0;
    }
    return 0;
}

static int parse_nn(nn_args *a, int argc, char **argv, int green)
{
    memset(a, 0, sizeof *a);
    gb_data_spec_default(&a->train);
    a->test_samples = 500;
    a->init_seed = 1;
    a->alpha = 1.0;
    /* one pass over the options; the class and the grid are applied first, so that the defaults the
     * other options change are the class's */
    enum { MAXSET = 256 };
    struct { int c; const char *v; char f[64]; } set[MAXSET];
    int n = 0, c, rc = 0;
    gb_nn_class cls = GB_NN_MLP;
    long N = 64;
    gb_cli_parser P;
    gb_cli_begin(&P, green ? &green_nn_cli : &gb_train_cli, argc, argv);
    while (!rc && (c = gb_cli_next(&P)) > 0) {
        if (c == O_MODEL) {
            if (gb_nn_class_parse(&cls, P.arg))
                return usage_error("--model: expected linear, deeplinear, mlp, deeponet, fno, pinn or pideeponet, "
                                   "got '%s'%s", P.arg, "");
            a->have_model = 1;
        } else if (c == O_N)
            rc = parse_long(&N, P.flag, P.arg, 4, 4096);
        else if (n == MAXSET)
            rc = usage_error("too many options%s%s", "", "");
        else {
            set[n].c = c;
            set[n].v = P.arg;
            snprintf(set[n++].f, sizeof set->f, "%s", P.flag);
        }
    }
    if ((rc = gb_cli_stop(c, rc)) || (rc = gb_cli_no_operands(&P)))
        return rc;
    int loading = 0;   /* a checkpoint names its own class: --model is then only a check */
    for (int i = 0; i < n; i++)
        loading |= set[i].c == O_LOAD;
    if (!a->have_model && !loading)
        return usage_error("--model is required%s%s", "", "");
    gb_nn_arch_default(&a->arch, cls, N);
    a->train.N = N;
    gb_train_opts_default(&a->opt, cls);
    a->opt.progress = 1;
    for (int i = 0; i < n; i++)
        if ((rc = parse_setting(a, set[i].c, set[i].f, set[i].v)))
            return rc;
    gb_nn_arch *r = &a->arch;
    if (!a->have_train && !a->load) return usage_error("--train is required%s%s", "", "");
    if (a->quiet) a->opt.progress = 0;
    char msg[200];
    if (gb_nn_arch_check(r, msg, sizeof msg))   /* the library names the parameter, the command its flags */
        return usage_error("%s (see the architecture options of 'greenbound help %s')", msg, green ? "green" : "train");
    a->train.S = (cls == GB_NN_PINN) ? r->pinn_forcings : a->opt.samples;
    a->opt.samples = 0; /* the data set holds exactly the training samples */
    if (!a->ntest && a->have_train) { a->test[0] = a->train; a->ntest = 1; }
    for (int t = 0; t < a->ntest; t++) {
        a->test[t].N = N; a->test[t].k = r->k; a->test[t].S = a->test_samples;
        a->test[t].seed = a->train.seed + GB_TEST_SEED_OFFSET;
        if (gb_data_spec_check(&a->test[t], msg, sizeof msg)) return usage_error("--test: %s%s", msg, "");
    }
    if (a->have_train && gb_data_spec_check(&a->train, msg, sizeof msg)) return usage_error("--train: %s%s", msg, "");
    return 0;
}

int parse_only_train(int argc, char **argv)
{
    nn_args a;
    return parse_nn(&a, argc, argv, 0);
}

int parse_only_green_nn(int argc, char **argv)
{
    nn_args a;
    return parse_nn(&a, argc, argv, 1);
}

static void set_name(char *buf, size_t len, const gb_data_spec *s)
{
    if (s->family == GB_FAMILY_FEM) snprintf(buf, len, "fem");
    else snprintf(buf, len, "%s:%d", gb_family_name(s->family), s->p);
}

/* trains (or loads) the model of the arguments into out (initialised on success only). Runtime errors exit 3
 * (README); a diverged training is a result, reported with exit 1 by the caller */
static int build_model(gb_nn_model_t out, nn_args *a, gb_train_result *res, json_t *js)
{
    int st;
    char msg[300];
    memset(res, 0, sizeof *res);
    if (a->load) {
        st = gb_nn_load(out, a->load, 256, msg, sizeof msg);
        if (st) { fprintf(stderr, "greenbound: %s\n", msg); return EXIT_RUNTIME; }
        if (a->have_model && out->arch.cls != a->arch.cls) {
            fprintf(stderr, "greenbound: %s holds a %s model, --model says %s\n", a->load,
                    gb_nn_class_name(out->arch.cls), gb_nn_class_name(a->arch.cls));
            gb_nn_model_clear(out);
            return EXIT_USAGE;
        }
        a->arch = out->arch;
        /* the model, its architecture and grid are the checkpoint's, not the command line's defaults */
        char buf[400];
        gb_nn_arch_describe(buf, sizeof buf, &a->arch);
        json_object_set_new(js, "model", json_string(gb_nn_class_name(a->arch.cls)));
        json_object_set_new(js, "architecture", json_string(buf));
        json_object_set_new(js, "N", json_integer(a->arch.N));
        json_object_set_new(js, "nodes", json_integer(a->arch.N + 1));
        json_object_set_new(js, "loaded", json_string(a->load));
        return 0;
    }
    gb_dataset_t d;
    st = gb_dataset_init(d, &a->train);
    if (st) { fprintf(stderr, "greenbound: cannot build the training set: %s\n", gb_strerror(st)); return EXIT_RUNTIME; }
    long bmax = gb_train_batch(&a->opt, &a->arch, a->train.S);
    if (bmax < 256) bmax = 256; /* room for test sets and probes in chunks of 256 */
    st = gb_nn_model_init(out, &a->arch, bmax, a->init_seed);
    if (st) { gb_dataset_clear(d); fprintf(stderr, "greenbound: cannot build the model: %s\n", gb_strerror(st)); return EXIT_RUNTIME; }
    double t0 = now();
    st = gb_train(res, out, d, &a->opt, NULL, NULL);
    double t1 = now();
    gb_dataset_clear(d);
    if (st) {
        fprintf(stderr, "greenbound: training failed: %s\n", gb_strerror(st));
        gb_nn_model_clear(out);
        return EXIT_RUNTIME;
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
    if (a->arch.cls == GB_NN_PINN) json_object_set_new(js, "k_learned", gb_json_num(gb_nn_learned_k(out)));
    return 0;
}

static json_t *describe(const nn_args *a)
{
    char buf[400], name[16];
    json_t *js = json_object();
    json_object_set_new(js, "model", json_string(gb_nn_class_name(a->arch.cls)));
    gb_nn_arch_describe(buf, sizeof buf, &a->arch);
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
    gb_nn_model_t m;
    int have_m;          /* m was initialised */
    gb_train_result res;
} nn_session;

/* 0: ready; otherwise the exit status (0 also after --help: then S->have_m is 0) */
static int nn_start(nn_session *S, int argc, char **argv, int green)
{
    memset(S, 0, sizeof *S);
    int rc = parse_nn(&S->a, argc, argv, green);
    if (rc) return gb_cli_exit(rc);
    S->js = describe(&S->a);
    rc = build_model(S->m, &S->a, &S->res, S->js);
    if (rc) { json_decref(S->js); S->js = NULL; }
    else S->have_m = 1;
    return rc;
}

static void nn_finish(nn_session *S)
{
    json_decref(S->js);
    gb_train_result_clear(&S->res);
    if (S->have_m) gb_nn_model_clear(S->m);
}

int cmd_train(int argc, char **argv)
{
    nn_session S;
    int rc = nn_start(&S, argc, argv, 0);
    if (rc || !S.have_m) return rc;
    nn_args a = S.a;
    gb_nn_model_struct *m = S.m;
    json_t *js = S.js, *tm = json_object();
    for (int t = 0; t < a.ntest && !rc; t++) {
        char name[16];
        set_name(name, sizeof name, &a.test[t]);
        gb_dataset_t d;
        if (gb_dataset_init(d, &a.test[t])) { rc = EXIT_RUNTIME; break; }
        double mse;
        int st = gb_nn_mse(&mse, m, d);
        gb_dataset_clear(d);
        if (st) { fprintf(stderr, "greenbound: test on %s: %s\n", name, gb_strerror(st)); rc = EXIT_RUNTIME; break; }
        json_object_set_new(tm, name, gb_json_num(mse));
    }
    json_object_set_new(js, "test_mse", tm);
    if (!rc && a.save) {
        int st = gb_nn_save(m, a.save);
        if (st) { fprintf(stderr, "greenbound: cannot write %s: %s\n", a.save, gb_strerror(st)); rc = EXIT_RUNTIME; }
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
    if (rc || !S.have_m) return rc;
    gb_nn_model_struct *m = S.m;
    long n = m->n, N = m->arch.N;
    double *Gh = malloc((size_t)(n * n) * sizeof(double)), *G = malloc((size_t)(n * n) * sizeof(double));
    int st = (Gh && G) ? gb_nn_green(Gh, m, S.a.alpha, m->arch.k) : GB_ENOMEM;
    if (st) {
        fprintf(stderr, "greenbound: probing failed: %s\n", gb_strerror(st));
        free(Gh); free(G); nn_finish(&S);
        return EXIT_RUNTIME;
    }
    gb_lin_green_matrix(G, N, m->arch.k, 0, GB_CLI_PREC);
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
