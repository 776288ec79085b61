/* greenbound xval | export | score: the function-space cross-validation benchmark (SPEC §8). */
#include "cli/cli.h"
#include "core/status.h"
#include "xval/exchange.h"
#include "xval/xval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef GB_MPI
#include <mpi.h>
#endif

const char *xval_help =
    "usage: greenbound xval --model M|all [options]\n"
    "\n"
    "Trains one model on each of the 25 data sets (p1..p8, c1..c8, s1..s8, fem) and tests it on\n"
    "all 25: the 25 x 25 matrix of test MSE of SPEC §8, written as xval-<model>.csv (MSE),\n"
    ".json (MSE, log10 MSE, block statistics, training status), .md (log10 table) and .svg\n"
    "(heat map). Under mpirun (a 'make MPI=1' build) the rows are spread over the ranks and\n"
    "rank 0 writes a result identical to the serial one.\n"
    "  --model M         linear | deeplinear | mlp | deeponet | fno | pinn | pideeponet | fd | all\n"
    "  --N N             grid intervals, 4..1024 (default 32)\n"
    "  --samples S       samples per training and per test set, 8..1000000 (default 1000)\n"
    "  --seed X          training-data and weight seed; test sets use X + 1000003 (default 1)\n"
    "  --k K             diffusivity of the data (default 1)\n"
    "  --law L           coefficient law: normal or uniform (default normal)\n"
    "  --epochs E        epochs of every network (default: the class default, doc/model-classes.md)\n"
    "  --out DIR         output folder (default xval)\n"
    "  --json            also print the JSON of each matrix on stdout\n"
    "  --progress        one line per trained row on stderr\n";

const char *export_help =
    "usage: greenbound export [--N N] [--samples S] [--seed X] [--k K] [--law L] --out DIR\n"
    "\n"
    "Writes the 25 training and 25 test data sets of the benchmark as NumPy .npy files (x, f, u)\n"
    "with DIR/manifest.json (conventions, seeds, content hash), for models written elsewhere.\n"
    "DIR must not exist or be empty; on failure nothing is left there. Defaults as for xval.\n"
    "Then: train on train/<set>_{f,u}.npy, predict test/<set>_f.npy, save each prediction as\n"
    "pred_<train>_<test>.npy beside a copy of manifest.json, and run 'greenbound score'.\n"
    "A NumPy example: examples/xval_linear.py.\n";

const char *score_help =
    "usage: greenbound score --pred DIR [--out DIR2] [--name NAME] [--json]\n"
    "\n"
    "Scores an outside model: DIR holds manifest.json (a copy of the export's) and the 625 files\n"
    "pred_<train>_<test>.npy, shape (samples, nodes). The data are regenerated from the manifest\n"
    "and checked against its content hash; the matrix, heat map and block statistics are written\n"
    "to DIR2 (default xval-score) as xval-NAME.* (default NAME: outside). Missing, extra or\n"
    "misshapen files, NaN/Inf and a manifest mismatch are errors that name the file; then\n"
    "nothing is written (exit 3).\n";

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

/* the options shared by xval and export; returns 1 if argv[*i] was one of them */
static int parse_common(gb_xv_opts *o, int argc, char **argv, int *pi, int *rc)
{
    int i = *pi;
    const char *f = argv[i];
    long x;
    *rc = 0;
    if (strcmp(f, "--N") && strcmp(f, "--samples") && strcmp(f, "--seed") && strcmp(f, "--k") && strcmp(f, "--law"))
        return 0;
    const char *v = need_value(argc, argv, &i);
    *pi = i;
    if (!v)
        return *rc = EXIT_USAGE, 1;
    if (!strcmp(f, "--N"))
        *rc = parse_long(&o->N, f, v, 4, 1024);
    else if (!strcmp(f, "--samples"))
        *rc = parse_long(&o->S, f, v, 8, 1000000);
    else if (!strcmp(f, "--seed")) {
        *rc = parse_long(&x, f, v, 0, 1000000000L);
        o->seed = (unsigned long)x;
    } else if (!strcmp(f, "--k"))
        *rc = parse_pos_double(&o->k, f, v, 0);
    else if (!strcmp(v, "normal") || !strcmp(v, "uniform"))
        o->law = !strcmp(v, "uniform") ? GB_LAW_UNIFORM : GB_LAW_NORMAL;
    else
        *rc = usage_error("--law: expected normal or uniform, got '%s'%s", v, "");
    return 1;
}

int cmd_xval(int argc, char **argv)
{
    gb_xv_opts o;
    gb_xv_opts_default(&o);
    const char *out = "xval";
    int json = 0, all = 0, have = 0, rc;
    gb_xv_model model = GB_XV_LINEAR;
    for (int i = 1; i < argc; i++) {
        if (parse_common(&o, argc, argv, &i, &rc)) {
            if (rc)
                return rc;
        } else if (!strcmp(argv[i], "--model")) {
            VALUE(v);
            all = !strcmp(v, "all");
            if (!all && gb_xv_model_parse(&model, v))
                return usage_error("--model: expected linear, deeplinear, mlp, deeponet, fno, pinn, pideeponet, fd "
                                   "or all, got '%s'%s", v, "");
            have = 1;
        } else if (!strcmp(argv[i], "--epochs")) {
            VALUE(v);
            if (parse_long(&o.epochs, "--epochs", v, 1, 10000000))
                return EXIT_USAGE;
        } else if (!strcmp(argv[i], "--out")) {
            VALUE(v);
            out = v;
        } else if (!strcmp(argv[i], "--json"))
            json = 1;
        else if (!strcmp(argv[i], "--progress"))
            o.progress = 1;
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return fputs(xval_help, stdout), 0;
        else
            return usage_error("xval: unknown option '%s'%s", argv[i], "");
    }
    if (!have)
        return usage_error("xval: --model is required%s%s", "", "");
    gb_xv_data D;
    int st = gb_xv_data_init(&D, &o);
    if (st) {
        fprintf(stderr, "greenbound: cannot generate the data sets: %s\n", gb_strerror(st));
        return 3;
    }
    gb_xv_matrix *X = malloc(sizeof *X);
    rc = 0;
    for (int m = all ? 0 : (int)model; m < (all ? GB_XV_NMODELS : (int)model + 1) && !rc; m++) {
        if ((st = gb_xv_run(X, (gb_xv_model)m, &D))) {
            fprintf(stderr, "greenbound: xval %s: %s\n", gb_xv_model_name((gb_xv_model)m), gb_strerror(st));
            rc = 3;
        } else if (is_root()) {
            if ((st = gb_xv_write(X, &o, out))) {
                fprintf(stderr, "greenbound: cannot write %s/xval-%s.*: %s\n", out, X->name, gb_strerror(st));
                rc = 3;
            } else if (json) {
                char *s = gb_xv_json(X, &o);
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
    free(X);
    gb_xv_data_clear(&D);
    return rc;
}

int cmd_export(int argc, char **argv)
{
    gb_xv_opts o;
    gb_xv_opts_default(&o);
    const char *out = NULL;
    int rc;
    for (int i = 1; i < argc; i++) {
        if (parse_common(&o, argc, argv, &i, &rc)) {
            if (rc)
                return rc;
        } else if (!strcmp(argv[i], "--out")) {
            VALUE(v);
            out = v;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return fputs(export_help, stdout), 0;
        else
            return usage_error("export: unknown option '%s'%s", argv[i], "");
    }
    if (!out)
        return usage_error("export: --out DIR is required%s%s", "", "");
    char msg[512];
    if (gb_xv_opts_check(&o, msg, sizeof msg))
        return usage_error("export: %s%s", msg, "");
    gb_xv_data D;
    int st = gb_xv_data_init(&D, &o);
    if (!st)
        st = gb_xv_export(&D, out, msg, sizeof msg);
    else
        snprintf(msg, sizeof msg, "cannot generate the data sets: %s", gb_strerror(st));
    gb_xv_data_clear(&D);
    if (st) {
        fprintf(stderr, "greenbound: export: %s\n", msg);
        return st == GB_EINVAL ? EXIT_USAGE : 3;
    }
    printf("exported 25 training and 25 test sets (N = %ld, %ld nodes, S = %ld, seed %lu) to %s\n", o.N, o.N + 1, o.S,
           o.seed, out);
    return 0;
}

int cmd_score(int argc, char **argv)
{
    const char *pred = NULL, *out = "xval-score", *name = "outside";
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--pred")) {
            VALUE(v);
            pred = v;
        } else if (!strcmp(argv[i], "--out")) {
            VALUE(v);
            out = v;
        } else if (!strcmp(argv[i], "--name")) {
            VALUE(v);
            name = v;
            if (!*v || strlen(v) > 24 || strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != strlen(v))
                return usage_error("--name: 1 to 24 letters, digits, '-' or '_', got '%s'%s", v, "");
        } else if (!strcmp(argv[i], "--json"))
            json = 1;
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return fputs(score_help, stdout), 0;
        else
            return usage_error("score: unknown option '%s'%s", argv[i], "");
    }
    if (!pred)
        return usage_error("score: --pred DIR is required%s%s", "", "");
    gb_xv_matrix *X = malloc(sizeof *X);
    gb_xv_opts o;
    char msg[1024];
    int st = gb_xv_score(X, &o, pred, name, msg, sizeof msg);
    if (st) {
        fprintf(stderr, "greenbound: score: %s\n", msg);
        free(X);
        return 3;
    }
    if ((st = gb_xv_write(X, &o, out))) {
        fprintf(stderr, "greenbound: cannot write %s/xval-%s.*: %s\n", out, name, gb_strerror(st));
        free(X);
        return 3;
    }
    if (json) {
        char *s = gb_xv_json(X, &o);
        puts(s);
        free(s);
    } else
        printf("scored %s (N = %ld, S = %ld) -> %s/xval-%s.{md,csv,json,svg}\n", pred, o.N, o.S, out, name);
    free(X);
    return 0;
}
