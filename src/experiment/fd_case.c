#include "experiment/fd_case.h"
#include "claim/claim.h"
#include "core/status.h"
#include "predict/fd_predict.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct ds_node { gb_data_spec spec; gb_dataset_t d; struct ds_node *next; } ds_node;
typedef struct case_node { gb_fd_case c; int want_fs; struct case_node *next; } case_node;

static ds_node *ds_cache;
static case_node *case_cache;
static gb_stencil_t stencils[2][5];
static int stencil_ready[2][5];
static double t_data, t_train, t_pred;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

void gb_fd_timings(double *a, double *b, double *c) { *a = t_data; *b = t_train; *c = t_pred; }

static int spec_eq(const gb_data_spec *a, const gb_data_spec *b)
{
    return a->equation == b->equation && a->family == b->family && a->p == b->p && a->mode == b->mode && a->poly_const == b->poly_const &&
           a->N == b->N && a->S == b->S && a->k == b->k && a->seed == b->seed && a->law == b->law &&
           a->noise == b->noise && (a->family != GB_FAMILY_FEM || a->load == b->load) && a->prec == b->prec &&
           a->solution_fault == b->solution_fault;
}

const gb_stencil_struct *gb_fd_stencil_op(int d, int q)
{
    int e = d == 4, i = q / 2;
    if (!stencil_ready[e][i]) {
        gb_stencil_init_op(stencils[e][i], d, q);
        stencil_ready[e][i] = 1;
    }
    return stencils[e][i];
}

const gb_stencil_struct *gb_fd_stencil(int q) { return gb_fd_stencil_op(2, q); }

const gb_dataset_struct *gb_fd_dataset_get(const gb_data_spec *spec)
{
    for (ds_node *n = ds_cache; n; n = n->next)
        if (spec_eq(&n->spec, spec))
            return n->d;
    ds_node *n = calloc(1, sizeof *n);
    double t0 = now();
    if (!n || gb_dataset_init(n->d, spec) != GB_OK) {
        free(n);
        return NULL;
    }
    t_data += now() - t0;
    n->spec = *spec;
    n->next = ds_cache;
    ds_cache = n;
    return n->d;
}

/* value at p and 2p; agreement in the printed digits */
typedef int (*pred_fn)(mpfr_t w, mpfr_t delta, const void *arg, const gb_stencil_struct *st);

static int pred_inf(mpfr_t w, mpfr_t delta, const void *arg, const gb_stencil_struct *st)
{
    return gb_fd_pred_inf(w, delta, (const gb_data_spec *)arg, st);
}

static int pred_fs(mpfr_t w, mpfr_t delta, const void *arg, const gb_stencil_struct *st)
{
    return gb_fd_pred_sample(w, delta, (const gb_dataset_struct *)arg, st);
}

static int dual(double *res, int *agree, pred_fn fn, const void *arg, const gb_stencil_struct *st, mpfr_prec_t p)
{
    double v[2];
    for (int i = 0; i < 2; i++) {
        mpfr_t w, d;
        mpfr_inits2(i ? 2 * p : p, w, d, (mpfr_ptr)0);
        int s = fn(w, d, arg, st);
        v[i] = mpfr_get_d(d, MPFR_RNDN);
        mpfr_clears(w, d, (mpfr_ptr)0);
        if (s)
            return s;
    }
    *agree = gb_digits_agree_at(&v[0], &v[1], p, GB_PRINT_DIGITS) && *agree;
    *res = v[0];
    return GB_OK;
}

const gb_fd_case *gb_fd_case_get(const gb_data_spec *spec, int q, const gb_fd_case_opts *o)
{
    for (case_node *n = case_cache; n; n = n->next)
        if (n->c.q == q && n->c.stencil_fault == o->stencil_fault && spec_eq(&n->c.spec, spec) &&
            n->want_fs >= o->want_fs)
            return &n->c;
    const gb_dataset_struct *d = gb_fd_dataset_get(spec);
    if (!d)
        return NULL;
    case_node *n = calloc(1, sizeof *n);
    gb_fd_case *c = &n->c;
    c->spec = *spec;
    c->q = q;
    c->stencil_fault = o->stencil_fault;
    n->want_fs = o->want_fs;

    /* the learner's stencil: exact, or deliberately wrong for a mutation test */
    gb_stencil_t learner;
    int order = gb_equation_order(spec->equation);
    gb_stencil_init_op(learner, order, q);
    if (o->stencil_fault != 0.0) {
        mpq_t delta;
        mpq_init(delta);
        mpq_set_d(delta, o->stencil_fault);
        gb_stencil_perturb(learner, 0, delta);
        mpq_clear(delta);
    }
    double t0 = now();
    c->fit_status = gb_fd_fit_run(&c->fit, d, learner, &o->fit);
    t_train += now() - t0;
    gb_stencil_clear(learner);
    c->rel_ls = c->fit.rel_ls;
    c->rel_gd = c->fit.rel_gd;
    /* GB_FD_FLOOR_SIGMAS σ of the data rounding, plus the compensated sums' own bound (a few 2^-64) */
    c->floor = GB_FD_FLOOR_SIGMAS * c->fit.roundoff_rel + GB_FD_FLOOR_SUMS_ULPS * ldexp(1.0, -64);

    /* predictions always use the exact stencil and the exact solutions */
    gb_data_spec clean = *spec;
    clean.solution_fault = 0.0;
    const gb_stencil_struct *st = gb_fd_stencil_op(order, q);
    c->agree = 1;
    c->delta_fs = NAN;
    t0 = now();
    int s = dual(&c->delta_inf, &c->agree, pred_inf, &clean, st, o->prec);
    if (!s && o->want_fs) {
        const gb_dataset_struct *dc = spec->solution_fault != 0.0 ? gb_fd_dataset_get(&clean) : d;
        s = dc ? dual(&c->delta_fs, &c->agree, pred_fs, dc, st, o->prec) : GB_ENOMEM;
    }
    t_pred += now() - t0;
    if (s)
        c->fit_status = s;
    n->next = case_cache;
    case_cache = n;
    return c;
}

void gb_fd_cache_clear(void)
{
    while (ds_cache) {
        ds_node *n = ds_cache->next;
        gb_dataset_clear(ds_cache->d);
        free(ds_cache);
        ds_cache = n;
    }
    while (case_cache) {
        case_node *n = case_cache->next;
        free(case_cache);
        case_cache = n;
    }
    for (int e = 0; e < 2; e++)
        for (int i = 0; i < 5; i++)
            if (stencil_ready[e][i]) {
                gb_stencil_clear(stencils[e][i]);
                stencil_ready[e][i] = 0;
            }
}
