/* What the files of a model class share inside src/nn (not installed API): the DeepONet's passes and a
 * finiteness check. */
#ifndef GB_NN_MODEL_IMPL_H
#define GB_NN_MODEL_IMPL_H

#include "nn/model.h"

#include <math.h>

/* U (and, for PI-DeepONet, Uxx) for the B forcings F; Uxx NULL skips it */
void gb_deeponet_forward(double *U, double *Uxx, gb_nn_model_t m, const double *F, long B);
/* the gradient from gU (and gUxx, or NULL) into m->grad */
void gb_deeponet_backward(gb_nn_model_t m, const double *gU, const double *gUxx, long B);

/* U (B × n) = the model's answer to the forcings F, by class; Uxx (PI-DeepONet's U'', or NULL) too. GB_EINVAL
 * for the PINN, which has no forcing-to-solution map */
int gb_nn_forward(double *U, double *Uxx, gb_nn_model_t m, const double *F, long B);

static inline int gb_nn_all_finite(const double *v, long n)
{
    for (long i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

#endif
