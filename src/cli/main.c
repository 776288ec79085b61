/* greenbound — command line of the verification test-bed.
 * Bad input: a message on stderr naming the flag and its allowed range, exit 2,
 * nothing written. Verdicts: exit 1 when any claim is FAIL or ERROR. */
#include "claim/claim.h"
#include "core/status.h"
#include "experiment/fd_case.h"
#include "predict/fd_predict.h"
#include "verify.h"
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXIT_USAGE 2

static const char *main_help =
    "usage: greenbound <command> [options]\n"
    "\n"
    "Verification test-bed for 'Interpretability and Generalization Bounds for Learning\n"
    "Spatial Physics' (arXiv:2506.15199). Claims are numbered as in SPEC.md.\n"
    "\n"
    "commands:\n"
    "  fd-learn   learn the coefficient w of -w FD_q(u) = f from generated data (Theorem 3.1)\n"
    "  verify     run claims by id (default: all) and write their reports\n"
    "  list       list the claims this build can verify\n"
    "  bench      time data generation, training and prediction (not part of any report)\n"
    "  help CMD   the options of one command\n"
    "\n"
    "exit status: 0 success; 1 a verdict was FAIL or ERROR; 2 bad command line; 3 runtime error\n";

static const char *fd_learn_help =
    "usage: greenbound fd-learn --family poly|cos|sin|fem [--p P] --q Q --N N [options]\n"
    "\n"
    "Generates the data set F(family, p) on N intervals, learns w in -w FD_q(u) = f by least\n"
    "squares (and by gradient descent), and prints w beside the exact infinite-data prediction.\n"
    "\n"
    "  --family F      poly, cos, sin or fem                              (required)\n"
    "  --p P           number of terms, 1..8; required for poly/cos/sin, not taken for fem\n"
    "  --mode M        single sine/cos/poly term M (1..1000) instead of terms 1..p\n"
    "  --poly-const    poly: include the constant term x^0\n"
    "  --q Q           stencil order: 2, 4, 6 or 8                          (required)\n"
    "  --N N           grid intervals, q+2..65536                           (required)\n"
    "  --samples S     samples, 1..10000000                        (default 10000)\n"
    "  --seed X        non-negative integer seed                       (default 1)\n"
    "  --k K           diffusivity, finite and > 0                        (default 1)\n"
    "  --load L        fem load vector: consistent or lumped  (default consistent)\n"
    "  --law L         coefficient law: normal or uniform          (default normal)\n"
    "  --noise SIGMA   std of Gaussian label noise on u, >= 0             (default 0)\n"
    "  --prec BITS     MPFR working precision, 64..65536                (default 256)\n"
    "  --json          one JSON object: w, w_pred, rel_err and the run's parameters\n";

static const char *verify_help =
    "usage: greenbound verify [ID...] [options]\n"
    "\n"
    "Runs the claims (default: all), writes reports/<ID>.{md,csv,json,svg} atomically and\n"
    "regenerates reports/INDEX.md. Exit 1 if any verdict is FAIL or ERROR.\n"
    "\n"
    "  --out DIR          report directory                              (default reports)\n"
    "  --samples S        samples per data set, 1..10000000              (default 10000)\n"
    "  --seed X           seed                                               (default 1)\n"
    "  --k K              diffusivity, finite and > 0                        (default 1)\n"
    "  --prec BITS        working precision p, 64..65536; predictions also at 2p (default 256)\n"
    "  --law L            coefficient law: normal or uniform            (default normal)\n"
    "  --quick            CI tier: 5 grid levels instead of 9\n"
    "  --progress         one line per experiment on stderr\n"
    "  --timings FILE     append per-claim wall times (TSV) to FILE, kept out of the reports\n"
    "  --fault KIND       mutation check: 'stencil' corrupts the learner's centre weight,\n"
    "                     'solution' scales the exact solution of the last term; the affected\n"
    "                     verdicts must turn FAIL. Reports go to build/mutation unless --out is given.\n";

static const char *bench_help =
    "usage: greenbound bench [--N N] [--samples S]\n"
    "\n"
    "Times one data set (poly p=8), the fit of w (q=4) and its predictions, at N=256 and\n"
    "S=10000 by default. Timings are printed only; they never enter a report.\n";

static int usage_error(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "greenbound: ");
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, "\n(see 'greenbound help')\n");
    return EXIT_USAGE;
}

static int parse_long(long *out, const char *flag, const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "greenbound: %s: expected an integer in %ld..%ld, got '%s'\n", flag, lo, hi, s);
        return EXIT_USAGE;
    }
    *out = v;
    return 0;
}

static int parse_pos_double(double *out, const char *flag, const char *s, int allow_zero)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < 0 || (!allow_zero && v == 0)) {
        fprintf(stderr, "greenbound: %s: expected a finite number %s 0, got '%s'\n", flag, allow_zero ? ">=" : ">", s);
        return EXIT_USAGE;
    }
    *out = v;
    return 0;
}

/* the value after a flag, or a message */
static const char *need_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "greenbound: %s: missing value\n", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

#define VALUE(v)                                  \
    const char *v = need_value(argc, argv, &i);   \
    if (!v)                                       \
        return EXIT_USAGE

static int parse_law(gb_law *law, const char *s)
{
    if (strcmp(s, "normal") == 0)
        *law = GB_LAW_NORMAL;
    else if (strcmp(s, "uniform") == 0)
        *law = GB_LAW_UNIFORM;
    else
        return usage_error("--law: expected normal or uniform, got '%s'%s", s, "");
    return 0;
}

static int cmd_fd_learn(int argc, char **argv)
{
    gb_data_spec spec;
    gb_data_spec_default(&spec);
    long q = 0, N = 0, p = 0, v;
    int have_family = 0, json = 0, rc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(fd_learn_help, stdout);
            return 0;
        } else if (!strcmp(a, "--json"))
            json = 1;
        else if (!strcmp(a, "--poly-const"))
            spec.poly_const = 1;
        else if (!strcmp(a, "--family")) {
            VALUE(s);
            if (gb_family_parse(&spec.family, s))
                return usage_error("--family: expected poly, cos, sin or fem, got '%s'%s", s, "");
            have_family = 1;
        } else if (!strcmp(a, "--p")) {
            VALUE(s);
            if ((rc = parse_long(&p, a, s, 1, 8)))
                return rc;
        } else if (!strcmp(a, "--mode")) {
            VALUE(s);
            if ((rc = parse_long(&v, a, s, 1, 1000)))
                return rc;
            spec.mode = (int)v;
        } else if (!strcmp(a, "--q")) {
            VALUE(s);
            if ((rc = parse_long(&q, a, s, 2, 8)))
                return rc;
            if (!gb_stencil_is_valid_order((int)q))
                return usage_error("--q: expected 2, 4, 6 or 8, got '%s'%s", s, "");
        } else if (!strcmp(a, "--N")) {
            VALUE(s);
            if ((rc = parse_long(&N, a, s, 2, 65536)))
                return rc;
        } else if (!strcmp(a, "--samples")) {
            VALUE(s);
            if ((rc = parse_long(&spec.S, a, s, 1, 10000000)))
                return rc;
        } else if (!strcmp(a, "--seed")) {
            VALUE(s);
            if ((rc = parse_long(&v, a, s, 0, 0x7fffffffL)))
                return rc;
            spec.seed = (unsigned long)v;
        } else if (!strcmp(a, "--k")) {
            VALUE(s);
            if ((rc = parse_pos_double(&spec.k, a, s, 0)))
                return rc;
        } else if (!strcmp(a, "--noise")) {
            VALUE(s);
            if ((rc = parse_pos_double(&spec.noise, a, s, 1)))
                return rc;
        } else if (!strcmp(a, "--load")) {
            VALUE(s);
            if (!strcmp(s, "consistent"))
                spec.load = GB_LOAD_CONSISTENT;
            else if (!strcmp(s, "lumped"))
                spec.load = GB_LOAD_LUMPED;
            else
                return usage_error("--load: expected consistent or lumped, got '%s'%s", s, "");
        } else if (!strcmp(a, "--law")) {
            VALUE(s);
            if ((rc = parse_law(&spec.law, s)))
                return rc;
        } else if (!strcmp(a, "--prec")) {
            VALUE(s);
            if ((rc = parse_long(&v, a, s, 64, 65536)))
                return rc;
            spec.prec = v;
        } else
            return usage_error("fd-learn: unknown option '%s'%s", a, "");
    }
    if (!have_family)
        return usage_error("fd-learn: --family is required (poly, cos, sin or fem)%s%s", "", "");
    if (!q)
        return usage_error("fd-learn: --q is required (2, 4, 6 or 8)%s%s", "", "");
    if (!N)
        return usage_error("fd-learn: --N is required (q+2..65536)%s%s", "", "");
    if (N < q + 2) {
        fprintf(stderr, "greenbound: --N: expected an integer in %ld..65536 for q = %ld, got '%ld'\n", q + 2, q, N);
        return EXIT_USAGE;
    }
    if (spec.poly_const && spec.family != GB_FAMILY_POLY)
        return usage_error("--poly-const: only taken with --family poly%s%s", "", "");
    if (spec.family == GB_FAMILY_FEM && (p || spec.mode))
        return usage_error("--p/--mode: not taken for --family fem (its forcings are nodal values)%s%s", "", "");
    if (spec.family != GB_FAMILY_FEM && !p && !spec.mode)
        return usage_error("--p: required for --family %s (1..8)%s", gb_family_name(spec.family), "");
    spec.p = p ? (int)p : 1;
    spec.N = N;

    const gb_stencil_struct *st = gb_fd_stencil((int)q);
    gb_fd_case_opts o;
    o.prec = spec.prec;
    o.want_fs = 0;
    o.stencil_fault = 0.0;
    gb_fd_fit_opts_default(&o.fit);
    const gb_fd_case *c = gb_fd_case_get(&spec, (int)q, &o);
    if (!c) {
        fprintf(stderr, "greenbound: out of memory for N = %ld, S = %ld\n", N, spec.S);
        return 3;
    }
    if (c->fit_status != GB_OK && c->fit_status != GB_EMAXITER) {
        fprintf(stderr, "greenbound: fd-learn: %s\n", gb_strerror(c->fit_status));
        return 3;
    }
    mpfr_t w, d;
    mpfr_inits2(spec.prec, w, d, (mpfr_ptr)0);
    gb_fd_pred_inf(w, d, &spec, st);
    double w_pred = mpfr_get_d(w, MPFR_RNDN);
    mpfr_clears(w, d, (mpfr_ptr)0);
    double rel = fabs(c->fit.w_ls - w_pred) / fabs(w_pred);
    if (json) {
        json_t *j = json_object();
        json_object_set_new(j, "w", json_real(c->fit.w_ls));
        json_object_set_new(j, "w_pred", json_real(w_pred));
        json_object_set_new(j, "rel_err", json_real(rel));
        json_object_set_new(j, "w_gd", json_real(c->fit.w_gd));
        json_object_set_new(j, "gd_iterations", json_integer(c->fit.gd_iters));
        json_object_set_new(j, "se", json_real(c->fit.se_w));
        json_object_set_new(j, "roundoff_floor", json_real(c->floor));
        json_object_set_new(j, "family", json_string(gb_family_name(spec.family)));
        if (spec.family != GB_FAMILY_FEM)
            json_object_set_new(j, spec.mode ? "mode" : "p", json_integer(spec.mode ? spec.mode : spec.p));
        else
            json_object_set_new(j, "load", json_string(spec.load == GB_LOAD_LUMPED ? "lumped" : "consistent"));
        json_object_set_new(j, "q", json_integer(q));
        json_object_set_new(j, "N", json_integer(N));
        json_object_set_new(j, "nodes", json_integer(N + 1));
        json_object_set_new(j, "samples", json_integer(spec.S));
        json_object_set_new(j, "seed", json_integer((json_int_t)spec.seed));
        json_object_set_new(j, "k", json_real(spec.k));
        json_object_set_new(j, "prec", json_integer(spec.prec));
        json_dumpf(j, stdout, JSON_REAL_PRECISION(17));
        fputc('\n', stdout);
        json_decref(j);
    } else {
        printf("family %s, %s %d, q = %ld, N = %ld (%ld nodes), S = %ld, k = %g, seed = %lu\n",
               gb_family_name(spec.family), spec.mode ? "mode" : "p", spec.mode ? spec.mode : spec.p, q, N, N + 1,
               spec.S, spec.k, spec.seed);
        printf("learned w (least squares)   %.17g\n", c->fit.w_ls);
        printf("learned w (gradient descent) %.17g  (%ld iterations)\n", c->fit.w_gd, c->fit.gd_iters);
        printf("predicted w (infinite data) %.17g\n", w_pred);
        printf("relative error              %.3e  (sampling SE %.2e, round-off floor %.1e)\n", rel,
               c->fit.se_w / fabs(w_pred), c->floor);
    }
    gb_fd_cache_clear();
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int cmd_verify(int argc, char **argv)
{
    gb_verify_opts o;
    gb_verify_opts_default(&o);
    const char *ids[64];
    int nids = 0, out_given = 0, rc;
    const char *timings = NULL;
    long v;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(verify_help, stdout);
            return 0;
        } else if (!strcmp(a, "--quick"))
            o.quick = 1;
        else if (!strcmp(a, "--progress"))
            o.progress = 1;
        else if (!strcmp(a, "--out")) {
            VALUE(s);
            o.out = s;
            out_given = 1;
        } else if (!strcmp(a, "--timings")) {
            VALUE(s);
            timings = s;
        } else if (!strcmp(a, "--samples")) {
            VALUE(s);
            if ((rc = parse_long(&o.S, a, s, 1, 10000000)))
                return rc;
        } else if (!strcmp(a, "--seed")) {
            VALUE(s);
            if ((rc = parse_long(&v, a, s, 0, 0x7fffffffL)))
                return rc;
            o.seed = (unsigned long)v;
        } else if (!strcmp(a, "--k")) {
            VALUE(s);
            if ((rc = parse_pos_double(&o.k, a, s, 0)))
                return rc;
        } else if (!strcmp(a, "--prec")) {
            VALUE(s);
            if ((rc = parse_long(&v, a, s, 64, 65536)))
                return rc;
            o.prec = v;
        } else if (!strcmp(a, "--law")) {
            VALUE(s);
            if ((rc = parse_law(&o.law, s)))
                return rc;
        } else if (!strcmp(a, "--fault")) {
            VALUE(s);
            if (!strcmp(s, "stencil"))
                o.stencil_fault = 1.0 / 1024;
            else if (!strcmp(s, "solution"))
                o.solution_fault = 1e-6;
            else
                return usage_error("--fault: expected stencil or solution, got '%s'%s", s, "");
        } else if (a[0] == '-')
            return usage_error("verify: unknown option '%s'%s", a, "");
        else {
            if (!gb_verify_find(a)) {
                fprintf(stderr, "greenbound: verify: unknown claim id '%s'; 'greenbound list' shows them\n", a);
                return EXIT_USAGE;
            }
            if (nids == 64)
                return usage_error("verify: too many ids%s%s", "", "");
            ids[nids++] = a;
        }
    }
    if ((o.stencil_fault != 0 || o.solution_fault != 0) && !out_given)
        o.out = "build/mutation";
    if (!nids)
        for (int i = 0; i < gb_verify_count; i++)
            ids[nids++] = gb_verify_registry[i].id;
    FILE *tf = timings ? fopen(timings, "a") : NULL;
    if (timings && !tf) {
        fprintf(stderr, "greenbound: --timings: cannot open '%s'\n", timings);
        return EXIT_USAGE;
    }
    int bad = 0;
    double t_all = now();
    for (int i = 0; i < nids; i++) {
        const gb_verify_entry *e = gb_verify_find(ids[i]);
        fprintf(stderr, "[%d/%d] %s: %s ...\n", i + 1, nids, e->id, e->title);
        double t0 = now();
        gb_verdict vd = gb_verify_run(e, &o);
        double dt = now() - t0;
        printf("%-6s %-13s %s\n", e->id, gb_verdict_name(vd), e->title);
        fflush(stdout);
        fprintf(stderr, "[%d/%d] %s: %s in %.1f s\n", i + 1, nids, e->id, gb_verdict_name(vd), dt);
        if (tf)
            fprintf(tf, "%s\t%.3f\n", e->id, dt);
        bad |= vd == GB_FAIL || vd == GB_ERROR;
    }
    double td, tt, tp;
    gb_fd_timings(&td, &tt, &tp);
    fprintf(stderr, "total %.1f s (data %.1f s, training %.1f s, predictions %.1f s)\n", now() - t_all, td, tt, tp);
    if (tf)
        fclose(tf);
    gb_fd_cache_clear();
    if (gb_report_index(o.out) != GB_OK) {
        fprintf(stderr, "greenbound: cannot write %s/INDEX.md\n", o.out);
        return 3;
    }
    return bad ? 1 : 0;
}

static int cmd_list(void)
{
    for (int i = 0; i < gb_verify_count; i++)
        printf("%-6s %s\n", gb_verify_registry[i].id, gb_verify_registry[i].title);
    return 0;
}

static int cmd_bench(int argc, char **argv)
{
    long N = 256, S = 10000;
    int rc;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(bench_help, stdout);
            return 0;
        } else if (!strcmp(argv[i], "--N")) {
            VALUE(s);
            if ((rc = parse_long(&N, "--N", s, 10, 65536)))
                return rc;
        } else if (!strcmp(argv[i], "--samples")) {
            VALUE(s);
            if ((rc = parse_long(&S, "--samples", s, 1, 10000000)))
                return rc;
        } else
            return usage_error("bench: unknown option '%s'%s", argv[i], "");
    }
    gb_data_spec spec;
    gb_data_spec_default(&spec);
    spec.p = 8;
    spec.N = N;
    spec.S = S;
    double t0 = now();
    gb_dataset_t d;
    if (gb_dataset_init(d, &spec)) {
        fprintf(stderr, "greenbound: bench: cannot generate data\n");
        return 3;
    }
    double t1 = now();
    gb_fd_fit fit;
    gb_fd_fit_opts fo;
    gb_fd_fit_opts_default(&fo);
    gb_fd_fit_run(&fit, d, gb_fd_stencil(4), &fo);
    double t2 = now();
    mpfr_t w, dl;
    mpfr_inits2(256, w, dl, (mpfr_ptr)0);
    gb_fd_pred_sample(w, dl, d, gb_fd_stencil(4));
    double t3 = now();
    gb_fd_pred_inf(w, dl, &spec, gb_fd_stencil(4));
    double t4 = now();
    mpfr_clears(w, dl, (mpfr_ptr)0);
    printf("bench: poly p=8, q=4, N=%ld, S=%ld\n", N, S);
    printf("  data generation (MPFR, correctly rounded)   %8.3f s  (%.0f ns per value)\n", t1 - t0,
           1e9 * (t1 - t0) / (2.0 * S * (N + 1)));
    printf("  fit: least squares + GD (%3ld iterations)     %8.3f s\n", fit.gd_iters, t2 - t1);
    printf("  finite-sample prediction, 256 bits           %8.3f s\n", t3 - t2);
    printf("  infinite-data prediction, 256 bits           %8.3f s\n", t4 - t3);
    gb_dataset_clear(d);
    gb_fd_cache_clear();
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(main_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "help")) {
        const char *t = argc > 2 ? argv[2] : "";
        fputs(!strcmp(t, "fd-learn") ? fd_learn_help
              : !strcmp(t, "verify") ? verify_help
              : !strcmp(t, "bench")  ? bench_help
                                     : main_help,
              stdout);
        return 0;
    }
    if (!strcmp(cmd, "fd-learn"))
        return cmd_fd_learn(argc - 1, argv + 1);
    if (!strcmp(cmd, "verify"))
        return cmd_verify(argc - 1, argv + 1);
    if (!strcmp(cmd, "list"))
        return cmd_list();
    if (!strcmp(cmd, "bench"))
        return cmd_bench(argc - 1, argv + 1);
    return usage_error("unknown command '%s'%s", cmd, "");
}
