#include "lin_common.h"
#include "core/status.h"
#include "predict/lin_predict.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

int gb_lin_case_init(gb_lin_case *c, const gb_verify_opts *o, gb_family fam, int p, long N, double init_std,
                     gb_load load)
{
    memset(c, 0, sizeof *c);
    c->spec = gb_verify_spec(o, fam, p, N);
    c->spec.load = load;
    c->d = gb_fd_dataset_get(&c->spec);
    if (!c->d)
        return GB_ENOMEM;
    int st = gb_linear_data_init(&c->L, c->d);
    if (st)
        return st;
    long n = c->n = N + 1;
    c->W0 = malloc(sizeof(double) * n * n);
    c->Wpred = malloc(sizeof(double) * n * n);
    c->AP = malloc(sizeof(double) * n * n);
    c->P = malloc(sizeof(double) * n * n);
    double *AP2 = malloc(sizeof(double) * n * n), *P2 = malloc(sizeof(double) * n * n);
    gb_linear_init_weights(c->W0, n, init_std, o->seed);
    gb_lin_pred_operator(c->AP, c->P, &c->spec, o->prec);
    gb_lin_pred_operator(AP2, P2, &c->spec, 2 * o->prec);
    /* agreement in the printed digits, entries below 1e-30 of the largest printing as 0 */
    double amax = 0;
    for (long i = 0; i < n * n; i++)
        amax = fmax(amax, fabs(c->AP[i]));
    c->agree = 1;
    for (long i = 0; i < n * n && c->agree; i++) {
        double a = fabs(c->AP[i]) < 1e-30 * amax ? 0 : c->AP[i], b = fabs(AP2[i]) < 1e-30 * amax ? 0 : AP2[i];
        double x = fabs(c->P[i]) < 1e-30 ? 0 : c->P[i], y = fabs(P2[i]) < 1e-30 ? 0 : P2[i];
        c->agree = gb_digits_agree(a, b, GB_PRINT_DIGITS) && gb_digits_agree(x, y, GB_PRINT_DIGITS);
    }
    free(AP2);
    free(P2);
    /* mutation checks: a wrong projector or a wrong operator in the prediction */
    if (o->fault == GB_FAULT_PROJECTOR)
        for (long i = 0; i < n * n; i++)
            c->P[i] = (i / n == i % n);
    if (o->fault == GB_FAULT_SIGN)
        for (long i = 0; i < n * n; i++)
            c->AP[i] = -c->AP[i];
    gb_linear_limit(c->Wpred, c->AP, c->P, c->W0, n);
    return GB_OK;
}

void gb_lin_case_clear(gb_lin_case *c)
{
    gb_linear_data_clear(&c->L);
    free(c->W0); free(c->Wpred); free(c->AP); free(c->P);
}

long gb_lin_case_train(const gb_lin_case *c, double *W, long max_steps)
{
    memcpy(W, c->W0, sizeof(double) * c->n * c->n);
    gb_linear_gd_trace tr;
    double eta = gb_linear_step(&c->L, NULL);
    int st = gb_linear_gd(W, &c->L, eta, max_steps, GB_LIN_GD_TOL, NULL, 1, &tr);
    free(tr.dist);
    return st ? -1 : tr.steps;
}
