#include "lin_common.h"
#include "core/status.h"
#include "predict/lin_predict.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A P and P of the case's data, at prec bits */
static int operator_at(double *out, mpfr_prec_t prec, const void *arg)
{
    const gb_data_spec *spec = arg;
    long n = spec->N + 1;
    gb_lin_pred_operator(out, out + n * n, spec, prec);
    return 0;
}

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
    gb_linear_init_weights(c->W0, n, init_std, o->seed);
    double *APP = malloc(sizeof(double) * 2 * n * n);   /* A P, then P */
    int agree = APP ? gb_verify_dual_array(APP, 2 * n * n, o, operator_at, &c->spec) : -1;
    if (agree < 0) {
        free(APP);
        return GB_ENOMEM;
    }
    c->agree = agree;
    memcpy(c->AP, APP, sizeof(double) * n * n);
    memcpy(c->P, APP + n * n, sizeof(double) * n * n);
    free(APP);
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
