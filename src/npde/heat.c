#include "npde/heat.h"
#include "core/status.h"
#include "data/data.h"
#include "experiment/fd_case.h"
#include "stencil/stencil.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { HEAT_STREAM = 7 };   /* its own random stream: never a data set's of §2 */

void gb_heat_spec_default(gb_heat_spec *s)
{
    s->N = 64;
    s->nu = 0.1;
    s->modes = 8;
    s->mode = 0;
    s->J = 11;
    s->T = 1.0;
    s->seed = 1;
    s->prec = 256;
}

int gb_heat_spec_check(const gb_heat_spec *s, char *msg, size_t len)
{
    char buf[8];
    if (!msg) { msg = buf; len = sizeof buf; }
    if (s->N < 8 || s->N > 4096)
        return snprintf(msg, len, "N = %ld outside 8..4096", s->N), GB_EINVAL;
    if (!(s->nu > 0) || !isfinite(s->nu))
        return snprintf(msg, len, "nu = %g must be finite and > 0", s->nu), GB_EINVAL;
    long top = s->N / 2 - 1;   /* below the Nyquist mode, whose sine vanishes on the grid */
    if (s->mode ? s->mode < 1 || s->mode > top : s->modes < 1 || s->modes > top)
        return snprintf(msg, len, "modes must lie in 1..%ld for N = %ld", top, s->N), GB_EINVAL;
    if (s->J < 2 || s->J > 1000)
        return snprintf(msg, len, "snapshots J = %ld outside 2..1000", s->J), GB_EINVAL;
    if (!(s->T > 0) || !isfinite(s->T))
        return snprintf(msg, len, "T = %g must be finite and > 0", s->T), GB_EINVAL;
    if (s->prec < 64 || s->prec > 65536)
        return snprintf(msg, len, "precision = %ld bits outside 64..65536", (long)s->prec), GB_EINVAL;
    return GB_OK;
}

static int top_mode(const gb_heat_spec *s)
{
    return s->mode ? s->mode : s->modes;
}

int gb_heat_coefficients(double *a, double *b, const gb_heat_spec *s)
{
    int M = top_mode(s);
    if (s->mode) {
        for (int m = 0; m < M; m++)
            a[m] = b[m] = 0;
        a[M - 1] = 1;
        return GB_OK;
    }
    gmp_randstate_t rs;
    gmp_randinit_mt(rs);
    gb_rng_seed(rs, s->seed, HEAT_STREAM, M, 0, 0);
    for (int m = 0; m < M; m++) {
        a[m] = gb_rng_draw(rs, GB_LAW_NORMAL);
        b[m] = gb_rng_draw(rs, GB_LAW_NORMAL);
    }
    gmp_randclear(rs);
    return GB_OK;
}

/* decay exponent of mode m after time t: −ν σ_p(mΔx) t / Δx², in MPFR */
static void decay(mpfr_t e, const gb_heat_spec *s, int p, int m, double t, mpfr_prec_t prec)
{
    mpfr_t th, dx;
    mpfr_inits2(prec, th, dx, (mpfr_ptr)0);
    mpfr_const_pi(dx, MPFR_RNDN);
    mpfr_mul_2ui(dx, dx, 1, MPFR_RNDN);
    mpfr_div_si(dx, dx, s->N, MPFR_RNDN);            /* Δx = 2π/N */
    mpfr_mul_si(th, dx, m, MPFR_RNDN);                /* θ = mΔx */
    gb_stencil_symbol_closed(e, p, th);
    mpfr_sqr(dx, dx, MPFR_RNDN);
    mpfr_div(e, e, dx, MPFR_RNDN);
    mpfr_mul_d(e, e, -s->nu * t, MPFR_RNDN);          /* ν and t are exact doubles */
    mpfr_clears(th, dx, (mpfr_ptr)0);
}

/* the initial condition's coefficients, allocated here (free both; GB_ENOMEM leaves nothing allocated) */
static int coefficients_new(double **a, double **b, const gb_heat_spec *s)
{
    int M = top_mode(s);
    *a = malloc(sizeof(double) * M);
    *b = malloc(sizeof(double) * M);
    if (!*a || !*b) {
        free(*a); free(*b);
        *a = *b = NULL;
        return GB_ENOMEM;
    }
    return gb_heat_coefficients(*a, *b, s);
}

static double snapshot_time(const gb_heat_spec *s, long j)
{
    return s->T * (double)j / (double)(s->J - 1);
}

/* the energy of mode m over the snapshots, E_m = Σ_j (a_m² + b_m²) exp(−2ν σ_p(θ_m) t_j/Δx²), and θ_m = 2πm/N */
static void mode_energy(mpfr_t E, mpfr_t th, const gb_heat_spec *s, int p, int m, const double *a, const double *b)
{
    mpfr_prec_t wp = mpfr_get_prec(E);
    mpfr_t e, t;
    mpfr_inits2(wp, e, t, (mpfr_ptr)0);
    mpfr_set_zero(E, 1);
    for (long j = 0; j < s->J; j++) {
        decay(e, s, p, m, snapshot_time(s, j), wp);
        mpfr_mul_2ui(e, e, 1, MPFR_RNDN);
        mpfr_exp(e, e, MPFR_RNDN);
        mpfr_add(E, E, e, MPFR_RNDN);
    }
    mpfr_set_d(t, a[m - 1], MPFR_RNDN);
    mpfr_sqr(t, t, MPFR_RNDN);
    mpfr_set_d(e, b[m - 1], MPFR_RNDN);
    mpfr_sqr(e, e, MPFR_RNDN);
    mpfr_add(t, t, e, MPFR_RNDN);
    mpfr_mul(E, E, t, MPFR_RNDN);
    mpfr_const_pi(th, MPFR_RNDN);
    mpfr_mul_si(th, th, 2 * m, MPFR_RNDN);
    mpfr_div_si(th, th, s->N, MPFR_RNDN);
    mpfr_clears(e, t, (mpfr_ptr)0);
}

int gb_heat_snapshots(double *U, const gb_heat_spec *s, int p)
{
    int M = top_mode(s);
    double *a, *b;
    if (coefficients_new(&a, &b, s))
        return GB_ENOMEM;
    mpfr_prec_t wp = s->prec;
    mpfr_t e, x, c, sn, acc, t;
    mpfr_inits2(wp, e, x, c, sn, acc, t, (mpfr_ptr)0);
    mpfr_t *amp = malloc(sizeof(mpfr_t) * 2 * M);
    for (long j = 0; j < s->J; j++) {
        for (int m = 1; m <= M; m++) {   /* the decayed amplitudes of mode m at t_j */
            decay(e, s, p, m, snapshot_time(s, j), wp);
            mpfr_exp(e, e, MPFR_RNDN);
            mpfr_init2(amp[2 * (m - 1)], wp);
            mpfr_init2(amp[2 * (m - 1) + 1], wp);
            mpfr_mul_d(amp[2 * (m - 1)], e, a[m - 1], MPFR_RNDN);
            mpfr_mul_d(amp[2 * (m - 1) + 1], e, b[m - 1], MPFR_RNDN);
        }
        for (long i = 0; i < s->N; i++) {
            mpfr_set_zero(acc, 1);
            for (int m = 1; m <= M; m++) {
                mpfr_const_pi(x, MPFR_RNDN);
                mpfr_mul_si(x, x, 2 * m * i, MPFR_RNDN);
                mpfr_div_si(x, x, s->N, MPFR_RNDN);   /* m x_i = 2π m i / N */
                mpfr_sin_cos(sn, c, x, MPFR_RNDN);
                mpfr_mul(t, c, amp[2 * (m - 1)], MPFR_RNDN);
                mpfr_add(acc, acc, t, MPFR_RNDN);
                mpfr_mul(t, sn, amp[2 * (m - 1) + 1], MPFR_RNDN);
                mpfr_add(acc, acc, t, MPFR_RNDN);
            }
            U[j * s->N + i] = mpfr_get_d(acc, MPFR_RNDN);
        }
        for (int m = 0; m < 2 * M; m++)
            mpfr_clear(amp[m]);
    }
    free(amp);
    mpfr_clears(e, x, c, sn, acc, t, (mpfr_ptr)0);
    free(a);
    free(b);
    return GB_OK;
}

void gb_heat_apply(double *D, const double *u, long N, int q)
{
    const gb_stencil_struct *st = gb_fd_stencil(q);
    /* 1/Δx² = N²/(4π²), formed once in long double; the weights are exact integers over den */
    long double scale = (long double)N * N / (4.0L * 3.14159265358979323846264338327950288L *
                                              3.14159265358979323846264338327950288L * mpz_get_d(st->den));
    for (long j = 0; j < N; j++) {
        long double s = 0;
        for (int l = -st->r; l <= st->r; l++)
            s += (long double)st->num[l + st->r] * u[((j + l) % N + N) % N];
        D[j] = (double)(s * scale);
    }
}

double gb_heat_fit_nu(const double *U, long J, long N, double nu, int p, int k)
{
    double *Dp = malloc(sizeof(double) * N), *Dk = malloc(sizeof(double) * N);
    long double num = 0, den = 0;
    for (long j = 0; j < J; j++) {
        gb_heat_apply(Dp, U + j * N, N, p);
        gb_heat_apply(Dk, U + j * N, N, k);
        for (long i = 0; i < N; i++) {
            num += (long double)Dk[i] * nu * Dp[i];   /* ⟨D_k u, u_t⟩, u_t = ν D_p u */
            den += (long double)Dk[i] * Dk[i];
        }
    }
    free(Dp);
    free(Dk);
    return (double)(num / den);
}

int gb_heat_pred_nu_ratio(mpfr_t r, const gb_heat_spec *s, int p, int k)
{
    int M = top_mode(s);
    mpfr_prec_t wp = mpfr_get_prec(r);
    double *a, *b;
    if (coefficients_new(&a, &b, s))
        return GB_ENOMEM;
    mpfr_t E, e, th, sp, sk, num, den, t;
    mpfr_inits2(wp, E, e, th, sp, sk, num, den, t, (mpfr_ptr)0);
    mpfr_set_zero(num, 1);
    mpfr_set_zero(den, 1);
    for (int m = 1; m <= M; m++) {
        mode_energy(E, th, s, p, m, a, b);
        gb_stencil_symbol_closed(sp, p, th);
        gb_stencil_symbol_closed(sk, k, th);
        mpfr_mul(t, sp, sk, MPFR_RNDN);
        mpfr_mul(t, t, E, MPFR_RNDN);
        mpfr_add(num, num, t, MPFR_RNDN);
        mpfr_sqr(t, sk, MPFR_RNDN);
        mpfr_mul(t, t, E, MPFR_RNDN);
        mpfr_add(den, den, t, MPFR_RNDN);
    }
    mpfr_div(r, num, den, MPFR_RNDN);
    mpfr_clears(E, e, th, sp, sk, num, den, t, (mpfr_ptr)0);
    free(a);
    free(b);
    return GB_OK;
}

/* solves the n × n system A x = b in place by Gaussian elimination with partial pivoting (long double);
 * GB_EINVAL if a pivot vanishes relative to the matrix */
static int solve_ld(long double *A, long double *b, int n)
{
    long double amax = 0;
    for (int i = 0; i < n * n; i++)
        amax = fmaxl(amax, fabsl(A[i]));
    for (int c = 0; c < n; c++) {
        int piv = c;
        for (int i = c + 1; i < n; i++)
            if (fabsl(A[i * n + c]) > fabsl(A[piv * n + c]))
                piv = i;
        if (!(fabsl(A[piv * n + c]) > 1e-15L * amax))
            return GB_EINVAL;
        for (int j = 0; j < n && piv != c; j++) {
            long double t = A[c * n + j];
            A[c * n + j] = A[piv * n + j];
            A[piv * n + j] = t;
        }
        if (piv != c) {
            long double t = b[c];
            b[c] = b[piv];
            b[piv] = t;
        }
        for (int i = c + 1; i < n; i++) {
            long double f = A[i * n + c] / A[c * n + c];
            for (int j = c; j < n; j++)
                A[i * n + j] -= f * A[c * n + j];
            b[i] -= f * b[c];
        }
    }
    for (int i = n - 1; i >= 0; i--) {
        for (int j = i + 1; j < n; j++)
            b[i] -= A[i * n + j] * b[j];
        b[i] /= A[i * n + i];
    }
    return GB_OK;
}

int gb_heat_fit_correction(double *c, const double *U, long J, long N, double nu, int p, int k, int w)
{
    int n = 2 * w + 1;
    double *Dp = malloc(sizeof(double) * N), *Dk = malloc(sizeof(double) * N);
    long double *A = calloc((size_t)(n * n), sizeof(long double)), *b = calloc((size_t)n, sizeof(long double));
    if (!Dp || !Dk || !A || !b) {
        free(Dp); free(Dk); free(A); free(b);
        return GB_ENOMEM;
    }
    /* normal equations of min Σ_j Σ_i (Σ_l c_l u_{i+l} − ν (D_p − D_k) u_i)² */
    for (long j = 0; j < J; j++) {
        const double *u = U + j * N;
        gb_heat_apply(Dp, u, N, p);
        gb_heat_apply(Dk, u, N, k);
        for (long i = 0; i < N; i++) {
            long double r = (long double)nu * ((long double)Dp[i] - Dk[i]);
            for (int a = 0; a < n; a++) {
                long double ua = u[((i + a - w) % N + N) % N];
                b[a] += ua * r;
                for (int e = 0; e < n; e++)
                    A[a * n + e] += ua * u[((i + e - w) % N + N) % N];
            }
        }
    }
    int st = solve_ld(A, b, n);
    for (int a = 0; a < n && !st; a++)
        c[a] = (double)b[a];
    free(Dp); free(Dk); free(A); free(b);
    return st;
}

double gb_heat_correction_symbol(const double *d, int w, double theta)
{
    double s = d[0];
    for (int l = 1; l <= w; l++)
        s += 2 * d[l] * cos(l * theta);
    return s;
}

double gb_heat_target_symbol(const gb_heat_spec *s, int p, int k, double theta)
{
    mpfr_t th, a, b;
    mpfr_inits2(s->prec, th, a, b, (mpfr_ptr)0);
    mpfr_set_d(th, theta, MPFR_RNDN);
    gb_stencil_symbol_closed(a, p, th);
    gb_stencil_symbol_closed(b, k, th);
    mpfr_sub(a, a, b, MPFR_RNDN);
    double dx = 2 * M_PI / (double)s->N, t = -s->nu * mpfr_get_d(a, MPFR_RNDN) / (dx * dx);
    mpfr_clears(th, a, b, (mpfr_ptr)0);
    return t;
}

int gb_heat_pred_correction(double *d, const gb_heat_spec *s, int p, int k, int w)
{
    int M = top_mode(s), n = w + 1;
    mpfr_prec_t wp = s->prec;
    double *a = malloc(sizeof(double) * M), *b = malloc(sizeof(double) * M);
    mpfr_t *A = malloc(sizeof(mpfr_t) * n * n), *r = malloc(sizeof(mpfr_t) * n);
    if (!a || !b || !A || !r) {
        free(a); free(b); free(A); free(r);
        return GB_ENOMEM;
    }
    gb_heat_coefficients(a, b, s);
    for (int i = 0; i < n * n; i++)
        mpfr_init2(A[i], wp), mpfr_set_zero(A[i], 1);
    for (int i = 0; i < n; i++)
        mpfr_init2(r[i], wp), mpfr_set_zero(r[i], 1);
    mpfr_t E, e, th, sp, sk, t, dx2, ci, cj, f;
    mpfr_inits2(wp, E, e, th, sp, sk, t, dx2, ci, cj, f, (mpfr_ptr)0);
    mpfr_const_pi(dx2, MPFR_RNDN);
    mpfr_mul_2ui(dx2, dx2, 1, MPFR_RNDN);
    mpfr_div_si(dx2, dx2, s->N, MPFR_RNDN);
    mpfr_sqr(dx2, dx2, MPFR_RNDN);
    /* weighted least squares over the modes: basis φ_0 = 1, φ_l = 2 cos lθ; weight E_m; target t(θ_m) */
    for (int m = 1; m <= M; m++) {
        mode_energy(E, th, s, p, m, a, b);
        gb_stencil_symbol_closed(sp, p, th);
        gb_stencil_symbol_closed(sk, k, th);
        mpfr_sub(t, sp, sk, MPFR_RNDN);
        mpfr_div(t, t, dx2, MPFR_RNDN);
        mpfr_mul_d(t, t, -s->nu, MPFR_RNDN);   /* the target symbol */
        for (int i = 0; i < n; i++) {
            mpfr_mul_si(ci, th, i, MPFR_RNDN);
            mpfr_cos(ci, ci, MPFR_RNDN);
            if (i)
                mpfr_mul_2ui(ci, ci, 1, MPFR_RNDN);
            mpfr_mul(f, ci, E, MPFR_RNDN);
            mpfr_fma(r[i], f, t, r[i], MPFR_RNDN);
            for (int j = 0; j < n; j++) {
                mpfr_mul_si(cj, th, j, MPFR_RNDN);
                mpfr_cos(cj, cj, MPFR_RNDN);
                if (j)
                    mpfr_mul_2ui(cj, cj, 1, MPFR_RNDN);
                mpfr_fma(A[i * n + j], f, cj, A[i * n + j], MPFR_RNDN);
            }
        }
    }
    /* Gaussian elimination in MPFR (n ≤ 4), no pivoting needed for this positive definite system */
    int st = GB_OK;
    for (int col = 0; col < n && !st; col++) {
        if (mpfr_zero_p(A[col * n + col])) {
            st = GB_EINVAL;
            break;
        }
        for (int i = col + 1; i < n; i++) {
            mpfr_div(f, A[i * n + col], A[col * n + col], MPFR_RNDN);
            for (int j = col; j < n; j++) {
                mpfr_mul(t, f, A[col * n + j], MPFR_RNDN);
                mpfr_sub(A[i * n + j], A[i * n + j], t, MPFR_RNDN);
            }
            mpfr_mul(t, f, r[col], MPFR_RNDN);
            mpfr_sub(r[i], r[i], t, MPFR_RNDN);
        }
    }
    for (int i = n - 1; i >= 0 && !st; i--) {
        for (int j = i + 1; j < n; j++) {
            mpfr_mul(t, A[i * n + j], r[j], MPFR_RNDN);
            mpfr_sub(r[i], r[i], t, MPFR_RNDN);
        }
        mpfr_div(r[i], r[i], A[i * n + i], MPFR_RNDN);
        d[i] = mpfr_get_d(r[i], MPFR_RNDN);
    }
    mpfr_clears(E, e, th, sp, sk, t, dx2, ci, cj, f, (mpfr_ptr)0);
    for (int i = 0; i < n * n; i++)
        mpfr_clear(A[i]);
    for (int i = 0; i < n; i++)
        mpfr_clear(r[i]);
    free(A); free(r); free(a); free(b);
    return st;
}

void gb_heat_rollout(double *u, long N, double nuhat, int k, int M, double T, long n)
{
    double *k1 = malloc(sizeof(double) * N), *k2 = malloc(sizeof(double) * N), *k3 = malloc(sizeof(double) * N),
           *k4 = malloc(sizeof(double) * N), *v = malloc(sizeof(double) * N), h = T / (double)n;
    for (long j = 0; j < N; j++)
        u[j] = cos(2 * M_PI * (double)M * (double)j / (double)N);
    for (long s = 0; s < n; s++) {   /* k_i = ν̂ D_k (u + …) */
        gb_heat_apply(k1, u, N, k);
        for (long j = 0; j < N; j++)
            v[j] = u[j] + 0.5 * h * nuhat * k1[j];
        gb_heat_apply(k2, v, N, k);
        for (long j = 0; j < N; j++)
            v[j] = u[j] + 0.5 * h * nuhat * k2[j];
        gb_heat_apply(k3, v, N, k);
        for (long j = 0; j < N; j++)
            v[j] = u[j] + h * nuhat * k3[j];
        gb_heat_apply(k4, v, N, k);
        for (long j = 0; j < N; j++)
            u[j] += h * nuhat * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]) / 6;
    }
    free(k1); free(k2); free(k3); free(k4); free(v);
}
