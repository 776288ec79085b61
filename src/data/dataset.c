#include "data/data.h"
#include "core/grid.h"
#include "core/status.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { STREAM_COEF = 0, STREAM_NOISE = 1 };

void gb_data_spec_default(gb_data_spec *spec)
{
    spec->equation = GB_EQ_POISSON;
    spec->family = GB_FAMILY_POLY;
    spec->p = 1;
    spec->mode = 0;
    spec->poly_const = 0;
    spec->N = 64;
    spec->S = 10000;
    spec->k = 1.0;
    spec->seed = 1;
    spec->law = GB_LAW_NORMAL;
    spec->noise = 0.0;
    spec->load = GB_LOAD_CONSISTENT;
    spec->prec = 256;
    spec->solution_fault = 0.0;
}

int gb_data_spec_check(const gb_data_spec *s, char *msg, size_t len)
{
    char buf[1];
    if (!msg) { msg = buf; len = sizeof buf; }
    if (s->equation != GB_EQ_POISSON && s->equation != GB_EQ_BIHARMONIC)
        return snprintf(msg, len, "unknown equation %d", (int)s->equation), GB_EINVAL;
    if (s->family != GB_FAMILY_FEM && s->mode <= 0 && (s->p < 1 || s->p > 8))
        return snprintf(msg, len, "p = %d outside 1..8", s->p), GB_EINVAL;
    if (s->mode < 0 || s->mode > 1000)
        return snprintf(msg, len, "mode = %d outside 0..1000", s->mode), GB_EINVAL;
    if (s->N < 2 || s->N > 65536)
        return snprintf(msg, len, "N = %ld outside 2..65536", s->N), GB_EINVAL;
    if ((s->family == GB_FAMILY_SIN || s->family == GB_FAMILY_COS) && s->mode >= s->N)
        return snprintf(msg, len, "mode = %d must be below N = %ld: on N + 1 nodes mode m and 2N − m are the same "
                        "samples (aliasing)", s->mode, s->N), GB_EINVAL;
    if (s->S < 1 || s->S > 10000000)
        return snprintf(msg, len, "S = %ld outside 1..10000000", s->S), GB_EINVAL;
    if (!(s->k > 0) || !isfinite(s->k))
        return snprintf(msg, len, "k = %g must be finite and > 0", s->k), GB_EINVAL;
    if (!(s->noise >= 0) || !isfinite(s->noise))
        return snprintf(msg, len, "noise = %g must be finite and >= 0", s->noise), GB_EINVAL;
    if (s->prec < 64 || s->prec > 65536)
        return snprintf(msg, len, "precision = %ld bits outside 64..65536", (long)s->prec), GB_EINVAL;
    return GB_OK;
}

int gb_data_spec_terms(const gb_data_spec *s, int *terms)
{
    int nb = 0;
    if (s->family == GB_FAMILY_FEM) {
        for (long j = 0; j <= s->N; j++) {
            if (terms) terms[nb] = (int)j;
            nb++;
        }
    } else if (s->mode > 0) {
        if (terms) terms[0] = s->mode;
        nb = 1;
    } else {
        int lo = (s->family == GB_FAMILY_POLY && s->poly_const) ? 0 : 1;
        for (int i = lo; i <= s->p; i++) {
            if (terms) terms[nb] = i;
            nb++;
        }
    }
    return nb;
}

/* poly/cos/sin: values = coef · basis values, one correctly rounded dot product each */
static void generate_analytic(gb_dataset_t d)
{
    const gb_data_spec *s = &d->spec;
    long N = s->N, n = N + 1;
    int nb = d->nb;
    mpfr_prec_t prec = s->prec;
    mpfr_t *fb = malloc(sizeof(mpfr_t) * n * nb), *ub = malloc(sizeof(mpfr_t) * n * nb);
    mpfr_t x, k;
    mpfr_inits2(prec, x, k, (mpfr_ptr)0);
    mpfr_set_d(k, s->k, MPFR_RNDN);
    for (long i = 0; i < n; i++) {
        gb_grid_node(x, i, N);
        for (int b = 0; b < nb; b++) {
            mpfr_init2(fb[i * nb + b], prec);
            mpfr_init2(ub[i * nb + b], prec);
            gb_basis_forcing(fb[i * nb + b], s->family, d->terms[b], x);
            gb_basis_solution(ub[i * nb + b], s->equation, s->family, d->terms[b], x, k);
            if (b == nb - 1 && s->solution_fault != 0.0)
                mpfr_mul_d(ub[i * nb + b], ub[i * nb + b], 1.0 + s->solution_fault, MPFR_RNDN);
        }
        /* boundary values are exactly zero for every u_b */
    }
#pragma omp parallel
    {
        mpfr_t *c = malloc(sizeof(mpfr_t) * nb), r;
        mpfr_ptr *pc = malloc(sizeof(mpfr_ptr) * nb), *pf = malloc(sizeof(mpfr_ptr) * nb),
                 *pu = malloc(sizeof(mpfr_ptr) * nb);
        mpfr_init2(r, 53);
        for (int b = 0; b < nb; b++) {
            mpfr_init2(c[b], 53);
            pc[b] = c[b];
        }
#pragma omp for schedule(static)
        for (long sm = 0; sm < s->S; sm++) {
            for (int b = 0; b < nb; b++)
                mpfr_set_d(c[b], d->coef[sm * nb + b], MPFR_RNDN);
            for (long i = 0; i < n; i++) {
                for (int b = 0; b < nb; b++) {
                    pf[b] = fb[i * nb + b];
                    pu[b] = ub[i * nb + b];
                }
                mpfr_dot(r, pc, pf, (unsigned long)nb, MPFR_RNDN);
                d->f[sm * n + i] = mpfr_get_d(r, MPFR_RNDN);
                mpfr_dot(r, pc, pu, (unsigned long)nb, MPFR_RNDN);
                d->u[sm * n + i] = mpfr_get_d(r, MPFR_RNDN);
            }
        }
        for (int b = 0; b < nb; b++)
            mpfr_clear(c[b]);
        mpfr_clear(r);
        free(c); free(pc); free(pf); free(pu);
    }
    for (long i = 0; i < n * nb; i++) {
        mpfr_clear(fb[i]);
        mpfr_clear(ub[i]);
    }
    free(fb);
    free(ub);
    mpfr_clears(x, k, (mpfr_ptr)0);
}

/* fem: nodal forcing values are the coefficients; u = K⁻¹ (M f) solved in MPFR */
static void generate_fem(gb_dataset_t d)
{
    const gb_data_spec *s = &d->spec;
    long N = s->N, n = N + 1;
#pragma omp parallel
    {
        mpfr_t *f = malloc(sizeof(mpfr_t) * n), *u = malloc(sizeof(mpfr_t) * n),
               *w = malloc(sizeof(mpfr_t) * 3 * n), k;
        mpfr_init2(k, s->prec);
        mpfr_set_d(k, s->k, MPFR_RNDN);
        for (long i = 0; i < n; i++) {
            mpfr_init2(f[i], 53);
            mpfr_init2(u[i], s->prec);
            mpfr_init2(w[i], s->prec);
            mpfr_init2(w[n + i], s->prec);
            mpfr_init2(w[2 * n + i], s->prec);
        }
#pragma omp for schedule(static)
        for (long sm = 0; sm < s->S; sm++) {
            for (long i = 0; i < n; i++) {
                mpfr_set_d(f[i], d->coef[sm * n + i], MPFR_RNDN);
                d->f[sm * n + i] = d->coef[sm * n + i];
            }
            gb_fem_solve_eq(u, f, N, k, s->load, s->equation, w);
            if (s->solution_fault != 0.0)
                for (long i = 0; i < n; i++)
                    mpfr_mul_d(u[i], u[i], 1.0 + s->solution_fault, MPFR_RNDN);
            for (long i = 0; i < n; i++)
                d->u[sm * n + i] = mpfr_get_d(u[i], MPFR_RNDN);
        }
        for (long i = 0; i < n; i++) {
            mpfr_clear(f[i]);
            mpfr_clear(u[i]);
            mpfr_clear(w[i]);
            mpfr_clear(w[n + i]);
            mpfr_clear(w[2 * n + i]);
        }
        mpfr_clear(k);
        free(f); free(u); free(w);
    }
}

int gb_dataset_init(gb_dataset_t d, const gb_data_spec *spec)
{
    int st = gb_data_spec_check(spec, NULL, 0);
    if (st)
        return st;
    d->spec = *spec;
    long n = spec->N + 1;
    d->nb = gb_data_spec_terms(spec, NULL);
    d->terms = malloc(sizeof(int) * d->nb);
    d->coef = malloc(sizeof(double) * spec->S * d->nb);
    d->f = malloc(sizeof(double) * spec->S * n);
    d->u = malloc(sizeof(double) * spec->S * n);
    if (!d->terms || !d->coef || !d->f || !d->u) {
        free(d->terms); free(d->coef); free(d->f); free(d->u);
        return GB_ENOMEM;
    }
    gb_data_spec_terms(spec, d->terms);

    gmp_randstate_t rs;
    gmp_randinit_mt(rs);
    int pkey = spec->family == GB_FAMILY_FEM ? (int)spec->N : spec->p;
    gb_rng_seed(rs, spec->seed, (int)spec->family, pkey, spec->mode, STREAM_COEF);
    for (long i = 0; i < spec->S * d->nb; i++)
        d->coef[i] = gb_rng_draw(rs, spec->law);

    if (spec->family == GB_FAMILY_FEM)
        generate_fem(d);
    else
        generate_analytic(d);

    if (spec->noise > 0) {
        gb_rng_seed(rs, spec->seed, (int)spec->family, pkey, spec->mode, STREAM_NOISE);
        for (long sm = 0; sm < spec->S; sm++)
            for (long i = 1; i < n - 1; i++) /* boundary values stay exact */
                d->u[sm * n + i] += spec->noise * gb_rng_draw(rs, GB_LAW_NORMAL);
    }
    gmp_randclear(rs);
    return GB_OK;
}

void gb_dataset_clear(gb_dataset_t d)
{
    free(d->terms);
    free(d->coef);
    free(d->f);
    free(d->u);
}
