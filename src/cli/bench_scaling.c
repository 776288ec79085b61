/* greenbound bench --scaling: the cost of each stage of the closed-form half against the grid size.
 *
 * For N = 32, 64, …, Nmax (doubling) it times, on poly:8 data of S samples (fem data for the linear
 * model, whose span is then the whole grid):
 *   data        the data set: S forcings and their exact solutions, in MPFR, correctly rounded
 *   closed_form the linear model's statistics C, B, the SVD of the forcings and W* = A P
 *   gd_epoch    one full-batch gradient-descent step of the linear model, W ← W − η (W C − B)
 *   mpfr_*      the MPFR predictions at 256 bits: the identifiable operator A P of poly:8 (a p × p solve),
 *               the Green's matrix G and its 8-mode expansion G₈, and the FD learner's infinite-data
 *               prediction (q = 4)
 * and prints one JSON object on stdout; scripts/bench-scaling.py fits the cost exponents and draws
 * them. A stage shorter than 50 ms is repeated and its fastest call kept. Timings are printed only;
 * they never enter a report. */
#include "cli/cli.h"
#include "experiment/fd_case.h"
#include "linear/linear.h"
#include "predict/fd_predict.h"
#include "predict/lin_predict.h"
#include "core/status.h"

#include <jansson.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

enum { SCALING_PREC = 256, SCALING_P = 8, SCALING_MODES = 8, SCALING_Q = 4 };
#define SCALING_MIN_S 0.05   /* a stage repeated until this many seconds have passed */

typedef struct {
    const gb_data_spec *spec;
    gb_dataset_struct *d;          /* the data (poly) of the current N */
    gb_linear_data *L;             /* the linear model's statistics (fem) */
    double *W, *A, *P;
    int st;
} stage_arg;

typedef void (*stage_fn)(stage_arg *a);

static void st_operator(stage_arg *a) { a->st |= gb_lin_pred_operator(a->A, a->P, a->spec, SCALING_PREC); }
static void st_green(stage_arg *a) { gb_lin_green_matrix(a->A, a->spec->N, a->spec->k, 0, SCALING_PREC); }
static void st_green_p(stage_arg *a)
{
    gb_lin_green_matrix(a->A, a->spec->N, a->spec->k, SCALING_MODES, SCALING_PREC);
}
static void st_fd_inf(stage_arg *a)
{
    mpfr_t w, dl;
    mpfr_inits2(SCALING_PREC, w, dl, (mpfr_ptr)0);
    a->st |= gb_fd_pred_inf(w, dl, a->spec, gb_fd_stencil(SCALING_Q));
    mpfr_clears(w, dl, (mpfr_ptr)0);
}
static void st_gd_epoch(stage_arg *a) { a->st |= gb_linear_gd_steps(a->W, a->L, gb_linear_step(a->L, NULL), 1, 1); }

/* the fastest of repeated calls (at least one, until SCALING_MIN_S seconds have passed) */
static double timed(stage_fn fn, stage_arg *a)
{
    double best = INFINITY, t_all = now();
    do {
        double t0 = now();
        fn(a);
        double dt = now() - t0;
        best = dt < best ? dt : best;
    } while (!a->st && now() - t_all < SCALING_MIN_S);
    return best;
}

/* the timings of the stages after the data: the linear model's on fem data, the predictions' on poly */
static json_t *scaling_stages(const gb_data_spec *spec, gb_dataset_struct *d, double *W, double *A, double *P, int *st)
{
    gb_data_spec fs = *spec;
    fs.family = GB_FAMILY_FEM;
    gb_dataset_t fem;
    gb_linear_data L;
    if ((*st = gb_dataset_init(fem, &fs)))
        return NULL;
    double t0 = now();
    if ((*st = gb_linear_data_init(&L, fem))) {
        gb_dataset_clear(fem);
        return NULL;
    }
    gb_linear_closed_form(W, &L, NULL);
    json_t *r = json_pack("{s:f}", "closed_form", now() - t0);
    stage_arg a = {spec, d, &L, W, A, P, GB_OK};
    static const struct {
        const char *name;
        stage_fn fn;
    } stages[] = {{"gd_epoch", st_gd_epoch}, {"mpfr_operator", st_operator}, {"mpfr_green", st_green},
                  {"mpfr_green_8", st_green_p}, {"mpfr_fd_inf", st_fd_inf}};
    for (size_t k = 0; k < sizeof stages / sizeof *stages && r && !a.st; k++)
        json_object_set_new(r, stages[k].name, json_real(timed(stages[k].fn, &a)));
    gb_linear_data_clear(&L);
    gb_dataset_clear(fem);
    *st = a.st ? a.st : r ? GB_OK : GB_ENOMEM;
    if (*st)
        json_decref(r), r = NULL;
    return r;
}

static int scaling_row(json_t *rows, long N, long S)
{
    gb_data_spec spec;
    gb_data_spec_default(&spec);
    spec.p = SCALING_P;
    spec.N = N;
    spec.S = S;
    long n = N + 1;
    double *W = calloc((size_t)(n * n), sizeof *W), *A = malloc((size_t)(n * n) * sizeof *A),
           *P = malloc((size_t)(n * n) * sizeof *P);
    gb_dataset_t d;
    int st = W && A && P ? GB_OK : GB_ENOMEM;
    double t0 = now();
    if (!st && !(st = gb_dataset_init(d, &spec))) {
        double t_data = now() - t0;
        json_t *r = scaling_stages(&spec, d, W, A, P, &st);
        if (r) {
            json_object_set_new(r, "N", json_integer(N));
            json_object_set_new(r, "S", json_integer(S));
            json_object_set_new(r, "data", json_real(t_data));
            st = json_array_append_new(rows, r) ? GB_ENOMEM : GB_OK;
            fprintf(stderr, "  bench --scaling: N = %ld done\n", N);
        }
        gb_dataset_clear(d);
    }
    free(W), free(A), free(P);
    return st;
}

int gb_bench_scaling(long S, long Nmax)
{
    json_t *rows = json_array();
    int st = rows ? GB_OK : GB_ENOMEM;
    for (long N = 32; N <= Nmax && !st; N *= 2)
        st = scaling_row(rows, N, S);
    if (!st) {
        json_t *js = json_pack("{s:i, s:i, s:i, s:i, s:o}", "prec", SCALING_PREC, "p", SCALING_P, "modes",
                               SCALING_MODES, "threads", omp_get_max_threads(), "rows", rows);
        char *s = js ? json_dumps(js, JSON_REAL_PRECISION(9)) : NULL;
        st = s ? GB_OK : GB_ENOMEM;
        if (s)
            printf("%s\n", s);
        free(s);
        json_decref(js);
    } else
        json_decref(rows);
    if (st)
        fprintf(stderr, "greenbound: bench --scaling: %s\n", gb_strerror(st));
    return st ? EXIT_RUNTIME : 0;
}
