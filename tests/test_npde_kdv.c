/* The KdV set-up of the companion paper (src/npde/kdv.c): the largest eigenvalue of the linear part matches the
 * symbols, the paper's Δt is unstable for plain RK4 and the substepped solver is not, the manufactured source
 * makes the manufactured solution a solution of the continuous equation, and NPDE-0K flips under its fault. */
#include "core/status.h"
#include "npde/kdv.h"
#include "claims.h"
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

Test(npde_kdv, the_paper_step_is_unstable_and_the_substeps_are_not)
{
    gb_kdv k;
    gb_kdv_default(&k);
    /* central order 2: τ₃ peaks at θ = 2π/3 with |2 sin θ − sin 2θ| = 3√3/2; the u_x term adds ω₀ τ₁/Δx there */
    double dx = k.L / 256, th = 2 * M_PI / 3;
    double peak = fabs(k.omega0 * sin(th) / dx + (2 * sin(th) - sin(2 * th)) / (6 * pow(dx, 3)));
    cr_assert(gb_kdv_lambda_max(&k) >= peak * (1 - 1e-3) && gb_kdv_lambda_max(&k) <= peak * 1.01, "%g vs %g",
              gb_kdv_lambda_max(&k), peak);
    cr_assert_eq(gb_kdv_substeps(&k), (long)ceil(0.01 * gb_kdv_lambda_max(&k)));
    double *U = malloc(sizeof(double) * 101 * 256);
    gb_kdv_ic(U, 256, k.L, 5, 2.5);
    cr_assert(fabs(U[0]) < 1e-12 && fabs(U[64] + 5 * sin(k.L / 4 / 2.5 + M_PI)) < 1e-12);
    cr_assert_eq(gb_kdv_solve(U, &k, U, 100, 1), GB_ENONFIN);
    gb_kdv_ic(U, 256, k.L, 5, 2.5);
    cr_assert_eq(gb_kdv_solve(U, &k, U, 100, 0), GB_OK);
    free(U);
}

/* with the source, u = a sin(κx − Ωt) solves the continuous equation: F_h(u) + s − u_t → 0 at order p */
Test(npde_kdv, the_manufactured_source_closes_the_equation)
{
    for (int p = 2; p <= 6; p += 2) {
        double prev = 0;
        for (long N = 64; N <= 256; N *= 2) {
            gb_kdv k;
            gb_kdv_default(&k);
            k.N = N;
            gb_scheme_init(&k.D1, 1, p, 0);
            gb_scheme_init(&k.D3, 3, p, 0);
            k.ms_a = 0.7;
            k.ms_kappa = 4 * M_PI / k.L;
            double t = 0.3, h = 1e-5, *u = malloc(sizeof(double) * N), *up = malloc(sizeof(double) * N),
                   *um = malloc(sizeof(double) * N), *F = malloc(sizeof(double) * N), *w = malloc(sizeof(double) * N);
            gb_kdv_manufactured(u, &k, t);
            gb_kdv_manufactured(up, &k, t + h);
            gb_kdv_manufactured(um, &k, t - h);
            gb_kdv_rhs(F, &k, u, t, w);
            double r = 0;
            for (long j = 0; j < N; j++)
                r = fmax(r, fabs(F[j] - (up[j] - um[j]) / (2 * h)));
            if (prev)
                cr_assert(log2(prev / r) > p - 0.3, "p=%d N=%ld: residual %g after %g", p, N, r, prev);
            prev = r;
            free(u); free(up); free(um); free(F); free(w);
        }
    }
}

Test(npde_kdv, the_solver_claim_passes_and_its_fault_flips_it, .timeout = 120)
{
    cr_assert_eq(gb_test_claim("NPDE-0K", 0, 1), GB_PASS);
    cr_assert_eq(gb_test_claim("NPDE-0K", GB_FAULT_GRID, 1), GB_FAIL);
}
