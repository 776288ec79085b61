/* Optimisers and the training loop for the model classes (SPEC §7).
 *
 *   gd        θ ← θ − η (g + λθ), full batch
 *   sgd       the same on shuffled minibatches (one epoch = one pass)
 *   momentum  heavy ball: v ← μ v + (g + λθ), θ ← θ − η v
 *   adam      Kingma & Ba, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, with the decay λθ added to g
 *
 * λ is L2 weight decay added to the gradient, so under GD a component the data's gradient never
 * touches decays as (1 − ηλ)^t (the invariance lemma NN-1). Minibatch order comes from GMP's
 * Mersenne Twister seeded by `seed`: a run is deterministic for its seed.
 * Stops: max epochs (the cap); loss ≤ tol; no relative improvement of 1e-4 in the best loss for
 * `patience` epochs (0 = never); divergence (NaN/Inf, or loss above 1e6 × the first); the plateau.
 *
 * Training to a plateau (SPEC §7): with plateau_window = W > 0, after every W epochs the best
 * epoch loss of the window is compared with the best before it; unless it is at least a fraction
 * plateau_gain (1 %) lower, the learning rate is halved. Training stops at the plateau, when the
 * rate has been halved plateau_halvings (10) times, or at the cap. Best values, not the last
 * epoch's, so the noise of mini-batches neither stops nor prolongs training. */
#ifndef GB_NN_TRAIN_H
#define GB_NN_TRAIN_H

#include "nn/model.h"

typedef enum { GB_OPT_GD = 0, GB_OPT_SGD, GB_OPT_MOMENTUM, GB_OPT_ADAM } gb_opt_kind;

const char *gb_opt_name(gb_opt_kind k);
int gb_opt_parse(gb_opt_kind *k, const char *s);

typedef enum {
    GB_TRAIN_MAXEPOCH = 0, /* ran all epochs */
    GB_TRAIN_TOL,          /* loss ≤ tol */
    GB_TRAIN_PATIENCE,     /* early stop: no improvement for `patience` epochs */
    GB_TRAIN_DIVERGED,     /* NaN/Inf or blow-up */
    GB_TRAIN_PLATEAU       /* the rate was halved plateau_halvings times (SPEC §7) */
} gb_train_status;

const char *gb_train_status_name(gb_train_status s);

typedef struct {
    gb_opt_kind opt;
    double lr, momentum, beta1, beta2, eps, weight_decay;
    long epochs, batch;    /* batch 0: full batch */
    long samples;          /* training samples used (0: all; pinn: its forcings) */
    double tol;            /* stop at loss ≤ tol (0: never) */
    long patience;
    long plateau_window;   /* W epochs per comparison (0: constant rate, no plateau rule) */
    int plateau_halvings;  /* halvings that make the plateau (10: lr ≤ lr₀/1024) */
    double plateau_gain;   /* the relative improvement a window must bring (0.01) */
    unsigned long seed;
    int progress;          /* progress bar on stderr */
} gb_train_opts;

/* per-class defaults (documented in doc/model-classes.md) */
void gb_train_opts_default(gb_train_opts *o, gb_nn_class cls);
/* the batch a model must be created for under these options and `S` training samples */
long gb_train_batch(const gb_train_opts *o, const gb_nn_arch *a, long S);

/* the plateau rule's state, one call per epoch; a plain value (it owns no memory: no _t[1], nothing to clear) */
typedef struct {
    long window, epoch;
    int halvings, max_halvings;
    double gain, lr;
    double best_before, win_best;   /* best epoch loss before the current window, and within it */
    int improving;                  /* the current (or last) window beats best_before by `gain` */
} gb_plateau;

void gb_plateau_init(gb_plateau *p, const gb_train_opts *o);
/* records one epoch's loss; at the end of a window that did not improve, halves p->lr; returns 1
 * when the rate has been halved max_halvings times (the plateau) */
int gb_plateau_epoch(gb_plateau *p, double loss);

/* optimiser state: one update θ ← step(θ, g) at a time, no allocation after init */
typedef struct {
    gb_train_opts o;
    long P, t;
    double *v, *s2;      /* momentum / Adam first and second moments */
    double b1t, b2t;     /* β₁^t, β₂^t */
} gb_optim_struct;
typedef gb_optim_struct gb_optim_t[1];

int gb_optim_init(gb_optim_t q, const gb_train_opts *o, long nparam);
void gb_optim_step(double *theta, gb_optim_t q, const double *grad);
void gb_optim_clear(gb_optim_t q);

typedef struct {
    gb_train_status status;
    long epochs, steps;
    double loss, train_mse;     /* final loss and data MSE over the training samples */
    double first_loss;
    double lr_final;            /* the learning rate at the end (lr₀ / 2^halvings) */
    int halvings;               /* plateau rule: halvings of the rate */
    int improving;              /* plateau rule: 1 if the last window improved by plateau_gain (a run that
                                   stopped at the cap while still improving is not converged), else 0;
                                   −1 without the rule (constant rate: unknown) */
} gb_train_result;   /* a plain value, as gb_plateau; gb_train_result_clear only zeroes it */

/* callback (may be NULL) once before the first step (step 0) and after every step t = 1, 2, …:
 * the invariance-lemma check reads θ through it */
typedef void (*gb_train_hook)(const gb_nn_model_t m, long step, void *ctx);

/* the outcome in r; m is trained in place from its current θ */
int gb_train(gb_train_result *r, gb_nn_model_t m, const gb_dataset_struct *d, const gb_train_opts *o,
             gb_train_hook hook, void *ctx);
void gb_train_result_clear(gb_train_result *r);

#endif
