/* Fourier Neural Operator (Li et al. 2021) on the N+1 grid nodes, SPEC §7:
 * lift (f(x), x) → C channels, L Fourier layers v ← σ(v Wᵀ + b + K v) (no σ after the last),
 * projection C → P → 1 with GELU. K keeps the lowest M Fourier modes:
 * (K v)_j = (1/n)[Re Ŷ₀ + 2 Re Σ_{m=1}^{M-1} Ŷ_m e^{2πimj/n}], Ŷ_m = v̂_m R_m, R_m ∈ C^{C×C}.
 *
 * Layout: activations are [batch][node][channel], so the pointwise maps are one GEMM over
 * batch × nodes rows, each mode's channel mixing is one ZGEMM over the batch (leading
 * dimension (n/2+1)·C), and the FFTs are FFTW guru plans over the whole batch — created once
 * per batch size and reused. The backward pass is the exact adjoint (fno.c). */
#ifndef GB_NN_FNO_H
#define GB_NN_FNO_H

#include "nn/layers.h"
#include <complex.h>
#include <fftw3.h>

#define GB_FNO_MAX_LAYERS 8
#define GB_FNO_PLANS 4

typedef struct {
    long n, nf;               /* nodes, rfft length n/2+1 */
    int C, L, M, P;           /* width, Fourier layers, modes, projection width */
    long bmax;
    gb_chain lift, proj;      /* pointwise chains on batch × nodes rows */
    long off_w[GB_FNO_MAX_LAYERS], off_r[GB_FNO_MAX_LAYERS]; /* W_l (C×C), b_l; R_l (M×C×C complex) */
    long nparam;
    double *in;               /* (f, x) per node: bmax·n × 2 */
    double *v[GB_FNO_MAX_LAYERS + 1]; /* layer inputs, v[L] = projection input */
    double *z[GB_FNO_MAX_LAYERS];     /* pre-activations */
    fftw_complex *xh[GB_FNO_MAX_LAYERS]; /* rfft of each layer input, bmax × nf × C */
    fftw_complex *yh;         /* spectral scratch */
    double *g, *gv;           /* backward scratch, bmax·n·C */
    long plan_b[GB_FNO_PLANS]; /* batch sizes with plans */
    fftw_plan r2c[GB_FNO_PLANS], c2r[GB_FNO_PLANS];
} gb_fno;

int gb_fno_init(gb_fno *F, long n, int C, int L, int M, int P, long bmax, long *offset);
void gb_fno_clear(gb_fno *F);
void gb_fno_init_params(const gb_fno *F, double *theta, double (*draw)(void *), void *ctx);
/* forcings f (B × n) → u (B × n) */
int gb_fno_forward(gb_fno *F, const double *theta, const double *f, long B, double *u);
/* after forward: gu (B × n) → gradients added to grad */
int gb_fno_backward(gb_fno *F, const double *theta, double *grad, const double *gu, long B);

#endif
