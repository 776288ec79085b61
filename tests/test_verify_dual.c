/* gb_verify_dual_rows: every experiment evaluated at p and 2p, judged and counted on its own; the count reaches
 * the report's precision line, and a failed evaluation counts nothing. */
#include "verify.h"
#include "core/status.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* three experiments of two values: π and e (agree), π and the precision itself (differs at 2p), e and a value
 * below 2^-(p-64) at p only (zero at the working precision: agrees) */
static int three_rows(double *out, mpfr_prec_t prec, const void *arg)
{
    (void)arg;
    mpfr_t x;
    mpfr_init2(x, prec);
    mpfr_const_pi(x, MPFR_RNDN);
    out[0] = out[2] = mpfr_get_d(x, MPFR_RNDN);
    mpfr_set_ui(x, 1, MPFR_RNDN);
    mpfr_exp(x, x, MPFR_RNDN);
    out[1] = out[4] = mpfr_get_d(x, MPFR_RNDN);
    mpfr_clear(x);
    out[3] = (double)prec;
    out[5] = prec == 256 ? 0x1p-200 : 0.0;
    return 0;
}

/* fails at 2p */
static int fails_at_2p(double *out, mpfr_prec_t prec, const void *arg)
{
    *(int *)arg += 1;
    out[0] = 1.0;
    return prec > 256 ? GB_EINVAL : GB_OK;
}

static long bad, failed;
static int agree[3], calls;
static double out[6];

static int run_dual(gb_claim_t c, const gb_verify_opts *o)
{
    (void)c;
    bad = gb_verify_dual_rows(out, agree, 3, 2, o, three_rows, NULL);
    double one;
    failed = gb_verify_dual_rows(&one, NULL, 1, 1, o, fails_at_2p, &calls);
    return GB_OK;
}

Test(verify_dual, rows_are_judged_and_counted_each_and_a_failed_one_is_not)
{
    char dir[] = "/tmp/gb-dual-XXXXXX";
    cr_assert(mkdtemp(dir));
    gb_verify_opts o;
    gb_verify_opts_default(&o);
    o.out = dir;
    cr_assert_eq(o.prec, 256);
    const gb_verify_entry e = {"DUAL-T", "the dual helper", run_dual, NULL, 0, "[test]", NULL, "§10", "tests", "none"};
    gb_verify_run(&e, &o);
    cr_assert_eq(bad, 1);
    cr_assert(agree[0] && !agree[1] && agree[2], "agree = %d %d %d", agree[0], agree[1], agree[2]);
    cr_assert_eq(out[3], 256.0, "out holds the p values");
    cr_assert_eq(out[5], 0x1p-200, "out holds the p values, unchanged");
    cr_assert_eq(failed, -1);
    cr_assert_eq(calls, 2);
    char path[64], line[512] = "", want[160];
    snprintf(path, sizeof path, "%s/DUAL-T.md", dir);
    FILE *f = fopen(path, "r");
    cr_assert(f);
    int found = 0;
    snprintf(want, sizeof want, "Precision: the predictions of 3 experiments were evaluated at 256 and 512 bits; 1 "
                                "disagreed in the %d printed digits", GB_PRINT_DIGITS);
    while (!found && fgets(line, sizeof line, f))
        found = strncmp(line, want, strlen(want)) == 0;
    fclose(f);
    cr_assert(found, "no line '%s' in %s", want, path);
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}
