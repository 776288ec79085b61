/* The function-space cross-validation benchmark of SPEC §8: one model trained on each of the
 * 25 data sets (rows, order p1..p8, c1..c8, s1..s8, fem), each tested on all 25 (columns).
 * The entry is the test MSE (mean over samples and nodes); tables and heat maps show the relative
 * measure of SPEC §8, L = log10(MSE / mean u² of the test set) clamped below at −12, and its
 * contrasts D, U, X, F; the CSV and JSON keep the absolute MSE beside it.
 *
 * Training sets use the seed, test sets the seed + GB_XV_TEST_SEED (fresh draws of the same laws).
 * Models:
 *   linear      the least-squares fit W* = U F⁺ of the drawn data (SVD, W⁰ = 0): the limit of
 *               gradient descent by Theorem 3.2, reached exactly instead of after ~κ(C) steps
 *   deeplinear, mlp, deeponet, fno, pideeponet   trained by src/nn with their class defaults
 *   pinn        the shared k̂ of its PINN, then −k̂ u'' = f solved exactly (u = (k/k̂) u_exact)
 *   fd          w learned by least squares with the FD_2 stencil (SPEC §4), then −w u'' = f
 *
 * With GB_MPI defined (make MPI=1) the rows of a matrix are spread over the ranks of
 * MPI_COMM_WORLD and summed onto rank 0, which alone holds the result: every row is computed by
 * exactly one rank from the same data and seed, so the matrix equals the serial one bit for bit. */
#ifndef GB_XVAL_H
#define GB_XVAL_H

#include "claim/claim.h"
#include "core/str.h"
#include "data/data.h"

#define GB_XV_NSETS 25
#define GB_XV_TEST_SEED GB_TEST_SEED_OFFSET
#define GB_XV_PROBE_ALPHA 1.0   /* Green's probe amplitude, fixed before any training (SPEC §6) */

typedef enum {
    GB_XV_LINEAR = 0, GB_XV_DEEPLINEAR, GB_XV_MLP, GB_XV_DEEPONET, GB_XV_FNO, GB_XV_PINN, GB_XV_PIDEEPONET,
    GB_XV_FD, GB_XV_NMODELS
} gb_xv_model;

const char *gb_xv_model_name(gb_xv_model m);
int gb_xv_model_parse(gb_xv_model *m, const char *s);
/* parameter learners (fd, pinn) solve the PDE with their learned coefficient */
int gb_xv_model_is_physical(gb_xv_model m);

/* data set i of the benchmark: family and p, its label ("p3", "c1", "s8", "fem") */
void gb_xv_set(int i, gb_family *fam, int *p);
const char *gb_xv_label(int i);
/* index of a label, or -1 */
int gb_xv_label_index(const char *label);

typedef struct {
    long N, S;               /* grid intervals (32), samples per training and per test set (1000) */
    unsigned long seed;      /* training sets; test sets use seed + GB_XV_TEST_SEED; model init */
    double k;                /* PDE coefficient of the data (1) */
    gb_law law;
    mpfr_prec_t prec;        /* exact solutions (256 bits) */
    long S_test;             /* samples per test set (0: S) */
    long epochs;             /* > 0: overrides the class default of every trained network (the cap) */
    long batch;              /* > 0: overrides the class default mini-batch */
    long plateau_window;     /* > 0: networks train to the plateau rule of SPEC §7 with this window */
    int progress;            /* one line per row on stderr */
    gb_equation equation;    /* the data's equation: Poisson (default) or the biharmonic of SPEC §11, for the
                                data-driven models only (linear and the networks without a physics loss) */
} gb_xv_opts;

void gb_xv_opts_default(gb_xv_opts *o);
/* 0 for the models whose physics (a PINN's or PI-DeepONet's loss, the FD model's solver) is Poisson's, under the
 * biharmonic */
int gb_xv_model_takes_equation(gb_xv_model m, gb_equation eq);
int gb_xv_opts_check(const gb_xv_opts *o, char *msg, size_t len);
/* the spec of data set i (test = 1: the test draw) */
gb_data_spec gb_xv_spec(const gb_xv_opts *o, int i, int test);

/* the 50 data sets, generated once and shared by every model */
typedef struct {
    gb_xv_opts o;
    gb_dataset_struct train[GB_XV_NSETS], test[GB_XV_NSETS];
} gb_xv_data;

int gb_xv_data_init(gb_xv_data *D, const gb_xv_opts *o);
void gb_xv_data_clear(gb_xv_data *D);

typedef struct {
    gb_xv_model model;                     /* GB_XV_NMODELS: an outside model (score) */
    char name[32];                         /* file names: xval-<name>.* */
    long N, S;
    double mse[GB_XV_NSETS * GB_XV_NSETS]; /* row = training set, column = test set */
    double u2[GB_XV_NSETS];                /* mean u² of each test set (over samples and nodes) */
    double train_mse[GB_XV_NSETS];         /* data MSE on the training set */
    double learned_k[GB_XV_NSETS];         /* fd, pinn: the learned coefficient (else NaN) */
    long epochs[GB_XV_NSETS];              /* networks: epochs run (linear, fd: 0) */
    long steps[GB_XV_NSETS];               /* networks: optimiser steps */
    int status[GB_XV_NSETS];               /* networks: gb_train_status; others 0 */
    double train_loss[GB_XV_NSETS];        /* networks: the training loss at the end (physics terms included) */
    double lr_final[GB_XV_NSETS];          /* networks: the learning rate at the end */
    int halvings[GB_XV_NSETS];             /* networks under the plateau rule: halvings of the rate */
    int improving[GB_XV_NSETS];            /* 1: the last window still improved (stopped at the cap unconverged);
                                              0: it did not; −1: no plateau rule */
    double green_dist[GB_XV_NSETS];        /* ‖Ĝ − G‖_F/‖G‖_F over the interior block (SPEC §6, probes minus
                                              Model(0), α = GB_XV_PROBE_ALPHA); NaN for fd */
    char arch[256];                        /* architecture and optimiser, one line each */
    char train[256];
} gb_xv_matrix;

/* X->arch and X->train: the model and how it is fitted under o (X->model set) */
void gb_xv_describe(gb_xv_matrix *X, const gb_xv_opts *o);
/* one row: train on data set i, test on all (fills row i of X, and u2) */
int gb_xv_row(gb_xv_matrix *X, const gb_xv_data *D, int i);
/* row i alone, u2 left as it is: rows i ≠ j may run side by side (threads) after one gb_xv_fill_u2 */
int gb_xv_row_only(gb_xv_matrix *X, const gb_xv_data *D, int i);
/* fills X->u2 from the test sets of D (every writer of mse must call it: R needs it) */
void gb_xv_fill_u2(gb_xv_matrix *X, const gb_xv_data *D);
/* the whole matrix; under MPI every rank calls it, rank 0 receives the result */
int gb_xv_run(gb_xv_matrix *X, gb_xv_model model, const gb_xv_data *D);

/* the relative measure of SPEC §8: R_ij = Σ‖ŷ − u‖² / Σ‖u‖² over test set j = mse_ij / u2_j (NaN
 * stays NaN) and L_ij = log10 R_ij clamped below at GB_XV_LFLOOR (round-off, not information); a
 * NaN R gives L = +Inf, worse than any entry */
#define GB_XV_LFLOOR (-12.0)
double gb_xv_rel(const gb_xv_matrix *X, int i, int j);
double gb_xv_L(const gb_xv_matrix *X, int i, int j);

/* the contrasts of SPEC §8 on L, for a training row i of family a and order p, with lower /
 * upper = in-family columns p' < p / p' > p and cross = the other two families and fem:
 *   D(i) = L_ii − mean_lower             (p ≥ 2)
 *   U(i) = mean_upper − mean_{lower∪diag} (p ≤ 7)
 *   X(i) = mean_cross − mean_{lower∪diag}
 * NaN where undefined (and on the fem row); +Inf entries carry through (+Inf, or NaN for Inf − Inf) */
typedef enum { GB_XV_D = 0, GB_XV_U, GB_XV_X, GB_XV_NCONTRASTS } gb_xv_contrast;

const char *gb_xv_contrast_name(gb_xv_contrast k);
/* is contrast k defined on row i (by its order p; never on the fem row)? */
int gb_xv_contrast_defined(gb_xv_contrast k, int i);
double gb_xv_contrast_row(const gb_xv_matrix *X, gb_xv_contrast k, int i);
/* a model's statistic: the mean of contrast k over the rows of family 0 poly, 1 cos, 2 sin where it
 * is defined (D: p = 2..8, U: p = 1..7, X: p = 1..8); a non-finite row makes it non-finite */
double gb_xv_contrast_family(const gb_xv_matrix *X, gb_xv_contrast k, int family);
/* mean L of row i over its 25 columns */
double gb_xv_row_mean_L(const gb_xv_matrix *X, int i);
/* F = mean L of the fem row − the smallest mean L among the other 24 rows (the first on a tie),
 * whose index goes to *best_other_row when not NULL; F < 0: fem training generalises best */
double gb_xv_fem_contrast(const gb_xv_matrix *X, int *best_other_row);

/* block statistics of log10 absolute MSE */
typedef enum {
    GB_XV_DIAG = 0, GB_XV_LOWER, GB_XV_UPPER, GB_XV_CROSS, GB_XV_FEM_ROW, GB_XV_FEM_COL, GB_XV_NBLOCKS
} gb_xv_block;

const char *gb_xv_block_name(gb_xv_block b);
/* does entry (train i, test j) belong to block b? family f restricts the in-family blocks
 * (LOWER, UPPER, DIAG) to one analytic family (-1: all three) */
int gb_xv_in_block(gb_xv_block b, int i, int j, int f);

typedef struct {
    long count;
    double median, mean, min, max;   /* of log10 MSE */
} gb_xv_stats;

void gb_xv_block_stats(gb_xv_stats *s, const gb_xv_matrix *X, gb_xv_block b, int family);
/* log10 of an MSE as the tables show it (below 1e-300: -300; NaN: +Inf, worse than any entry) */
double gb_xv_log10(double mse);
/* the worst log10 MSE of row i (training set i over all tests) */
double gb_xv_row_max(const gb_xv_matrix *X, int i);

/* writers: the matrix as a Markdown table of L (one decimal, a line saying so above it), CSV of
 * the absolute MSE (xval-<name>.csv) and of L (xval-<name>-L.csv), full precision, label column and
 * header, and JSON; the heat map of L as SVG through gnuplot */
void gb_xv_markdown(gb_str *b, const gb_xv_matrix *X);
/* the block statistics (of log10 absolute MSE) as a Markdown table */
void gb_xv_stats_markdown(gb_str *b, const gb_xv_matrix *X);
/* the contrasts as Markdown: D, U, X per family, F with its best other row, then per row */
void gb_xv_contrasts_markdown(gb_str *b, const gb_xv_matrix *X);
/* per row: how training stopped ("cap, still improving" where the plateau rule had not settled), epochs,
 * final rate, halvings, final training loss and MSE, and the Green's probe distance */
void gb_xv_training_markdown(gb_str *b, const gb_xv_matrix *X);
/* the matrix (absolute, relative and L), u2, the contrasts, the block statistics and the run's
 * parameters as JSON (malloc'd); non-finite values are null */
char *gb_xv_json(const gb_xv_matrix *X, const gb_xv_opts *o);
/* fills a heat map whose z holds 625 doubles with L (labelled axes and cells, viridis palette, colour
 * range fitted to the data: [max(−12, floor min L), ceil max finite L]; +Inf entries are drawn at the
 * top of that range and labelled "Inf"); the caller sets the title */
void gb_xv_heatmap_fill(gb_heatmap *h, const gb_xv_matrix *X);
int gb_xv_write(const gb_xv_matrix *X, const gb_xv_opts *o, const char *dir);

#endif
