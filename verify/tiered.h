/* Shared pieces of the statistical claims about trained networks (SPEC §6-§8, §10), judged in a tier:
 * XV-PATTERN-<model> (xv_pattern.c), GRN-5 (grn5.c), NN-FLOOR (nnfloor.c), PINN-1 (pinn1.c).
 *
 * Each statistic is computed per seed; its 95 % Student-t interval decides (src/stats). The CI tier
 * trains now on a small budget; the full tier reads the stored trainings of 'make verify-full'
 * (src/xval/tier.h holds both budgets). A rule is written once: the check and the printed rule read the
 * same gb_stats_rule. */
#ifndef GB_VERIFY_TIERED_H
#define GB_VERIFY_TIERED_H

#include "stats/stats.h"
#include "verify.h"
#include "xval/pattern.h"
#include "xval/tier.h"

#define GB_TIERED_MAXSEEDS 32

/* a string that outlives the claim function (a claim keeps pointers until its report is written) */
const char *gb_tiered_keep(const char *s);
/* the tier the options select, with their seed, k, law, precision and seed count */
void gb_tiered_spec(gb_tier_spec *t, const gb_verify_opts *o);

/* one model's matrices, a seed each */
typedef struct {
    int n;                      /* seeds loaded */
    int want;                   /* seeds the tier runs */
    int missing;                /* full tier: seeds with trainings not yet stored */
    long stored, trainings;     /* full tier: trainings stored of those the claim reads */
    long unconverged;           /* trainings stopped at the cap while still improving */
    long broken;                /* trainings that diverged or gave a non-finite test error */
    gb_xv_matrix *X[GB_TIERED_MAXSEEDS];
    char why[512];
} gb_tiered_seeds;

/* GB_OK with S->n seeds (fewer when the store is incomplete: S->missing says how many are not);
 * another status for a corrupt or foreign store or a failed training */
int gb_tiered_seeds_load(gb_tiered_seeds *S, const gb_verify_opts *o, const gb_tier_spec *t, gb_xv_model m);
void gb_tiered_seeds_clear(gb_tiered_seeds *S);

/* the rule a --fault pattern run checks instead: the predicted side flipped, so every claim must change */
gb_stats_rule gb_tiered_flipped(gb_stats_rule r);
/* the table of a statistical claim: finding, statistic, per seed, mean, interval, rule, verdict */
void gb_tiered_table(gb_claim_t c);

/* the plot of a statistical claim: every check's per-seed values, mean and interval, and its bound */
typedef struct {
    gb_series *mean, *seeds, *bound;
    int k;
    gb_str tics;
} gb_tiered_plot;

void gb_tiered_plot_init(gb_tiered_plot *p, gb_claim_t c, const char *title, const char *ylabel);
void gb_tiered_plot_done(gb_tiered_plot *p, gb_claim_t c);
/* one statistic over the seeds, judged by its rule: a table row, the claim's verdict, a plot point (p may be NULL) */
gb_verdict gb_tiered_check(gb_claim_t c, const gb_verify_opts *o, gb_tiered_plot *p, const char *finding,
                           const char *stat, const char *tic, const double *v, int n, gb_stats_rule r);

/* the parameters every statistical claim prints: tier, seeds, budget, rule of §10, the rule's history */
void gb_tiered_params(gb_claim_t c, const gb_verify_opts *o, const gb_tier_spec *t, const gb_xv_model *models,
                      int nmodels);
/* the claim cannot be judged: the full tier has not stored every training (1, judged on c), else 0 */
int gb_tiered_incomplete(gb_claim_t c, const gb_tiered_seeds *S, const gb_tier_spec *t, gb_xv_model m);
/* SPEC §10: a model with a diverged or non-finite training is ERROR */
void gb_tiered_broken(gb_claim_t c, const gb_tiered_seeds *S, gb_xv_model m);
/* SPEC §7: a verdict about a model stopped at its cap while still improving is INCONCLUSIVE */
void gb_tiered_unconverged(gb_claim_t c, long unconverged, long trainings);

/* class m's first rule on `stat` (in `family`, or in any for −1) in src/xval/pattern.c; NULL if it has none */
const gb_pattern_rule *gb_tiered_pattern_rule(gb_xv_model m, gb_pattern_stat stat, int family);

#endif
