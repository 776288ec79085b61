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
 * Stops: max epochs; loss ≤ tol; no relative improvement of 1e-4 in the best loss for
 * `patience` epochs (0 = never); divergence (NaN/Inf, or loss above 1e6 × the first). */
#ifndef GB_NN_TRAIN_H
#define GB_NN_TRAIN_H

#include "nn/model.h"

typedef enum { GB_OPT_GD = 0, GB_OPT_SGD, GB_OPT_MOMENTUM, GB_OPT_ADAM } gb_opt_kind;

const char *gb_opt_name(gb_opt_kind k);
int gb_opt_parse(gb_opt_kind *k, const char *s);

typedef enum {
    GB_TRAIN_MAXEPOCH = 0, /* ran all epochs */
    GB_TRAIN_TOL,          /* loss ≤ tol */
    GB_TRAIN_PLATEAU,      /* early stop: no improvement for `patience` epochs */
    GB_TRAIN_DIVERGED      /* NaN/Inf or blow-up */
} gb_train_status;

const char *gb_train_status_name(gb_train_status s);

typedef struct {
    gb_opt_kind opt;
    double lr, momentum, beta1, beta2, eps, weight_decay;
    long epochs, batch;    /* batch 0: full batch */
    long samples;          /* training samples used (0: all; pinn: its forcings) */
    double tol;            /* stop at loss ≤ tol (0: never) */
    long patience;
    unsigned long seed;
    int progress;          /* progress bar on stderr */
} gb_train_opts;

/* per-class defaults (documented in doc/model-classes.md) */
void gb_train_opts_default(gb_train_opts *o, gb_nn_class cls);
/* the batch a model must be created for under these options and `S` training samples */
long gb_train_batch(const gb_train_opts *o, const gb_nn_arch *a, long S);

/* optimiser state: one update θ ← step(θ, g) at a time, no allocation after init */
typedef struct {
    gb_train_opts o;
    long P, t;
    double *v, *s2;      /* momentum / Adam first and second moments */
    double b1t, b2t;     /* β₁^t, β₂^t */
} gb_optim;

int gb_optim_init(gb_optim *q, const gb_train_opts *o, long nparam);
void gb_optim_step(gb_optim *q, double *theta, const double *grad);
void gb_optim_clear(gb_optim *q);

typedef struct {
    gb_train_status status;
    long epochs, steps;
    double loss, train_mse;     /* final loss and data MSE over the training samples */
    double first_loss;
} gb_train_result;

/* callback (may be NULL) once before the first step (step 0) and after every step t = 1, 2, …:
 * the invariance-lemma check reads θ through it */
typedef void (*gb_train_hook)(const gb_nn_model *m, long step, void *ctx);

int gb_train(gb_nn_model *m, const gb_dataset_struct *d, const gb_train_opts *o, gb_train_result *r,
             gb_train_hook hook, void *ctx);
void gb_train_result_clear(gb_train_result *r);

#endif
