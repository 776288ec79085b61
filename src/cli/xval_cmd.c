/* greenbound xval | export | score: the function-space cross-validation benchmark (SPEC §8). */
#include "cli/cli.h"
#include "core/status.h"
#include "xval/exchange.h"
#include "xval/pattern.h"
#include "xval/xval.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef GB_MPI
#include <mpi.h>
#endif

enum { O_MODEL = 256, O_N, O_SAMPLES, O_SEED, O_K, O_LAW, O_EPOCHS, O_OUT, O_JSON, O_PROGRESS, O_PRED, O_NAME,
       O_COMPARE, O_EQUATION };

/* the data options of xval and export */
#define DATA_OPTS                                                                                                 \
    {"N", O_N, "N", "grid intervals, 4..1024 (default 32)"},                                                      \
    {"samples", O_SAMPLES, "S", "samples per training and per test set, 8..1000000 (default 1000)"},              \
    {"seed", O_SEED, "X", "training-data and weight seed; test sets use X + 1000003 (default 1)"},                \
    {"k", O_K, "K", "diffusivity of the data (default 1)"},                                                       \
    {"law", O_LAW, "L", "coefficient law: normal or uniform (default normal)"}

static const gb_cli_opt xval_opts[] = {
    {"model", O_MODEL, "M", "linear | deeplinear | mlp | deeponet | fno | pinn | pideeponet | fd | all"},
    {"equation", O_EQUATION, "E", "poisson (default) or biharmonic (k u'''' = f, simply supported; the\n"
                                  "data-driven models only: all then skips pinn, pideeponet and fd)"},
    DATA_OPTS,
    {"epochs", O_EPOCHS, "E", "epochs of every network (default: the class default, doc/model-classes.md)"},
    {"out", O_OUT, "DIR", "output folder (default xval)"},
    {"json", O_JSON, NULL, "also print the JSON of the matrices on stdout (one document)"},
    {"progress", O_PROGRESS, NULL, "one line per trained row on stderr"},
    {0}};

const gb_cli_cmd gb_xval_cli = {
    "xval", "usage: greenbound xval --model M|all [options]",
    "Trains one model on each of the 25 data sets (p1..p8, c1..c8, s1..s8, fem) and tests it on\n"
    "all 25: the 25 x 25 matrix of test MSE of SPEC §8, written as xval-<model>.csv (MSE),\n"
    ".json (MSE, log10 MSE, block statistics, training status), .md (log10 table) and .svg\n"
    "(heat map). Under mpirun (a 'make MPI=1' build) the rows are spread over the ranks and\n"
    "rank 0 writes a result identical to the serial one.",
    xval_opts, NULL};

static const gb_cli_opt export_opts[] = {
    DATA_OPTS,
    {"out", O_OUT, "DIR", "the folder to write (required; must not exist or be empty)"},
    {0}};

const gb_cli_cmd gb_export_cli = {
    "export", "usage: greenbound export [--N N] [--samples S] [--seed X] [--k K] [--law L] --out DIR",
    "Writes the 25 training and 25 test data sets of the benchmark as NumPy .npy files (x, f, u)\n"
    "with DIR/manifest.json (conventions, seeds, content hash), for models written elsewhere.\n"
    "DIR must not exist or be empty; on failure nothing is left there. Defaults as for xval.",
    export_opts,
    "Then: train on train/<set>_{f,u}.npy, predict test/<set>_f.npy, save each prediction as\n"
    "pred_<train>_<test>.npy beside a copy of manifest.json, and run 'greenbound score'.\n"
    "A NumPy example: examples/xval_linear.py.\n"};

static const gb_cli_opt score_opts[] = {
    {"pred", O_PRED, "DIR|FILE.npz", "manifest.json and the 625 predictions pred_<train>_<test>.npy (required),\n"
                                     "or the predictions as one .npz (numpy.savez) with manifest.json beside it"},
    {"out", O_OUT, "DIR", "output folder (default xval-score)"},
    {"name", O_NAME, "NAME", "the model's name in the file names: 1 to 24 letters, digits, '-' or '_'\n"
                             "(default outside)"},
    {"json", O_JSON, NULL, "also print the matrix's JSON on stdout"},
    {"compare", O_COMPARE, "DIR", "check the matrix against every model class's reported pattern (the rules of\n"
                                  "XV-PATTERN-*) and print each statistic beside the class's own mean and\n"
                                  "interval from the reports in DIR (e.g. reports/full; DIR/xval/XV-PATTERN-*.json)"},
    {0}};

const gb_cli_cmd gb_score_cli = {
    "score", "usage: greenbound score --pred DIR|FILE.npz [--out DIR2] [--name NAME] [--json]",
    "Scores an outside model: DIR holds manifest.json (a copy of the export's) and the 625 files\n"
    "pred_<train>_<test>.npy, shape (samples, nodes), float64 or float32, C or Fortran order. The\n"
    "data are regenerated from the manifest and checked against its content hash; the matrix, heat\n"
    "map and block statistics are written to DIR2 as xval-NAME.*. Missing, extra or misshapen files,\n"
    "NaN/Inf and a manifest mismatch are errors that name the file; then nothing is written (exit 3).",
    score_opts, NULL};

static int is_root(void)
{
#ifdef GB_MPI
    int r;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r == 0;
#else
    return 1;
#endif
}

/* an option shared by xval and export (c is its key) */
static int parse_data_opt(gb_xv_opts *o, int c, const char *f, const char *v)
{
    switch (c) {
    case O_N: return parse_long(&o->N, f, v, 4, 1024);
    case O_SAMPLES: return parse_long(&o->S, f, v, 8, 1000000);
    case O_SEED: return parse_seed(&o->seed, f, v, 1000000000L);
    case O_K: return parse_pos_double(&o->k, f, v, 0);
    case O_LAW: return parse_law(&o->law, v);
    }
    return 0;
}

typedef struct {
    gb_xv_opts o;
    const char *out, *pred, *name, *compare;
    int json, all;
    gb_xv_model model;
} xval_args;

static int parse_xval(xval_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    gb_xv_opts_default(&a->o);
    a->out = "xval";
    a->model = GB_XV_LINEAR;
    int have = 0, c, rc = 0;
    gb_cli_parser P;
    gb_cli_begin(&P, &gb_xval_cli, argc, argv);
    while (!rc && (c = gb_cli_next(&P)) > 0) {
        switch (c) {
        case O_MODEL:
            a->all = !strcmp(P.arg, "all");
            if (!a->all && gb_xv_model_parse(&a->model, P.arg))
                return usage_error("--model: expected linear, deeplinear, mlp, deeponet, fno, pinn, pideeponet, fd "
                                   "or all, got '%s'%s", P.arg, "");
            have = 1;
            break;
        case O_EPOCHS: rc = parse_long(&a->o.epochs, P.flag, P.arg, 1, 10000000); break;
        case O_OUT: a->out = P.arg; break;
        case O_JSON: a->json = 1; break;
        case O_PROGRESS: a->o.progress = 1; break;
        case O_EQUATION:
            if (gb_equation_parse(&a->o.equation, P.arg))
                return usage_error("--equation: expected poisson or biharmonic, got '%s'%s", P.arg, "");
            break;
        default: rc = parse_data_opt(&a->o, c, P.flag, P.arg);
        }
    }
    if ((rc = gb_cli_stop(c, rc)) || (rc = gb_cli_no_operands(&P)))
        return rc;
    if (!have)
        return usage_error("xval: --model is required%s%s", "", "");
    if (!a->all && !gb_xv_model_takes_equation(a->model, a->o.equation))
        return usage_error("--model %s: its physics is Poisson's; with --equation biharmonic use linear, deeplinear, "
                           "mlp, deeponet or fno%s", gb_xv_model_name(a->model), "");
    return 0;
}

GB_CLI_PARSE_ONLY(parse_only_xval, xval_args, parse_xval)

int cmd_xval(int argc, char **argv)
{
    xval_args a;
    int rc = parse_xval(&a, argc, argv);
    if (rc)
        return gb_cli_exit(rc);
    gb_xv_opts o = a.o;
    const char *out = a.out;
    int json = a.json, all = a.all;
    gb_xv_model model = a.model;
    gb_xv_data D;
    int st = gb_xv_data_init(&D, &o);
    if (st) {
        fprintf(stderr, "greenbound: cannot generate the data sets: %s\n", gb_strerror(st));
        return EXIT_RUNTIME;
    }
    gb_xv_matrix *X = malloc(sizeof *X);
    json_t *doc = json_object();
    rc = 0;
    for (int m = all ? 0 : (int)model; m < (all ? GB_XV_NMODELS : (int)model + 1) && !rc; m++) {
        if (!gb_xv_model_takes_equation((gb_xv_model)m, o.equation))
            continue;
        if ((st = gb_xv_run(X, (gb_xv_model)m, &D))) {
            fprintf(stderr, "greenbound: xval %s: %s\n", gb_xv_model_name((gb_xv_model)m), gb_strerror(st));
            rc = EXIT_RUNTIME;
        } else if (is_root()) {
            if ((st = gb_xv_write(X, &o, out))) {
                fprintf(stderr, "greenbound: cannot write %s/xval-%s.*: %s\n", out, X->name, gb_strerror(st));
                rc = EXIT_RUNTIME;
            } else if (json) {   /* one document: the matrix's, or with --model all an object keyed by model */
                char *s = gb_xv_json(X, &o);
                if (all)
                    json_object_set_new(doc, X->name, json_loads(s, 0, NULL));
                else
                    puts(s);
                free(s);
            } else {
                gb_xv_stats d, l, u;
                gb_xv_block_stats(&d, X, GB_XV_DIAG, -1);
                gb_xv_block_stats(&l, X, GB_XV_LOWER, -1);
                gb_xv_block_stats(&u, X, GB_XV_UPPER, -1);
                printf("xval %-10s N = %ld, S = %ld: median log10 MSE diagonal %.2f, lower %.2f, upper %.2f "
                       "-> %s/xval-%s.{md,csv,json,svg}\n", X->name, o.N, o.S, d.median, l.median, u.median, out,
                       X->name);
            }
        }
    }
    if (!rc && json && all && is_root()) {
        char *s = json_dumps(doc, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
        puts(s);
        free(s);
    }
    json_decref(doc);
    free(X);
    gb_xv_data_clear(&D);
    return rc;
}

static int parse_export(xval_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    gb_xv_opts_default(&a->o);
    int c, rc = 0;
    gb_cli_parser P;
    gb_cli_begin(&P, &gb_export_cli, argc, argv);
    while (!rc && (c = gb_cli_next(&P)) > 0) {
        if (c == O_OUT)
            a->out = P.arg;
        else
            rc = parse_data_opt(&a->o, c, P.flag, P.arg);
    }
    if ((rc = gb_cli_stop(c, rc)) || (rc = gb_cli_no_operands(&P)))
        return rc;
    if (!a->out)
        return usage_error("export: --out DIR is required%s%s", "", "");
    char msg[512];
    if (gb_xv_opts_check(&a->o, msg, sizeof msg))
        return usage_error("export: %s%s", msg, "");
    return 0;
}

GB_CLI_PARSE_ONLY(parse_only_export, xval_args, parse_export)

int cmd_export(int argc, char **argv)
{
    xval_args a;
    int rc = parse_export(&a, argc, argv);
    if (rc)
        return gb_cli_exit(rc);
    gb_xv_opts o = a.o;
    const char *out = a.out;
    char msg[512];
    gb_xv_data D;
    int st = gb_xv_data_init(&D, &o);
    if (!st)
        st = gb_xv_export(&D, out, msg, sizeof msg);
    else
        snprintf(msg, sizeof msg, "cannot generate the data sets: %s", gb_strerror(st));
    gb_xv_data_clear(&D);
    if (st) {
        fprintf(stderr, "greenbound: export: %s%s\n", msg, st == GB_EINVAL ? "; choose another --out" : "");
        return st == GB_EINVAL ? EXIT_USAGE : 3;
    }
    printf("exported 25 training and 25 test sets (N = %ld, %ld nodes, S = %ld, seed %lu) to %s\n", o.N, o.N + 1, o.S,
           o.seed, out);
    return 0;
}

/* the class's own row for a statistic in DIR/xval/XV-PATTERN-<class>.json: "mean [lo, hi] (verdict)", or "—" */
static void class_value(char *buf, size_t len, const char *dir, gb_xv_model m, const char *stat)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/xval/XV-PATTERN-%s.json", dir, gb_xv_model_name(m));
    snprintf(buf, len, "—");
    json_t *j = json_load_file(path, 0, NULL), *rows = json_object_get(json_object_get(j, "cases"), "rows");
    for (size_t i = 0; i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        const char *s = json_string_value(json_array_get(r, 1)), *iv = json_string_value(json_array_get(r, 4)),
                   *v = json_string_value(json_array_get(r, 6));
        if (s && !strcmp(s, stat) && json_is_number(json_array_get(r, 3)))
            snprintf(buf, len, "%.2f %s (%s)", json_number_value(json_array_get(r, 3)), iv ? iv : "",
                     v ? v : "?");
    }
    json_decref(j);
}

/* s padded to w columns (UTF-8: a character is a column, its continuation bytes are not) */
static void padded(FILE *f, const char *s, int w)
{
    int cols = 0;
    for (const char *p = s; *p; p++)
        cols += ((unsigned char)*p & 0xc0) != 0x80;
    fprintf(f, "%s%*s", s, w > cols ? w - cols : 0, "");
}

/* score --compare: every class's pattern rules on the outside model's one matrix (a point value, no interval),
 * beside the class's own statistic over its seeds */
static void compare_patterns(const gb_xv_matrix *X, const char *dir, FILE *f)
{
    fprintf(f, "\nThe pattern of each model class (SPEC §8; the rules of XV-PATTERN-*) on %s's matrix — one matrix, so "
               "a value against the rule, not an interval — beside the class's own mean, interval and verdict in "
               "%s:\n\n", X->name, dir);
    fprintf(f, "%-11s %-34s %-11s%10s  %-5s  %s\n", "class", "statistic", "rule", X->name, "holds", "the class itself");
    for (int m = 0; m < GB_XV_NMODELS; m++) {
        const gb_pattern_rule *rules;
        int n = gb_pattern_rules((gb_xv_model)m, &rules), held = 0;
        for (int i = 0; i < n; i++) {
            char stat[64], rt[48], own[96];
            gb_stats_rule r = gb_pattern_range(&rules[i]);
            double v = gb_pattern_value(&rules[i], X);
            int ok = gb_stats_rule_holds(&r, v);
            held += ok;
            gb_pattern_stat_name(stat, sizeof stat, &rules[i]);
            gb_stats_rule_text(rt, sizeof rt, &r);
            class_value(own, sizeof own, dir, (gb_xv_model)m, stat);
            fprintf(f, "%-11s %-34s ", gb_xv_model_name((gb_xv_model)m), stat);
            padded(f, rt, 11);
            fprintf(f, "%10.2f  %-5s  %s\n", v, ok ? "yes" : "no", own);
        }
        if (n)
            fprintf(f, "%-11s %d of %d rules hold\n\n", gb_xv_model_name((gb_xv_model)m), held, n);
    }
}

static int parse_score(xval_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->out = "xval-score";
    a->name = "outside";
    int c, rc = 0;
    gb_cli_parser P;
    gb_cli_begin(&P, &gb_score_cli, argc, argv);
    while (!rc && (c = gb_cli_next(&P)) > 0) {
        const char *v = P.arg;
        switch (c) {
        case O_PRED: a->pred = v; break;
        case O_COMPARE: a->compare = v; break;
        case O_OUT: a->out = v; break;
        case O_JSON: a->json = 1; break;
        case O_NAME:
            a->name = v;
            if (strlen(v) > 24 || strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") !=
                                      strlen(v))
                return usage_error("--name: 1 to 24 letters, digits, '-' or '_', got '%s'%s", v, "");
            break;
        }
    }
    if ((rc = gb_cli_stop(c, rc)) || (rc = gb_cli_no_operands(&P)))
        return rc;
    if (!a->pred)
        return usage_error("score: --pred DIR is required%s%s", "", "");
    struct stat sb;
    if (a->compare && (stat(a->compare, &sb) || !S_ISDIR(sb.st_mode)))
        return usage_error("--compare: '%s' is not a folder of reports (e.g. reports/full)%s", a->compare, "");
    return 0;
}

GB_CLI_PARSE_ONLY(parse_only_score, xval_args, parse_score)

int cmd_score(int argc, char **argv)
{
    xval_args a;
    int rc = parse_score(&a, argc, argv);
    if (rc)
        return gb_cli_exit(rc);
    const char *pred = a.pred, *out = a.out, *name = a.name;
    int json = a.json;
    gb_xv_matrix *X = malloc(sizeof *X);
    gb_xv_opts o;
    char msg[1024];
    int st = gb_xv_score(X, &o, pred, name, msg, sizeof msg);
    if (st) {
        fprintf(stderr, "greenbound: score: %s\n", msg);
        free(X);
        return EXIT_RUNTIME;
    }
    if ((st = gb_xv_write(X, &o, out))) {
        fprintf(stderr, "greenbound: cannot write %s/xval-%s.*: %s\n", out, name, gb_strerror(st));
        free(X);
        return EXIT_RUNTIME;
    }
    if (json) {
        char *s = gb_xv_json(X, &o);
        puts(s);
        free(s);
    } else
        printf("scored %s (N = %ld, S = %ld) -> %s/xval-%s.{md,csv,json,svg}\n", pred, o.N, o.S, out, name);
    if (a.compare)
        compare_patterns(X, a.compare, json ? stderr : stdout);
    free(X);
    return 0;
}
