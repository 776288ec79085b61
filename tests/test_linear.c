#include "core/status.h"
#include "linear/linear.h"
#include "predict/lin_predict.h"
#include "verify.h"
#include "helpers.h"
#include <criterion/criterion.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* the random data and sizes of these tests: GB_TEST_SEED replays a failure (tests/helpers.h). Seeded is
 * a flag of its own: seed 0 is a valid GB_TEST_SEED, and a zero test on lcg_seed reseeded it at every draw */
static unsigned long lcg_seed, lcg;
static int seeded;
static unsigned long *stream(void)
{
    if (!seeded) {
        lcg = lcg_seed = gb_test_seed(88172645463325252UL);
        seeded = 1;
    }
    return &lcg;
}
static double rnd(void)
{
    return gb_test_uniform(stream()) - 0.5;
}
static long rnd_size(long lo, long hi)
{
    return gb_test_int(stream(), lo, hi);
}

/* regression: with GB_TEST_SEED=0 every draw was the first draw from state 0 (the stream was reseeded
 * each time), so the "random" data were one number repeated and every check ran on degenerate data */
Test(linear, regression_seed_zero_gives_a_varying_stream)
{
    unsigned long s0 = 0;
    double a = gb_test_uniform(&s0), b = gb_test_uniform(&s0);
    cr_assert(a != b, "from state 0: %.17g twice", a);
    const char *env = getenv("GB_TEST_SEED");
    char *saved = env ? strdup(env) : NULL;
    setenv("GB_TEST_SEED", "0", 1);
    seeded = 0;
    double r[4];
    for (int i = 0; i < 4; i++)
        r[i] = rnd();
    cr_assert_eq(lcg_seed, 0);
    cr_assert(r[0] != r[1] && r[1] != r[2] && r[2] != r[3], "GB_TEST_SEED=0 draws %g %g %g %g", r[0], r[1], r[2], r[3]);
    cr_assert(r[0] == a - 0.5 && r[1] == b - 0.5, "not the generator's own stream from state 0");
    /* leave the environment and the stream as the other tests expect them */
    if (saved)
        setenv("GB_TEST_SEED", saved, 1);
    else
        unsetenv("GB_TEST_SEED");
    free(saved);
    seeded = 0;
}

/* a hand-made data set: S samples on N intervals, f random, u = A f for a random A */
static void fake(gb_dataset_t d, long N, long S, double *A)
{
    gb_data_spec_default(&d->spec);
    d->spec.N = N;
    d->spec.S = S;
    long n = N + 1;
    d->f = malloc(sizeof(double) * S * n);
    d->u = calloc((size_t)(S * n), sizeof(double));
    d->coef = NULL;
    d->terms = NULL;
    for (long i = 0; i < n * n; i++)
        A[i] = rnd();
    for (long s = 0; s < S; s++) {
        for (long j = 0; j < n; j++)
            d->f[s * n + j] = rnd();
        for (long i = 0; i < n; i++)
            for (long j = 0; j < n; j++)
                d->u[s * n + i] += A[i * n + j] * d->f[s * n + j];
    }
}

static void fake_clear(gb_dataset_t d)
{
    free(d->f);
    free(d->u);
}

/* what a failure on random data names: the seed that replays it, the iteration and the sizes drawn */
#define REPLAY "GB_TEST_SEED=%lu, iteration %d, N=%ld, S=%ld"

/* W* = A P + W⁰(I - P): W* agrees with A on the span and with W⁰ off it; on random sizes with at most
 * half as many samples as nodes, so that there is an off-span part to keep and the forcings are well
 * conditioned enough for GD to reach W* in its step budget (near-square ones can need millions of steps) */
Test(linear, projection_identity_on_random_data)
{
    for (int it = 0; it < 4; it++) {
        long N = rnd_size(3, 12), n = N + 1, S = rnd_size(1, n / 2);
        double *A = malloc(sizeof(double) * n * n), *W0 = malloc(sizeof(double) * n * n),
               *W = malloc(sizeof(double) * n * n), *P = malloc(sizeof(double) * n * n);
        gb_dataset_t d;
        fake(d, N, S, A);
        gb_linear_data L;
        cr_assert_eq(gb_linear_data_init(&L, d), GB_OK, REPLAY, lcg_seed, it, N, S);
        cr_assert_eq(L.rank, S, REPLAY ": rank %ld", lcg_seed, it, N, S, L.rank);
        for (long i = 0; i < n * n; i++)
            W0[i] = rnd();
        gb_linear_closed_form(W, &L, W0);
        gb_linear_projector(P, &L);
        for (long i = 0; i < n; i++)
            for (long j = 0; j < n; j++) {
                double pp = 0, wp = 0, ap = 0, w0p = 0;
                for (long l = 0; l < n; l++) {
                    pp += P[i * n + l] * P[l * n + j];
                    wp += W[i * n + l] * P[l * n + j];
                    ap += A[i * n + l] * P[l * n + j];
                    w0p += W0[i * n + l] * P[l * n + j];
                }
                cr_assert(fabs(pp - P[i * n + j]) < 1e-12, REPLAY ": P² = P at (%ld,%ld)", lcg_seed, it, N, S, i, j);
                cr_assert(fabs(P[i * n + j] - P[j * n + i]) < 1e-12, REPLAY ": P symmetric at (%ld,%ld)", lcg_seed, it, N,
                          S, i, j);
                cr_assert(fabs(wp - ap) < 1e-10, REPLAY ": W* P = A P at (%ld,%ld)", lcg_seed, it, N, S, i, j);
                cr_assert(fabs((W[i * n + j] - wp) - (W0[i * n + j] - w0p)) < 1e-10,
                          REPLAY ": W*(I-P) = W⁰(I-P) at (%ld,%ld)", lcg_seed, it, N, S, i, j);
            }
        /* gradient descent reaches the same limit */
        double *G = malloc(sizeof(double) * n * n);
        memcpy(G, W0, sizeof(double) * n * n);
        gb_linear_gd_trace tr;
        gb_linear_gd(G, &L, gb_linear_step(&L, NULL), 200000, 1e-15, NULL, 1, &tr);
        double dist = gb_linear_rel_dist(G, W, n);
        cr_assert(dist < 1e-8, REPLAY ": GD %.2e from W* after %ld steps", lcg_seed, it, N, S, dist, tr.steps);
        free(A); free(W0); free(W); free(P); free(G);
        gb_linear_data_clear(&L);
        fake_clear(d);
    }
}

/* one GD step uses the gradient W C - B of L(W) = (1/2S)‖W F - U‖²: check against central differences,
 * on random sizes with fewer samples than nodes and with more */
Test(linear, gradient_matches_finite_differences)
{
    for (int it = 0; it < 4; it++) {
        long N = rnd_size(2, 10), n = N + 1, S = rnd_size(1, 2 * n);
        double *A = malloc(sizeof(double) * n * n), *W = malloc(sizeof(double) * n * n),
               *W1 = malloc(sizeof(double) * n * n);
        gb_dataset_t d;
        fake(d, N, S, A);
        gb_linear_data L;
        cr_assert_eq(gb_linear_data_init(&L, d), GB_OK, REPLAY, lcg_seed, it, N, S);
        for (long i = 0; i < n * n; i++)
            W[i] = rnd();
        memcpy(W1, W, sizeof(double) * n * n);
        double eta = 0.01;
        gb_linear_gd_trace tr;
        gb_linear_gd(W1, &L, eta, 1, 0.0, NULL, 1, &tr);
        for (long e = 0; e < n * n; e += 5) {
            double h = 1e-5, w = W[e], lp, lm;
            W[e] = w + h;
            lp = 0.5 * n * gb_linear_mse(W, d);   /* (1/2S)‖·‖² = (n/2) × mean square */
            W[e] = w - h;
            lm = 0.5 * n * gb_linear_mse(W, d);
            W[e] = w;
            double fd = (lp - lm) / (2 * h), step = (W[e] - W1[e]) / eta;
            cr_assert(fabs(fd - step) <= 1e-6 * (1 + fabs(fd)), REPLAY ": entry %ld: %.10g vs %.10g", lcg_seed, it, N, S, e,
                      fd, step);
        }
        free(A); free(W); free(W1);
        gb_linear_data_clear(&L);
        fake_clear(d);
    }
}

/* A_FD (lumped fem operator, Δx G) is the inverse of k L_h on the interior */
Test(linear, fd_operator_inverts_k_lh)
{
    long N = 20, n = 21;
    double k = 1.7, *A = malloc(sizeof(double) * n * n);
    gb_lin_pred_fem_operator(A, N, k, GB_LOAD_LUMPED, 128);
    for (long i = 1; i < N; i++)
        for (long j = 1; j < N; j++) {
            double s = 0;
            for (long l = i - 1; l <= i + 1; l++)
                if (l >= 1 && l <= N - 1)
                    s += k * N * N * (l == i ? 2 : -1) * A[l * n + j];
            cr_assert(fabs(s - (i == j)) < 1e-12, "(%ld,%ld) %.3e", i, j, s);
        }
    free(A);
}

/* A_FEM in closed form equals K⁻¹M solved numerically */
Test(linear, fem_operator_equals_k_inverse_m)
{
    long N = 17, n = 18, m = N - 1;
    double k = 0.8, *A = malloc(sizeof(double) * n * n), *K = calloc((size_t)(m * m), sizeof(double)),
           *B = calloc((size_t)(m * n), sizeof(double));
    gb_lin_pred_fem_operator(A, N, k, GB_LOAD_CONSISTENT, 128);
    for (long i = 0; i < m; i++) {
        K[i * m + i] = 2 * k * N;
        if (i > 0) K[i * m + i - 1] = -k * N;
        if (i < m - 1) K[i * m + i + 1] = -k * N;
        for (long j = i; j <= i + 2; j++)   /* row i+1 of M: (Δx/6)(1, 4, 1) at nodes i, i+1, i+2 */
            B[i * n + j] = (j == i + 1 ? 4.0 : 1.0) / (6.0 * N);
    }
    lapack_int *ipiv = malloc(sizeof(lapack_int) * m);
    cr_assert_eq(LAPACKE_dgesv(LAPACK_ROW_MAJOR, m, n, K, m, ipiv, B, n), 0);
    for (long i = 0; i < m; i++)
        for (long j = 0; j < n; j++)
            cr_assert(fabs(B[i * n + j] - A[(i + 1) * n + j]) < 1e-14, "(%ld,%ld)", i + 1, j);
    for (long j = 0; j < n; j++)
        cr_assert(A[j] == 0 && A[N * n + j] == 0, "boundary rows vanish");
    free(A); free(K); free(B); free(ipiv);
}

Test(linear, rank_of_degenerate_data)
{
    long N = 9, n = 10, S = 6;
    double *A = malloc(sizeof(double) * n * n);
    gb_dataset_t d;
    fake(d, N, S, A);
    /* samples 3..5 repeat 0..2 (scaled): rank 3 */
    for (long s = 3; s < 6; s++)
        for (long j = 0; j < n; j++) {
            d->f[s * n + j] = 2 * d->f[(s - 3) * n + j];
            d->u[s * n + j] = 2 * d->u[(s - 3) * n + j];
        }
    gb_linear_data L;
    cr_assert_eq(gb_linear_data_init(&L, d), GB_OK, "GB_TEST_SEED=%lu", lcg_seed);
    cr_assert_eq(L.rank, 3, "rank %ld (GB_TEST_SEED=%lu)", L.rank, lcg_seed);
    gb_linear_data_clear(&L);
    memset(d->f, 0, sizeof(double) * S * n);
    cr_assert_eq(gb_linear_data_init(&L, d), GB_EINVAL, "all-zero forcings are refused (GB_TEST_SEED=%lu)", lcg_seed);
    free(A);
    fake_clear(d);
}

/* the gates can fail: a wrong projector or a wrong sign of A turns LIN-1 and GRN-3 to FAIL */
static gb_verdict run(int (*fn)(gb_claim_t, const gb_verify_opts *), int fault)
{
    gb_verify_opts o;
    gb_verify_opts_default(&o);
    o.out = NULL;
    o.quick = 1;
    o.S = 200;
    o.fault = fault;
    gb_claim_t c;
    gb_claim_init(c, "X", 0, NULL);
    fn(c, &o);
    gb_verdict v = c->verdict;
    gb_claim_clear(c);
    gb_fd_cache_clear();
    return v;
}

Test(linear, lin1_and_grn3_flip_on_wrong_projector_or_sign, .timeout = 120)
{
    cr_assert_eq(run(gb_verify_lin1, GB_FAULT_NONE), GB_PASS);
    cr_assert_eq(run(gb_verify_lin1, GB_FAULT_PROJECTOR), GB_FAIL);
    cr_assert_eq(run(gb_verify_lin1, GB_FAULT_SIGN), GB_FAIL);
    cr_assert_eq(run(gb_verify_grn3, GB_FAULT_NONE), GB_PASS);
    cr_assert_eq(run(gb_verify_grn3, GB_FAULT_PROJECTOR), GB_FAIL);
    cr_assert_eq(run(gb_verify_grn3, GB_FAULT_SIGN), GB_FAIL);
    cr_assert_eq(run(gb_verify_grn1, GB_FAULT_NONE), GB_PASS);
    cr_assert_eq(run(gb_verify_grn1, GB_FAULT_SIGN), GB_FAIL);
}

/* the T-step closed form of SPEC §5 against T plain GD steps, and blocked GD against plain GD, on
 * random data with more samples than nodes and with fewer (a null space the formula must keep at W⁰),
 * from W⁰ = 0 and from a random W⁰, at the optimal step and at 1/λ_max */
Test(linear, t_step_formula_and_blocked_gd_equal_plain_gd)
{
    static const long Ss[] = {40, 6};
    for (int a = 0; a < 2; a++)
        for (int w = 0; w < 2; w++) {
            long N = 11, n = 12, S = Ss[a], T = 3000;
            double *A = malloc(sizeof(double) * n * n), *W0 = calloc((size_t)(n * n), sizeof(double)),
                   *Wg = malloc(sizeof(double) * n * n), *Wb = malloc(sizeof(double) * n * n),
                   *Wf = malloc(sizeof(double) * n * n);
            gb_dataset_t d;
            fake(d, N, S, A);
            gb_linear_data L;
            cr_assert_eq(gb_linear_data_init(&L, d), GB_OK, "S=%ld (GB_TEST_SEED=%lu)", S, lcg_seed);
            for (long i = 0; w && i < n * n; i++)
                W0[i] = rnd();
            double eta = a ? gb_linear_step(&L, NULL) : 1.0 / L.lam_max;
            memcpy(Wg, W0, sizeof(double) * n * n);
            memcpy(Wb, W0, sizeof(double) * n * n);
            gb_linear_gd_trace tr;
            cr_assert_eq(gb_linear_gd(Wg, &L, eta, T, 0.0, NULL, 1, &tr), GB_OK);
            free(tr.dist);
            cr_assert_eq(tr.steps, T);
            cr_assert_eq(gb_linear_gd_steps(Wb, &L, eta, T, 64), GB_OK);   /* 46 blocks and 56 single steps */
            cr_assert_eq(gb_linear_gd_formula(Wf, &L, w ? W0 : NULL, eta, T), GB_OK);
            double db = gb_linear_rel_dist(Wb, Wg, n), df = gb_linear_rel_dist(Wf, Wg, n);
            cr_assert(db < 1e-12, "S=%ld W0=%d: blocked GD %.3e from plain GD (GB_TEST_SEED=%lu)", S, w, db, lcg_seed);
            cr_assert(df < 1e-12, "S=%ld W0=%d: T-step formula %.3e from plain GD (GB_TEST_SEED=%lu)", S, w, df, lcg_seed);
            /* a formula one step short is not the same map: the check can fail */
            cr_assert_eq(gb_linear_gd_formula(Wf, &L, w ? W0 : NULL, eta, 10), GB_OK);
            memcpy(Wb, W0, sizeof(double) * n * n);
            cr_assert_eq(gb_linear_gd_steps(Wb, &L, eta, 11, 4), GB_OK);
            double d11 = gb_linear_rel_dist(Wf, Wb, n);
            cr_assert(d11 > 1e-6, "S=%ld W0=%d: 10-step formula %.3e from 11 steps (GB_TEST_SEED=%lu)", S, w, d11, lcg_seed);
            memcpy(Wb, W0, sizeof(double) * n * n);
            cr_assert_eq(gb_linear_gd_steps(Wb, &L, eta, 10, 4), GB_OK);   /* unconverged: 2 blocks, 2 steps */
            double d10 = gb_linear_rel_dist(Wf, Wb, n);
            cr_assert(d10 < 1e-13, "S=%ld W0=%d: after 10 steps: %.3e (GB_TEST_SEED=%lu)", S, w, d10, lcg_seed);
            double left = gb_linear_gd_left(&L, eta, T);
            cr_assert(left < 1.0, "S=%ld W0=%d: %g left after %ld steps (GB_TEST_SEED=%lu)", S, w, left, T, lcg_seed);
            gb_linear_data_clear(&L);
            fake_clear(d);
            free(A); free(W0); free(Wg); free(Wb); free(Wf);
        }
}

/* LIN-3a, LIN-3b, LIN-4 and GRN-4 pass as they stand, and each flips under the fault aimed at its
 * prediction: a wrong A_G (LIN-3a, GRN-4), the T-step closed form with the wrong step (LIN-3b, LIN-4,
 * GRN-4's unconverged rows), a wrong sign of A (LIN-4's converged rows, GRN-4) */
Test(linear, trained_weight_claims_pass_and_flip_under_their_faults, .timeout = 300)
{
    cr_assert_eq(run(gb_verify_lin3a, GB_FAULT_NONE), GB_PASS);
    cr_assert_eq(run(gb_verify_lin3a, GB_FAULT_GREEN), GB_FAIL);
    cr_assert_eq(run(gb_verify_lin3b, GB_FAULT_NONE), GB_PASS);
    cr_assert_eq(run(gb_verify_lin3b, GB_FAULT_STEP), GB_FAIL);
    cr_assert_eq(run(gb_verify_lin4, GB_FAULT_NONE), GB_PASS);
    cr_assert_eq(run(gb_verify_lin4, GB_FAULT_STEP), GB_FAIL);
    cr_assert_eq(run(gb_verify_lin4, GB_FAULT_SIGN), GB_FAIL);
    cr_assert_eq(run(gb_verify_grn4, GB_FAULT_NONE), GB_PASS);
    cr_assert_eq(run(gb_verify_grn4, GB_FAULT_GREEN), GB_FAIL);
    cr_assert_eq(run(gb_verify_grn4, GB_FAULT_STEP), GB_FAIL);
    cr_assert_eq(run(gb_verify_grn4, GB_FAULT_SIGN), GB_FAIL);
    cr_assert_eq(run(gb_verify_lin9, GB_FAULT_NONE), GB_PASS);
    cr_assert_eq(run(gb_verify_lin9, GB_FAULT_PROJECTOR), GB_FAIL);   /* S < r predicted with the full span */
}

/* the noise kernel of T GD steps: η²C/S after one step, (F Fᵀ)⁺ once converged */
Test(linear, gd_noise_kernel_after_one_step_and_at_convergence)
{
    long N = 7, n = 8, S = 30;
    double *A = malloc(sizeof(double) * n * n), *K = malloc(sizeof(double) * n * n), *P = malloc(sizeof(double) * n * n);
    gb_dataset_t d;
    fake(d, N, S, A);
    gb_linear_data L;
    cr_assert_eq(gb_linear_data_init(&L, d), GB_OK, "GB_TEST_SEED=%lu", lcg_seed);
    double eta = 1.0 / L.lam_max;
    gb_linear_gd_noise_kernel(K, &L, eta, 1);
    for (long i = 0; i < n * n; i++)
        cr_assert(fabs(K[i] - eta * eta * L.C[i] / S) <= 1e-14 * eta * eta * L.lam_max,
                  "one step, entry %ld (GB_TEST_SEED=%lu)", i, lcg_seed);
    gb_linear_gd_noise_kernel(K, &L, eta, 1000000);
    /* (F Fᵀ)⁺ = C⁺/S; C is invertible here (S > n): K C S = I */
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) {
            double s = 0;
            for (long l = 0; l < n; l++)
                s += K[i * n + l] * L.C[l * n + j] * S;
            P[i * n + j] = s;
            cr_assert(fabs(s - (i == j)) <= 1e-9, "converged: (K C S)_%ld%ld = %.3e (GB_TEST_SEED=%lu)", i, j, s, lcg_seed);
        }
    gb_linear_data_clear(&L);
    fake_clear(d);
    free(A); free(K); free(P);
}

/* the settling rule of LIN-3a and LIN-9: shrinking changes and a non-zero last value */
Test(linear, settles_needs_shrinking_changes_above_a_floor)
{
    const double ok[] = {0.1329, 0.1298, 0.1285, 0.1279}, grows[] = {0.13, 0.129, 0.127, 0.12},
                 zero[] = {0.04, 0.02, 0.01, 0.005};
    cr_assert(gb_verify_settles(ok, 4, 0.05));
    cr_assert(!gb_verify_settles(grows, 4, 0.05));
    cr_assert(!gb_verify_settles(zero, 4, 0.05));
    cr_assert(!gb_verify_settles(ok, 2, 0.05), "two values cannot show a limit");
}

/* every fault kind has a name that parses back to it; unknown names are 0 */
Test(linear, fault_names_round_trip)
{
    for (int f = 1; f <= GB_FAULT_GRID; f++)
        cr_assert_eq(gb_fault_parse(gb_fault_name(f)), f, "fault %d (%s)", f, gb_fault_name(f));
    cr_assert_eq(gb_fault_parse("none"), 0);
    cr_assert_eq(gb_fault_parse("bogus"), 0);
    cr_assert_str_eq(gb_fault_name(99), "?");
}

/* W(I − P): a row in the span of V vanishes, a row orthogonal to it is kept, a mixed row keeps its off-span
 * part; the norm sums in order */
Test(linear, off_span_removes_the_span_and_keeps_the_rest)
{
    const double r = 1 / sqrt(2.0);
    double V[2 * 3] = {1, 0, 0, 0, r, r};                       /* orthonormal rows */
    double W[3 * 3] = {2, 3, 3, 0, 1, -1, 1, 2, 0}, Q[9];      /* in span, off span, mixed */
    gb_linear_off_span(Q, W, 3, 3, V, 2);
    double want[9] = {0, 0, 0, 0, 1, -1, 0, 1, -1};
    for (int i = 0; i < 9; i++)
        cr_assert_float_eq(Q[i], want[i], 1e-15, "entry %d: %g, want %g", i, Q[i], want[i]);
    cr_assert_float_eq(gb_linear_fro(want, 9), 2.0, 1e-15);
}
