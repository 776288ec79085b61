/* Shared pieces of the Theorem 3.2 and Green's-function programs. */
#ifndef GB_VERIFY_LIN_COMMON_H
#define GB_VERIFY_LIN_COMMON_H

#include "linear/linear.h"
#include "verify.h"

typedef struct {
    gb_data_spec spec;
    const gb_dataset_struct *d;   /* cached training set */
    gb_linear_data L;
    long n;
    double *W0, *Wpred, *AP, *P;   /* W* = AP + W0 (I - P), AP and P from MPFR */
    int agree;                     /* AP and P agreed at p and 2p bits (recorded by gb_lin_case_init) */
} gb_lin_case;

/* GD steps applied at a time through the exact block map (gb_linear_gd_steps) in the LIN claims */
#define GB_LIN_GD_BLOCK 64
/* GD has converged on the span when ‖(I − ηC)^T‖ there is below this (SPEC §5) */
#define GB_LIN_CONVERGED 1e-12
/* gb_lin_case_train: GD stops when |ΔW| ≤ GB_LIN_GD_TOL |W|; LIN-1, BH-2, BH-3 and GRN-1…3 give it at most
 * GB_LIN_GD_STEPS steps */
#define GB_LIN_GD_TOL 1e-15
#define GB_LIN_GD_STEPS 20000L
/* LIN-3b's data, poly p = GB_LIN3B_P, and its rule: the loss falls at least GB_LIN3B_DECADES decades (its
 * registry title quotes both) */
#define GB_LIN3B_P 8
#define GB_LIN3B_DECADES 8
/* W⁰ ~ N(0, GB_LIN_W0_STD²) where LIN-1, LIN-2 and BH-3 start from random weights */
#define GB_LIN_W0_STD 0.1

/* builds data statistics and the MPFR prediction, at p and 2p through gb_verify_dual_array; init_std = 0 for
 * W⁰ = 0 */
int gb_lin_case_init(gb_lin_case *c, const gb_verify_opts *o, gb_family fam, int p, long N, double init_std,
                     gb_load load);
void gb_lin_case_clear(gb_lin_case *c);
/* trains by gradient descent with the optimal step; W (n×n) out; returns steps, -1 on NaN */
long gb_lin_case_train(const gb_lin_case *c, double *W, long max_steps);

#endif
