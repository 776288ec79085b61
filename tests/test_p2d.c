/* 2-D Poisson (src/problem/poisson2d.c, SPEC §11): the sine-transform solver agrees with a direct LU solve of the
 * 5-point system; A = (k L_h)⁻¹ is symmetric; the Kronecker product is applied right; the projector and the span
 * test behave; bad sizes are refused with the memory they would need; the p2d command. */
#include "core/status.h"
#include "problem/poisson2d.h"
#include "helpers.h"
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Test(p2d, the_transform_solver_agrees_with_a_direct_solve)
{
    unsigned long seed0 = gb_test_seed(11), seed = seed0;
    for (long n = 2; n <= 9; n++) {
        long m = n * n;
        double *f = malloc(sizeof(double) * m), *u = malloc(sizeof(double) * m), *v = malloc(sizeof(double) * m);
        for (long i = 0; i < m; i++)
            f[i] = 2 * gb_test_uniform(&seed) - 1;
        cr_assert_eq(gb_p2d_solve(u, f, n, 1.7), GB_OK);
        cr_assert_eq(gb_p2d_solve_direct(v, f, n, 1.7), GB_OK);
        double e = 0, s = 0;
        for (long i = 0; i < m; i++) {
            e = fmax(e, fabs(u[i] - v[i]));
            s = fmax(s, fabs(v[i]));
        }
        cr_assert(e <= 1e-13 * s, "n=%ld: transform and LU differ by %g (of %g); GB_TEST_SEED=%lu", n, e, s, seed0);
        /* aliasing: u may be f */
        memcpy(u, f, sizeof(double) * m);
        cr_assert_eq(gb_p2d_solve(u, u, n, 1.7), GB_OK);
        for (long i = 0; i < m; i++)
            cr_assert(fabs(u[i] - v[i]) <= 1e-13 * s, "n=%ld, in place: node %ld %.17g vs LU %.17g (of %g); GB_TEST_SEED=%lu",
                      n, i, u[i], v[i], s, seed0);
        free(f);
        free(u);
        free(v);
    }
}

Test(p2d, the_operator_is_symmetric_and_the_kronecker_product_is_applied_right)
{
    long n = 5, m = n * n;
    double *A = malloc(sizeof(double) * m * m), *X = malloc(sizeof(double) * m * m), *Y = malloc(sizeof(double) * m * m),
           *P = malloc(sizeof(double) * n * n), *Q = malloc(sizeof(double) * n * n);
    cr_assert_eq(gb_p2d_operator(A, n, 2.0), GB_OK);
    for (long i = 0; i < m; i++)
        for (long j = 0; j < m; j++)
            cr_assert(fabs(A[i * m + j] - A[j * m + i]) <= 1e-15 * fabs(A[0]), "A not symmetric at (%ld, %ld)", i, j);
    gb_p2d_factor fx = {GB_FAMILY_POLY, 2}, fy = {GB_FAMILY_SIN, 3};
    cr_assert_eq(gb_p2d_projector(P, n, &fx, 256), GB_OK);
    cr_assert_eq(gb_p2d_projector(Q, n, &fy, 256), GB_OK);
    cr_assert_eq(gb_p2d_times_kron(X, A, P, Q, n), GB_OK);
    for (long i = 0; i < m; i++)   /* against the explicit Kronecker product, index i·n + j */
        for (long j = 0; j < m; j++) {
            double s = 0;
            for (long l = 0; l < m; l++)
                s += A[i * m + l] * P[(l / n) * n + j / n] * Q[(l % n) * n + j % n];
            Y[i * m + j] = s;
        }
    for (long i = 0; i < m * m; i++)
        cr_assert(fabs(X[i] - Y[i]) <= 1e-15 * fabs(A[0]) * 10);
    /* P is an orthogonal projector of rank p */
    double tr = 0;
    for (long i = 0; i < n; i++) {
        tr += P[i * n + i];
        for (long j = 0; j < n; j++) {
            double pp = 0;
            for (long l = 0; l < n; l++)
                pp += P[i * n + l] * P[l * n + j];
            cr_assert(fabs(pp - P[i * n + j]) < 1e-14 && fabs(P[i * n + j] - P[j * n + i]) < 1e-15);
        }
    }
    cr_assert(fabs(tr - 2) < 1e-14, "trace %g", tr);
    free(A); free(X); free(Y); free(P); free(Q);
}

Test(p2d, spans_nest_by_the_rank_test)
{
    gb_p2d_factor p2 = {GB_FAMILY_POLY, 2}, p3 = {GB_FAMILY_POLY, 3}, s1 = {GB_FAMILY_SIN, 1}, s4 = {GB_FAMILY_SIN, 4},
                  c2 = {GB_FAMILY_COS, 2};
    cr_assert(gb_p2d_span_contains(15, &p3, &p2, 256));
    cr_assert(!gb_p2d_span_contains(15, &p2, &p3, 256));
    cr_assert(gb_p2d_span_contains(15, &s4, &s1, 256));
    cr_assert(!gb_p2d_span_contains(15, &p3, &s1, 256));
    cr_assert(!gb_p2d_span_contains(15, &s4, &c2, 256));
    cr_assert(gb_p2d_span_contains(15, &p2, &p2, 256));
}

Test(p2d, bad_sizes_are_refused_with_the_memory_they_would_need)
{
    char msg[256];
    gb_p2d_factor f = {GB_FAMILY_SIN, 2}, fem = {GB_FAMILY_FEM, 1}, big = {GB_FAMILY_POLY, 9};
    cr_assert_eq(gb_p2d_check(1, &f, &f, msg, sizeof msg), GB_EINVAL);
    cr_assert(strstr(msg, "n ≥ 2"), "%s", msg);
    cr_assert_eq(gb_p2d_check(200, &f, &f, msg, sizeof msg), GB_EINVAL);
    cr_assert(strstr(msg, "35.8 GiB"), "%s", msg);
    cr_assert_eq(gb_p2d_check(15, &fem, &f, msg, sizeof msg), GB_EINVAL);
    cr_assert_eq(gb_p2d_check(15, &f, &big, msg, sizeof msg), GB_EINVAL);
    cr_assert_eq(gb_p2d_check(3, &f, &(gb_p2d_factor){GB_FAMILY_SIN, 4}, msg, sizeof msg), GB_EINVAL);
    cr_assert_eq(gb_p2d_check(15, &f, &f, msg, sizeof msg), GB_OK);
    cr_assert_eq(gb_p2d_check(15, &f, &f, NULL, 0), GB_OK);
}

/* the data: u = A f sample by sample, and the draw is the seed's */
Test(p2d, data_solve_their_equation)
{
    unsigned long seed = gb_test_seed(4);
    long n = 7, m = n * n, S = 3;
    gb_p2d_factor fx = {GB_FAMILY_POLY, 3}, fy = {GB_FAMILY_COS, 2};
    double *F = malloc(sizeof(double) * S * m), *U = malloc(sizeof(double) * S * m), *V = malloc(sizeof(double) * m),
           *G = malloc(sizeof(double) * S * m);
    cr_assert_eq(gb_p2d_data(F, U, S, n, 0.5, &fx, &fy, seed, 256), GB_OK, "GB_TEST_SEED=%lu", seed);
    for (long s = 0; s < S; s++) {
        cr_assert_eq(gb_p2d_solve_direct(V, F + s * m, n, 0.5), GB_OK, "sample %ld (GB_TEST_SEED=%lu)", s, seed);
        for (long i = 0; i < m; i++)
            cr_assert(fabs(V[i] - U[s * m + i]) <= 1e-12 * (1 + fabs(V[i])),
                      "sample %ld, node %ld: LU %.17g vs %.17g (GB_TEST_SEED=%lu)", s, i, V[i], U[s * m + i], seed);
    }
    cr_assert_eq(gb_p2d_data(G, V, 1, n, 0.5, &fx, &fy, seed, 256), GB_OK, "GB_TEST_SEED=%lu", seed);
    cr_assert(!memcmp(G, F, sizeof(double) * m), "the same seed draws the same first sample (GB_TEST_SEED=%lu)", seed);
    free(F); free(U); free(V); free(G);
}
