#include "problem/problem.h"
#include "core/status.h"
#include <string.h>

static const char *family_names[] = {"poly", "cos", "sin", "fem"};
static const char *equation_names[] = {"poisson", "biharmonic"};

const char *gb_equation_name(gb_equation eq) { return equation_names[eq]; }
int gb_equation_order(gb_equation eq) { return eq == GB_EQ_BIHARMONIC ? 4 : 2; }

int gb_equation_parse(gb_equation *eq, const char *s)
{
    for (int i = 0; i < 2; i++)
        if (strcmp(s, equation_names[i]) == 0) {
            *eq = (gb_equation)i;
            return GB_OK;
        }
    return GB_EINVAL;
}

const char *gb_family_name(gb_family fam) { return family_names[fam]; }

int gb_family_parse(gb_family *fam, const char *s)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(s, family_names[i]) == 0) {
            *fam = (gb_family)i;
            return GB_OK;
        }
    return GB_EINVAL;
}

/* i!/(i-m)!, 0 when m > i */
static void falling(mpz_t res, int i, int m)
{
    mpz_set_ui(res, m > i ? 0 : 1);
    for (int j = 0; j < m && j < i; j++)
        mpz_mul_ui(res, res, (unsigned long)(i - j));
}

void gb_basis_forcing_deriv(mpfr_t res, gb_family fam, int i, int m, const mpfr_t x)
{
    mpfr_prec_t prec = mpfr_get_prec(res) + 16;
    mpfr_t t, w;
    mpfr_inits2(prec, t, w, (mpfr_ptr)0);
    if (fam == GB_FAMILY_POLY) {
        mpz_t c;
        mpz_init(c);
        falling(c, i, m);
        if (mpz_sgn(c) == 0)
            mpfr_set_zero(t, 1);
        else {
            mpfr_pow_ui(t, x, (unsigned long)(i - m), MPFR_RNDN);
            mpfr_mul_z(t, t, c, MPFR_RNDN);
        }
        mpz_clear(c);
    } else {
        /* d^m cos(ωx) = ω^m cos(ωx + mπ/2), d^m sin(ωx) = ω^m sin(ωx + mπ/2) */
        mpfr_const_pi(w, MPFR_RNDN);
        mpfr_mul_si(w, w, i, MPFR_RNDN);          /* ω = iπ */
        mpfr_mul(t, w, x, MPFR_RNDN);
        int phase = m % 4;                         /* shift by mπ/2 exactly */
        int use_sin = (fam == GB_FAMILY_SIN);
        /* sin(a + π/2) = cos a, cos(a + π/2) = -sin a */
        int sign = 1;
        for (int s = 0; s < phase; s++) {
            if (use_sin)
                use_sin = 0;
            else {
                use_sin = 1;
                sign = -sign;
            }
        }
        if (use_sin)
            mpfr_sin(t, t, MPFR_RNDN);
        else
            mpfr_cos(t, t, MPFR_RNDN);
        if (sign < 0)
            mpfr_neg(t, t, MPFR_RNDN);
        mpfr_pow_ui(w, w, (unsigned long)m, MPFR_RNDN);
        mpfr_mul(t, t, w, MPFR_RNDN);
    }
    mpfr_set(res, t, MPFR_RNDN);
    mpfr_clears(t, w, (mpfr_ptr)0);
}

void gb_basis_forcing(mpfr_t res, gb_family fam, int i, const mpfr_t x)
{
    gb_basis_forcing_deriv(res, fam, i, 0, x);
}

/* Solutions (k = 1), then divided by k:
 *   poly x^i : (x - x^{i+2}) / ((i+1)(i+2))
 *   cos      : [cos(iπx) - 1 + (1 - (-1)^i) x] / (i²π²)
 *   sin      : sin(iπx) / (i²π²)
 * m-th derivatives are taken term by term. */
static void poisson_solution_deriv(mpfr_t res, gb_family fam, int i, int m, const mpfr_t x, const mpfr_t k)
{
    mpfr_prec_t prec = mpfr_get_prec(res) + 16;
    mpfr_t t, a, d;
    mpfr_inits2(prec, t, a, d, (mpfr_ptr)0);
    if (fam == GB_FAMILY_POLY) {
        mpz_t c;
        mpz_init(c);
        falling(c, i + 2, m);                      /* d^m x^{i+2} */
        if (mpz_sgn(c) == 0)
            mpfr_set_zero(t, 1);
        else {
            mpfr_pow_ui(t, x, (unsigned long)(i + 2 - m), MPFR_RNDN);
            mpfr_mul_z(t, t, c, MPFR_RNDN);
        }
        mpfr_neg(t, t, MPFR_RNDN);
        if (m == 0)
            mpfr_add(t, t, x, MPFR_RNDN);
        else if (m == 1)
            mpfr_add_ui(t, t, 1, MPFR_RNDN);
        mpfr_div_ui(t, t, (unsigned long)((i + 1) * (i + 2)), MPFR_RNDN);
        mpz_clear(c);
    } else {
        gb_basis_forcing_deriv(t, fam, i, m, x);
        if (fam == GB_FAMILY_COS) {
            long lin = (i % 2) ? 2 : 0;            /* 1 - (-1)^i */
            if (m == 0) {
                mpfr_sub_ui(t, t, 1, MPFR_RNDN);
                mpfr_mul_si(a, x, lin, MPFR_RNDN);
                mpfr_add(t, t, a, MPFR_RNDN);
            } else if (m == 1)
                mpfr_add_si(t, t, lin, MPFR_RNDN);
        }
        mpfr_const_pi(d, MPFR_RNDN);
        mpfr_mul_si(d, d, i, MPFR_RNDN);
        mpfr_sqr(d, d, MPFR_RNDN);
        mpfr_div(t, t, d, MPFR_RNDN);
    }
    mpfr_div(res, t, k, MPFR_RNDN);
    mpfr_clears(t, a, d, (mpfr_ptr)0);
}

/* acc += c · d^m x^j / dx^m */
static void add_monomial(mpfr_t acc, const mpq_t c, int j, int m, const mpfr_t x, mpfr_t t)
{
    mpz_t f;
    mpz_init(f);
    falling(f, j, m);
    if (mpz_sgn(f)) {
        mpfr_pow_ui(t, x, (unsigned long)(j - m), MPFR_RNDN);
        mpfr_mul_z(t, t, f, MPFR_RNDN);
        mpfr_mul_q(t, t, c, MPFR_RNDN);
        mpfr_add(acc, acc, t, MPFR_RNDN);
    }
    mpz_clear(f);
}

/* Biharmonic solutions (k = 1), Poisson applied twice, then divided by k:
 *   poly x^i : [(x − x³)/6 − (x − x^{i+4})/((i+3)(i+4))] / ((i+1)(i+2))
 *   cos      : {[cos(iπx) − 1 + L x]/(i²π²) − (x − x²)/2 + L (x − x³)/6} / (i²π²),  L = 1 − (−1)^i
 *   sin      : sin(iπx) / (i⁴π⁴) */
static void biharmonic_solution_deriv(mpfr_t res, gb_family fam, int i, int m, const mpfr_t x, const mpfr_t k)
{
    mpfr_prec_t prec = mpfr_get_prec(res) + 16;
    mpfr_t acc, t, d;
    mpq_t c;
    mpfr_inits2(prec, acc, t, d, (mpfr_ptr)0);
    mpq_init(c);
    mpfr_set_zero(acc, 1);
    if (fam == GB_FAMILY_POLY) {
        long a = (long)(i + 3) * (i + 4);
        mpq_set_si(c, a - 6, 6 * a);       /* x: 1/6 − 1/a */
        mpq_canonicalize(c);
        add_monomial(acc, c, 1, m, x, t);
        mpq_set_si(c, -1, 6);
        add_monomial(acc, c, 3, m, x, t);
        mpq_set_si(c, 1, (unsigned long)a);
        add_monomial(acc, c, i + 4, m, x, t);
        mpfr_div_ui(acc, acc, (unsigned long)((i + 1) * (i + 2)), MPFR_RNDN);
    } else {
        mpfr_const_pi(d, MPFR_RNDN);
        mpfr_mul_si(d, d, i, MPFR_RNDN);
        mpfr_sqr(d, d, MPFR_RNDN);          /* i²π² */
        gb_basis_forcing_deriv(acc, fam, i, m, x);
        if (fam == GB_FAMILY_COS) {
            long L = (i % 2) ? 2 : 0;
            mpfr_div(acc, acc, d, MPFR_RNDN);
            mpfr_t p;                        /* the polynomial part, times i²π² */
            mpfr_init2(p, prec);
            mpfr_set_zero(p, 1);
            mpq_set_si(c, -1, 1);
            add_monomial(p, c, 0, m, x, t);
            mpq_set_si(c, L, 1);
            add_monomial(p, c, 1, m, x, t);
            mpfr_div(p, p, d, MPFR_RNDN);
            mpfr_add(acc, acc, p, MPFR_RNDN);
            mpfr_set_zero(p, 1);
            mpq_set_si(c, 3 * L - 9, 18);   /* x: L/6 − 1/2 */
            mpq_canonicalize(c);
            add_monomial(p, c, 1, m, x, t);
            mpq_set_si(c, 1, 2);
            add_monomial(p, c, 2, m, x, t);
            mpq_set_si(c, -L, 6);
            mpq_canonicalize(c);
            add_monomial(p, c, 3, m, x, t);
            mpfr_add(acc, acc, p, MPFR_RNDN);
            mpfr_clear(p);
        } else
            mpfr_div(acc, acc, d, MPFR_RNDN);
        mpfr_div(acc, acc, d, MPFR_RNDN);
    }
    mpfr_div(res, acc, k, MPFR_RNDN);
    mpq_clear(c);
    mpfr_clears(acc, t, d, (mpfr_ptr)0);
}

void gb_basis_solution_deriv(mpfr_t res, gb_equation eq, gb_family fam, int i, int m, const mpfr_t x,
                             const mpfr_t k)
{
    if (eq == GB_EQ_BIHARMONIC)
        biharmonic_solution_deriv(res, fam, i, m, x, k);
    else
        poisson_solution_deriv(res, fam, i, m, x, k);
}

void gb_basis_solution(mpfr_t res, gb_equation eq, gb_family fam, int i, const mpfr_t x, const mpfr_t k)
{
    gb_basis_solution_deriv(res, eq, fam, i, 0, x, k);
}
