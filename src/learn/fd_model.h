/* The white-box model of Theorem 3.1: -w · FD_q(u, Δx) = f, one scalar w learned
 * over every sample and every evaluation node i = q/2 .. N - q/2 (SPEC §4).
 *
 * Arithmetic: the data are doubles (exact solutions rounded once); the stencil is
 * applied with its exact integer numerators and every sum is accumulated in long
 * double, so the only error of consequence is the rounding of the data itself,
 * which this module also estimates (`roundoff_rel`). */
#ifndef GB_LEARN_FD_MODEL_H
#define GB_LEARN_FD_MODEL_H

#include "data/data.h"
#include "stencil/stencil.h"

typedef struct {
    double lr;        /* gradient-descent step as a fraction of 1/L, L = ⟨D,D⟩/n the
                       * Lipschitz constant of the gradient (default 0.9) */
    long max_iter;    /* gradient-descent iteration cap (default 1000) */
    double gd_tol;    /* stop when |Δw| ≤ gd_tol |w| (default 1e-17) */
} gb_fd_fit_opts;

typedef struct {
    long S, n_eval;     /* samples, evaluation nodes per sample */
    double w_ls;        /* least squares: w* = -⟨D,f⟩ / ⟨D,D⟩ */
    double w_gd;        /* gradient descent on the same loss */
    double rel_ls, rel_gd; /* w/k - 1, formed before rounding w to double */
    long gd_iters;
    double v_ls;        /* inverse fit -D = v f: v* = -⟨D,f⟩ / ⟨f,f⟩ (SPEC FD-6) */
    double kv_minus_1;  /* k v* - 1, formed in extended precision */
    double se_w, se_v;  /* sampling standard errors (delta method over samples) */
    double roundoff_rel;/* std of the relative change of w from rounding the data to double */
    double train_mse;   /* mean of (w_ls D + f)² */
} gb_fd_fit;

void gb_fd_fit_opts_default(gb_fd_fit_opts *o);
/* GB_ENONFIN if any quantity is NaN/Inf; GB_EMAXITER if GD did not converge
 * (the least-squares fields are still set) */
int gb_fd_fit_run(gb_fd_fit *res, const gb_dataset_t d, const gb_stencil_t learner,
                  const gb_fd_fit_opts *o);

/* The learned FD_2 model as a solver (SPEC §8 XV-FD): u solves −w FD_2 u = f on the interior nodes
 * with u_0 = u_N = 0, i.e. w L_h u = f, L_h = tridiag(−1, 2, −1)/Δx² (the Thomas algorithm, N + 1
 * nodes; f's boundary values are not used). */
void gb_fd_solve(double *u, const double *f, long N, double w);

#endif
