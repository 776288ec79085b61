/* greenbound p2d: the linear model on 2-D Poisson (SPEC §11, the paper's Fig. 8b). Trains u = W f on the
 * tensor-product data set X ⊗ Y on the n × n interior grid and prints W's distance to its closed form A (P_X ⊗ P_Y),
 * and, with a test set X' ⊗ Y', the relative test error beside its closed form and the Kronecker-mask verdict. */
#include "cli/cli.h"
#include "core/jnum.h"
#include "core/status.h"
#include "linear/linear.h"
#include "problem/poisson2d.h"

#include <cblas.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_N = 256, O_TRAIN, O_TEST, O_SAMPLES, O_SEED, O_K, O_JSON };

static const gb_cli_opt opts[] = {
    {"n", O_N, "N", "interior nodes per axis, 2 and up while the n² × n² matrices fit in\n"
                    "4 GiB (default 15)"},
    {"train", O_TRAIN, "X[,Y]", "the training set X ⊗ Y, each factor poly:P, cos:P or sin:P (P in 1..8);\n"
                                "one factor means X ⊗ X                                 (required)"},
    {"test", O_TEST, "X[,Y]", "a test set X' ⊗ Y' (seed + 1000003)"},
    {"samples", O_SAMPLES, "S", "samples per data set, 1..100000                     (default 100)"},
    {"seed", O_SEED, "X", "non-negative integer seed                            (default 1)"},
    {"k", O_K, "K", "diffusivity, finite and > 0                          (default 1)"},
    {"json", O_JSON, NULL, "one JSON object with the numbers and the run's parameters"},
    {0}};

const gb_cli_cmd gb_p2d_cli = {
    "p2d", "usage: greenbound p2d --train X[,Y] [--test X[,Y]] [--n N] [--samples S] [--seed X] [--k K] [--json]",
    "2-D Poisson −k Δu = f on the unit square (SPEC §11, the paper's Fig. 8b): data u = (k L_h)⁻¹ f by the\n"
    "2-D sine transform on the n × n interior grid, f a tensor product of 1-D families. Trains the linear\n"
    "model u = W f by least squares and prints |W − A (P_X ⊗ P_Y)|/|A (P_X ⊗ P_Y)|; with --test, the\n"
    "relative test error, its closed form, and whether the test set lies in the training span (1-D rank\n"
    "tests; the Kronecker mask of P2D-1).",
    opts, NULL};

typedef struct {
    long n, S;
    unsigned long seed;
    double k;
    gb_p2d_factor tx, ty, ex, ey;
    int have_train, have_test, json;
} p2d_args;

/* "F:P" or "F:P,G:Q" into x and y */
static int parse_pair(gb_p2d_factor *x, gb_p2d_factor *y, const char *flag, const char *v)
{
    char a[64], *comma;
    snprintf(a, sizeof a, "%s", v);
    comma = strchr(a, ',');
    if (comma)
        *comma = 0;
    const char *part[2] = {a, comma ? comma + 1 : a};
    gb_p2d_factor *out[2] = {x, y};
    for (int i = 0; i < 2; i++) {
        gb_data_spec s;
        gb_data_spec_default(&s);
        int rc = parse_family_p(&s, flag, part[i]);
        if (rc)
            return rc;
        if (s.family == GB_FAMILY_FEM)
            return usage_error("%s: fem is not a 2-D factor (expected poly:P, cos:P or sin:P), got '%s'", flag, v);
        out[i]->family = s.family;
        out[i]->p = s.p;
    }
    return 0;
}

static int parse(p2d_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->n = 15;
    a->S = 100;
    a->seed = 1;
    a->k = 1;
    int c, rc = 0;
    gb_cli_parser P;
    gb_cli_begin(&P, &gb_p2d_cli, argc, argv);
    while (!rc && (c = gb_cli_next(&P)) > 0) {
        const char *v = P.arg, *f = P.flag;
        switch (c) {
        case O_N: rc = parse_long(&a->n, f, v, 2, 100000); break;
        case O_TRAIN: rc = parse_pair(&a->tx, &a->ty, f, v); a->have_train = 1; break;
        case O_TEST: rc = parse_pair(&a->ex, &a->ey, f, v); a->have_test = 1; break;
        case O_SAMPLES: rc = parse_long(&a->S, f, v, 1, 100000); break;
        case O_SEED: rc = parse_seed(&a->seed, f, v, 0x7fffffffL); break;
        case O_K: rc = parse_pos_double(&a->k, f, v, 0); break;
        case O_JSON: a->json = 1; break;
        }
    }
    if ((rc = gb_cli_stop(c, rc)) || (rc = gb_cli_no_operands(&P)))
        return rc;
    if (!a->have_train)
        return usage_error("p2d: --train is required (X or X,Y; each poly:P, cos:P or sin:P)%s%s", "", "");
    char why[256];
    if (gb_p2d_check(a->n, &a->tx, &a->ty, why, sizeof why) ||
        (a->have_test && gb_p2d_check(a->n, &a->ex, &a->ey, why, sizeof why)))
        return usage_error("--n/--train/--test: %s%s", why, "");
    return 0;
}

GB_CLI_PARSE_ONLY(parse_only_p2d, p2d_args, parse)

int cmd_p2d(int argc, char **argv)
{
    p2d_args a;
    int rc = parse(&a, argc, argv);
    if (rc)
        return gb_cli_exit(rc);
    long n = a.n, m = n * n, S = a.S;
    double *A = malloc(sizeof(double) * m * m), *W = malloc(sizeof(double) * m * m), *Ws = malloc(sizeof(double) * m * m),
           *Px = malloc(sizeof(double) * n * n), *Py = malloc(sizeof(double) * n * n), *F = malloc(sizeof(double) * S * m),
           *U = malloc(sizeof(double) * S * m);
    int st = (!A || !W || !Ws || !Px || !Py || !F || !U) ? GB_ENOMEM : gb_p2d_operator(A, n, a.k);
    gb_linear_data L;
    long rank = 0;
    if (!st)
        st = gb_p2d_data(F, U, S, n, a.k, &a.tx, &a.ty, a.seed, GB_CLI_PREC);
    if (!st && !(st = gb_linear_data_init_arrays(&L, F, U, S, m))) {
        gb_linear_closed_form(W, &L, NULL);
        rank = L.rank;
        gb_linear_data_clear(&L);
    }
    if (!st && !(st = gb_p2d_projector(Px, n, &a.tx, GB_CLI_PREC)))
        st = gb_p2d_projector(Py, n, &a.ty, GB_CLI_PREC);
    double dist = NAN, train = NAN, test = NAN, test_pred = NAN;
    int in_span = -1;
    if (!st) {
        st = gb_p2d_times_kron(Ws, A, Px, Py, n);
        dist = gb_linear_rel_dist(W, Ws, m);
        train = gb_linear_mse_arrays(W, F, U, S, m);
        if (a.have_test && !(st = gb_p2d_data(F, U, S, n, a.k, &a.ex, &a.ey, a.seed + GB_TEST_SEED_OFFSET, GB_CLI_PREC))) {
            double den = 0;
            for (long i = 0; i < S * m; i++)
                den += U[i] * U[i];
            test = gb_linear_mse_arrays(W, F, U, S, m) * (double)(S * m) / den;
            test_pred = gb_linear_mse_arrays(Ws, F, U, S, m) * (double)(S * m) / den;
            in_span = gb_p2d_span_contains(n, &a.tx, &a.ex, GB_CLI_PREC) &&
                      gb_p2d_span_contains(n, &a.ty, &a.ey, GB_CLI_PREC);
        }
    }
    free(A); free(W); free(Ws); free(Px); free(Py); free(F); free(U);
    if (st) {
        fprintf(stderr, "greenbound: p2d: %s\n", gb_strerror(st));
        return EXIT_RUNTIME;
    }
    if (a.json) {
        json_t *j = json_object();
        json_object_set_new(j, "rank", json_integer(rank));
        json_object_set_new(j, "dist_to_closed_form", gb_json_num(dist));
        json_object_set_new(j, "train_mse", gb_json_num(train));
        if (a.have_test) {
            json_object_set_new(j, "test_rel_mse", gb_json_num(test));
            json_object_set_new(j, "test_rel_mse_closed_form", gb_json_num(test_pred));
            json_object_set_new(j, "test_in_span", json_boolean(in_span));
        }
        json_object_set_new(j, "n", json_integer(n));
        json_object_set_new(j, "samples", json_integer(S));
        json_object_set_new(j, "seed", json_integer((json_int_t)a.seed));
        json_object_set_new(j, "k", gb_json_num(a.k));
        json_dumpf(j, stdout, JSON_REAL_PRECISION(17));
        fputc('\n', stdout);
        json_decref(j);
    } else {
        printf("2-D Poisson, n = %ld (%ld unknowns), train %s:%d ⊗ %s:%d, S = %ld, rank %ld\n", n, m,
               gb_family_name(a.tx.family), a.tx.p, gb_family_name(a.ty.family), a.ty.p, S, rank);
        printf("|W − A (P_X ⊗ P_Y)|_F / |A (P_X ⊗ P_Y)|_F   %.3e\n", dist);
        printf("train MSE                                  %.3e\n", train);
        if (a.have_test)
            printf("test %s:%d ⊗ %s:%d: relative MSE %.6e, closed form %.6e; %s the training span\n",
                   gb_family_name(a.ex.family), a.ex.p, gb_family_name(a.ey.family), a.ey.p, test, test_pred,
                   in_span ? "inside" : "outside");
    }
    return 0;
}
