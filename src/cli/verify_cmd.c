/* greenbound verify | list: run claims by id and write their reports (through a staging folder swapped
 * in at the end, src/report/stage.h), and list the claims this build can verify. */
#include "cli/cli.h"
#include "claim/claim.h"
#include "core/provenance.h"
#include "core/status.h"
#include "core/str.h"
#include "experiment/fd_case.h"
#include "report/stage.h"
#include "verify.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { O_OUT = 256, O_SAMPLES, O_SEED, O_K, O_PREC, O_LAW, O_QUICK, O_TIER, O_RESULTS, O_SEEDS, O_NOISE, O_PROGRESS,
       O_TIMINGS, O_JUNIT, O_EXPECT, O_FAULT };

static const gb_cli_opt opts[] = {
    {"out", O_OUT, "DIR", "report directory                              (default reports)"},
    {"samples", O_SAMPLES, "S", "samples per data set, 1..10000000             (default 10000)"},
    {"seed", O_SEED, "X", "seed                                              (default 1)"},
    {"k", O_K, "K", "diffusivity, finite and > 0                       (default 1)"},
    {"prec", O_PREC, "BITS", "working precision p, 64..65536; predictions also at 2p (default 256)"},
    {"law", O_LAW, "L", "coefficient law: normal or uniform           (default normal)"},
    {"quick", O_QUICK, NULL, "CI tier: 5 grid levels instead of 9"},
    {"tier", O_TIER, "T", "ci (default): every claim, the statistical ones trained now on the CI tier's\n"
                          "small budget; full: only the statistical claims (XV-PATTERN-*, GRN-5,\n"
                          "NN-FLOOR, PINN-1) from the stored full-tier trainings ('greenbound\n"
                          "verify-full' makes them), into reports/full unless --out is given"},
    {"results", O_RESULTS, "DIR", "the store of full-tier trainings            (default results/full)"},
    {"seeds", O_SEEDS, "N", "seeds of a statistical claim, 2..32 (default 5; PINN-1 takes max(N, 10))"},
    {"noise", O_NOISE, "SIGMA", "XV-NOISE's label noise on the training sets' interior nodes, > 0\n"
                                "(default 3.1622776601683795e-05 = 10^-4.5)"},
    {"progress", O_PROGRESS, NULL, "one line per experiment on stderr"},
    {"timings", O_TIMINGS, "FILE", "append per-claim wall times (TSV) to FILE, kept out of the reports"},
    {"junit", O_JUNIT, "FILE", "the verdicts as JUnit XML for CI systems (a claim is a test case; FAIL and\n"
                               "ERROR not listed in --expect are failures, INCONCLUSIVE is skipped)"},
    {"expect", O_EXPECT, "FILE", "known verdicts (TSV: id, verdict, reason): a listed claim must have its\n"
                                 "listed verdict; any other claim must not be FAIL or ERROR"},
    {"fault", O_FAULT, "KIND", "mutation check: 'stencil' corrupts the learner's centre weight,\n"
                               "'solution' scales the exact solution of the last term; the affected\n"
                               "verdicts must turn FAIL. 'projector' predicts with I in place of U Uᵀ,\n"
                               "'sign' with -A (linear claims), 'green' with A_G × 1.001 where a closed\n"
                               "form compares with it, 'step' evaluates the T-step GD formula with η/2,\n"
                               "'wstar' the FD closed forms with w = k in place of w*_∞, 'noise'\n"
                               "XV-NOISE's expected noise term with twice the variance, 'constant'\n"
                               "FD-2/FD-5's constants × 1.01, 'load' FD-7 with the other FEM load,\n"
                               "'training' a perturbed trained result (FD-1, LIN-1), 'grid' θ = nπ/(N+1)\n"
                               "in FD-4; 'pattern' flips the predicted side of every rule of the\n"
                               "statistical claims. Reports go to build/mutation unless --out is given."},
    {0}};

const gb_cli_cmd gb_verify_cli = {
    "verify", "usage: greenbound verify [ID...] [options]",
    "Runs the claims (default: all), writes reports/<ID>.{md,csv,json,svg} atomically and\n"
    "regenerates reports/INDEX.md; a run of some claims writes RUN.md over them instead and leaves\n"
    "INDEX.md, the whole set's, as it was. Exit 1 if any verdict is FAIL or ERROR.",
    opts, NULL};

enum { MAX_IDS = 64 };

typedef struct {
    gb_verify_opts o;
    const char *ids[MAX_IDS];
    int nids, subset;   /* subset: ids were named, fewer than the tier's claims */
    const char *timings, *expect, *junit;
} verify_args;

static int parse_fault(gb_verify_opts *o, const char *s)
{
    if (!strcmp(s, "stencil"))
        o->stencil_fault = 1.0 / 1024;
    else if (!strcmp(s, "solution"))
        o->solution_fault = 1e-6;
    else if (gb_fault_parse(s))
        o->fault = gb_fault_parse(s);
    else if (!strcmp(s, "pattern"))
        o->pattern_fault = 1;
    else
        return usage_error("--fault: expected stencil, solution, projector, sign, green, step, wstar, noise, constant, "
                           "load, training, grid or pattern, got '%s'%s", s, "");
    return 0;
}

static int parse(verify_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    gb_verify_opts *o = &a->o;
    gb_verify_opts_default(o);
    int out_given = 0, c, rc = 0;
    gb_cli_parser P;
    gb_cli_begin(&P, &gb_verify_cli, argc, argv);
    while (!rc && (c = gb_cli_next(&P)) > 0) {
        const char *v = P.arg, *f = P.flag;
        switch (c) {
        case O_QUICK: o->quick = 1; break;
        case O_PROGRESS: o->progress = 1; break;
        case O_OUT: o->out = v; out_given = 1; break;
        case O_TIMINGS: a->timings = v; break;
        case O_JUNIT: a->junit = v; break;
        case O_EXPECT: a->expect = v; break;
        case O_RESULTS: o->results = v; break;
        case O_SAMPLES: rc = parse_long(&o->S, f, v, 1, 10000000); break;
        case O_SEED: rc = parse_seed(&o->seed, f, v, 0x7fffffffL); break;
        case O_K: rc = parse_pos_double(&o->k, f, v, 0); break;
        case O_NOISE: rc = parse_pos_double(&o->noise, f, v, 0); break;
        case O_LAW: rc = parse_law(&o->law, v); break;
        case O_SEEDS: rc = parse_int(&o->seeds, f, v, 2, 32); break;
        case O_FAULT: rc = parse_fault(o, v); break;
        case O_PREC: {
            long bits;
            rc = parse_long(&bits, f, v, 64, 65536);
            o->prec = bits;
            break;
        }
        case O_TIER:
            if (strcmp(v, "ci") && strcmp(v, "full"))
                return usage_error("--tier: expected ci or full, got '%s'%s", v, "");
            o->tier = !strcmp(v, "full");
            break;
        }
    }
    if ((rc = gb_cli_stop(c, rc)))
        return rc;
    char **ids;
    int n = gb_cli_operands(&P, &ids);
    for (int i = 0; i < n; i++) {
        const gb_verify_entry *e = gb_verify_find(ids[i]);
        if (!e) {
            fprintf(stderr, "greenbound: verify: unknown claim id '%s'; 'greenbound list' shows them\n", ids[i]);
            return EXIT_USAGE;
        }
        if (a->nids == MAX_IDS)
            return usage_error("verify: too many ids%s%s", "", "");
        if (o->tier && !e->tiered) {
            fprintf(stderr, "greenbound: verify --tier full: %s is not a statistical claim; the full tier has "
                            "XV-PATTERN-*, GRN-5, NN-FLOOR and PINN-1\n", ids[i]);
            return EXIT_USAGE;
        }
        a->ids[a->nids++] = ids[i];
    }
    if ((o->stencil_fault != 0 || o->solution_fault != 0 || o->fault || o->pattern_fault) && !out_given)
        o->out = o->tier ? "build/mutation/full" : "build/mutation";
    else if (o->tier && !out_given)
        o->out = "reports/full";
    int all = 0;
    for (int i = 0; i < gb_verify_count; i++)
        all += !o->tier || gb_verify_registry[i].tiered;
    a->subset = a->nids > 0 && a->nids < all;
    if (!a->nids)
        for (int i = 0; i < gb_verify_count && a->nids < MAX_IDS; i++)
            if (!o->tier || gb_verify_registry[i].tiered)
                a->ids[a->nids++] = gb_verify_registry[i].id;
    return 0;
}

GB_CLI_PARSE_ONLY(parse_only_verify, verify_args, parse)

/* the --expect file: id and verdict per line, '#' comments */
typedef struct {
    char id[MAX_IDS][32];
    gb_verdict v[MAX_IDS];
    int n;
} expected;

static int read_expect(expected *x, const char *path)
{
    x->n = 0;
    if (!path)
        return 0;
    struct stat sb;
    FILE *f = !stat(path, &sb) && S_ISREG(sb.st_mode) ? fopen(path, "r") : NULL;
    if (!f) {
        fprintf(stderr, "greenbound: --expect: cannot open '%s'\n", path);
        return EXIT_USAGE;
    }
    char line[2048];
    while (fgets(line, sizeof line, f) && x->n < MAX_IDS) {
        char id[32], vd[32];
        if (line[0] == '#' || sscanf(line, "%31s %31s", id, vd) != 2)
            continue;
        if (!gb_verify_find(id) || gb_verdict_parse(&x->v[x->n], vd)) {
            fprintf(stderr, "greenbound: --expect: bad line in '%s': %s", path, line);
            fclose(f);
            return EXIT_USAGE;
        }
        snprintf(x->id[x->n++], 32, "%s", id);
    }
    fclose(f);
    return 0;
}

static int write_junit(const char *path, const gb_str *cases, int nids, int nfail, int nskip)
{
    if (!path)
        return 0;
    gb_str doc;   /* ids, verdict names and numbers only: nothing to escape */
    gb_str_init(&doc);
    gb_str_printf(&doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"greenbound verify\" "
                        "tests=\"%d\" failures=\"%d\" skipped=\"%d\">\n%s</testsuite>\n",
                  nids, nfail, nskip, gb_str_get(cases));
    int st = gb_file_write_atomic(path, gb_str_get(&doc), doc.len);
    gb_str_clear(&doc);
    if (st != GB_OK) {
        fprintf(stderr, "greenbound: --junit: cannot write '%s'\n", path);
        return EXIT_RUNTIME;
    }
    return 0;
}

int cmd_verify(int argc, char **argv)
{
    verify_args a;
    expected x;
    int rc = parse(&a, argc, argv);
    if (rc)
        return gb_cli_exit(rc);
    if ((rc = read_expect(&x, a.expect)))
        return rc;
    FILE *tf = a.timings ? fopen(a.timings, "a") : NULL;
    if (a.timings && !tf) {
        fprintf(stderr, "greenbound: --timings: cannot open '%s'\n", a.timings);
        return EXIT_USAGE;
    }
    /* the run writes into a staging folder swapped in for the report folder at the end (src/report/stage.h):
     * a reader never sees a mix of old and new reports, and an interrupted run leaves the old set */
    gb_verify_opts o = a.o;
    const char *out = o.out;
    char stage[PATH_MAX];
    if (gb_stage_open(stage, sizeof stage, out) != GB_OK) {
        fprintf(stderr, "greenbound: cannot prepare the report folder '%s': %s\n", out, strerror(errno));
        if (tf)
            fclose(tf);
        return EXIT_RUNTIME;
    }
    o.out = stage;
    int bad = 0, count[4] = {0}, expected_nonpass = 0, nfail = 0;
    gb_str jx;   /* the JUnit test cases, written after the loop */
    gb_str_init(&jx);
    double t_all = now();
    for (int i = 0; i < a.nids; i++) {
        const gb_verify_entry *e = gb_verify_find(a.ids[i]);
        fprintf(stderr, "[%d/%d] %s: %s ...\n", i + 1, a.nids, e->id, e->title);
        double t0 = now();
        gb_verdict vd = gb_verify_run(e, &o);
        double dt = now() - t0;
        int listed = -1;
        for (int k = 0; k < x.n; k++)
            if (!strcmp(x.id[k], e->id))
                listed = k;
        int ok = listed >= 0 ? vd == x.v[listed] : !(vd == GB_FAIL || vd == GB_ERROR);
        printf("%-6s %-13s %s%s\n", e->id, gb_verdict_name(vd), e->title,
               listed >= 0 ? (ok ? "  [expected, see --expect file]" : "  [UNEXPECTED: listed otherwise]") : "");
        fflush(stdout);
        fprintf(stderr, "[%d/%d] %s: %s in %.1f s\n", i + 1, a.nids, e->id, gb_verdict_name(vd), dt);
        if (tf)
            fprintf(tf, "%s\t%.3f\n", e->id, dt);
        bad |= !ok;
        nfail += !ok;
        count[vd]++;
        gb_str_printf(&jx, "  <testcase classname=\"greenbound.verify\" name=\"%s\" time=\"%.3f\">", e->id, dt);
        if (!ok)
            gb_str_printf(&jx, "<failure message=\"%s%s\"/>", gb_verdict_name(vd),
                          listed >= 0 ? " (the --expect file lists another verdict)" : "");
        else if (vd == GB_INCONCLUSIVE)
            gb_str_printf(&jx, "<skipped message=\"INCONCLUSIVE\"/>");
        else if (vd != GB_PASS)
            gb_str_printf(&jx, "<system-out>%s, as the --expect file lists</system-out>", gb_verdict_name(vd));
        gb_str_printf(&jx, "</testcase>\n");
        expected_nonpass += listed >= 0 && ok && vd != GB_PASS;
    }
    rc = write_junit(a.junit, &jx, a.nids, nfail, count[GB_INCONCLUSIVE]);
    gb_str_clear(&jx);
    if (tf)
        fclose(tf);
    if (rc) {
        gb_stage_remove(stage);
        return rc;
    }
    /* the run's counts, the last line of stdout (CI logs end with it) */
    printf("verify: %d PASS, %d FAIL, %d INCONCLUSIVE, %d ERROR of %d claims (%d of the non-PASS verdicts as the "
           "--expect file lists them)%s\n", count[GB_PASS], count[GB_FAIL], count[GB_INCONCLUSIVE], count[GB_ERROR],
           a.nids, expected_nonpass, bad ? "; UNEXPECTED verdicts above" : "");
    double td, tt, tp;
    gb_fd_timings(&td, &tt, &tp);
    fprintf(stderr, "total %.1f s (data %.1f s, training %.1f s, predictions %.1f s)\n", now() - t_all, td, tt, tp);
    gb_fd_cache_clear();
    gb_verify_npde_clear();
    /* the index: of the whole set, or for a subset of the claims RUN.md of its own (INDEX.md, if there is one,
     * stays the whole set's) */
    int index_st = GB_OK;
    if (a.subset) {
        const char *paths[MAX_IDS];
        char buf[MAX_IDS][64];
        for (int i = 0; i < a.nids; i++) {
            const gb_verify_entry *e = gb_verify_find(a.ids[i]);
            snprintf(buf[i], sizeof buf[i], "%s%s%s", e->folder ? e->folder : "", e->folder ? "/" : "", e->id);
            paths[i] = buf[i];
        }
        char idx[PATH_MAX];
        snprintf(idx, sizeof idx, "%s/INDEX.md", o.out);
        index_st = gb_report_index_run(o.out, paths, a.nids);
        if (!index_st && access(idx, F_OK))   /* a fresh folder gets an index of what it holds */
            index_st = gb_report_index(o.out);
    } else {
        char run[PATH_MAX];   /* a whole run makes an earlier subset's page stale */
        snprintf(run, sizeof run, "%s/RUN.md", o.out);
        unlink(run);
        index_st = gb_report_index(o.out);
    }
    if (index_st != GB_OK || gb_provenance_write(o.out) != GB_OK) {
        fprintf(stderr, "greenbound: cannot write %s/INDEX.md; '%s' left as it was\n", o.out, out);
        gb_stage_remove(stage);
        return EXIT_RUNTIME;
    }
    if (gb_verify_write_failures()) {   /* a report that could not be written is a runtime error */
        fprintf(stderr, "greenbound: some reports could not be written; '%s' left as it was\n", out);
        gb_stage_remove(stage);
        return EXIT_RUNTIME;
    }
    if (gb_stage_commit(stage, out) != GB_OK) {
        fprintf(stderr, "greenbound: cannot put the new reports in place of '%s': %s\n", out, strerror(errno));
        gb_stage_remove(stage);
        return EXIT_RUNTIME;
    }
    return bad ? 1 : 0;
}

static const gb_cli_opt no_opts[] = {{0}};
const gb_cli_cmd gb_list_cli = {"list", "usage: greenbound list", "The claims this build can verify, one per line.",
                                no_opts, NULL};

int parse_only_list(int argc, char **argv)
{
    gb_cli_parser P;
    gb_cli_begin(&P, &gb_list_cli, argc, argv);
    int rc = gb_cli_stop(gb_cli_next(&P), 0);
    if (rc)
        return rc;
    char **rest;
    if (gb_cli_operands(&P, &rest))
        return usage_error("list takes no arguments; got '%s'%s", rest[0], "");
    return 0;
}

int cmd_list(int argc, char **argv)
{
    int rc = parse_only_list(argc, argv);
    if (rc)
        return gb_cli_exit(rc);
    for (int i = 0; i < gb_verify_count; i++)
        printf("%-6s %s\n", gb_verify_registry[i].id, gb_verify_registry[i].title);
    return 0;
}
