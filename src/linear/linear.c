#include "linear/linear.h"
#include "core/blas.h"
#include "core/status.h"
#include <cblas.h>
#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int gb_linear_data_init(gb_linear_data *L, const gb_dataset_struct *d)
{
    gb_blas_single_thread();
    long n = d->spec.N + 1, S = d->spec.S;
    memset(L, 0, sizeof *L);
    L->n = n;
    L->S = S;
    long k = S < n ? S : n;
    L->C = malloc(sizeof(double) * n * n);
    L->B = malloc(sizeof(double) * n * n);
    L->V = calloc((size_t)(n * n), sizeof(double));
    L->AP = calloc((size_t)(n * n), sizeof(double));
    L->sigma = calloc((size_t)n, sizeof(double));
    double *X = malloc(sizeof(double) * S * n), *Uo = malloc(sizeof(double) * S * k),
           *Vt = malloc(sizeof(double) * k * n);
    if (!L->C || !L->B || !L->V || !L->AP || !L->sigma || !X || !Uo || !Vt) {
        free(X); free(Uo); free(Vt);
        gb_linear_data_clear(L);
        return GB_ENOMEM;
    }
    /* C = FᵀF/S and B = UᵀF/S with samples as rows */
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, n, S, 1.0 / S, d->f, n, d->f, n, 0, L->C, n);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, n, S, 1.0 / S, d->u, n, d->f, n, 0, L->B, n);
    /* thin SVD of the forcings: X = U Σ Vᵀ */
    memcpy(X, d->f, sizeof(double) * S * n);
    int info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, 'S', S, n, X, n, L->sigma, Uo, k, Vt, n);
    free(X);
    if (info != 0) {
        free(Uo); free(Vt);
        gb_linear_data_clear(L);
        return GB_EMAXITER;
    }
    memcpy(L->V, Vt, sizeof(double) * k * n);
    double tol = (S > n ? S : n) * DBL_EPSILON * L->sigma[0];
    L->rank = 0;
    while (L->rank < k && L->sigma[L->rank] > tol)
        L->rank++;
    if (L->rank == 0) {   /* all-zero forcings: nothing to learn from */
        free(Uo); free(Vt);
        gb_linear_data_clear(L);
        return GB_EINVAL;
    }
    L->lam_max = L->sigma[0] * L->sigma[0] / S;
    L->lam_min = L->rank ? L->sigma[L->rank - 1] * L->sigma[L->rank - 1] / S : 0;
    /* AP = Yᵀ U_r Σ_r⁻¹ V_rᵀ: the least-squares operator on the span, without forming C⁺ */
    long r = L->rank;
    double *T = malloc(sizeof(double) * n * r);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, r, S, 1.0, d->u, n, Uo, k, 0, T, r);
    for (long i = 0; i < n; i++)
        for (long j = 0; j < r; j++)
            T[i * r + j] /= L->sigma[j];
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, r, 1.0, T, r, Vt, n, 0, L->AP, n);
    free(T);
    free(Uo);
    free(Vt);
    return GB_OK;
}

void gb_linear_data_clear(gb_linear_data *L)
{
    free(L->C); free(L->B); free(L->V); free(L->AP); free(L->sigma);
    memset(L, 0, sizeof *L);
}

void gb_linear_projector(double *P, const gb_linear_data *L)
{
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, L->n, L->n, L->rank, 1.0, L->V, L->n, L->V, L->n, 0,
                P, L->n);
}

void gb_linear_limit(double *W, const double *AP, const double *P, const double *W0, long n)
{
    memcpy(W, AP, sizeof(double) * n * n);
    if (!W0)
        return;
    cblas_daxpy(n * n, 1.0, W0, 1, W, 1);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, -1.0, W0, n, P, n, 1.0, W, n);
}

void gb_linear_closed_form(double *W, const gb_linear_data *L, const double *W0)
{
    long n = L->n;
    double *P = W0 ? malloc(sizeof(double) * n * n) : NULL;
    if (P)
        gb_linear_projector(P, L);
    gb_linear_limit(W, L->AP, P, W0, n);
    free(P);
}

double gb_linear_step(const gb_linear_data *L, double *rho)
{
    double eta = 2.0 / (L->lam_max + L->lam_min);
    if (rho)
        *rho = (L->lam_max - L->lam_min) / (L->lam_max + L->lam_min);
    return eta;
}

static double fro(const double *A, long n)
{
    return cblas_dnrm2(n * n, A, 1);
}

double gb_linear_rel_dist(const double *A, const double *B, long n)
{
    double s = 0, t = 0;
    for (long i = 0; i < n * n; i++) {
        s += (A[i] - B[i]) * (A[i] - B[i]);
        t += B[i] * B[i];
    }
    return sqrt(s) / sqrt(t);
}

int gb_linear_gd(double *W, const gb_linear_data *L, double eta, long max_steps, double tol,
                 const double *Wref, long every, gb_linear_gd_trace *tr)
{
    long n = L->n;
    double *G = malloc(sizeof(double) * n * n);
    memset(tr, 0, sizeof *tr);
    tr->every = every > 0 ? every : 1;
    long cap = Wref ? max_steps / tr->every + 2 : 0;
    tr->dist = cap ? malloc(sizeof(double) * cap) : NULL;
    int st = GB_OK;
    if (Wref)
        tr->dist[tr->nrec++] = gb_linear_rel_dist(W, Wref, n);
    for (long t = 1; t <= max_steps; t++) {
        /* G = W C - B; W ← W - η G */
        memcpy(G, L->B, sizeof(double) * n * n);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, W, n, L->C, n, -1.0, G, n);
        cblas_daxpy(n * n, -eta, G, 1, W, 1);
        tr->steps = t;
        double dw = eta * fro(G, n), w = fro(W, n);
        if (!isfinite(dw) || !isfinite(w)) {
            st = GB_ENONFIN;
            break;
        }
        if (Wref && t % tr->every == 0)
            tr->dist[tr->nrec++] = gb_linear_rel_dist(W, Wref, n);
        if (dw <= tol * w) {
            tr->converged = 1;
            break;
        }
    }
    free(G);
    return st;
}

double gb_linear_mse(const double *W, const gb_dataset_struct *d)
{
    long n = d->spec.N + 1, S = d->spec.S;
    double *R = malloc(sizeof(double) * S * n);
    memcpy(R, d->u, sizeof(double) * S * n);
    /* R = F Wᵀ - U, samples as rows */
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, S, n, n, 1.0, d->f, n, W, n, -1.0, R, n);
    double s = 0;
    for (long i = 0; i < S * n; i++)
        s += R[i] * R[i];
    free(R);
    return s / (double)(S * n);
}

void gb_linear_init_weights(double *W0, long n, double std, unsigned long seed)
{
    if (std == 0) {
        memset(W0, 0, sizeof(double) * n * n);
        return;
    }
    gmp_randstate_t rs;
    gmp_randinit_mt(rs);
    gb_rng_seed(rs, seed, 99, (int)n, 0, 3); /* its own stream: never the data's */
    for (long i = 0; i < n * n; i++)
        W0[i] = std * gb_rng_draw(rs, GB_LAW_NORMAL);
    gmp_randclear(rs);
}
