#include "npde/burgers.h"
#include "core/status.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gb_burgers_default(gb_burgers *b)
{
    b->N = 100;
    b->L = 2 * M_PI;
    b->nu = 0.03;
    b->dt = 0.01;
    b->T = 0.5;
    gb_scheme_init(&b->adv, 1, 1, 1);
    gb_scheme_init(&b->diff, 2, 6, 0);
}

int gb_burgers_check(const gb_burgers *b, char *msg, size_t len)
{
    if (b->N < 8 || b->N > 4096)
        return snprintf(msg, len, "N = %ld outside 8..4096", b->N), GB_EINVAL;
    double v[] = {b->L, b->nu, b->dt, b->T};
    const char *name[] = {"L", "nu", "dt", "T"};
    for (int i = 0; i < 4; i++)
        if (!(v[i] > 0) || !isfinite(v[i]))
            return snprintf(msg, len, "%s = %g: expected a finite number > 0", name[i], v[i]), GB_EINVAL;
    if (b->dt > b->T)
        return snprintf(msg, len, "dt = %g above T = %g", b->dt, b->T), GB_EINVAL;
    return GB_OK;
}

void gb_burgers_rhs(double *F, const gb_burgers *b, const double *u, double *work)
{
    double dx = b->L / (double)b->N;
    gb_scheme_apply(work, &b->adv, u, b->N, dx);
    gb_scheme_apply(F, &b->diff, u, b->N, dx);
    for (long j = 0; j < b->N; j++)
        F[j] = b->nu * F[j] - u[j] * work[j];
}

void gb_rk4_step(double *u, long N, double dt, gb_rhs_fn F, void *ctx, double *work)
{
    double *k1 = work, *k2 = work + N, *k3 = work + 2 * N, *k4 = work + 3 * N, *v = work + 4 * N;
    F(k1, u, ctx);
    for (long j = 0; j < N; j++)
        v[j] = u[j] + 0.5 * dt * k1[j];
    F(k2, v, ctx);
    for (long j = 0; j < N; j++)
        v[j] = u[j] + 0.5 * dt * k2[j];
    F(k3, v, ctx);
    for (long j = 0; j < N; j++)
        v[j] = u[j] + dt * k3[j];
    F(k4, v, ctx);
    for (long j = 0; j < N; j++)
        u[j] += dt / 6 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
}

void gb_burgers_rhs_fn(double *F, const double *u, void *ctx)
{
    gb_burgers_ctx *c = ctx;
    gb_burgers_rhs(F, c->b, u, c->work);
}

int gb_burgers_solve(double *U, const gb_burgers *b, const double *u0, long n)
{
    long N = b->N;
    double *work = malloc(sizeof(double) * 6 * (size_t)N);
    if (!work)
        return GB_ENOMEM;
    gb_burgers_ctx c = {b, work + 5 * N};
    memcpy(U, u0, sizeof(double) * (size_t)N);
    int st = GB_OK;
    for (long s = 1; s <= n && !st; s++) {
        double *u = U + s * N;
        memcpy(u, u - N, sizeof(double) * (size_t)N);
        gb_rk4_step(u, N, b->dt, gb_burgers_rhs_fn, &c, work);
        for (long j = 0; j < N; j++)
            if (!isfinite(u[j]))
                st = GB_ENONFIN;
    }
    free(work);
    return st;
}

void gb_burgers_step(double *u0, long N, double height)
{
    for (long j = 0; j < N; j++)
        u0[j] = j >= 1 && j < N / 2 ? height : 1.0;
}

void gb_burgers_cole_hopf(double *u, long N, double L, double nu, double t, mpfr_prec_t prec)
{
    mpfr_t k, e, x, s, c, num;
    mpfr_inits2(prec, k, e, x, s, c, num, (mpfr_ptr)0);
    mpfr_const_pi(k, MPFR_RNDN);
    mpfr_mul_2ui(k, k, 1, MPFR_RNDN);
    mpfr_div_d(k, k, L, MPFR_RNDN);             /* κ = 2π/L */
    mpfr_sqr(e, k, MPFR_RNDN);
    mpfr_mul_d(e, e, -nu * t, MPFR_RNDN);
    mpfr_exp(e, e, MPFR_RNDN);                   /* e^{−νκ²t} */
    for (long j = 0; j < N; j++) {
        mpfr_mul_si(x, k, j, MPFR_RNDN);
        mpfr_mul_d(x, x, L, MPFR_RNDN);
        mpfr_div_si(x, x, N, MPFR_RNDN);         /* κ x_j, x_j = jL/N */
        mpfr_sin_cos(s, c, x, MPFR_RNDN);
        mpfr_mul(num, s, e, MPFR_RNDN);
        mpfr_mul(num, num, k, MPFR_RNDN);
        mpfr_mul_d(num, num, 2 * nu, MPFR_RNDN);
        mpfr_mul(c, c, e, MPFR_RNDN);
        mpfr_add_ui(c, c, 2, MPFR_RNDN);
        mpfr_div(num, num, c, MPFR_RNDN);
        u[j] = mpfr_get_d(num, MPFR_RNDN);
    }
    mpfr_clears(k, e, x, s, c, num, (mpfr_ptr)0);
}
