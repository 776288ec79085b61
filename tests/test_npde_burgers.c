/* The Burgers set-up of the companion paper (src/npde/scheme.c, burgers.c, neural.c): the periodic schemes have
 * the weights and symbols SPEC §9 gives; the transpose is the adjoint; the MLP's gradient through RK4 agrees with
 * finite differences of the loss; bad sizes are refused; a diverging rollout says so. */
#include "core/status.h"
#include "npde/burgers.h"
#include "npde/neural.h"
#include "stats/stats.h"
#include "claims.h"
#include "helpers.h"
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

Test(npde_burgers, schemes_have_the_weights_and_symbols_of_spec_9)
{
    gb_scheme s;
    cr_assert_eq(gb_scheme_init(&s, 1, 2, 0), GB_OK);   /* (−1/2, 0, 1/2) */
    cr_assert(s.lo == -1 && s.hi == 1 && s.num[0] * 2 == -s.den && s.num[1] == 0 && s.num[2] * 2 == s.den);
    cr_assert_eq(gb_scheme_init(&s, 3, 2, 0), GB_OK);   /* (−1/2, 1, 0, −1, 1/2) */
    cr_assert(s.lo == -2 && s.den == 2 && s.num[0] == -1 && s.num[1] == 2 && s.num[2] == 0 && s.num[3] == -2 &&
              s.num[4] == 1);
    cr_assert_eq(gb_scheme_init(&s, 1, 1, 1), GB_OK);   /* backward: (−1, 1) on offsets −1, 0 */
    cr_assert(s.lo == -1 && s.hi == 0 && s.num[0] == -s.den && s.num[1] == s.den);
    char name[40];
    gb_scheme_name(name, sizeof name, &s);
    cr_assert_str_eq(name, "upwind u_x");
    cr_assert_eq(gb_scheme_init(&s, 2, 1, 1), GB_EINVAL);
    cr_assert_eq(gb_scheme_init(&s, 1, 8, 0), GB_EINVAL);
    cr_assert_eq(gb_scheme_init(&s, 4, 2, 0), GB_EINVAL);
    /* central u_x: symbol i τ_p(θ), τ_2 = sin θ, τ_4 = (8 sin θ − sin 2θ)/6, τ_6 = (45 sin θ − 9 sin 2θ + sin 3θ)/30 */
    for (double th = 0.1; th < 3.1; th += 0.37) {
        double tau[3] = {sin(th), (8 * sin(th) - sin(2 * th)) / 6, (45 * sin(th) - 9 * sin(2 * th) + sin(3 * th)) / 30};
        for (int k = 0; k < 3; k++) {
            double re, im;
            gb_scheme_init(&s, 1, 2 * k + 2, 0);
            gb_scheme_symbol(&re, &im, &s, th);
            cr_assert(fabs(re) < 1e-15 && fabs(im - tau[k]) < 1e-14, "p=%d θ=%g", 2 * k + 2, th);
        }
        double re, im;   /* upwind: 1 − e^{−iθ} */
        gb_scheme_init(&s, 1, 1, 1);
        gb_scheme_symbol(&re, &im, &s, th);
        cr_assert(fabs(re - (1 - cos(th))) < 1e-15 && fabs(im - sin(th)) < 1e-15);
        /* u_xxx of order p: symbol −i θ³ (1 + O(θ^p)) */
        for (int p = 2; p <= 6; p += 2) {
            gb_scheme_init(&s, 3, p, 0);
            gb_scheme_symbol(&re, &im, &s, th);
            cr_assert(fabs(re) < 1e-14 && fabs(im + pow(th, 3)) < 2 * pow(th, p + 3), "u_xxx p=%d θ=%g", p, th);
        }
    }
}

Test(npde_burgers, the_transpose_is_the_adjoint)
{
    long N = 23;
    double v[23], w[23], Dv[23], Dtw[23];
    for (long j = 0; j < N; j++) {
        v[j] = sin(1.3 * j) + 0.1 * j;
        w[j] = cos(0.7 * j * j);
    }
    for (int d = 1; d <= 3; d++)
        for (int p = 2; p <= 6; p += 2) {
            gb_scheme s;
            gb_scheme_init(&s, d, p, 0);
            gb_scheme_apply(Dv, &s, v, N, 0.3);
            gb_scheme_apply_transpose(Dtw, &s, w, N, 0.3);
            double a = 0, b = 0;
            for (long j = 0; j < N; j++) {
                a += Dv[j] * w[j];
                b += v[j] * Dtw[j];
            }
            cr_assert(fabs(a - b) <= 1e-12 * (fabs(a) + 1), "d=%d p=%d: %g vs %g", d, p, a, b);
        }
}

/* the reverse-mode gradient through RK4 against central differences of the loss, for both advection schemes
 * and a 3-hidden-layer ϕ */
Test(npde_burgers, the_gradient_through_rk4_matches_finite_differences)
{
    gb_burgers b;
    gb_burgers_default(&b);
    b.N = 24;
    long N = b.N, n = 4;
    double *U = malloc(sizeof(double) * (n + 1) * N);
    gb_burgers_step(U, N, 2);
    cr_assert_eq(gb_burgers_solve(U, &b, U, n), GB_OK);
    for (int up = 0; up <= 1; up++)
        for (int depth = 2; depth <= 3; depth++) {
            gb_nburgers m;
            memset(&m, 0, sizeof m);
            m.b = &b;
            gb_scheme_init(&m.adv, 1, up ? 1 : 6, up);
            cr_assert_eq(gb_mlp_init(&m.phi, N, 7, depth, 11 + depth), GB_OK);
            double *g = malloc(sizeof(double) * m.phi.np);
            gb_nburgers_loss(g, &m, U, n);
            for (long i = 0; i < m.phi.np; i += 17) {
                double t = m.phi.theta[i], e = 1e-5 * (1 + fabs(t));
                m.phi.theta[i] = t + e;
                double lp = gb_nburgers_loss(NULL, &m, U, n);
                m.phi.theta[i] = t - e;
                double lm = gb_nburgers_loss(NULL, &m, U, n);
                m.phi.theta[i] = t;
                double fd = (lp - lm) / (2 * e);
                cr_assert(fabs(g[i] - fd) <= 1e-6 * fabs(fd) + 1e-12, "up=%d depth=%d θ_%ld: %.10e vs %.10e", up, depth,
                          i, g[i], fd);
            }
            free(g);
            gb_mlp_clear(&m.phi);
        }
    free(U);
}

Test(npde_burgers, training_lowers_the_loss_and_a_diverging_rollout_says_so)
{
    gb_burgers b;
    gb_burgers_default(&b);
    b.N = 32;
    long N = b.N, n = 10;
    double *U = malloc(sizeof(double) * (n + 1) * N), *R = malloc(sizeof(double) * (n + 1) * N);
    gb_burgers_step(U, N, 2);
    gb_burgers_solve(U, &b, U, n);
    gb_nburgers m;
    memset(&m, 0, sizeof m);
    m.b = &b;
    gb_scheme_init(&m.adv, 1, 1, 1);
    gb_mlp_init(&m.phi, N, 10, 2, 3);
    double l0 = gb_nburgers_loss(NULL, &m, U, n), l1;
    cr_assert_eq(gb_nburgers_train(&l1, &m, U, n, 200, 0.01), GB_OK);
    cr_assert(l1 < 0.1 * l0, "loss %g → %g", l0, l1);
    cr_assert_eq(gb_nburgers_rollout(R, &m, U, n, b.dt), GB_OK);
    cr_assert_eq(gb_nburgers_rollout(R, &m, U, n, 1e3), GB_ENONFIN);   /* far beyond any stable step */
    cr_assert(isnan(R[n * N]));
    /* the data solver beyond its own stability: the paper's test height at Δt = 0.01 */
    gb_burgers d;
    gb_burgers_default(&d);
    double *V = malloc(sizeof(double) * 51 * d.N);
    gb_burgers_step(V, d.N, 10);
    cr_assert_eq(gb_burgers_solve(V, &d, V, 50), GB_ENONFIN);
    gb_mlp_clear(&m.phi);
    free(U); free(R); free(V);
}

/* the transposed forward pass (the rows side by side in vector lanes) gives gb_mlp_forward's bits exactly,
 * output and kept activations, over random sizes, depths and inputs (GB_TEST_SEED replays a failure) */
Test(npde_burgers, the_transposed_forward_pass_is_bit_identical)
{
    unsigned long seed = gb_test_seed(20261203UL), st = seed;
    for (int it = 0; it < 40; it++) {
        long N = 1 + (long)(gb_test_uniform(&st) * 300), hidden = 1 + (long)(gb_test_uniform(&st) * 40);
        int depth = 1 + (int)(gb_test_uniform(&st) * (GB_MLP_MAX_LAYERS - 1));
        gb_mlp_t m;
        cr_assert_eq(gb_mlp_init(m, N, hidden, depth, st), GB_OK);
        long na = gb_mlp_acts(m);
        double *x = malloc(sizeof(double) * N), *y = malloc(sizeof(double) * N), *z = malloc(sizeof(double) * N),
               *a = malloc(sizeof(double) * na), *b = malloc(sizeof(double) * na),
               *wt = malloc(sizeof(double) * m->np);
        for (long j = 0; j < N; j++)
            x[j] = 4 * gb_test_uniform(&st) - 2;
        gb_mlp_forward(y, a, m, x);
        gb_mlp_transpose(wt, m);
        gb_mlp_forward_t(z, b, m, wt, x);
        cr_assert(!memcmp(y, z, sizeof(double) * N) && !memcmp(a, b, sizeof(double) * na),
                  "GB_TEST_SEED=%lu, iteration %d: N %ld, hidden %ld, depth %d: the passes differ", seed, it, N,
                  hidden, depth);
        free(x); free(y); free(z); free(a); free(b); free(wt);
        gb_mlp_clear(m);
    }
}

Test(npde_burgers, bad_sizes_are_refused)
{
    gb_mlp_t m;
    cr_assert_eq(gb_mlp_init(m, 10, 20, 0, 1), GB_EINVAL);
    cr_assert_eq(gb_mlp_init(m, 10, 20, GB_MLP_MAX_LAYERS, 1), GB_EINVAL);
    cr_assert_eq(gb_mlp_init(m, 10, GB_MLP_MAX_HIDDEN + 1, 2, 1), GB_EINVAL);
    cr_assert_eq(gb_mlp_init(m, 0, 20, 2, 1), GB_EINVAL);
    gb_burgers b;
    gb_burgers_default(&b);
    char msg[128];
    cr_assert_eq(gb_burgers_check(&b, msg, sizeof msg), GB_OK);
    b.N = 4;
    cr_assert_eq(gb_burgers_check(&b, msg, sizeof msg), GB_EINVAL);
    cr_assert(strstr(msg, "N = 4"));
    gb_burgers_default(&b);
    b.nu = NAN;
    cr_assert_eq(gb_burgers_check(&b, msg, sizeof msg), GB_EINVAL);
    cr_assert(strstr(msg, "nu"));
    gb_burgers_default(&b);
    b.dt = 1;
    cr_assert_eq(gb_burgers_check(&b, msg, sizeof msg), GB_EINVAL);
    cr_assert(strstr(msg, "above T"));
}

/* NPDE-0B passes, and an off-by-one grid in its exact solution flips it */
Test(npde_burgers, the_solver_claim_passes_and_its_fault_flips_it, .timeout = 300)
{
    cr_assert_eq(gb_test_claim("NPDE-0B", 0, 1), GB_PASS);
    cr_assert_eq(gb_test_claim("NPDE-0B", GB_FAULT_GRID, 1), GB_FAIL);
}

/* the Clopper–Pearson interval NPDE-4 decides with: exact at the ends, and the textbook value for 93 of 120 */
Test(npde_burgers, binomial_interval_is_clopper_pearson)
{
    gb_stats_interval iv;
    gb_stats_binomial_interval(&iv, 120, 120, 0.95);
    cr_assert(iv.hi == 1.0 && fabs(iv.lo - pow(0.025, 1.0 / 120)) < 1e-12, "%.15g", iv.lo);
    gb_stats_binomial_interval(&iv, 0, 20, 0.95);
    cr_assert(iv.lo == 0.0 && fabs(iv.hi - (1 - pow(0.025, 1.0 / 20))) < 1e-12);
    /* the defining tails: P(X ≥ 93 | lo) = P(X ≤ 93 | hi) = 0.025 for X ~ Bin(120, ·), summed term by term */
    gb_stats_binomial_interval(&iv, 93, 120, 0.95);
    double up = 0, down = 0;
    for (int x = 0; x <= 120; x++) {
        double lc = lgamma(121) - lgamma(x + 1) - lgamma(121 - x);
        if (x >= 93)
            up += exp(lc + x * log(iv.lo) + (120 - x) * log1p(-iv.lo));
        if (x <= 93)
            down += exp(lc + x * log(iv.hi) + (120 - x) * log1p(-iv.hi));
    }
    cr_assert(fabs(up - 0.025) < 1e-9 && fabs(down - 0.025) < 1e-9, "%g %g", up, down);
    cr_assert(iv.lo < 93.0 / 120 && 93.0 / 120 < iv.hi);
    gb_stats_binomial_interval(&iv, 3, 2, 0.95);
    cr_assert(isnan(iv.lo));
}
