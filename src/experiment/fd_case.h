/* One experiment of the Theorem 3.1 family: a data set, a learner stencil, the
 * trained w, and beside it the analytic predictions (each evaluated at p and 2p
 * bits). Data sets and cases are cached for the life of the process, so claims
 * that share a sweep (FD-1/2/3/6 on poly data) train once. */
#ifndef GB_EXPERIMENT_FD_CASE_H
#define GB_EXPERIMENT_FD_CASE_H

#include "data/data.h"
#include "learn/fd_model.h"
#include "stencil/stencil.h"

typedef struct {
    gb_data_spec spec;
    int q;
    double stencil_fault;  /* mutation tests: learner's centre weight a_0 += fault */
    int fit_status;        /* GB_OK, GB_EMAXITER (GD), GB_ENONFIN */
    gb_fd_fit fit;
    double rel_ls, rel_gd; /* w/k - 1 measured, least squares and gradient descent */
    double floor;          /* round-off level of rel: GB_FD_FLOOR_SIGMAS σ_round (data rounded to double)
                            * + GB_FD_FLOOR_SUMS_ULPS·2^-64 */
    double delta_inf;      /* exact infinite-data prediction of w/k - 1 */
    double delta_fs;       /* finite-sample exact prediction of w/k - 1 (NAN if not computed) */
    int agree;             /* every prediction agreed at p and 2p in the printed digits */
} gb_fd_case;

/* the round-off floor of a case: this many σ of the first-order effect of rounding the data to double ... */
#define GB_FD_FLOOR_SIGMAS 10.0
/* ... plus the compensated sums' own bound, this many 2^-64 */
#define GB_FD_FLOOR_SUMS_ULPS 8.0

typedef struct {
    mpfr_prec_t prec;        /* working precision p (2p is the check) */
    int want_fs;             /* compute the finite-sample prediction */
    double stencil_fault;
    gb_fd_fit_opts fit;
} gb_fd_case_opts;

/* runs (or fetches from the cache) one case; the data set is cached too */
const gb_fd_case *gb_fd_case_get(const gb_data_spec *spec, int q, const gb_fd_case_opts *o);
/* the cached data set of a spec, generated on first use */
const gb_dataset_struct *gb_fd_dataset_get(const gb_data_spec *spec);
/* the exact stencil of order q of u'' (shared, never perturbed); _op: of the operator of derivative order d
 * (SPEC §11: 4 for the biharmonic) */
const gb_stencil_struct *gb_fd_stencil(int q);
const gb_stencil_struct *gb_fd_stencil_op(int d, int q);
void gb_fd_cache_clear(void);

/* seconds spent so far generating data, training, predicting (timings kept apart) */
void gb_fd_timings(double *data_s, double *train_s, double *predict_s);

#endif
