/* 2-D Poisson by the sine transform: see poisson2d.h. */
#include "problem/poisson2d.h"
#include "core/blas.h"
#include "core/grid.h"
#include "core/status.h"

#include <cblas.h>
#include <fftw3.h>
#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double gb_p2d_matrix_bytes(long n) { return 8.0 * (double)n * n * (double)n * n; }

int gb_p2d_check(long n, const gb_p2d_factor *fx, const gb_p2d_factor *fy, char *msg, size_t len)
{
    char buf[1];
    if (!msg) { msg = buf; len = sizeof buf; }
    if (n < 2)
        return snprintf(msg, len, "n = %ld: the interior grid needs n ≥ 2", n), GB_EINVAL;
    /* the operator, the weights and their closed form: three n² × n² matrices */
    double need = 3 * gb_p2d_matrix_bytes(n);
    if (n > 100000 || need > GB_P2D_MAX_BYTES)
        return snprintf(msg, len, "n = %ld: the n² × n² matrices of the linear model would need %.3g GiB (three of "
                        "%.3g GiB), above the limit of %.3g GiB", n, need / 1073741824.0,
                        gb_p2d_matrix_bytes(n) / 1073741824.0, GB_P2D_MAX_BYTES / 1073741824.0), GB_EINVAL;
    const gb_p2d_factor *f[2] = {fx, fy};
    for (int a = 0; a < 2; a++)
        if (f[a] && (f[a]->family == GB_FAMILY_FEM || f[a]->p < 1 || f[a]->p > 8 || f[a]->p > n))
            return snprintf(msg, len, "factor %s:%d: expected poly, cos or sin with 1..min(8, n) terms",
                            gb_family_name(f[a]->family), f[a]->p), GB_EINVAL;
    return GB_OK;
}

/* the eigenvalues λ_m = 4 sin²(mπ/(2(n + 1))) of T, m = 1..n */
static void t_eigenvalues(double *lam, long n)
{
    for (long m = 1; m <= n; m++) {
        double s = sin(M_PI * (double)m / (2.0 * (double)(n + 1)));
        lam[m - 1] = 4 * s * s;
    }
}

int gb_p2d_solve(double *u, const double *f, long n, double k)
{
    double *a = fftw_malloc(sizeof(double) * n * n), *lam = malloc(sizeof(double) * n);
    if (!a || !lam)
        return fftw_free(a), free(lam), GB_ENOMEM;
    fftw_plan p = fftw_plan_r2r_2d((int)n, (int)n, a, a, FFTW_RODFT00, FFTW_RODFT00, FFTW_ESTIMATE);
    if (!p)
        return fftw_free(a), free(lam), GB_ENOMEM;
    memcpy(a, f, sizeof(double) * n * n);
    fftw_execute(p);
    t_eigenvalues(lam, n);
    /* RODFT00 twice is 2(n + 1) times the identity per direction */
    double h2 = 1.0 / ((double)(n + 1) * (double)(n + 1)), scale = 4.0 * (double)(n + 1) * (double)(n + 1);
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++)
            a[i * n + j] /= k * (lam[i] + lam[j]) / h2 * scale;
    fftw_execute(p);
    memcpy(u, a, sizeof(double) * n * n);
    fftw_destroy_plan(p);
    fftw_free(a);
    free(lam);
    return GB_OK;
}

int gb_p2d_solve_direct(double *u, const double *f, long n, double k)
{
    long m = n * n;
    double *K = calloc((size_t)(m * m), sizeof(double)), h2 = 1.0 / ((double)(n + 1) * (double)(n + 1));
    lapack_int *piv = malloc(sizeof(lapack_int) * m);
    if (!K || !piv)
        return free(K), free(piv), GB_ENOMEM;
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) {
            long r = i * n + j;
            K[r * m + r] = 4 * k / h2;
            if (i > 0) K[r * m + r - n] = -k / h2;
            if (i < n - 1) K[r * m + r + n] = -k / h2;
            if (j > 0) K[r * m + r - 1] = -k / h2;
            if (j < n - 1) K[r * m + r + 1] = -k / h2;
        }
    memmove(u, f, sizeof(double) * m);
    int info = LAPACKE_dgesv(LAPACK_ROW_MAJOR, (lapack_int)m, 1, K, (lapack_int)m, piv, u, 1);
    free(K);
    free(piv);
    return info ? GB_EMAXITER : GB_OK;
}

int gb_p2d_operator(double *A, long n, double k)
{
    long m = n * n;
    double *e = malloc(sizeof(double) * m);
    if (!e)
        return GB_ENOMEM;
    int st = GB_OK;
    for (long c = 0; c < m && !st; c++) {   /* column c of A is (k L_h)⁻¹ e_c; A is symmetric */
        memset(e, 0, sizeof(double) * m);
        e[c] = 1;
        st = gb_p2d_solve(e, e, n, k);
        for (long r = 0; r < m; r++)
            A[r * m + c] = e[r];
    }
    free(e);
    return st;
}

void gb_p2d_basis(double *B, long n, const gb_p2d_factor *f, mpfr_prec_t prec)
{
    int terms[16];
    gb_data_spec s;
    gb_data_spec_default(&s);
    s.family = f->family;
    s.p = f->p;
    int p = gb_data_spec_terms(&s, terms);
    mpfr_t x, v;
    mpfr_inits2(prec, x, v, (mpfr_ptr)0);
    for (long i = 0; i < n; i++) {
        gb_grid_node(x, i + 1, n + 1);
        for (int b = 0; b < p; b++) {
            gb_basis_forcing(v, f->family, terms[b], x);
            B[i * p + b] = mpfr_get_d(v, MPFR_RNDN);
        }
    }
    mpfr_clears(x, v, (mpfr_ptr)0);
}

int gb_p2d_projector(double *P, long n, const gb_p2d_factor *f, mpfr_prec_t prec)
{
    long p = f->p;
    double *Q = malloc(sizeof(double) * n * p), *tau = malloc(sizeof(double) * p);
    if (!Q || !tau)
        return free(Q), free(tau), GB_ENOMEM;
    gb_p2d_basis(Q, n, f, prec);
    int info = LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, (lapack_int)n, (lapack_int)p, Q, (lapack_int)p, tau);
    if (!info)
        info = LAPACKE_dorgqr(LAPACK_ROW_MAJOR, (lapack_int)n, (lapack_int)p, (lapack_int)p, Q, (lapack_int)p, tau);
    if (!info)   /* P = Q Qᵀ */
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)n, (int)p, 1.0, Q, (int)p, Q, (int)p, 0.0,
                    P, (int)n);
    free(Q);
    free(tau);
    return info ? GB_EMAXITER : GB_OK;
}

int gb_p2d_times_kron(double *X, const double *M, const double *P, const double *Q, long n)
{
    long m = n * n;
    double *T = malloc(sizeof(double) * m);
    if (!T)
        return GB_ENOMEM;
    for (long i = 0; i < m; i++) {
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)n, (int)n, 1.0, P, (int)n, M + i * m,
                    (int)n, 0.0, T, (int)n);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)n, (int)n, 1.0, T, (int)n, Q, (int)n, 0.0,
                    X + i * m, (int)n);
    }
    free(T);
    return GB_OK;
}

/* the numerical rank of an n × c matrix (row-major, overwritten) */
static long rank_of(double *M, long n, long c)
{
    long k = n < c ? n : c;
    double *s = malloc(sizeof(double) * k), *sup = malloc(sizeof(double) * k);
    long r = -1;
    if (s && sup && !LAPACKE_dgesvd(LAPACK_ROW_MAJOR, 'N', 'N', (lapack_int)n, (lapack_int)c, M, (lapack_int)c, s, NULL,
                                    1, NULL, 1, sup)) {
        double tol = (double)(n > c ? n : c) * DBL_EPSILON * s[0];
        for (r = 0; r < k && s[r] > tol; r++)
            ;
    }
    free(s);
    free(sup);
    return r;
}

int gb_p2d_span_contains(long n, const gb_p2d_factor *train, const gb_p2d_factor *test, mpfr_prec_t prec)
{
    long a = train->p, b = test->p;
    double *M = malloc(sizeof(double) * n * (a + b)), *Ba = malloc(sizeof(double) * n * a),
           *Bb = malloc(sizeof(double) * n * b);
    int in = 0;
    if (M && Ba && Bb) {
        gb_p2d_basis(Ba, n, train, prec);
        gb_p2d_basis(Bb, n, test, prec);
        for (long i = 0; i < n; i++) {
            memcpy(M + i * (a + b), Ba + i * a, sizeof(double) * a);
            memcpy(M + i * (a + b) + a, Bb + i * b, sizeof(double) * b);
        }
        long rab = rank_of(M, n, a + b), ra = rank_of(Ba, n, a);
        in = rab >= 0 && rab == ra;
    }
    free(M);
    free(Ba);
    free(Bb);
    return in;
}

int gb_p2d_data(double *F, double *U, long S, long n, double k, const gb_p2d_factor *fx, const gb_p2d_factor *fy,
                unsigned long seed, mpfr_prec_t prec)
{
    long px = fx->p, py = fy->p, m = n * n;
    double *Bx = malloc(sizeof(double) * n * px), *By = malloc(sizeof(double) * n * py),
           *C = malloc(sizeof(double) * px * py), *T = malloc(sizeof(double) * n * py);
    if (!Bx || !By || !C || !T)
        return free(Bx), free(By), free(C), free(T), GB_ENOMEM;
    gb_p2d_basis(Bx, n, fx, prec);
    gb_p2d_basis(By, n, fy, prec);
    gmp_randstate_t rs;
    gmp_randinit_mt(rs);
    /* a stream of its own: family codes ≥ 16 never meet the 1-D data's */
    gb_rng_seed(rs, seed, 16 + 4 * (int)fx->family + (int)fy->family, (int)(16 * px + py), 0, 2);
    int st = GB_OK;
    for (long s = 0; s < S && !st; s++) {
        for (long c = 0; c < px * py; c++)
            C[c] = gb_rng_draw(rs, GB_LAW_NORMAL);
        /* f = Bx C Byᵀ (n × n) */
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)py, (int)px, 1.0, Bx, (int)px, C, (int)py,
                    0.0, T, (int)py);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)n, (int)py, 1.0, T, (int)py, By, (int)py, 0.0,
                    F + s * m, (int)n);
        st = gb_p2d_solve(U + s * m, F + s * m, n, k);
    }
    gmp_randclear(rs);
    free(Bx);
    free(By);
    free(C);
    free(T);
    return st;
}
