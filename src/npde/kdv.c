#include "npde/kdv.h"
#include "npde/burgers.h"
#include "npde/ifrk4.h"
#include "core/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void gb_kdv_default(gb_kdv *k)
{
    k->N = 256;
    k->L = 5 * M_PI;
    k->omega0 = 0.5;
    k->dt = 0.01;
    k->T = 1;
    gb_scheme_init(&k->D1, 1, 2, 0);
    gb_scheme_init(&k->D3, 3, 2, 0);
    k->ms_a = 0;
    k->ms_kappa = 0;
}

static double omega_ms(const gb_kdv *k)
{
    return -(k->omega0 * k->ms_kappa + pow(k->ms_kappa, 3) / 6);
}

void gb_kdv_rhs(double *F, const gb_kdv *k, const double *u, double t, double *work)
{
    long N = k->N;
    double dx = k->L / (double)N;
    gb_scheme_apply(work, &k->D1, u, N, dx);
    gb_scheme_apply(F, &k->D3, u, N, dx);
    for (long j = 0; j < N; j++)
        F[j] = k->omega0 * work[j] - 1.5 * u[j] * work[j] - F[j] / 6;
    if (k->ms_a != 0) {
        double W = omega_ms(k);
        for (long j = 0; j < N; j++)
            F[j] += 0.75 * k->ms_a * k->ms_a * k->ms_kappa * sin(2 * (k->ms_kappa * k->L * (double)j / (double)N - W * t));
    }
}

double gb_kdv_lambda_max(const gb_kdv *k)
{
    double dx = k->L / (double)k->N, m = 0;
    for (long j = 0; j <= k->N / 2; j++) {
        double th = 2 * M_PI * (double)j / (double)k->N, r1, i1, r3, i3;
        gb_scheme_symbol(&r1, &i1, &k->D1, th);
        gb_scheme_symbol(&r3, &i3, &k->D3, th);
        m = fmax(m, hypot(k->omega0 * r1 / dx - r3 / (6 * pow(dx, 3)), k->omega0 * i1 / dx - i3 / (6 * pow(dx, 3))));
    }
    return m;
}

long gb_kdv_substeps(const gb_kdv *k)
{
    return (long)ceil(k->dt * gb_kdv_lambda_max(k));
}

typedef struct {
    const gb_kdv *k;
    double t, *work;
} kdv_ctx;

static void rhs(double *F, const double *u, void *ctx)
{
    kdv_ctx *c = ctx;
    gb_kdv_rhs(F, c->k, u, c->t, c->work);
}

/* one RK4 step from time t with the source's time at each stage */
static void rk4_timed(double *u, const gb_kdv *k, double t, double h, kdv_ctx *c, double *work)
{
    long N = k->N;
    double *k1 = work, *k2 = work + N, *k3 = work + 2 * N, *k4 = work + 3 * N, *v = work + 4 * N;
    c->t = t;
    rhs(k1, u, c);
    for (long j = 0; j < N; j++)
        v[j] = u[j] + 0.5 * h * k1[j];
    c->t = t + h / 2;
    rhs(k2, v, c);
    for (long j = 0; j < N; j++)
        v[j] = u[j] + 0.5 * h * k2[j];
    rhs(k3, v, c);
    for (long j = 0; j < N; j++)
        v[j] = u[j] + h * k3[j];
    c->t = t + h;
    rhs(k4, v, c);
    for (long j = 0; j < N; j++)
        u[j] += h / 6 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
}

int gb_kdv_solve(double *U, const gb_kdv *k, const double *u0, long n, long sub)
{
    long N = k->N;
    if (sub <= 0)
        sub = gb_kdv_substeps(k);
    double *work = malloc(sizeof(double) * 6 * (size_t)N);
    if (!work)
        return GB_ENOMEM;
    kdv_ctx c = {k, 0, work + 5 * N};
    memcpy(U, u0, sizeof(double) * (size_t)N);
    double h = k->dt / (double)sub;
    int st = GB_OK;
    for (long s = 1; s <= n && !st; s++) {
        double *u = U + s * N;
        memcpy(u, u - N, sizeof(double) * (size_t)N);
        for (long i = 0; i < sub; i++)
            rk4_timed(u, k, (double)(s - 1) * k->dt + (double)i * h, h, &c, work);
        for (long j = 0; j < N; j++)
            if (!isfinite(u[j]))
                st = GB_ENONFIN;
    }
    free(work);
    return st;
}

/* the part of the right-hand side that is not −(1/6) D3 u */
static void nonlinear(double *F, const double *u, void *ctx)
{
    kdv_ctx *c = ctx;
    const gb_kdv *k = c->k;
    long N = k->N;
    gb_scheme_apply(F, &k->D1, u, N, k->L / (double)N);
    for (long j = 0; j < N; j++)
        F[j] = k->omega0 * F[j] - 1.5 * u[j] * F[j];
}

int gb_kdv_solve_if(double *U, const gb_kdv *k, const double *u0, long n, long sub)
{
    long N = k->N;
    if (k->ms_a != 0)
        return GB_EINVAL;
    if (sub <= 0)
        sub = 1;
    double h = k->dt / (double)sub;
    gb_ifactor E;
    int st = gb_ifactor_init(&E, &k->D3, -1.0 / 6, N, k->L / (double)N, h);
    if (st)
        return st;
    double *work = malloc(sizeof(double) * 6 * (size_t)N);
    if (!work) {
        gb_ifactor_clear(&E);
        return GB_ENOMEM;
    }
    kdv_ctx c = {k, 0, NULL};
    memcpy(U, u0, sizeof(double) * (size_t)N);
    for (long s = 1; s <= n && !st; s++) {
        double *u = U + s * N;
        memcpy(u, u - N, sizeof(double) * (size_t)N);
        for (long i = 0; i < sub; i++)
            gb_ifrk4_step(u, &E, h, nonlinear, &c, work);
        for (long j = 0; j < N; j++)
            if (!isfinite(u[j]))
                st = GB_ENONFIN;
    }
    free(work);
    gb_ifactor_clear(&E);
    return st;
}

void gb_kdv_ic(double *u0, long N, double L, double A, double c)
{
    for (long j = 0; j < N; j++)
        u0[j] = -A * sin(L * (double)j / (double)N / c + M_PI);
}

void gb_kdv_manufactured(double *u, const gb_kdv *k, double t)
{
    double W = omega_ms(k);
    for (long j = 0; j < k->N; j++)
        u[j] = k->ms_a * sin(k->ms_kappa * k->L * (double)j / (double)k->N - W * t);
}
