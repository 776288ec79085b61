/* The floor of one Adam step of a dense chain (bench_floor.c): the deep linear network's and the MLP's
 * unavoidable work, blocked through the whole step, for `greenbound bench`'s ratios. */
#ifndef GB_CLI_BENCH_FLOOR_H
#define GB_CLI_BENCH_FLOOR_H

#include "nn/layers.h"

typedef struct gb_floor gb_floor;
/* for a chain (activation tanh or none, no jets) on batches of B rows; NULL without memory or for another chain */
gb_floor *gb_floor_new(const gb_chain_struct *c, long B);
void gb_floor_free(gb_floor *f);
/* the mean-square loss of the chain on F (B × dims[0]) against U (B × dims[L]) and its gradient (θ's layout) */
int gb_floor_grad(gb_floor *f, double *loss, double *grad, const double *th, const double *F, const double *U);
/* the gradient, then one Adam update of θ (no weight decay) */
int gb_floor_step(gb_floor *f, double *loss, double *grad, double *th, const double *F, const double *U, double lr,
                  double beta1, double beta2, double eps);
/* floating-point operations of one step's GEMMs */
double gb_floor_flops(const gb_chain_struct *c, long B);

#endif
