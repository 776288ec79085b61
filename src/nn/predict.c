/* What a trained model answers (model.h): predictions, the test MSE and the Green's function probes of
 * SPEC §6. */
#include "nn/model.h"
#include "nn/model_impl.h"
#include "core/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int gb_nn_predict(double *U, gb_nn_model_t m, const double *F, const double *uref, long B)
{
    long n = m->n;
    if (B < 1 || B > m->bmax) return GB_EINVAL;
    switch (m->arch.cls) {
    case GB_NN_PINN: {
        double s = m->arch.k / m->theta[m->off_k];
        if (!uref) return GB_EINVAL;
        for (long i = 0; i < B * n; i++) U[i] = s * uref[i];
        break;
    }
    default: {
        int st = gb_nn_forward(U, NULL, m, F, B);
        if (st) return st;
    }
    }
    return gb_nn_all_finite(U, B * n) ? GB_OK : GB_ENONFIN;
}

int gb_nn_mse(double *mse, gb_nn_model_t m, const gb_dataset_struct *d)
{
    long n = m->n, S = d->spec.S;
    if (d->spec.N != m->arch.N) return GB_EINVAL;
    long double acc = 0;
    for (long s0 = 0; s0 < S; s0 += m->bmax) {
        long B = S - s0 < m->bmax ? S - s0 : m->bmax;
        int st = gb_nn_predict(m->out, m, d->f + s0 * n, d->u + s0 * n, B);
        if (st) return st;
        for (long i = 0; i < B * n; i++) {
            double e = m->out[i] - d->u[s0 * n + i];
            acc += (long double)e * e;
        }
    }
    *mse = (double)(acc / (long double)(S * n));
    return GB_OK;
}

int gb_nn_green(double *G, gb_nn_model_t m, double alpha, double k_data)
{
    long n = m->n;
    double dx = 1.0 / (double)m->arch.N;
    if (!(alpha != 0) || !isfinite(alpha)) return GB_EINVAL;
    int pinn = m->arch.cls == GB_NN_PINN; /* the only class that reads the exact response */
    double *F = malloc((size_t)(m->bmax * n) * sizeof(double));
    double *R = pinn ? malloc((size_t)(m->bmax * n) * sizeof(double)) : NULL;
    double *U = malloc((size_t)(m->bmax * n) * sizeof(double));
    double *U0 = malloc((size_t)n * sizeof(double));
    int st = (F && U && U0 && (R || !pinn)) ? GB_OK : GB_ENOMEM;
    /* Model(0): a network with biases answers a zero forcing with an offset that is not G's (SPEC §6) */
    if (!st) {
        memset(F, 0, (size_t)n * sizeof(double));
        if (pinn) memset(R, 0, (size_t)n * sizeof(double));
        st = gb_nn_predict(U0, m, F, R, 1);
    }
    for (long j0 = 0; j0 < n && !st; j0 += m->bmax) {
        long B = n - j0 < m->bmax ? n - j0 : m->bmax;
        memset(F, 0, (size_t)(B * n) * sizeof(double));
        for (long b = 0; b < B; b++) {
            long j = j0 + b;
            F[b * n + j] = alpha;
            /* exact response of −k u'' = α Δx δ(x − x_j): α Δx G(x_i, x_j) */
            for (long i = 0; pinn && i < n; i++) {
                double x = m->x[i], s = m->x[j], lo = x < s ? x : s, hi = x < s ? s : x;
                R[b * n + i] = alpha * dx * lo * (1.0 - hi) / k_data;
            }
        }
        st = gb_nn_predict(U, m, F, R, B);
        for (long b = 0; b < B && !st; b++)
            for (long i = 0; i < n; i++) G[i * n + j0 + b] = (U[b * n + i] - U0[i]) / (alpha * dx);
    }
    free(F); free(R); free(U); free(U0);
    return st;
}
