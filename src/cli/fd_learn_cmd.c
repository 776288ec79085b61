/* greenbound fd-learn: learn w in -w FD_q(u) = f from generated data and print it beside the exact
 * infinite-data prediction of Theorem 3.1 (SPEC §4), for Poisson or the biharmonic (SPEC §11). */
#include "cli/cli.h"
#include "core/jnum.h"
#include "core/status.h"
#include "experiment/fd_case.h"
#include "predict/fd_predict.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

enum { O_FAMILY = 256, O_P, O_MODE, O_POLY_CONST, O_Q, O_N, O_SAMPLES, O_SEED, O_K, O_LOAD, O_LAW, O_NOISE, O_PREC,
       O_JSON, O_EQUATION };

static const gb_cli_opt opts[] = {
    {"equation", O_EQUATION, "E", "poisson (−k u'' = f) or biharmonic (k u'''' = f, simply supported;\n"
                                  "FD_q is then the stencil of −d⁴/dx⁴)               (default poisson)"},
    {"family", O_FAMILY, "F", "poly, cos, sin or fem                               (required)"},
    {"p", O_P, "P", "number of terms, 1..8; required for poly/cos/sin, not taken for fem"},
    {"mode", O_MODE, "M", "single sine/cos/poly term M (1..1000) instead of terms 1..p"},
    {"poly-const", O_POLY_CONST, NULL, "poly: include the constant term x^0"},
    {"q", O_Q, "Q", "stencil order: 2, 4, 6 or 8                          (required)"},
    {"N", O_N, "N", "grid intervals, q+2..65536 (biharmonic: q+4..65536) (required)"},
    {"samples", O_SAMPLES, "S", "samples, 1..10000000                             (default 10000)"},
    {"seed", O_SEED, "X", "non-negative integer seed                            (default 1)"},
    {"k", O_K, "K", "diffusivity, finite and > 0                          (default 1)"},
    {"load", O_LOAD, "L", "fem load vector: consistent or lumped       (default consistent)"},
    {"law", O_LAW, "L", "coefficient law: normal or uniform               (default normal)"},
    {"noise", O_NOISE, "SIGMA", "std of Gaussian label noise on u, >= 0               (default 0)"},
    {"prec", O_PREC, "BITS", "MPFR working precision, 64..65536                  (default 256)"},
    {"json", O_JSON, NULL, "one JSON object: w, w_pred, rel_err and the run's parameters"},
    {0}};

const gb_cli_cmd gb_fd_learn_cli = {
    "fd-learn", "usage: greenbound fd-learn --family poly|cos|sin|fem [--p P] --q Q --N N [options]",
    "Generates the data set F(family, p) on N intervals, learns w in -w FD_q(u) = f by least\n"
    "squares (and by gradient descent), and prints w beside the exact infinite-data prediction.",
    opts, NULL};

typedef struct {
    gb_data_spec spec;
    long q, N;
    int json;
} fd_learn_args;

static int parse(fd_learn_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    gb_data_spec_default(&a->spec);
    gb_data_spec *spec = &a->spec;
    long p = 0;
    int have_family = 0, c, rc = 0;
    gb_cli_parser P;
    gb_cli_begin(&P, &gb_fd_learn_cli, argc, argv);
    while (!rc && (c = gb_cli_next(&P)) > 0) {
        const char *v = P.arg, *f = P.flag;
        switch (c) {
        case O_JSON: a->json = 1; break;
        case O_EQUATION:
            if (gb_equation_parse(&spec->equation, v))
                return usage_error("--equation: expected poisson or biharmonic, got '%s'%s", v, "");
            break;
        case O_POLY_CONST: spec->poly_const = 1; break;
        case O_FAMILY:
            if (gb_family_parse(&spec->family, v))
                return usage_error("--family: expected poly, cos, sin or fem, got '%s'%s", v, "");
            have_family = 1;
            break;
        case O_P: rc = parse_long(&p, f, v, 1, 8); break;
        case O_MODE: rc = parse_int(&spec->mode, f, v, 1, 1000); break;
        case O_Q:
            if ((rc = parse_long(&a->q, f, v, 2, 8)))
                break;
            if (!gb_stencil_is_valid_order((int)a->q))
                return usage_error("--q: expected 2, 4, 6 or 8, got '%s'%s", v, "");
            break;
        case O_N: rc = parse_long(&a->N, f, v, 2, 65536); break;
        case O_SAMPLES: rc = parse_long(&spec->S, f, v, 1, 10000000); break;
        case O_SEED: rc = parse_seed(&spec->seed, f, v, 0x7fffffffL); break;
        case O_K: rc = parse_pos_double(&spec->k, f, v, 0); break;
        case O_NOISE: rc = parse_pos_double(&spec->noise, f, v, 1); break;
        case O_LOAD: rc = parse_load(&spec->load, v); break;
        case O_LAW: rc = parse_law(&spec->law, v); break;
        case O_PREC: {
            long bits;
            rc = parse_long(&bits, f, v, 64, 65536);
            spec->prec = bits;
            break;
        }
        }
    }
    if ((rc = gb_cli_stop(c, rc)) || (rc = gb_cli_no_operands(&P)))
        return rc;
    if (!have_family)
        return usage_error("fd-learn: --family is required (poly, cos, sin or fem)%s%s", "", "");
    if (!a->q)
        return usage_error("fd-learn: --q is required (2, 4, 6 or 8)%s%s", "", "");
    if (!a->N)
        return usage_error("fd-learn: --N is required (q+2..65536)%s%s", "", "");
    long nmin = a->q + gb_equation_order(spec->equation); /* the stencil's 2r + 1 points and one more node */
    if (a->N < nmin) {
        fprintf(stderr, "greenbound: --N: expected an integer in %ld..65536 for q = %ld%s, got '%ld'\n", nmin, a->q,
                spec->equation == GB_EQ_BIHARMONIC ? " (biharmonic)" : "", a->N);
        return EXIT_USAGE;
    }
    if (spec->poly_const && spec->family != GB_FAMILY_POLY)
        return usage_error("--poly-const: only taken with --family poly%s%s", "", "");
    if (spec->family == GB_FAMILY_FEM && (p || spec->mode))
        return usage_error("--p/--mode: not taken for --family fem (its forcings are nodal values)%s%s", "", "");
    if (spec->family != GB_FAMILY_FEM && !p && !spec->mode)
        return usage_error("--p: required for --family %s (1..8)%s", gb_family_name(spec->family), "");
    spec->p = p ? (int)p : 1;
    spec->N = a->N;
    char why[256];
    if (gb_data_spec_check(spec, why, sizeof why))   /* e.g. an aliased --mode */
        return usage_error("fd-learn: %s%s", why, spec->mode >= a->N ? " (--mode)" : "");
    return 0;
}

GB_CLI_PARSE_ONLY(parse_only_fd_learn, fd_learn_args, parse)

static void print_json(const fd_learn_args *a, const gb_fd_case *c, double w_pred, double rel)
{
    const gb_data_spec *spec = &a->spec;
    json_t *j = json_object();
    json_object_set_new(j, "w", gb_json_num(c->fit.w_ls));
    json_object_set_new(j, "w_pred", gb_json_num(w_pred));
    json_object_set_new(j, "rel_err", gb_json_num(rel));
    json_object_set_new(j, "w_gd", gb_json_num(c->fit.w_gd));
    json_object_set_new(j, "gd_iterations", json_integer(c->fit.gd_iters));
    json_object_set_new(j, "se", gb_json_num(c->fit.se_w));
    json_object_set_new(j, "roundoff_floor", gb_json_num(c->floor));
    json_object_set_new(j, "equation", json_string(gb_equation_name(spec->equation)));
    json_object_set_new(j, "family", json_string(gb_family_name(spec->family)));
    if (spec->family != GB_FAMILY_FEM)
        json_object_set_new(j, spec->mode ? "mode" : "p", json_integer(spec->mode ? spec->mode : spec->p));
    else
        json_object_set_new(j, "load", json_string(spec->load == GB_LOAD_LUMPED ? "lumped" : "consistent"));
    json_object_set_new(j, "q", json_integer(a->q));
    json_object_set_new(j, "N", json_integer(a->N));
    json_object_set_new(j, "nodes", json_integer(a->N + 1));
    json_object_set_new(j, "samples", json_integer(spec->S));
    json_object_set_new(j, "seed", json_integer((json_int_t)spec->seed));
    json_object_set_new(j, "k", gb_json_num(spec->k));
    json_object_set_new(j, "prec", json_integer(spec->prec));
    json_dumpf(j, stdout, JSON_REAL_PRECISION(17));
    fputc('\n', stdout);
    json_decref(j);
}

int cmd_fd_learn(int argc, char **argv)
{
    fd_learn_args a;
    int rc = parse(&a, argc, argv);
    if (rc)
        return gb_cli_exit(rc);
    const gb_data_spec *spec = &a.spec;
    const gb_stencil_struct *st = gb_fd_stencil_op(gb_equation_order(spec->equation), (int)a.q);
    gb_fd_case_opts o;
    o.prec = spec->prec;
    o.want_fs = 0;
    o.stencil_fault = 0.0;
    gb_fd_fit_opts_default(&o.fit);
    const gb_fd_case *c = gb_fd_case_get(spec, (int)a.q, &o);
    if (!c) {
        fprintf(stderr, "greenbound: out of memory for N = %ld, S = %ld\n", a.N, spec->S);
        return EXIT_RUNTIME;
    }
    if (c->fit_status != GB_OK && c->fit_status != GB_EMAXITER) {
        fprintf(stderr, "greenbound: fd-learn: %s\n", gb_strerror(c->fit_status));
        return EXIT_RUNTIME;
    }
    mpfr_t w, d;
    mpfr_inits2(spec->prec, w, d, (mpfr_ptr)0);
    gb_fd_pred_inf(w, d, spec, st);
    double w_pred = mpfr_get_d(w, MPFR_RNDN);
    mpfr_clears(w, d, (mpfr_ptr)0);
    double rel = fabs(c->fit.w_ls - w_pred) / fabs(w_pred);
    int nonfinite = !isfinite(c->fit.w_ls) || !isfinite(w_pred) || !isfinite(rel) || !isfinite(c->fit.w_gd) ||
                    !isfinite(c->fit.se_w);
    if (nonfinite)
        fprintf(stderr, "greenbound: fd-learn: the learned w is %g and the predicted w %g: not finite (k = %g, N = "
                        "%ld: the data or the stencil sums leave double precision's range)\n", c->fit.w_ls, w_pred,
                spec->k, a.N);
    if (a.json)
        print_json(&a, c, w_pred, rel);
    else {
        if (spec->equation != GB_EQ_POISSON)
            printf("equation %s: k u'''' = f, u = u'' = 0 at both ends; FD_q of −d⁴/dx⁴\n",
                   gb_equation_name(spec->equation));
        printf("family %s, %s %d, q = %ld, N = %ld (%ld nodes), S = %ld, k = %g, seed = %lu\n",
               gb_family_name(spec->family), spec->mode ? "mode" : "p", spec->mode ? spec->mode : spec->p, a.q, a.N,
               a.N + 1, spec->S, spec->k, spec->seed);
        printf("learned w (least squares)   %.17g\n", c->fit.w_ls);
        printf("learned w (gradient descent) %.17g  (%ld iterations)\n", c->fit.w_gd, c->fit.gd_iters);
        printf("predicted w (infinite data) %.17g\n", w_pred);
        printf("relative error              %.3e  (sampling SE %.2e, round-off floor %.1e)\n", rel,
               c->fit.se_w / fabs(w_pred), c->floor);
    }
    gb_fd_cache_clear();
    return nonfinite ? EXIT_RUNTIME : 0;
}
