/* greenbound — command line of the verification test-bed.
 * Bad input: a message on stderr naming the flag and its allowed range, exit 2,
 * nothing written. Verdicts: exit 1 when any claim is FAIL or ERROR. */
#include "claim/claim.h"
#include "core/status.h"
#include "experiment/fd_case.h"
#include "predict/fd_predict.h"
#include "linear/linear.h"
#include "predict/lin_predict.h"
#include "verify.h"
#include "cli/cli.h"
#include "report/stage.h"
#include "core/jnum.h"
#include <arb.h>
#include <cblas.h>
#include <fftw3.h>
#include <gsl/gsl_version.h>
#include <errno.h>
#include <limits.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#ifdef GB_MPI
#include <mpi.h>
#endif



static const char *main_help =
    "usage: greenbound <command> [options]\n"
    "\n"
    "Verification test-bed for 'Interpretability and Generalization Bounds for Learning\n"
    "Spatial Physics' (arXiv:2506.15199). Claims are numbered as in SPEC.md.\n"
    "\n"
    "commands:\n"
    "  fd-learn   learn the coefficient w of -w FD_q(u) = f from generated data (Theorem 3.1)\n"
    "  linear     train the linear operator model u = W f (Theorem 3.2)\n"
    "  train      train a network (deeplinear, mlp, deeponet, fno, pinn, pideeponet) and test it\n"
    "  green      read the Green's function off a trained model's weights\n"
    "  xval       the 25 x 25 function-space cross-validation matrix of one or all models\n"
    "  export     write the benchmark's data sets as .npy files for models written elsewhere\n"
    "  score      score an outside model's predictions on the exported data sets\n"
    "  verify     run claims by id (default: all) and write their reports\n"
    "  verify-full  the full tier of the statistical claims: train what the store lacks, render\n"
    "  list       list the claims this build can verify\n"
    "  bench      time data generation, training and prediction (not part of any report)\n"
    "  help CMD   the options of one command\n"
    "  --version  the version and the libraries it was built with\n"
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
    "  --tier T           ci (default): every claim, the statistical ones trained now on the CI tier's\n"
    "                     small budget; full: only the statistical claims (XV-PATTERN-*, GRN-5,\n"
    "                     NN-FLOOR, PINN-1) from the stored full-tier trainings ('greenbound\n"
    "                     verify-full' makes them), into reports/full unless --out is given\n"
    "  --results DIR      the store of full-tier trainings                 (default results/full)\n"
    "  --seeds N          seeds of a statistical claim, 2..32 (default 5; PINN-1 takes max(N, 10))\n"
    "  --noise SIGMA      XV-NOISE's label noise on the training sets' interior nodes, > 0\n"
    "                     (default 3.1622776601683795e-05 = 10^-4.5)\n"
    "  --progress         one line per experiment on stderr\n"
    "  --timings FILE     append per-claim wall times (TSV) to FILE, kept out of the reports\n"
    "  --junit FILE       the verdicts as JUnit XML for CI systems (a claim is a test case; FAIL and ERROR\n"
    "                     not listed in --expect are failures, INCONCLUSIVE is skipped)\n"
    "  --expect FILE      known verdicts (TSV: id, verdict, reason): a listed claim must have its listed\n"
    "                     verdict; any other claim must not be FAIL or ERROR\n"
    "  --fault KIND       mutation check: 'stencil' corrupts the learner's centre weight,\n"
    "                     'solution' scales the exact solution of the last term; the affected\n"
    "                     verdicts must turn FAIL. 'projector' predicts with I in place of U Uᵀ,\n"
    "                     'sign' with -A (linear claims), 'green' with A_G × 1.001 where a closed form\n"
    "                     compares with it, 'step' evaluates the T-step GD formula with η/2, 'wstar'\n"
    "                     the FD closed forms with w = k in place of w*_∞, 'noise' XV-NOISE's\n"
    "                     expected noise term with twice the variance, 'constant' FD-2/FD-5's\n"
    "                     constants × 1.01, 'load' FD-7 with the other FEM load, 'training' a\n"
    "                     perturbed trained result (FD-1, LIN-1), 'grid' θ = nπ/(N+1) in FD-4;\n"
    "                     'pattern' flips the predicted side of every\n"
    "                     rule of the statistical claims. Reports go to build/mutation unless --out is given.\n";

static const char *linear_help =
    "usage: greenbound linear --train FAMILY[:P] [--test FAMILY[:P]] --N N [options]\n"
    "\n"
    "Trains u = W f on the data set F(FAMILY, P) by full-batch gradient descent on the MSE\n"
    "(step 2/(λ_max+λ_min⁺) from the spectrum of C), or in closed form, and compares W with\n"
    "the MPFR prediction W* = A P + W⁰(I - P).\n"
    "\n"
    "  --train F[:P]     poly:P, cos:P, sin:P (P in 1..8) or fem               (required)\n"
    "  --test F[:P]      a test data set (seed + 1000003); adds test_mse\n"
    "  --N N             grid intervals, 2..1024                               (required)\n"
    "  --samples S       samples, 1..10000000                           (default 10000)\n"
    "  --init I          zero or normal:STD (STD > 0)                     (default zero)\n"
    "  --solver S        gd or closed                                        (default gd)\n"
    "  --steps T         gradient-descent step cap, 1..10000000         (default 20000)\n"
    "  --seed X, --k K, --load consistent|lumped, --prec BITS   as for fd-learn\n"
    "  --json            one JSON object: train_mse, test_mse, dist_to_pred, …\n";

static const char *green_help =
    "usage: greenbound green --model linear --train FAMILY[:P] --N N [options]\n"
    "\n"
    "Trains the model, probes it with one-hot inputs and prints Ĝ(x_i, x_j) = W_ij/Δx beside\n"
    "the analytic G. Options as for 'linear'; --json gives G_hat ((N+1)×(N+1), row-major nested\n"
    "arrays) and rel_err_vs_G (‖Ĝ - G‖_F/‖G‖_F).\n";

static const char *bench_help =
    "usage: greenbound bench [--N N] [--samples S]\n"
    "\n"
    "Times one data set (poly p=8), the fit of w (q=4) and its predictions, at N=256 and\n"
    "S=10000 by default. Timings are printed only; they never enter a report.\n";

int usage_error(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "greenbound: ");
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, "\n(see 'greenbound help')\n");
    return EXIT_USAGE;
}

int parse_long(long *out, const char *flag, const char *s, long lo, long hi)
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

int parse_pos_double(double *out, const char *flag, const char *s, int allow_zero)
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
const char *need_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "greenbound: %s: missing value\n", argv[*i]);
        return NULL;
    }
    if (!argv[*i + 1][0]) {   /* no option takes an empty value; --out "" would mean the root folder */
        fprintf(stderr, "greenbound: %s: empty value\n", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

#ifndef VALUE
#define VALUE(v)                                  \
    const char *v = need_value(argc, argv, &i);   \
    if (!v)                                       \
        return EXIT_USAGE
#endif

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
    char why[256];
    if (gb_data_spec_check(&spec, why, sizeof why))   /* e.g. an aliased --mode */
        return usage_error("fd-learn: %s%s", why, spec.mode >= N ? " (--mode)" : "");

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
    int nonfinite = !isfinite(c->fit.w_ls) || !isfinite(w_pred) || !isfinite(rel) || !isfinite(c->fit.w_gd) ||
                    !isfinite(c->fit.se_w);
    if (nonfinite)
        fprintf(stderr, "greenbound: fd-learn: the learned w is %g and the predicted w %g: not finite (k = %g, N = "
                        "%ld: the data or the stencil sums leave double precision's range)\n", c->fit.w_ls, w_pred,
                spec.k, N);
    if (json) {
        json_t *j = json_object();
        json_object_set_new(j, "w", gb_json_num(c->fit.w_ls));
        json_object_set_new(j, "w_pred", gb_json_num(w_pred));
        json_object_set_new(j, "rel_err", gb_json_num(rel));
        json_object_set_new(j, "w_gd", gb_json_num(c->fit.w_gd));
        json_object_set_new(j, "gd_iterations", json_integer(c->fit.gd_iters));
        json_object_set_new(j, "se", gb_json_num(c->fit.se_w));
        json_object_set_new(j, "roundoff_floor", gb_json_num(c->floor));
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
        json_object_set_new(j, "k", gb_json_num(spec.k));
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
    return nonfinite ? 3 : 0;
}

double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int cmd_verify(int argc, char **argv)
{
    gb_verify_opts o;
    gb_verify_opts_default(&o);
    const char *ids[64];
    int nids = 0, out_given = 0, rc;
    const char *timings = NULL, *expect = NULL, *junit = NULL;
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
        } else if (!strcmp(a, "--junit")) {
            VALUE(s);
            junit = s;
        } else if (!strcmp(a, "--expect")) {
            VALUE(s);
            expect = s;
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
            else if (gb_fault_parse(s))
                o.fault = gb_fault_parse(s);
            else if (!strcmp(s, "pattern"))
                o.pattern_fault = 1;
            else
                return usage_error("--fault: expected stencil, solution, projector, sign, green, step, wstar, noise, constant, load, "
                                   "training, grid or pattern, got '%s'%s", s,
                                   "");
        } else if (!strcmp(a, "--tier")) {
            VALUE(s);
            if (!strcmp(s, "ci"))
                o.tier = 0;
            else if (!strcmp(s, "full"))
                o.tier = 1;
            else
                return usage_error("--tier: expected ci or full, got '%s'%s", s, "");
        } else if (!strcmp(a, "--results")) {
            VALUE(s);
            o.results = s;
        } else if (!strcmp(a, "--seeds")) {
            VALUE(s);
            if ((rc = parse_long(&v, a, s, 2, 32)))
                return rc;
            o.seeds = (int)v;
        } else if (!strcmp(a, "--noise")) {
            VALUE(s);
            if ((rc = parse_pos_double(&o.noise, a, s, 0)))
                return rc;
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
    if ((o.stencil_fault != 0 || o.solution_fault != 0 || o.fault || o.pattern_fault) && !out_given)
        o.out = o.tier ? "build/mutation/full" : "build/mutation";
    else if (o.tier && !out_given)
        o.out = "reports/full";
    for (int i = 0; i < nids && o.tier; i++)
        if (!gb_verify_find(ids[i])->tiered) {
            fprintf(stderr, "greenbound: verify --tier full: %s is not a statistical claim; the full tier has "
                            "XV-PATTERN-*, GRN-5, NN-FLOOR and PINN-1\n", ids[i]);
            return EXIT_USAGE;
        }
    if (!nids)
        for (int i = 0; i < gb_verify_count; i++)
            if (!o.tier || gb_verify_registry[i].tiered)
                ids[nids++] = gb_verify_registry[i].id;
    /* known verdicts */
    char exp_id[64][32];
    gb_verdict exp_v[64];
    int nexp = 0;
    if (expect) {
        struct stat esb;
        FILE *ef = !stat(expect, &esb) && S_ISREG(esb.st_mode) ? fopen(expect, "r") : NULL;
        if (!ef) {
            fprintf(stderr, "greenbound: --expect: cannot open '%s'\n", expect);
            return EXIT_USAGE;
        }
        char line[2048];
        while (fgets(line, sizeof line, ef) && nexp < 64) {
            char id[32], vd[32];
            if (line[0] == '#' || sscanf(line, "%31s %31s", id, vd) != 2)
                continue;
            if (!gb_verify_find(id) || gb_verdict_parse(&exp_v[nexp], vd)) {
                fprintf(stderr, "greenbound: --expect: bad line in '%s': %s", expect, line);
                fclose(ef);
                return EXIT_USAGE;
            }
            snprintf(exp_id[nexp++], 32, "%s", id);
        }
        fclose(ef);
    }
    FILE *tf = timings ? fopen(timings, "a") : NULL;
    if (timings && !tf) {
        fprintf(stderr, "greenbound: --timings: cannot open '%s'\n", timings);
        return EXIT_USAGE;
    }
    /* the run writes into a staging folder swapped in for the report folder at the end (src/report/stage.h):
     * a reader never sees a mix of old and new reports, and an interrupted run leaves the old set */
    const char *out = o.out;
    char stage[PATH_MAX];
    if (gb_stage_open(stage, sizeof stage, out) != GB_OK) {
        fprintf(stderr, "greenbound: cannot prepare the report folder '%s': %s\n", out, strerror(errno));
        if (tf)
            fclose(tf);
        return 3;
    }
    o.out = stage;
    int bad = 0, count[4] = {0}, expected_nonpass = 0, nfail = 0;
    gb_str jx;   /* the JUnit test cases, written after the loop */
    gb_str_init(&jx);
    double t_all = now();
    for (int i = 0; i < nids; i++) {
        const gb_verify_entry *e = gb_verify_find(ids[i]);
        fprintf(stderr, "[%d/%d] %s: %s ...\n", i + 1, nids, e->id, e->title);
        double t0 = now();
        gb_verdict vd = gb_verify_run(e, &o);
        double dt = now() - t0;
        int listed = -1;
        for (int k = 0; k < nexp; k++)
            if (!strcmp(exp_id[k], e->id))
                listed = k;
        int ok = listed >= 0 ? vd == exp_v[listed] : !(vd == GB_FAIL || vd == GB_ERROR);
        printf("%-6s %-13s %s%s\n", e->id, gb_verdict_name(vd), e->title,
               listed >= 0 ? (ok ? "  [expected, see --expect file]" : "  [UNEXPECTED: listed otherwise]") : "");
        fflush(stdout);
        fprintf(stderr, "[%d/%d] %s: %s in %.1f s\n", i + 1, nids, e->id, gb_verdict_name(vd), dt);
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
    if (junit) {   /* ids, verdict names and numbers only: nothing to escape */
        gb_str doc;
        gb_str_init(&doc);
        gb_str_printf(&doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"greenbound verify\" "
                            "tests=\"%d\" failures=\"%d\" skipped=\"%d\">\n%s</testsuite>\n",
                      nids, nfail, count[GB_INCONCLUSIVE], gb_str_get(&jx));
        if (gb_file_write_atomic(junit, gb_str_get(&doc), doc.len) != GB_OK) {
            fprintf(stderr, "greenbound: --junit: cannot write '%s'\n", junit);
            gb_str_clear(&doc);
            gb_str_clear(&jx);
            gb_stage_remove(stage);
            return 3;
        }
        gb_str_clear(&doc);
    }
    gb_str_clear(&jx);
    /* the run's counts, the last line of stdout (CI logs end with it) */
    printf("verify: %d PASS, %d FAIL, %d INCONCLUSIVE, %d ERROR of %d claims (%d of the non-PASS verdicts as the "
           "--expect file lists them)%s\n", count[GB_PASS], count[GB_FAIL], count[GB_INCONCLUSIVE], count[GB_ERROR], nids,
           expected_nonpass, bad ? "; UNEXPECTED verdicts above" : "");
    double td, tt, tp;
    gb_fd_timings(&td, &tt, &tp);
    fprintf(stderr, "total %.1f s (data %.1f s, training %.1f s, predictions %.1f s)\n", now() - t_all, td, tt, tp);
    if (tf)
        fclose(tf);
    gb_fd_cache_clear();
    if (gb_report_index(o.out) != GB_OK) {
        fprintf(stderr, "greenbound: cannot write %s/INDEX.md; '%s' left as it was\n", o.out, out);
        gb_stage_remove(stage);
        return 3;
    }
    if (gb_verify_write_failures()) {   /* a report that could not be written is a runtime error */
        fprintf(stderr, "greenbound: some reports could not be written; '%s' left as it was\n", out);
        gb_stage_remove(stage);
        return 3;
    }
    if (gb_stage_commit(stage, out) != GB_OK) {
        fprintf(stderr, "greenbound: cannot put the new reports in place of '%s': %s\n", out, strerror(errno));
        gb_stage_remove(stage);
        return 3;
    }
    return bad ? 1 : 0;
}

/* FAMILY[:P] */
int parse_family_p(gb_data_spec *spec, const char *flag, const char *s)
{
    char fam[16];
    const char *colon = strchr(s, ':');
    size_t len = colon ? (size_t)(colon - s) : strlen(s);
    if (len >= sizeof fam)
        len = sizeof fam - 1;
    memcpy(fam, s, len);
    fam[len] = 0;
    if (gb_family_parse(&spec->family, fam)) {
        fprintf(stderr, "greenbound: %s: expected poly:P, cos:P, sin:P (P in 1..8) or fem, got '%s'\n", flag, s);
        return EXIT_USAGE;
    }
    if (spec->family == GB_FAMILY_FEM) {
        if (colon) {
            fprintf(stderr, "greenbound: %s: fem takes no ':P', got '%s'\n", flag, s);
            return EXIT_USAGE;
        }
        spec->p = 1;
        return 0;
    }
    long p;
    if (!colon) {
        fprintf(stderr, "greenbound: %s: %s needs ':P' with P in 1..8, got '%s'\n", flag, fam, s);
        return EXIT_USAGE;
    }
    if (parse_long(&p, flag, colon + 1, 1, 8))
        return EXIT_USAGE;
    spec->p = (int)p;
    return 0;
}

/* shared by 'linear' and 'green': parse, train, predict. W and Wpred are n×n (malloc'd). */
typedef struct {
    gb_data_spec train, test;
    int have_test, json, closed;
    double init_std;
    long steps;
} linear_args;

static int parse_linear(linear_args *a, int argc, char **argv, const char *help, int green)
{
    memset(a, 0, sizeof *a);
    gb_data_spec_default(&a->train);
    a->steps = 20000;
    int have_train = 0, have_model = !green, rc;
    long v;
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i];
        if (!strcmp(f, "--help") || !strcmp(f, "-h")) {
            fputs(help, stdout);
            return -1;
        } else if (!strcmp(f, "--json"))
            a->json = 1;
        else if (green && !strcmp(f, "--model")) {
            VALUE(s);
            if (strcmp(s, "linear"))
                return usage_error("--model: expected linear (the other model classes are not built yet), got '%s'%s", s, "");
            have_model = 1;
        } else if (!strcmp(f, "--train")) {
            VALUE(s);
            if ((rc = parse_family_p(&a->train, f, s)))
                return rc;
            have_train = 1;
        } else if (!green && !strcmp(f, "--test")) {
            VALUE(s);
            if ((rc = parse_family_p(&a->test, f, s)))
                return rc;
            a->have_test = 1;
        } else if (!strcmp(f, "--N")) {
            VALUE(s);
            if ((rc = parse_long(&a->train.N, f, s, 2, 1024)))
                return rc;
        } else if (!strcmp(f, "--samples")) {
            VALUE(s);
            if ((rc = parse_long(&a->train.S, f, s, 1, 10000000)))
                return rc;
        } else if (!strcmp(f, "--steps")) {
            VALUE(s);
            if ((rc = parse_long(&a->steps, f, s, 1, 10000000)))
                return rc;
        } else if (!strcmp(f, "--seed")) {
            VALUE(s);
            if ((rc = parse_long(&v, f, s, 0, 0x7fffffffL)))
                return rc;
            a->train.seed = (unsigned long)v;
        } else if (!strcmp(f, "--k")) {
            VALUE(s);
            if ((rc = parse_pos_double(&a->train.k, f, s, 0)))
                return rc;
        } else if (!strcmp(f, "--prec")) {
            VALUE(s);
            if ((rc = parse_long(&v, f, s, 64, 65536)))
                return rc;
            a->train.prec = v;
        } else if (!strcmp(f, "--load")) {
            VALUE(s);
            if (!strcmp(s, "consistent"))
                a->train.load = GB_LOAD_CONSISTENT;
            else if (!strcmp(s, "lumped"))
                a->train.load = GB_LOAD_LUMPED;
            else
                return usage_error("--load: expected consistent or lumped, got '%s'%s", s, "");
        } else if (!strcmp(f, "--solver")) {
            VALUE(s);
            if (!strcmp(s, "gd"))
                a->closed = 0;
            else if (!strcmp(s, "closed"))
                a->closed = 1;
            else
                return usage_error("--solver: expected gd or closed, got '%s'%s", s, "");
        } else if (!strcmp(f, "--init")) {
            VALUE(s);
            if (!strcmp(s, "zero"))
                a->init_std = 0;
            else if (!strncmp(s, "normal:", 7)) {
                if ((rc = parse_pos_double(&a->init_std, "--init normal:STD", s + 7, 0)))
                    return rc;
            } else
                return usage_error("--init: expected zero or normal:STD, got '%s'%s", s, "");
        } else
            return usage_error("unknown option '%s'%s", f, "");
    }
    if (!have_model)
        return usage_error("green: --model is required (linear)%s%s", "", "");
    if (!have_train)
        return usage_error("--train is required (poly:P, cos:P, sin:P or fem)%s%s", "", "");
    int Ngiven = 0;
    for (int i = 1; i < argc; i++)
        Ngiven |= !strcmp(argv[i], "--N");
    if (!Ngiven)
        return usage_error("--N is required (2..1024)%s%s", "", "");
    if (a->have_test) {
        gb_data_spec t = a->train;
        t.family = a->test.family;
        t.p = a->test.p;
        t.seed = a->train.seed + 1000003;
        a->test = t;
    }
    return 0;
}

/* trains; fills W, Wpred; returns 0 or an exit status */
static int train_linear(const linear_args *a, const gb_dataset_struct *d, double *W, double *Wpred, long *steps)
{
    long n = a->train.N + 1;
    gb_linear_data L;
    if (gb_linear_data_init(&L, d)) {
        fprintf(stderr, "greenbound: the SVD of the training forcings failed\n");
        return 3;
    }
    double *W0 = malloc(sizeof(double) * n * n), *AP = malloc(sizeof(double) * n * n), *P = malloc(sizeof(double) * n * n);
    gb_linear_init_weights(W0, n, a->init_std, a->train.seed);
    gb_lin_pred_operator(AP, P, &a->train, a->train.prec);
    if (a->train.family == GB_FAMILY_FEM && L.rank < n)
        gb_linear_projector(P, &L);  /* fewer samples than nodes: the span is the data's */
    gb_linear_limit(Wpred, AP, P, W0, n);
    *steps = 0;
    int rc = 0;
    if (a->closed)
        gb_linear_closed_form(W, &L, W0);
    else {
        memcpy(W, W0, sizeof(double) * n * n);
        gb_linear_gd_trace tr;
        if (gb_linear_gd(W, &L, gb_linear_step(&L, NULL), a->steps, 1e-15, NULL, 1, &tr)) {
            fprintf(stderr, "greenbound: gradient descent diverged (NaN/Inf)\n");
            rc = 3;
        }
        *steps = tr.steps;
    }
    free(W0); free(AP); free(P);
    gb_linear_data_clear(&L);
    return rc;
}

static int cmd_linear(int argc, char **argv, int green)
{
    linear_args a;
    int rc = parse_linear(&a, argc, argv, green ? green_help : linear_help, green);
    if (rc)
        return rc < 0 ? 0 : rc;
    long N = a.train.N, n = N + 1, steps;
    gb_dataset_t d, t;
    if (gb_dataset_init(d, &a.train)) {
        fprintf(stderr, "greenbound: cannot generate the training data\n");
        return 3;
    }
    double *W = malloc(sizeof(double) * n * n), *Wp = malloc(sizeof(double) * n * n);
    if (!W || !Wp)
        rc = (fprintf(stderr, "greenbound: out of memory for N = %ld\n", N), 3);
    if (rc || (rc = train_linear(&a, d, W, Wp, &steps))) {   /* nothing leaks on the error paths */
        free(W);
        free(Wp);
        gb_dataset_clear(d);
        return rc;
    }
    double train = gb_linear_mse(W, d), dist = gb_linear_rel_dist(W, Wp, n), test = NAN;
    if (a.have_test) {
        gb_dataset_init(t, &a.test);
        test = gb_linear_mse(W, t);
        gb_dataset_clear(t);
    }
    if (!green) {
        if (a.json) {
            json_t *j = json_object();
            json_object_set_new(j, "train_mse", gb_json_num(train));
            if (a.have_test)
                json_object_set_new(j, "test_mse", gb_json_num(test));
            json_object_set_new(j, "dist_to_pred", gb_json_num(dist));
            json_object_set_new(j, "steps", json_integer(steps));
            json_object_set_new(j, "solver", json_string(a.closed ? "closed" : "gd"));
            json_object_set_new(j, "N", json_integer(N));
            json_object_set_new(j, "samples", json_integer(a.train.S));
            json_dumpf(j, stdout, JSON_REAL_PRECISION(17));
            fputc('\n', stdout);
            json_decref(j);
        } else {
            printf("train %s:%d, N = %ld (%ld nodes), S = %ld, solver %s (%ld steps)\n",
                   gb_family_name(a.train.family), a.train.p, N, n, a.train.S, a.closed ? "closed" : "gd", steps);
            printf("train MSE                       %.3e\n", train);
            if (a.have_test)
                printf("test MSE (%s:%d)               %.3e\n", gb_family_name(a.test.family), a.test.p, test);
            printf("|W - W*|_F / |W*|_F            %.3e\n", dist);
        }
    } else {
        double *G = malloc(sizeof(double) * n * n), num = 0, den = 0;
        gb_lin_green_matrix(G, N, a.train.k, 0, a.train.prec);
        for (long i = 0; i < n * n; i++) {
            W[i] *= (double)N;   /* Ĝ = W/Δx */
            num += (W[i] - G[i]) * (W[i] - G[i]);
            den += G[i] * G[i];
        }
        double rel = sqrt(num / den);
        if (a.json) {
            json_t *j = json_object(), *rows = json_array();
            for (long i = 0; i < n; i++) {
                json_t *r = json_array();
                for (long k = 0; k < n; k++)
                    json_array_append_new(r, gb_json_num(W[i * n + k]));
                json_array_append_new(rows, r);
            }
            json_object_set_new(j, "G_hat", rows);
            json_object_set_new(j, "rel_err_vs_G", gb_json_num(rel));
            json_object_set_new(j, "N", json_integer(N));
            json_dumpf(j, stdout, JSON_REAL_PRECISION(17));
            fputc('\n', stdout);
            json_decref(j);
        } else {
            printf("Ĝ = W/Δx from %s:%d, N = %ld: |Ĝ - G|_F/|G|_F = %.3e\n", gb_family_name(a.train.family),
                   a.train.p, N, rel);
            long h = N / 2;
            printf("column s = x_%ld:\n   x        Ĝ(x,s)          G(x,s)\n", h);
            for (long i = 0; i < n; i += (n > 17 ? n / 16 : 1))
                printf("%6.4f  % .10f  % .10f\n", (double)i / N, W[i * n + h], G[i * n + h]);
        }
        free(G);
    }
    free(W); free(Wp);
    gb_dataset_clear(d);
    return 0;
}

static int cmd_list(int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return usage_error("list takes no arguments; got '%s'%s", argv[1], "");
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
    /* the linear model at N = 128: closed form and the cost of one GD step */
    spec.family = GB_FAMILY_FEM;
    spec.N = 128;
    gb_dataset_init(d, &spec);
    long n = 129;
    double *W = calloc((size_t)(n * n), sizeof(double));
    double t5 = now();
    gb_linear_data L;
    gb_linear_data_init(&L, d);
    gb_linear_closed_form(W, &L, NULL);
    double t6 = now();
    gb_linear_gd_trace tr;
    gb_linear_gd(W, &L, gb_linear_step(&L, NULL), 1000, 0.0, NULL, 1, &tr);
    double t7 = now();
    printf("bench: linear model, fem data, N=128 (%ld nodes), S=%ld\n", n, S);
    printf("  statistics + SVD + closed form              %8.3f s\n", t6 - t5);
    printf("  one gradient-descent step (n³ GEMM)         %8.3f ms\n", 1e3 * (t7 - t6) / 1000);
    free(W);
    gb_linear_data_clear(&L);
    gb_dataset_clear(d);
    gb_fd_cache_clear();
    return bench_nn(64);
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(main_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version")) {
        if (argc > 2)
            return usage_error("--version takes nothing, got '%s'%s", argv[2], "");
        printf("greenbound %s\nMPFR %s, GMP %s, Arb %s, FFTW %s, GSL %s, Jansson %s, OpenBLAS %s\n", GB_VERSION,
               mpfr_get_version(), gmp_version, arb_version, fftw_version, gsl_version, JANSSON_VERSION,
               openblas_get_config());
        return 0;
    }
    if (!strcmp(cmd, "help")) {
        const char *t = argc > 2 ? argv[2] : "";
        static const char *known[] = {"", "fd-learn", "linear", "green", "verify", "verify-full", "train", "bench",
                                      "xval", "export", "score"};
        int ok = 0;
        for (size_t k = 0; k < sizeof known / sizeof *known; k++)
            ok |= !strcmp(t, known[k]);
        if (argc > 3 || !ok)
            return usage_error("help: expected one command name (fd-learn, linear, green, verify, verify-full, train, "
                               "bench, xval, export, score), got '%s'%s", argc > 3 ? argv[3] : t, "");
        fputs(!strcmp(t, "fd-learn") ? fd_learn_help
              : !strcmp(t, "linear") ? linear_help
              : !strcmp(t, "green")  ? green_help
              : !strcmp(t, "verify") ? verify_help
              : !strcmp(t, "verify-full") ? full_help
              : !strcmp(t, "train")  ? train_help
              : !strcmp(t, "bench")  ? bench_help
              : !strcmp(t, "xval")   ? xval_help
              : !strcmp(t, "export") ? export_help
              : !strcmp(t, "score")  ? score_help
                                     : main_help,
              stdout);
        return 0;
    }
    if (!strcmp(cmd, "fd-learn"))
        return cmd_fd_learn(argc - 1, argv + 1);
    if (!strcmp(cmd, "verify"))
        return cmd_verify(argc - 1, argv + 1);
    if (!strcmp(cmd, "verify-full"))
        return cmd_verify_full(argc - 1, argv + 1);
    if (!strcmp(cmd, "linear"))
        return cmd_linear(argc - 1, argv + 1, 0);
    if (!strcmp(cmd, "train"))
        return cmd_train(argc - 1, argv + 1);
    if (!strcmp(cmd, "green")) {
        for (int i = 2; i + 1 < argc; i++) {
            if (!strcmp(argv[i], "--model") && strcmp(argv[i + 1], "linear"))
                return cmd_green_nn(argc - 1, argv + 1);
            /* --load FILE is a checkpoint (any class, linear included); --load consistent|lumped the fem load */
            if (!strcmp(argv[i], "--load") && strcmp(argv[i + 1], "consistent") && strcmp(argv[i + 1], "lumped"))
                return cmd_green_nn(argc - 1, argv + 1);
        }
        return cmd_linear(argc - 1, argv + 1, 1);
    }
    if (!strcmp(cmd, "list"))
        return cmd_list(argc - 1, argv + 1);
    if (!strcmp(cmd, "bench"))
        return cmd_bench(argc - 1, argv + 1);
    if (!strcmp(cmd, "xval"))
        return cmd_xval(argc - 1, argv + 1);
    if (!strcmp(cmd, "export"))
        return cmd_export(argc - 1, argv + 1);
    if (!strcmp(cmd, "score"))
        return cmd_score(argc - 1, argv + 1);
    return usage_error("unknown command '%s'%s", cmd, "");
}

int main(int argc, char **argv)
{
#ifdef GB_MPI
    /* only xval and verify-full are spread over ranks; any other command would repeat its work and writes */
    MPI_Init(&argc, &argv);
    int size;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size > 1 && (argc < 2 || (strcmp(argv[1], "xval") && strcmp(argv[1], "verify-full")))) {
        int rank;
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        if (rank == 0)
            fprintf(stderr, "greenbound: only 'xval' and 'verify-full' run under mpirun with more than one rank\n");
        MPI_Finalize();
        return EXIT_USAGE;
    }
    int rc = dispatch(argc, argv);
    MPI_Finalize();
    return rc;
#else
    return dispatch(argc, argv);
#endif
}
