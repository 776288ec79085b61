/* Shared pieces of the deterministic cross-validation claims (SPEC §8): XV-LIN (xvlin.c), XV-FD (xvfd.c),
 * OPP-1 (opp1.c), XV-NOISE (xvnoise.c). The matrices are built by src/xval/; the trained networks' patterns
 * are statistical claims judged per tier (xv_pattern.c). */
#ifndef GB_VERIFY_XVAL_COMMON_H
#define GB_VERIFY_XVAL_COMMON_H

#include "verify.h"
#include "xval/xval.h"

/* samples per set of the closed-form fits (linear, fd): the command line's default of 1000 */
#define GB_XV_S_CLOSED 1000

/* the benchmark's options for a verify run (N = 32, SPEC §8) */
gb_xv_opts gb_xv_verify_opts(const gb_verify_opts *o, long S);
/* the data sets for x, shared by the claims of one run (the last set generated is kept); NULL if memory fails */
gb_xv_data *gb_xv_verify_data(const gb_xv_opts *x);
/* the benchmark, model and training of matrix X among the report's parameters */
void gb_xv_verify_params(gb_claim_t c, const gb_verify_opts *o, const gb_xv_opts *x, const gb_xv_matrix *X);
/* the matrix and its block statistics, as notes */
void gb_xv_verify_notes(gb_claim_t c, const gb_xv_matrix *X);
/* the heat map of X under the report's name with `suffix` */
void gb_xv_verify_heatmap(gb_claim_t c, const char *suffix, const gb_xv_matrix *X, const char *title);
/* the closed-form relative matrix of the learned FD rows (w*_∞ per row, SPEC §4) at p and 2p bits, each entry
 * one prediction (its row's w*_∞ part of it): the p values w_inf[i], R[i·25 + j], dR[i·25 + j] = ∂R/∂w, and
 * agree[i·25 + j] whether the entry agrees at p and 2p */
int gb_xv_verify_fd_closed_form_dual(double *w_inf, double *R, double *dR, int *agree, const gb_xv_opts *x,
                                     const gb_verify_opts *o);

#endif
