/* The training losses and their gradients (model.h): the data term of every class, PI-DeepONet's residual,
 * and the PINN's loss on its own forcings. */
#include "nn/model.h"
#include "nn/model_impl.h"
#include "core/status.h"

#include <math.h>
#include <string.h>

/* gathers the batch's forcings and solutions */
static void gather(const gb_dataset_struct *d, const long *idx, long B, long n, double *F, double *U)
{
    #pragma omp parallel for schedule(static) if (B * n >= 32768)
    for (long b = 0; b < B; b++) {
        if (F) memcpy(F + b * n, d->f + idx[b] * n, (size_t)n * sizeof(double));
        if (U) memcpy(U + b * n, d->u + idx[b] * n, (size_t)n * sizeof(double));
    }
}

/* sums over a batch are taken in LOSS_PARTS fixed parts, added in order: the same numbers for every
 * thread count */
#define LOSS_PARTS 8

static double mean_sq(const double *v, long n)
{
    double s = 0;
    for (long i = 0; i < n; i++) s += v[i] * v[i];
    return s / (double)n;
}

static int pinn_loss_grad(gb_nn_model_t m, const gb_dataset_struct *d, const long *idx, long B,
                          double *loss, double *data_mse, int want_grad)
{
    long n = m->n;
    double k = m->theta[m->off_k], lam = m->arch.phys_weight;
    double su = 0, sf = 0;
    for (long b = 0; b < B; b++) {
        su += mean_sq(d->u + idx[b] * n, n);
        sf += mean_sq(d->f + idx[b] * n, n);
    }
    su /= (double)B; sf /= (double)B;
    if (!(su > 0) || !(sf > 0)) return GB_EINVAL;
    double L = 0, dm = 0, gk = 0;
    double *g = m->gout;
    for (long b = 0; b < B; b++) {
        long s = idx[b];
        if (s < 0 || s >= m->arch.pinn_forcings) return GB_EINVAL;
        const double *y = gb_chain_forward(&m->pinn[s], m->theta, m->x, n);
        const double *yxx = y + 2 * n, *u = d->u + s * n, *f = d->f + s * n;
        for (long i = 0; i < n; i++) {
            double e = y[i] - u[i], r = -k * yxx[i] - f[i];
            dm += e * e;
            L += e * e / su + lam * r * r / sf;
            g[i] = 2.0 * e / (su * (double)(B * n));
            g[n + i] = 0.0;
            g[2 * n + i] = lam * 2.0 * r * (-k) / (sf * (double)(B * n));
            gk += lam * 2.0 * r * (-yxx[i]) / (sf * (double)(B * n));
        }
        if (want_grad) gb_chain_backward(m->grad, NULL, &m->pinn[s], m->theta, g, n);
    }
    if (want_grad) m->grad[m->off_k] += gk;
    *loss = L / (double)(B * n);
    if (data_mse) *data_mse = dm / (double)(B * n);
    return isfinite(*loss) ? GB_OK : GB_ENONFIN;
}

static int loss_grad(gb_nn_model_t m, const gb_dataset_struct *d, const long *idx, long B, double *loss,
                     double *data_mse, int want_grad)
{
    long n = m->n;
    if (B < 1 || B > m->bmax || d->spec.N != m->arch.N) return GB_EINVAL;
    for (long b = 0; b < B; b++) if (idx[b] < 0 || idx[b] >= d->spec.S) return GB_EINVAL;
    if (want_grad) memset(m->grad, 0, (size_t)m->nparam * sizeof(double));
    if (m->arch.cls == GB_NN_PINN) return pinn_loss_grad(m, d, idx, B, loss, data_mse, want_grad);

    double *F = m->gout, *U = m->gout + B * n, *P = m->out; /* F, U: gathered batch */
    gather(d, idx, B, n, F, U);
    int pi = m->arch.cls == GB_NN_PIDEEPONET;
    double *Uxx = pi ? m->gout + 2 * B * n : NULL;
    int fst = gb_nn_forward(P, Uxx, m, F, B);
    if (fst) return fst;
    /* data term (and the residual for PI-DeepONet); the gradient wrt P goes to U's slot */
    double dm = 0, res = 0, su = 1, sf = 1, lam = m->arch.phys_weight, k = m->arch.k;
    if (pi) { su = mean_sq(U, B * n); sf = mean_sq(F, B * n); if (!(su > 0) || !(sf > 0)) return GB_EINVAL; }
    double cu = 2.0 / (su * (double)(B * n)), cr = lam * 2.0 * (-k) / (sf * (double)(B * n));
    double dmp[LOSS_PARTS], resp[LOSS_PARTS];
    long len = B * n;
    #pragma omp parallel for schedule(static) if (len >= 32768)
    for (int part = 0; part < LOSS_PARTS; part++) {
        double dk = 0, rk = 0;
        for (long i = len * part / LOSS_PARTS; i < len * (part + 1) / LOSS_PARTS; i++) {
            double e = P[i] - U[i];
            dk += e * e;
            U[i] = cu * e;                 /* gU */
            if (pi) {
                double r = -k * Uxx[i] - F[i];
                rk += r * r;
                Uxx[i] = cr * r;           /* gUxx */
            }
        }
        dmp[part] = dk; resp[part] = rk;
    }
    for (int part = 0; part < LOSS_PARTS; part++) { dm += dmp[part]; res += resp[part]; }
    *loss = dm / su / (double)(B * n) + (pi ? lam * res / sf / (double)(B * n) : 0.0);
    if (data_mse) *data_mse = dm / (double)(B * n);
    if (!isfinite(*loss)) return GB_ENONFIN;
    if (!want_grad) return GB_OK;
    const double *gU = U;
    switch (m->arch.cls) {
    case GB_NN_FNO: return gb_fno_backward(m->grad, &m->fno, m->theta, gU, B);
    case GB_NN_DEEPONET: case GB_NN_PIDEEPONET:
        gb_deeponet_backward(m, gU, pi ? Uxx : NULL, B);
        return GB_OK;
    default:
        gb_chain_backward(m->grad, NULL, &m->body, m->theta, gU, B);
        return GB_OK;
    }
}

int gb_nn_loss_grad(double *loss, double *data_mse, gb_nn_model_t m, const gb_dataset_struct *d, const long *idx,
                    long B)
{
    int st = loss_grad(m, d, idx, B, loss, data_mse, 1);
    if (!st && !gb_nn_all_finite(m->grad, m->nparam)) st = GB_ENONFIN;
    return st;
}

int gb_nn_loss(double *loss, double *data_mse, gb_nn_model_t m, const gb_dataset_struct *d, const long *idx,
               long B)
{
    return loss_grad(m, d, idx, B, loss, data_mse, 0);
}
