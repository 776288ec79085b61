/* The model classes of SPEC §7 behind one interface: a flat parameter vector θ, a loss
 * with its exact gradient on a batch of training samples, and predictions u = Model(f).
 *
 *   linear      u = W f                          (W⁰ = 0: the Theorem 3.2 model trained by these optimisers)
 *   deeplinear  u = W_L ⋯ W_1 f                  (L = 3 layers of width N+1, no biases)
 *   mlp         u = W₂ tanh(W₁ f + b₁) + b₂      (hidden width 256)
 *   deeponet    u(x_i) = Σ_k β_k(f) τ_k(x_i) + b₀ (branch [n,128,128,64], trunk [1,128,128,64], tanh)
 *   fno         Fourier neural operator          (width 32, 4 layers, 16 modes, GELU; see fno.h)
 *   pinn        one MLP [1,32,32,32,1] u_s(x) per training forcing s and a shared learnable k;
 *               loss = mean (u_s − u)²/⟨u²⟩ + λ mean (−k u_s'' − f)²/⟨f²⟩ over the nodes;
 *               it predicts by solving −k̂ u'' = f exactly (the data's solution scaled by k/k̂)
 *   pideeponet  deeponet + λ mean (−k ∂²u/∂x² − f)² at the nodes (trunk second derivatives by jets)
 *
 * Losses: mean over samples and nodes of the squared error (the physics terms as above).
 * Inputs are the forcings on all n = N+1 nodes, outputs u on all nodes.
 * Results come first in every signature (U, mse, G, loss), then the model, then the inputs. */
#ifndef GB_NN_MODEL_H
#define GB_NN_MODEL_H

#include "data/data.h"
#include "nn/fno.h"
#include "nn/layers.h"

typedef enum {
    GB_NN_LINEAR = 0, GB_NN_DEEPLINEAR, GB_NN_MLP, GB_NN_DEEPONET, GB_NN_FNO, GB_NN_PINN,
    GB_NN_PIDEEPONET, GB_NN_NCLASSES
} gb_nn_class;

const char *gb_nn_class_name(gb_nn_class c);
int gb_nn_class_parse(gb_nn_class *c, const char *s);

typedef struct {
    gb_nn_class cls;
    long N;              /* grid intervals; n = N + 1 inputs and outputs */
    int depth;           /* deeplinear layers (3) */
    int width;           /* mlp hidden width (256) */
    int don_width, don_depth, don_latent; /* deeponet hidden width (128), hidden layers (2), latent (64) */
    int fno_width, fno_layers, fno_modes, fno_proj; /* 32, 4, 16, 64 */
    int pinn_width, pinn_depth, pinn_forcings;      /* 32, 3, 8 */
    double k;            /* PDE coefficient of the physics residual (pideeponet) */
    double k_init;       /* pinn: initial k (0.5) */
    double phys_weight;  /* λ of the physics term (pinn, pideeponet; 1) */
} gb_nn_arch;

/* SPEC §7 defaults for a class on an N-interval grid */
void gb_nn_arch_default(gb_nn_arch *a, gb_nn_class cls, long N);
/* msg: a diagnostic, last as in every check of the library (gb_data_spec_check), not a result */
int gb_nn_arch_check(const gb_nn_arch *a, char *msg, size_t len);
/* one line describing the architecture, for reports */
void gb_nn_arch_describe(char *buf, size_t len, const gb_nn_arch *a);

typedef struct {
    gb_nn_arch arch;
    long n, nparam, bmax;
    double *theta, *grad;
    gb_chain_struct body;     /* linear, deeplinear, mlp: the whole model; deeponet: branch */
    gb_chain_struct trunk;    /* deeponet, pideeponet (jet for the latter) */
    gb_chain_struct *pinn;    /* pinn: one jet chain per forcing */
    long off_b0, off_k;       /* deeponet output bias; pinn log-free k */
    gb_fno_struct fno;
    double *x;                /* node coordinates */
    double *out, *gout;       /* bmax × n */
    double *mt, *gmt;         /* deeponet: τ W of the folded branch layer (model.c), 3 n × width; gradient */
    double *ct, *gct;         /* deeponet: τ b + b₀ (3 n); gradient */
    double *gt;               /* trunk gradient, 3 n × latent */
    double *work;             /* GB_TN_PARTS × n × max(width, latent), for gb_gemm_tn and column sums */
} gb_nn_model_struct;
typedef gb_nn_model_struct gb_nn_model_t[1];

/* memory */
/* allocates for batches of at most bmax samples and initialises θ (Glorot normal, biases 0;
 * linear: W⁰ = 0) from the seed. On failure m is left empty: nothing to clear (clearing is harmless) */
int gb_nn_model_init(gb_nn_model_t m, const gb_nn_arch *arch, long bmax, unsigned long seed);
void gb_nn_model_clear(gb_nn_model_t m);

/* loss and gradient (m->grad overwritten) on the samples idx[0..B) of the training set d;
 * data_mse (may be NULL) receives the data part of the loss. GB_ENONFIN on NaN/Inf. */
int gb_nn_loss_grad(double *loss, double *data_mse, gb_nn_model_t m, const gb_dataset_struct *d, const long *idx,
                    long B);
/* loss only (no gradient; data_mse may be NULL): for evaluation and finite-difference checks */
int gb_nn_loss(double *loss, double *data_mse, gb_nn_model_t m, const gb_dataset_struct *d, const long *idx,
               long B);

/* predictions for B ≤ bmax forcings F (B × n); uref (B × n): the exact solutions for the
 * data's k, used only by parameter-learning models (pinn) that solve the PDE with their k̂ */
int gb_nn_predict(double *U, gb_nn_model_t m, const double *F, const double *uref, long B);
/* mean squared error on a whole data set (chunks of bmax) */
int gb_nn_mse(double *mse, gb_nn_model_t m, const gb_dataset_struct *d);

/* the first dense map on f (W₁, rows × n) for the invariance lemma, or NULL (fno, pinn); a view into m->theta */
const double *gb_nn_first_layer(long *rows, const gb_nn_model_t m);
/* learned k (pinn), or NAN */
double gb_nn_learned_k(const gb_nn_model_t m);

/* Green's function probes (SPEC §6): G[i·n + j] = (Model(α e_j) − Model(0))_i / (α Δx) */
int gb_nn_green(double *G, gb_nn_model_t m, double alpha, double k_data);

/* checkpoints (format: nn/checkpoint.c); the model first and the file after it, as gb_claim_write(c, dir) */
int gb_nn_save(const gb_nn_model_t m, const char *path);
/* initialises m (gb_nn_model_init) from the checkpoint; on failure m is left empty and msg gets a readable
 * reason */
int gb_nn_load(gb_nn_model_t m, const char *path, long bmax, char *msg, size_t len);

#endif
