/* The companion paper's neural PDEs (SPEC §9): a small MLP ϕ on the full state replaces part of a PDE's
 * right-hand side, and the model is stepped by RK4 like the data. Training differentiates through the RK4
 * step by hand (reverse mode over its four stages), so the loss is exactly the one-step (or rollout) error of
 * the discrete model. */
#ifndef GB_NPDE_NEURAL_H
#define GB_NPDE_NEURAL_H

#include "npde/burgers.h"
#include "npde/scheme.h"
#include "nn/train.h"

#define GB_MLP_MAX_LAYERS 6
#define GB_MLP_MAX_HIDDEN 1024   /* hidden widths are small (SPEC §9: 20) */

/* ϕ: R^N → R^N with widths w[0] = N → … → w[nl] = N, tanh on the hidden layers and a linear output layer;
 * θ holds W_1 (w1 × w0, row-major), b_1, W_2, b_2, … */
typedef struct {
    int nl;
    long w[GB_MLP_MAX_LAYERS + 1];
    long np;
    double *theta;
} gb_mlp_struct;
typedef gb_mlp_struct gb_mlp_t[1];

/* `depth` hidden layers of `hidden` units; weights and biases drawn U(−1/√fan_in, 1/√fan_in) (PyTorch's
 * default) from `seed` (SplitMix64). GB_EINVAL for depth ∉ 1..GB_MLP_MAX_LAYERS − 1, sizes < 1 or hidden above GB_MLP_MAX_HIDDEN. */
int gb_mlp_init(gb_mlp_t m, long N, long hidden, int depth, unsigned long seed);
void gb_mlp_clear(gb_mlp_t m);
/* the activations a forward pass keeps for its backward pass */
long gb_mlp_acts(const gb_mlp_t m);
/* y = ϕ(x); acts (gb_mlp_acts values) receives the input and the hidden activations, or is NULL */
void gb_mlp_forward(double *y, double *acts, const gb_mlp_t m, const double *x);
/* wt (np values) = θ with every layer's W transposed, for gb_mlp_forward_t */
void gb_mlp_transpose(double *wt, const gb_mlp_t m);
/* gb_mlp_forward from wt = gb_mlp_transpose(θ): the same sums in the same order, so the same bits, with
 * the rows computed side by side (vector lanes) rather than one sum at a time */
void gb_mlp_forward_t(double *y, double *acts, const gb_mlp_t m, const double *wt, const double *x);
/* reverse mode: with ȳ given, adds ∂(ȳ·ϕ)/∂θ to g (when not NULL) and sets x̄ = (∂ϕ/∂x)ᵀ ȳ (when not NULL);
 * work holds 2 max(w) values */
void gb_mlp_backward(double *g, double *xbar, const gb_mlp_t m, const double *acts, const double *ybar, double *work);

/* full-batch Adam (the project's Adam of nn/train.h) on a loss that also fills its gradient, θ updated in
 * place: o->lr, o->weight_decay and o->epochs (the cap); with o->plateau_window > 0 the reduce-on-plateau rule
 * of SPEC §7 (gb_plateau), else a constant rate for all epochs. r gets the stopping reason, the epochs, the
 * first loss, the loss after the last step, the final rate and whether the last window still improved.
 * GB_ENONFIN when the loss stops being finite (r->status diverged), GB_ENOMEM. */
typedef double (*gb_npde_loss_fn)(double *grad, void *ctx);
int gb_npde_adam(gb_train_result *r, double *theta, long np, gb_npde_loss_fn f, void *ctx, const gb_train_opts *o);

/* R ((n + 1) × N): u0 and the states after each of n calls of step (one interval in place; work: 6N values);
 * GB_ENONFIN when a state stops being finite (the rest of R is then NaN), GB_ENOMEM */
typedef void (*gb_npde_step_fn)(double *u, void *ctx, double *work);
int gb_npde_rollout(double *R, long N, const double *u0, long n, gb_npde_step_fn step, void *ctx);

/* ‖a − b‖₂ / ‖b‖₂ over N values (a rollout's state against the data's) */
double gb_npde_rel_err(const double *a, const double *b, long N);

/* the largest |eigenvalue| of the N × N matrix A (overwritten; row- or column-major alike, A and Aᵀ share
 * their eigenvalues), by LAPACK's dgeev; NaN when it fails or A is not finite */
double gb_npde_spectral_radius(double *A, long N);

/* the neural Burgers model of [M24 code] (SPEC §9): ϕ with GB_NBURGERS_DEPTH hidden layers of GB_NBURGERS_HIDDEN
 * units, Adam at GB_NPDE_LR */
#define GB_NBURGERS_HIDDEN 20
#define GB_NBURGERS_DEPTH 2
#define GB_NPDE_LR 0.01

/* the neural Burgers model: u_t = −u ⊙ D_adv u + ϕ(u), its own advection scheme D_adv, on the grid of b; a plain
 * aggregate the caller fills (no init/clear of its own: ϕ is initialised and cleared with gb_mlp_init/clear) */
typedef struct {
    const gb_burgers *b;
    gb_scheme adv;
    gb_mlp_struct phi;
} gb_nburgers;

/* F(u) of the model (work: N values), and the same as a gb_rhs_fn with ctx a gb_nburgers_ctx */
void gb_nburgers_rhs(double *F, const gb_nburgers *m, const double *u, double *work);
typedef struct {
    const gb_nburgers *m;
    double *work;
} gb_nburgers_ctx;
void gb_nburgers_rhs_fn(double *F, const double *u, void *ctx);
/* the mean one-step loss (1/(nN)) Σ_s ‖RK4_Δt(U_s) − U_{s+1}‖² over the n pairs of the trajectory U
 * ((n + 1) × N), and its gradient in grad (np values; NULL: the loss only) */
double gb_nburgers_loss(double *grad, const gb_nburgers *m, const double *U, long n);
/* Adam (rate lr, full batch) for `epochs` epochs on the one-step loss; the final loss in *loss. GB_ENONFIN if
 * the loss stops being finite. */
int gb_nburgers_train(double *loss, gb_nburgers *m, const double *U, long n, long epochs, double lr);
/* on the states U (n × N): ‖ϕ(u) − T_data(u)‖ and ‖ϕ(u) − ν D_diff u‖ relative to ‖T_data‖, T_data = ν D_diff u −
 * u (D_data − D_model) u the data's right-hand side minus the model's known part (D_data = m->b->adv, the data's
 * advection scheme); NaN when memory runs out */
void gb_nburgers_learned_term(double *dT, double *dP, const gb_nburgers *m, const double *U, long n);
/* R ((n + 1) × N): u0 and n RK4 steps of Δt of the model; GB_ENONFIN when a state stops being finite (the rest
 * of R is then NaN) */
int gb_nburgers_rollout(double *R, const gb_nburgers *m, const double *u0, long n, double dt);

#endif
