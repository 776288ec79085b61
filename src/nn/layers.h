/* Dense layer chains for the neural model classes of SPEC §7, float64, batched:
 * one GEMM per layer per batch (rows = samples, or nodes × samples), through CBLAS.
 *
 * A chain maps rows of width dims[0] to rows of width dims[L] through L affine
 * layers z = a Wᵀ + b (W stored out × in, row-major), with an activation after every
 * layer but the last. Its parameters live in a model's flat vector θ at `off[l]`
 * (W, then b), so optimisers, checkpoints and gradient checks see one array.
 *
 * The jet variant (tanh only, input width 1) carries u, ∂u/∂x and ∂²u/∂x² through
 * the chain as three blocks of rows — the affine map is the same GEMM on all three
 * blocks, the bias enters only the value block — for the physics losses of PINN and
 * PI-DeepONet. Buffers are allocated once at init: forward/backward never allocate. */
#ifndef GB_NN_LAYERS_H
#define GB_NN_LAYERS_H

#include "core/blas.h"

typedef enum { GB_ACT_NONE = 0, GB_ACT_TANH, GB_ACT_GELU } gb_act;

typedef struct {
    int L;                 /* layers */
    int dims[12];          /* widths, dims[0] = input */
    int bias;              /* affine (1) or linear (0) layers */
    gb_act act;            /* activation after hidden layers */
    int jet;               /* rows come in three blocks: value, d/dx, d²/dx² */
    long off[11];          /* offset of W_l in θ; b_l follows W_l */
    long nparam;
    long rows_max;         /* rows (per block for jets) the buffers hold */
    const double *in;      /* input of the last forward pass (not owned) */
    double *z[11];         /* pre-activations, rows × dims[l+1] (× 3 for jets) */
    double *a[11];         /* activations (a[L-1] = output) */
    double *g1, *g2;       /* backward scratch, rows × max width (× 3) */
    double *work;          /* GB_TN_PARTS × the largest W, for gb_gemm_tn */
} gb_chain_struct;
typedef gb_chain_struct gb_chain_t[1];

/* sets the layout; parameters start at *offset, which advances by nparam */
int gb_chain_init(gb_chain_t c, int L, const int *dims, int bias, gb_act act, int jet,
                  long rows_max, long *offset);
void gb_chain_clear(gb_chain_t c);
/* Glorot normal weights std √(2/(in+out)), zero biases; draws from `draw` */
void gb_chain_glorot(double *theta, const gb_chain_t c, double (*draw)(void *), void *ctx);

/* forward pass on `rows` rows (jets: `rows` points, input is x only); returns the output
 * (rows × dims[L], jets: 3 blocks u, u', u'' of rows × dims[L] each), which lives in c's buffers (c is the
 * output; the pointer is a view, valid until the next pass) */
const double *gb_chain_forward(gb_chain_t c, const double *theta, const double *in, long rows);
/* backward pass after forward: gout (same shape as the output) → gradients added to grad;
 * gin (rows × dims[0]) receives ∂L/∂input unless NULL (not for jets) */
void gb_chain_backward(double *grad, double *gin, gb_chain_t c, const double *theta, const double *gout,
                       long rows);

/* threaded GEMMs (OpenMP; BLAS itself runs one thread inside them, so the two thread pools never
 * compete for the cores); every result element is computed by the same operations whatever the
 * thread count. Blocks and slices of a GEMM's rows start at multiples of GB_GEMM_ALIGN: a BLAS
 * kernel computes the rows of a partial block of its unroll (4 for OpenBLAS's AVX2 DGEMM, 16 for
 * its AVX-512 one) with other instructions, rounding differently, so cuts anywhere would make a
 * row's last bits depend on where the cuts fall.
 *   gb_gemm_rows:  Z (R × out) = A (R × in) · op(W) + beta Z, op(W) = Wᵀ (W out × in) or W (W in × out),
 *                  in fixed blocks of rows shared out among the threads;
 *   gb_gemm_tn:    G (out × in) += Gyᵀ (out × R) · A (R × in), a sum over R rows: for large R
 *                  split into GB_TN_PARTS fixed parts (a GEMM each into `work`, GB_TN_PARTS × out × in
 *                  doubles, NULL for one GEMM), added in order.
 * Called inside a parallel region, these and the activations run in the calling thread. */
#define GB_GEMM_ALIGN 16
/* start of slice t of T over n rows (n for t ≥ T) */
long gb_slice_start(long n, int t, int T);
void gb_gemm_rows(double *Z, int transW, long R, int in, int out, const double *A, const double *W, double beta);
#define GB_TN_PARTS 8
void gb_gemm_tn(double *G, long R, int in, int out, const double *Gy, const double *A, double *work);

/* the chain without its last affine layer (L ≥ 2 and not a jet), for a model that folds that layer into
 * a product of its own (DeepONet, model.c): forward returns a[L−2] (rows × dims[L−1]); the caller
 * writes ∂L/∂a[L−2] into gb_chain_hidden_grad's buffer (rows × dims[L−1]), and backward_hidden takes
 * it from there through layers L−2 … 0. The last layer's parameters stay in θ, the caller's to use. */
const double *gb_chain_forward_hidden(gb_chain_t c, const double *theta, const double *in, long rows);
double *gb_chain_hidden_grad(gb_chain_t c);   /* a view of c's buffer, as gb_chain_forward's result */
void gb_chain_backward_hidden(double *grad, double *gin, gb_chain_t c, const double *theta, long rows);

/* activations: value, first and second derivative, and the third for jets */
double gb_act_value(gb_act a, double z);
/* s[j] += Σ_{r0 ≤ r < r1} g[r·ld + j] for j < ncols, each column in row order */
void gb_column_sums(double *s, const double *g, long ld, long r0, long r1, int ncols);
/* z (R × out) ← b on its first `brows` rows, 0 below (the jets' derivative blocks) */
void gb_fill_bias(double *z, const double *b, long R, long brows, int out);
/* gb += Σ_r g over R rows of width out, for large R in GB_TN_PARTS fixed parts (work: GB_TN_PARTS × out)
 * added in order, so every thread count gives the same sums */
void gb_bias_grad(double *gb, const double *g, long R, int out, double *work);
/* z += b on the first `brows` of R rows (b may be NULL), then y = σ(z) unless y is NULL; one pass */
void gb_bias_act(double *z, double *y, gb_act a, const double *b, long R, long brows, int out);
/* g ← g · σ'(z), given z and y = σ(z) (tanh reads only y, GELU both) */
void gb_act_backward(double *g, gb_act a, const double *z, const double *y, long n);

#endif
