#include "npde/ifrk4.h"
#include "core/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int gb_ifactor_init(gb_ifactor *E, const gb_scheme *D, double coef, long N, double dx, double h)
{
    memset(E, 0, sizeof *E);
    if (N < 2 || !(h > 0) || !isfinite(h) || !(dx > 0))
        return GB_EINVAL;
    long nh = N / 2 + 1;
    E->N = N;
    E->re = malloc(sizeof(double) * (size_t)(2 * nh));
    E->buf = fftw_malloc(sizeof(double) * (size_t)N);
    E->spec = fftw_malloc(sizeof(fftw_complex) * (size_t)nh);
    if (!E->re || !E->buf || !E->spec) {
        gb_ifactor_clear(E);
        return GB_ENOMEM;
    }
    E->im = E->re + nh;
    double scale = coef * 0.5 * h / pow(dx, D->deriv);
    for (long m = 0; m < nh; m++) {
        double sr, si;
        gb_scheme_symbol(&sr, &si, D, 2 * M_PI * (double)m / (double)N);
        if (m == 0 || 2 * m == N)
            si = 0;   /* real modes: the symbol of a real scheme is real there (sin 0 = sin kπ = 0 exactly) */
        double g = exp(scale * sr);
        E->re[m] = g * cos(scale * si);
        E->im[m] = g * sin(scale * si);
    }
#pragma omp critical(gb_fftw_planner)
    {
        E->r2c = fftw_plan_dft_r2c_1d((int)N, E->buf, E->spec, FFTW_ESTIMATE);
        E->c2r = fftw_plan_dft_c2r_1d((int)N, E->spec, E->buf, FFTW_ESTIMATE);
    }
    if (!E->r2c || !E->c2r) {
        gb_ifactor_clear(E);
        return GB_ENOMEM;
    }
    return GB_OK;
}

void gb_ifactor_clear(gb_ifactor *E)
{
#pragma omp critical(gb_fftw_planner)
    {
        if (E->r2c)
            fftw_destroy_plan(E->r2c);
        if (E->c2r)
            fftw_destroy_plan(E->c2r);
    }
    free(E->re);
    fftw_free(E->buf);
    fftw_free(E->spec);
    memset(E, 0, sizeof *E);
}

void gb_ifactor_apply(gb_ifactor *E, double *out, const double *in, int transpose)
{
    long N = E->N, nh = N / 2 + 1;
    memcpy(E->buf, in, sizeof(double) * (size_t)N);
    fftw_execute(E->r2c);
    double s = transpose ? -1 : 1, inv = 1.0 / (double)N;
    for (long m = 0; m < nh; m++) {
        double xr = E->spec[m][0], xi = E->spec[m][1], er = E->re[m], ei = s * E->im[m];
        E->spec[m][0] = (xr * er - xi * ei) * inv;
        E->spec[m][1] = (xr * ei + xi * er) * inv;
    }
    fftw_execute(E->c2r);
    memcpy(out, E->buf, sizeof(double) * (size_t)N);
}

void gb_ifrk4_step(double *u, gb_ifactor *E, double h, gb_rhs_fn F, void *ctx, double *work)
{
    long N = E->N;
    double *a = work, *b = work + N, *c = work + 2 * N, *d = work + 3 * N, *Eu = work + 4 * N, *v = work + 5 * N;
    F(a, u, ctx);
    for (long j = 0; j < N; j++) {
        a[j] *= h;
        v[j] = u[j] + 0.5 * a[j];
    }
    gb_ifactor_apply(E, v, v, 0);
    F(b, v, ctx);
    gb_ifactor_apply(E, Eu, u, 0);
    for (long j = 0; j < N; j++) {
        b[j] *= h;
        v[j] = Eu[j] + 0.5 * b[j];
    }
    F(c, v, ctx);
    for (long j = 0; j < N; j++) {
        c[j] *= h;
        v[j] = Eu[j] + c[j];
    }
    gb_ifactor_apply(E, v, v, 0);
    F(d, v, ctx);
    for (long j = 0; j < N; j++)
        v[j] = u[j] + a[j] / 6;
    gb_ifactor_apply(E, v, v, 0);
    for (long j = 0; j < N; j++)
        v[j] += (b[j] + c[j]) / 3;
    gb_ifactor_apply(E, u, v, 0);
    for (long j = 0; j < N; j++)
        u[j] += h * d[j] / 6;
}
