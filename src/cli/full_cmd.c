/* greenbound verify-full: the full tier of SPEC §8. Trains every (model, seed, data set) that is not
 * yet in the store, one file per training, so that a stopped run continues where it stopped; then
 * renders the full-tier reports of the statistical claims from the store. --check retrains a few
 * stored trainings and requires the same numbers, bit for bit. */
#include "cli/cli.h"
#include "core/status.h"
#include "xval/tier.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef GB_MPI
#include <mpi.h>
#endif

const char *full_help =
    "usage: greenbound verify-full [--models LIST] [--results DIR] [--out DIR] [--seeds N] [--progress]\n"
    "       greenbound verify-full --check K [--check-seed X] [--models LIST] [--results DIR]\n"
    "\n"
    "The full tier of SPEC §8: S = 10000 training samples per data set, networks trained to the plateau\n"
    "rule of SPEC §7, 5 seeds (10 for PINN-1), budgets fixed in src/xval/tier.c. Every training not yet\n"
    "in the store is run and stored as one file (resumable: an interrupted run continues where it\n"
    "stopped), then the reports of the statistical claims are rendered from the store into --out\n"
    "(as 'greenbound verify --tier full'). Under mpirun (a 'make MPI=1' build) the trainings are\n"
    "spread over the ranks; the results do not depend on the number of ranks or threads.\n"
    "\n"
    "  --models LIST    comma-separated, of linear, deeplinear, mlp, deeponet, fno, pinn, pideeponet\n"
    "                   (default: all of them)\n"
    "  --results DIR    the store                                         (default results/full)\n"
    "  --out DIR        the reports                                       (default reports/full)\n"
    "  --seeds N        seeds per statistical claim, 2..32 (default 5; the rules need 5, trends 10)\n"
    "  --train-only     store the trainings, render nothing\n"
    "  --check K        train nothing new: retrain K stored trainings chosen by a fixed seed and\n"
    "                   require every number to equal the stored one (exit 1 if one differs)\n"
    "  --check-seed X   the seed of that choice                                      (default 1)\n"
    "  --progress       one line per training on stderr\n"
    "\n"
    "Each training's wall time is appended to DIR/timings.tsv (model, data set, seed, seconds, epochs,\n"
    "ranks), apart from the deterministic reports. A stored file of other settings, a truncated one or\n"
    "one whose checksum does not match stops the run with a message (exit 2); nothing is mixed.\n";

static const gb_xv_model all_models[] = {GB_XV_LINEAR, GB_XV_DEEPLINEAR, GB_XV_MLP, GB_XV_DEEPONET,
                                         GB_XV_FNO, GB_XV_PINN, GB_XV_PIDEEPONET};

static int parse_models(gb_xv_model *out, int *n, const char *s)
{
    *n = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *save, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        gb_xv_model m;
        if (gb_xv_model_parse(&m, tok) || m == GB_XV_FD) {
            fprintf(stderr, "greenbound: --models: unknown model '%s'; expected linear, deeplinear, mlp, deeponet, "
                            "fno, pinn or pideeponet\n", tok);
            return EXIT_USAGE;
        }
        for (int k = 0; k < *n; k++)
            if (out[k] == m)
                return fprintf(stderr, "greenbound: --models: '%s' given twice\n", tok), EXIT_USAGE;
        if (*n == (int)(sizeof all_models / sizeof *all_models))
            return EXIT_USAGE;
        out[(*n)++] = m;
    }
    if (!*n)
        return fprintf(stderr, "greenbound: --models: no model in '%s'\n", s), EXIT_USAGE;
    return 0;
}

int cmd_verify_full(int argc, char **argv)
{
    gb_xv_model models[8];
    int nmodels = (int)(sizeof all_models / sizeof *all_models), progress = 0, train_only = 0, rc;
    memcpy(models, all_models, sizeof all_models);
    const char *results = "results/full", *out = "reports/full";
    long seeds = 5, check = 0, check_seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
            return fputs(full_help, stdout), 0;
        else if (!strcmp(a, "--models")) {
            VALUE(v);
            if ((rc = parse_models(models, &nmodels, v)))
                return rc;
        } else if (!strcmp(a, "--results")) {
            VALUE(v);
            results = v;
        } else if (!strcmp(a, "--out")) {
            VALUE(v);
            out = v;
        } else if (!strcmp(a, "--seeds")) {
            VALUE(v);
            if ((rc = parse_long(&seeds, a, v, 2, 32)))
                return rc;
        } else if (!strcmp(a, "--check")) {
            VALUE(v);
            if ((rc = parse_long(&check, a, v, 1, 100000)))
                return rc;
        } else if (!strcmp(a, "--check-seed")) {
            VALUE(v);
            if ((rc = parse_long(&check_seed, a, v, 0, 0x7fffffffL)))
                return rc;
        } else if (!strcmp(a, "--train-only"))
            train_only = 1;
        else if (!strcmp(a, "--progress"))
            progress = 1;
        else
            return usage_error("verify-full: unknown option '%s'%s", a, "");
    }
    gb_tier_spec t;
    gb_tier_spec_init(&t, GB_TIER_FULL);
    t.seeds = (int)seeds;
    t.trend_seeds = seeds > 10 ? (int)seeds : 10;
    char msg[2048] = "";
    if (check) {
        int st = gb_tier_check(results, &t, models, nmodels, (int)check, (unsigned long)check_seed, msg, sizeof msg);
        if (st) {
            fprintf(stderr, "greenbound: verify-full --check: %s\n", msg);
            return st == GB_EINVAL && strstr(msg, "differ") ? 1 : st == GB_EINVAL || st == GB_ENOENT ? EXIT_USAGE : 3;
        }
        fprintf(stderr, "verify-full --check: %ld stored trainings retrained, every number identical\n", check);
        return 0;
    }
    int st = gb_tier_run(results, &t, models, nmodels, progress, msg, sizeof msg);
    if (st) {
        fprintf(stderr, "greenbound: verify-full: %s\n", msg);
        return st == GB_EINVAL ? EXIT_USAGE : 3;
    }
    int rank = 0;
#ifdef GB_MPI
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
#endif
    if (rank == 0)
        gb_tier_timings(results);
    if (train_only || rank != 0)
        return 0;
    char sd[16];
    snprintf(sd, sizeof sd, "%ld", seeds);
    char *vargv[] = {"verify", "--tier", "full", "--out", (char *)out, "--results", (char *)results, "--seeds", sd,
                     NULL};
    return cmd_verify(9, vargv);
}
