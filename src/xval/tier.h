/* The two tiers of SPEC §8 and the trainings behind their statistical claims.
 *
 * A tier fixes the benchmark (grid, samples, seeds) and, per model class, the training budget. The
 * budgets below were written into this file before any full-tier result was seen (pre-registered,
 * SPEC §10); a change to one changes every stored key, so old results are never read as new ones.
 *
 *   full tier  the paper's set-up: S = 10 000 training samples per data set, 1 000 per test set,
 *              networks trained to the plateau rule of SPEC §7 (mini-batches of 256), 5 seeds
 *              (10 for trend claims); results stored one file per training (xval/store.h) so that
 *              a run resumes where it stopped and re-renders its reports without training
 *   CI tier    a small budget that gates the pipeline in minutes: S = 100, constant-rate training
 *              of the class defaults with a shortened cap, the same seeds and rules; its verdicts
 *              are labelled "CI tier" and never stand in for the full tier
 *
 * A seed s draws new training and test data (test sets: s + GB_XV_TEST_SEED) and a new
 * initialisation (init seed s). */
#ifndef GB_XVAL_TIER_H
#define GB_XVAL_TIER_H

#include "xval/store.h"
#include "xval/xval.h"

typedef enum { GB_TIER_CI = 0, GB_TIER_FULL = 1 } gb_tier;

typedef struct {
    gb_tier tier;
    const char *name;          /* "CI tier", "full tier" */
    long N, S, S_test;
    int seeds;                 /* seeds of a statistical claim: seed0 .. seed0 + seeds − 1 */
    int trend_seeds;           /* of a trend claim (PINN-1) */
    unsigned long seed0;
    double k;
    gb_law law;
    mpfr_prec_t prec;
} gb_tier_spec;

void gb_tier_spec_init(gb_tier_spec *t, gb_tier tier);
const char *gb_tier_name(gb_tier tier);

/* the training budget of a model class in a tier (SPEC §7): cap of epochs, plateau window (0: a
 * constant rate), mini-batch (0: the class default) */
typedef struct {
    long cap, window, batch;
} gb_tier_budget;
gb_tier_budget gb_tier_budget_of(const gb_tier_spec *t, gb_xv_model m);
/* the rows a model is trained on in a tier: all 25, or the poly rows p1..p8 for the PINN (PINN-1) */
int gb_tier_rows(const gb_tier_spec *t, gb_xv_model m);
/* the number of seeds a model runs in a tier */
int gb_tier_seeds(const gb_tier_spec *t, gb_xv_model m);

/* the benchmark options of one seed of a model in a tier */
gb_xv_opts gb_tier_xv_opts(const gb_tier_spec *t, gb_xv_model m, unsigned long seed);
/* the key of one training: every parameter it depends on */
void gb_tier_key(char *buf, size_t len, const gb_tier_spec *t, gb_xv_model m, int row, unsigned long seed);

/* row i of X as a stored result and back */
void gb_tier_result_from_row(gb_xv_result *r, const gb_xv_matrix *X, int i);
void gb_tier_row_from_result(gb_xv_matrix *X, int i, const gb_xv_result *r);

/* Runs every (model, seed, row) training of the tier that is not in the store at `dir` and stores
 * it; with GB_MPI the trainings are spread over the ranks. Each training's wall time is appended to
 * dir/timings.tsv (not a report: timings are not reproducible). A stored result that is corrupt or
 * foreign stops the run with GB_EINVAL and msg. progress: one line per training on stderr. */
int gb_tier_run(const char *dir, const gb_tier_spec *t, const gb_xv_model *models, int nmodels, int progress,
                char *msg, size_t len);

/* one line of dir/timings.tsv: model, row, seed, wall seconds, epochs, ranks (kept apart from the reports) */
void gb_tier_timing(const char *dir, const char *model, const char *row, unsigned long seed, double seconds,
                    long epochs, int ranks);
/* Summarises dir/timings.tsv per model (trainings, process seconds, mean, median, longest, epochs, seconds
 * per epoch) into dir/TIMINGS.md with the tier's projected cost (t's trainings at the median times)
 * against the goal of 4 h on 2 ranks: the cost of the tier, kept apart from the deterministic reports. */
int gb_tier_timings(const char *dir, const gb_tier_spec *t);

/* how many of a model's trainings for one seed the store at dir holds */
int gb_tier_stored(const char *dir, const gb_tier_spec *t, gb_xv_model m, unsigned long seed);

/* A model's matrix for one seed. dir == NULL: trained now (nothing stored); else read from the
 * store: GB_ENOENT (msg says how many rows are missing) unless every row is there. */
int gb_tier_matrix(gb_xv_matrix *X, const char *dir, const gb_tier_spec *t, gb_xv_model m, unsigned long seed,
                   char *msg, size_t len);

/* Retrains `count` trainings chosen by a fixed seed among the stored ones of `models` and compares
 * every number with the stored one, bit for bit; msg names the first that differs (GB_EINVAL). */
int gb_tier_check(const char *dir, const gb_tier_spec *t, const gb_xv_model *models, int nmodels, int count,
                  unsigned long choice_seed, char *msg, size_t len);

#endif
