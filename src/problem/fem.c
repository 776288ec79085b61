#include "problem/problem.h"

void gb_fem_solve(mpfr_t *u, mpfr_t *const f, long N, const mpfr_t k, gb_load load, mpfr_t *work)
{
    /* Thomas algorithm for tridiag(-1,2,-1) x = b Δx / k, interior nodes 1..N-1.
     * work[0..N]: modified super-diagonal c'_i, work[N+1..2N+1]: modified rhs d'_i. */
    mpfr_t *c = work, *d = work + (N + 1);
    mpfr_t *b = u; /* the load is built in u, then overwritten by the solution */
    for (long i = 1; i <= N - 1; i++) {
        if (load == GB_LOAD_CONSISTENT) {
            mpfr_mul_ui(b[i], f[i], 4, MPFR_RNDN);
            mpfr_add(b[i], b[i], f[i - 1], MPFR_RNDN);
            mpfr_add(b[i], b[i], f[i + 1], MPFR_RNDN);
            mpfr_div_ui(b[i], b[i], 6, MPFR_RNDN);
        } else
            mpfr_set(b[i], f[i], MPFR_RNDN);
        /* (k/Δx) T u = Δx b  ⇔  T u = b Δx² / k */
        mpfr_div_si(b[i], b[i], N, MPFR_RNDN);
        mpfr_div_si(b[i], b[i], N, MPFR_RNDN);
        mpfr_div(b[i], b[i], k, MPFR_RNDN);
    }
    /* forward sweep: c'_1 = -1/2, c'_i = -1/(2 + c'_{i-1}); d'_i = (b_i + d'_{i-1})/(2 + c'_{i-1}) */
    mpfr_set_si(c[1], -1, MPFR_RNDN);
    mpfr_div_ui(c[1], c[1], 2, MPFR_RNDN);
    mpfr_div_ui(d[1], b[1], 2, MPFR_RNDN);
    for (long i = 2; i <= N - 1; i++) {
        mpfr_add_ui(c[0], c[i - 1], 2, MPFR_RNDN);     /* c[0] as scratch: the pivot */
        mpfr_add(d[i], b[i], d[i - 1], MPFR_RNDN);
        mpfr_div(d[i], d[i], c[0], MPFR_RNDN);
        mpfr_si_div(c[i], -1, c[0], MPFR_RNDN);
    }
    mpfr_set_zero(u[0], 1);
    mpfr_set_zero(u[N], 1);
    mpfr_set(u[N - 1], d[N - 1], MPFR_RNDN);
    for (long i = N - 2; i >= 1; i--) {
        mpfr_mul(u[i], c[i], u[i + 1], MPFR_RNDN);
        mpfr_sub(u[i], d[i], u[i], MPFR_RNDN);
    }
}

void gb_fem_solve_eq(mpfr_t *u, mpfr_t *const f, long N, const mpfr_t k, gb_load load, gb_equation eq,
                     mpfr_t *work)
{
    if (eq == GB_EQ_POISSON) {
        gb_fem_solve(u, f, N, k, load, work);
        return;
    }
    mpfr_t *w = work + 2 * (N + 1), one;
    gb_fem_solve(w, f, N, k, load, work);  /* w = −u'' from −k w'' = f */
    mpfr_init2(one, 2);
    mpfr_set_ui(one, 1, MPFR_RNDN);
    gb_fem_solve(u, w, N, one, load, work); /* −u'' = w */
    mpfr_clear(one);
}
