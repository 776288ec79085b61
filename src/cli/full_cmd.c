/* greenbound verify-full: the full tier of SPEC §8. Trains every (model, seed, data set) that is not
 * yet in the store, one file per training, so that a stopped run continues where it stopped; then
 * renders the full-tier reports of the statistical claims from the store. --check retrains a few
 * stored trainings and requires the same numbers, bit for bit. */
#include "cli/cli.h"
#include "core/status.h"
#include "verify.h"
#include "xval/tier.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef GB_MPI
#include <mpi.h>
#endif

enum { O_MODELS = 256, O_RESULTS, O_OUT, O_SEEDS, O_TRAIN_ONLY, O_CHECK, O_CHECK_SEED, O_PROGRESS };

static const gb_cli_opt opts[] = {
    {"models", O_MODELS, "LIST", "comma-separated, of linear, deeplinear, mlp, deeponet, fno, pinn,\n"
                                 "pideeponet and npde6 (NPDE-6's neural KdV models; default: all of them)"},
    {"results", O_RESULTS, "DIR", "the store                                 (default results/full)"},
    {"out", O_OUT, "DIR", "the reports                               (default reports/full)"},
    {"seeds", O_SEEDS, "N", "seeds per statistical claim, 2..32 (default 5; the rules need 5,\n"
                            "trends 10)"},
    {"train-only", O_TRAIN_ONLY, NULL, "store the trainings, render nothing"},
    {"check", O_CHECK, "K", "train nothing new: retrain K stored trainings chosen by a fixed seed\n"
                            "and require every number to equal the stored one (exit 1 if one differs)"},
    {"check-seed", O_CHECK_SEED, "X", "the seed of that choice                              (default 1)"},
    {"progress", O_PROGRESS, NULL, "one line per training on stderr"},
    {0}};

const gb_cli_cmd gb_full_cli = {
    "verify-full",
    "usage: greenbound verify-full [--models LIST] [--results DIR] [--out DIR] [--seeds N] [--progress]\n"
    "       greenbound verify-full --check K [--check-seed X] [--models LIST] [--results DIR]",
    "The full tier of SPEC §8: S = 10000 training samples per data set, networks trained to the plateau\n"
    "rule of SPEC §7, 5 seeds (10 for PINN-1), budgets fixed in src/xval/tier.c. Every training not yet\n"
    "in the store is run and stored as one file (resumable: an interrupted run continues where it\n"
    "stopped), then the reports of the statistical claims are rendered from the store into --out\n"
    "(as 'greenbound verify --tier full'). Under mpirun (a 'make MPI=1' build) the trainings are\n"
    "spread over the ranks; the results do not depend on the number of ranks or threads. npde6 trains\n"
    "NPDE-6's ten neural KdV models to the plateau (cap 30000 epochs) and stores their weights.",
    opts,
    "Each training's wall time is appended to DIR/timings.tsv (model, data set, seed, seconds, epochs,\n"
    "ranks), apart from the deterministic reports. A stored file of other settings, a truncated one or\n"
    "one whose checksum does not match stops the run with a message (exit 2); nothing is mixed.\n"};

static const gb_xv_model all_models[] = {GB_XV_LINEAR, GB_XV_DEEPLINEAR, GB_XV_MLP, GB_XV_DEEPONET,
                                         GB_XV_FNO, GB_XV_PINN, GB_XV_PIDEEPONET};

static int parse_models(gb_xv_model *out, int *n, int *npde6, const char *s)
{
    *n = 0;
    *npde6 = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *save, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        gb_xv_model m;
        if (!strcmp(tok, "npde6")) {
            if (*npde6)
                return fprintf(stderr, "greenbound: --models: '%s' given twice\n", tok), EXIT_USAGE;
            *npde6 = 1;
            continue;
        }
        if (gb_xv_model_parse(&m, tok) || m == GB_XV_FD) {
            fprintf(stderr, "greenbound: --models: unknown model '%s'; expected linear, deeplinear, mlp, deeponet, "
                            "fno, pinn, pideeponet or npde6\n", tok);
            return EXIT_USAGE;
        }
        for (int k = 0; k < *n; k++)
            if (out[k] == m)
                return fprintf(stderr, "greenbound: --models: '%s' given twice\n", tok), EXIT_USAGE;
        if (*n == (int)(sizeof all_models / sizeof *all_models))
            return EXIT_USAGE;
        out[(*n)++] = m;
    }
    if (!*n && !*npde6)
        return fprintf(stderr, "greenbound: --models: no model in '%s'\n", s), EXIT_USAGE;
    return 0;
}

typedef struct {
    gb_xv_model models[8];
    int nmodels, npde6, progress, train_only;
    const char *results, *out;
    long seeds, check, check_seed;
} full_args;

static int parse(full_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->nmodels = (int)(sizeof all_models / sizeof *all_models);
    a->npde6 = 1;
    memcpy(a->models, all_models, sizeof all_models);
    a->results = "results/full";
    a->out = "reports/full";
    a->seeds = 5;
    a->check_seed = 1;
    int c, rc = 0;
    gb_cli_parser P;
    gb_cli_begin(&P, &gb_full_cli, argc, argv);
    while (!rc && (c = gb_cli_next(&P)) > 0) {
        const char *v = P.arg, *f = P.flag;
        switch (c) {
        case O_MODELS: rc = parse_models(a->models, &a->nmodels, &a->npde6, v); break;
        case O_RESULTS: a->results = v; break;
        case O_OUT: a->out = v; break;
        case O_SEEDS: rc = parse_long(&a->seeds, f, v, 2, 32); break;
        case O_CHECK: rc = parse_long(&a->check, f, v, 1, 100000); break;
        case O_CHECK_SEED: rc = parse_long(&a->check_seed, f, v, 0, 0x7fffffffL); break;
        case O_TRAIN_ONLY: a->train_only = 1; break;
        case O_PROGRESS: a->progress = 1; break;
        }
    }
    if ((rc = gb_cli_stop(c, rc)))
        return rc;
    return gb_cli_no_operands(&P);
}

GB_CLI_PARSE_ONLY(parse_only_verify_full, full_args, parse)

int cmd_verify_full(int argc, char **argv)
{
    full_args a;
    int rc = parse(&a, argc, argv);
    if (rc)
        return gb_cli_exit(rc);
    const gb_xv_model *models = a.models;
    int nmodels = a.nmodels, progress = a.progress, train_only = a.train_only;
    const char *results = a.results, *out = a.out;
    long seeds = a.seeds, check = a.check, check_seed = a.check_seed;
    gb_tier_spec t;
    gb_tier_spec_init(&t, GB_TIER_FULL);
    t.seeds = (int)seeds;
    t.trend_seeds = seeds > 10 ? (int)seeds : 10;
    char msg[2048] = "";
    if (check && !nmodels) {
        fprintf(stderr, "greenbound: verify-full --check: NPDE-6's models are not retrained by --check (each training "
                        "takes up to hours); name a network model in --models\n");
        return EXIT_USAGE;
    }
    if (check) {
        int st = gb_tier_check(results, &t, models, nmodels, (int)check, (unsigned long)check_seed, msg, sizeof msg);
        if (st) {
            fprintf(stderr, "greenbound: verify-full --check: %s\n", msg);
            return st == GB_EINVAL && strstr(msg, "differ") ? 1 : st == GB_EINVAL || st == GB_ENOENT ? EXIT_USAGE : EXIT_RUNTIME;
        }
        fprintf(stderr, "verify-full --check: %ld stored trainings retrained, every number identical\n", check);
        return 0;
    }
    int st = nmodels ? gb_tier_run(results, &t, models, nmodels, progress, msg, sizeof msg) : GB_OK;
    if (!st && a.npde6)
        st = gb_npde6_full_run(results, progress, msg, sizeof msg);
    if (st) {
        fprintf(stderr, "greenbound: verify-full: %s\n", msg);
        return st == GB_EINVAL ? EXIT_USAGE : EXIT_RUNTIME;
    }
    int rank = 0;
#ifdef GB_MPI
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
#endif
    if (rank == 0)
        gb_tier_timings(results, &t);
    if (train_only || rank != 0)
        return 0;
    char sd[16];
    snprintf(sd, sizeof sd, "%ld", seeds);
    char *vargv[] = {"verify", "--tier", "full", "--out", (char *)out, "--results", (char *)results, "--seeds", sd,
                     NULL};
    return cmd_verify(9, vargv);
}
