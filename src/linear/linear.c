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
    return gb_linear_data_init_arrays(L, d->f, d->u, d->spec.S, d->spec.N + 1);
}

int gb_linear_data_init_arrays(gb_linear_data *L, const double *F, const double *U, long S, long n)
{
    gb_blas_single_thread();
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
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, n, S, 1.0 / S, F, n, F, n, 0, L->C, n);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, n, S, 1.0 / S, U, n, F, n, 0, L->B, n);
    /* thin SVD of the forcings: X = U Σ Vᵀ */
    memcpy(X, F, sizeof(double) * S * n);
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
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, r, S, 1.0, U, n, Uo, k, 0, T, r);
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
    return gb_linear_mse_arrays(W, d->f, d->u, d->spec.S, d->spec.N + 1);
}

double gb_linear_mse_arrays(const double *W, const double *F, const double *U, long S, long n)
{
    double *R = malloc(sizeof(double) * S * n);
    memcpy(R, U, sizeof(double) * S * n);
    /* R = F Wᵀ - U, samples as rows */
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, S, n, n, 1.0, F, n, W, n, -1.0, R, n);
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

int gb_linear_gd_steps(double *W, const gb_linear_data *L, double eta, long T, long block)
{
    long n = L->n, nn = n * n;
    if (block < 1)
        block = 1;
    if (block > T)
        block = T > 0 ? T : 1;
    double *M = malloc(sizeof(double) * nn), *Nb = malloc(sizeof(double) * nn), *Z = malloc(sizeof(double) * nn),
           *Q = malloc(sizeof(double) * nn);
    if (!M || !Nb || !Z || !Q) {
        free(M); free(Nb); free(Z); free(Q);
        return GB_ENOMEM;
    }
    /* one step's map: M₁ = I − ηC; the block's map by applying it `block` times to (I, 0):
     * (M, N) ← (M M₁, N M₁ + ηB), the GD recursion itself run on the identity */
    double *M1 = Q;
    for (long i = 0; i < nn; i++)
        M1[i] = -eta * L->C[i] + (i / n == i % n);
    memcpy(M, M1, sizeof(double) * nn);
    for (long i = 0; i < nn; i++)
        Nb[i] = eta * L->B[i];
    for (long b = 1; b < block; b++) {
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, M, n, M1, n, 0.0, Z, n);
        memcpy(M, Z, sizeof(double) * nn);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, Nb, n, M1, n, 0.0, Z, n);
        for (long i = 0; i < nn; i++)
            Nb[i] = Z[i] + eta * L->B[i];
    }
    int st = GB_OK;
    long t = 0;
    for (; t + block <= T; t += block) {
        memcpy(Z, Nb, sizeof(double) * nn);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, W, n, M, n, 1.0, Z, n);
        memcpy(W, Z, sizeof(double) * nn);
        if (!isfinite(cblas_dnrm2(nn, W, 1))) {
            st = GB_ENONFIN;
            break;
        }
    }
    for (; st == GB_OK && t < T; t++) {   /* the remainder, step by step */
        memcpy(Z, L->B, sizeof(double) * nn);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, W, n, L->C, n, -1.0, Z, n);
        cblas_daxpy(nn, -eta, Z, 1, W, 1);
        if (!isfinite(cblas_dnrm2(nn, W, 1)))
            st = GB_ENONFIN;
    }
    free(M); free(Nb); free(Z); free(Q);
    return st;
}

/* λ_i of C from the singular values of the forcings (zero beyond min(S, n)) */
static double eig(const gb_linear_data *L, long i)
{
    long k = L->S < L->n ? L->S : L->n;
    return i < k ? L->sigma[i] * L->sigma[i] / L->S : 0.0;
}

int gb_linear_gd_formula(double *W, const gb_linear_data *L, const double *W0, double eta, long T)
{
    long n = L->n, nn = n * n;
    double *X = malloc(sizeof(double) * nn), *Y = malloc(sizeof(double) * nn);
    if (!X || !Y) {
        free(X); free(Y);
        return GB_ENOMEM;
    }
    /* W_T = W⁰ + [W⁰ Vᵀ diag((1 − ηλ)^T − 1) + B Vᵀ diag(g_T(λ))] V, V's rows the eigenvectors of C
     * (rows beyond min(S, n) are zero: the null space keeps W⁰ and B has no component there) */
    memset(X, 0, sizeof(double) * nn);
    if (W0)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, n, 1.0, W0, n, L->V, n, 0.0, X, n);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, n, 1.0, L->B, n, L->V, n, 0.0, Y, n);
    for (long j = 0; j < n; j++) {
        double lam = eig(L, j), x = eta * lam;
        /* (1 − ηλ)^T − 1, accurately where ηλ is small (the slow directions that matter) */
        double qm1 = x < 0.5 ? expm1((double)T * log1p(-x)) : pow(1.0 - x, (double)T) - 1.0;
        double g = lam > 0 ? -qm1 / lam : eta * (double)T;
        for (long i = 0; i < n; i++)
            X[i * n + j] = X[i * n + j] * qm1 + Y[i * n + j] * g;
    }
    if (W0)
        memcpy(W, W0, sizeof(double) * nn);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, X, n, L->V, n, W0 ? 1.0 : 0.0, W, n);
    free(X); free(Y);
    return GB_OK;
}

double gb_linear_gd_left(const gb_linear_data *L, double eta, long T)
{
    double worst = 0;
    for (long i = 0; i < L->rank; i++)
        worst = fmax(worst, fabs(pow(1.0 - eta * eig(L, i), (double)T)));
    return worst;
}

int gb_linear_gd_modes(double *e, const gb_linear_data *L, const double *W0, const double *Wstar)
{
    long n = L->n;
    double *E = malloc(sizeof(double) * n * n), *Ev = malloc(sizeof(double) * n);
    if (!E || !Ev) {
        free(E); free(Ev);
        return GB_ENOMEM;
    }
    for (long i = 0; i < n * n; i++)
        E[i] = (W0 ? W0[i] : 0.0) - Wstar[i];
    for (long i = 0; i < L->rank; i++) {
        cblas_dgemv(CblasRowMajor, CblasNoTrans, n, n, 1.0, E, n, L->V + i * n, 1, 0.0, Ev, 1);
        e[i] = cblas_ddot(n, Ev, 1, Ev, 1);
    }
    free(E); free(Ev);
    return GB_OK;
}

double gb_linear_gd_loss(const gb_linear_data *L, const double *e, double eta, long T)
{
    double s = 0;
    for (long i = 0; i < L->rank; i++) {
        double lam = eig(L, i);
        s += lam * e[i] * pow(1 - eta * lam, 2.0 * T);
    }
    return s / L->n;
}

void gb_linear_gd_noise_kernel(double *K, const gb_linear_data *L, double eta, long T)
{
    long n = L->n;
    double *X = malloc(sizeof(double) * n * n);
    /* K = Vᵀ diag(g_T(λ)² λ / S) V, g_T(λ)² λ = ((1 − ηλ)^T − 1)²/λ */
    for (long j = 0; j < n; j++) {
        double lam = eig(L, j), x = eta * lam;
        double qm1 = x < 0.5 ? expm1((double)T * log1p(-x)) : pow(1.0 - x, (double)T) - 1.0;
        double kj = lam > 0 ? qm1 * qm1 / lam / (double)L->S : 0.0;
        for (long i = 0; i < n; i++)
            X[j * n + i] = kj * L->V[j * n + i];
    }
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, n, n, 1.0, L->V, n, X, n, 0.0, K, n);
    free(X);
}

void gb_linear_off_span(double *Q, const double *W, long rows, long n, const double *V, long rank)
{
    memcpy(Q, W, (size_t)(rows * n) * sizeof(double));
    for (long r = 0; r < rows; r++)
        for (long k = 0; k < rank; k++) {
            double c = 0;
            for (long i = 0; i < n; i++)
                c += W[r * n + i] * V[k * n + i];
            for (long i = 0; i < n; i++)
                Q[r * n + i] -= c * V[k * n + i];
        }
}

double gb_linear_fro(const double *a, long n)
{
    double s = 0;
    for (long i = 0; i < n; i++)
        s += a[i] * a[i];
    return sqrt(s);
}
