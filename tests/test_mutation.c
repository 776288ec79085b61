/* Every gate must be able to fail: a deliberately wrong stencil weight or a wrong
 * exact solution flips the verdicts that depend on them, while the same runs on
 * the true objects PASS. Small instances, same code paths as 'make verify'. */
#include "claim/claim.h"
#include "experiment/fd_case.h"
#include "predict/fd_predict.h"
#include "verify.h"
#include <criterion/criterion.h>

static gb_verify_opts small(void)
{
    gb_verify_opts o;
    gb_verify_opts_default(&o);
    o.out = NULL;
    o.quick = 1;
    o.S = 300;
    return o;
}

static gb_verdict fd2_one(const gb_verify_opts *o, int q, int p)
{
    gb_claim_t c;
    gb_claim_init(c, "FD-2", 0, NULL);
    mpq_t mu;
    mpq_init(mu);
    gb_fd_mu(mu, gb_fd_stencil(q), p);
    gb_rate_case rc = {GB_FAMILY_POLY, q, p, mpq_get_d(mu), 1, GB_EQ_POISSON};
    gb_verify_rate_sweep(c, o, &rc, 0);
    gb_verdict v = c->verdict;
    mpq_clear(mu);
    gb_claim_clear(c);
    gb_fd_cache_clear();
    return v;
}

static gb_verdict run(int (*fn)(gb_claim_t, const gb_verify_opts *), const gb_verify_opts *o)
{
    gb_claim_t c;
    gb_claim_init(c, "X", 0, NULL);
    fn(c, o);
    gb_verdict v = c->verdict;
    gb_claim_clear(c);
    gb_fd_cache_clear();
    return v;
}

Test(mutation, fd2_flips_on_a_wrong_stencil_weight, .timeout = 120)
{
    gb_verify_opts o = small();
    cr_assert_eq(fd2_one(&o, 2, 4), GB_PASS);
    o.stencil_fault = 1.0 / 1024;
    cr_assert_eq(fd2_one(&o, 2, 4), GB_FAIL);
}

Test(mutation, fd2_flips_on_a_wrong_exact_solution, .timeout = 120)
{
    gb_verify_opts o = small();
    o.solution_fault = 1e-6;
    cr_assert_eq(fd2_one(&o, 4, 6), GB_FAIL);
}

Test(mutation, fd4_flips_on_wrong_solution_or_stencil, .timeout = 120)
{
    gb_verify_opts o = small();
    cr_assert_eq(run(gb_verify_fd4, &o), GB_PASS);
    o.solution_fault = 1e-9;
    cr_assert_eq(run(gb_verify_fd4, &o), GB_FAIL);
    o.solution_fault = 0;
    o.stencil_fault = 1.0 / (1 << 20);
    cr_assert_eq(run(gb_verify_fd4, &o), GB_FAIL);
}

Test(mutation, fd1_flips_on_a_wrong_stencil_weight, .timeout = 120)
{
    gb_verify_opts o = small();
    o.S = 20;
    o.stencil_fault = 1.0 / (1 << 20);
    cr_assert_eq(run(gb_verify_fd1, &o), GB_FAIL);
}

/* the statistical claims can fail: with every rule's predicted side flipped, the linear pattern (five
 * seeds of exact least-squares fits, CI tier) turns from PASS to FAIL */
Test(mutation, statistical_claims_flip_under_the_pattern_fault, .timeout = 240)
{
    gb_verify_opts o = small();
    cr_assert_eq(run(gb_verify_xv_linear, &o), GB_PASS);
    o.pattern_fault = 1;
    cr_assert_eq(run(gb_verify_xv_linear, &o), GB_FAIL);
}

/* a full tier that has not been run is INCONCLUSIVE, never PASS and never silently the CI tier */
Test(mutation, an_empty_full_tier_is_inconclusive)
{
    gb_verify_opts o = small();
    o.tier = 1;
    o.results = "/nonexistent-store";
    cr_assert_eq(run(gb_verify_xv_mlp, &o), GB_INCONCLUSIVE);
    cr_assert_eq(run(gb_verify_pinn1, &o), GB_INCONCLUSIVE);
    cr_assert_eq(run(gb_verify_grn5, &o), GB_INCONCLUSIVE);
    cr_assert_eq(run(gb_verify_nnfloor, &o), GB_INCONCLUSIVE);
}

/* SPEC §11: the biharmonic claims PASS as they stand and turn FAIL under the faults aimed at them */
Test(mutation, biharmonic_claims_flip, .timeout = 240)
{
    gb_verify_opts o = small();
    cr_assert_eq(run(gb_verify_bh2, &o), GB_PASS);
    cr_assert_eq(run(gb_verify_bh3, &o), GB_PASS);
    o.fault = GB_FAULT_PROJECTOR;
    cr_assert_eq(run(gb_verify_bh2, &o), GB_FAIL);
    o.fault = GB_FAULT_SIGN;
    cr_assert_eq(run(gb_verify_bh3, &o), GB_FAIL);
    o.fault = GB_FAULT_TRAINING;
    cr_assert_eq(run(gb_verify_bh3, &o), GB_FAIL);
    o.fault = GB_FAULT_NONE;
    o.S = 200;
    cr_assert_eq(run(gb_verify_bh1, &o), GB_PASS);
    o.fault = GB_FAULT_GRID;
    cr_assert_eq(run(gb_verify_bh1, &o), GB_FAIL);
}

/* SPEC §11, 2-D Poisson: P2D-1 and P2D-2 PASS as they stand; the projector fault (P = I) flips P2D-1's closed
 * forms and the sign fault P2D-2's probes */
Test(mutation, poisson2d_claims_flip, .timeout = 240)
{
    gb_verify_opts o = small();
    cr_assert_eq(run(gb_verify_p2d1, &o), GB_PASS);
    cr_assert_eq(run(gb_verify_p2d2, &o), GB_PASS);
    o.fault = GB_FAULT_PROJECTOR;
    cr_assert_eq(run(gb_verify_p2d1, &o), GB_FAIL);
    o.fault = GB_FAULT_SIGN;
    cr_assert_eq(run(gb_verify_p2d2, &o), GB_FAIL);
}
