/* Fourier Neural Operator (Li et al. 2021) on the N+1 grid nodes, SPEC §7:
 * lift (f(x), x) → C channels, L Fourier layers v ← σ(v Wᵀ + b + K v) (no σ after the last),
 * projection C → P → 1 with GELU. K keeps the lowest M Fourier modes:
 * (K v)_j = (1/n)[Re Ŷ₀ + 2 Re Σ_{m=1}^{M-1} Ŷ_m e^{2πimj/n}], Ŷ_m = v̂_m R_m, R_m ∈ C^{C×C}.
 *
 * Layout: activations are [batch][node][channel], so the pointwise maps are one GEMM over
 * batch × nodes rows and each mode's channel mixing is one ZGEMM over the batch.
 *
 * FFTs: two real channels make one complex signal, z = v_{2p} + i v_{2p+1}, which is the
 * activation array itself read as complex [batch][node][C/2] — no copy. One FFTW complex plan
 * over the whole batch then transforms all channel pairs (FFTW's vectorised complex codelets;
 * its real-input codelets for odd n are scalar and about three times slower), and the two
 * spectra are separated for the M kept modes: v̂_{2p} = (Z_m + conj Z_{n−m})/2,
 * v̂_{2p+1} = (Z_m − conj Z_{n−m})/2i. The inverse builds the Hermitian extensions of both
 * channels in one complex spectrum, whose inverse FFT is (y_{2p}, y_{2p+1}) in place. Hence C
 * must be even. Plans are created once per chunk size and reused. The backward pass is the exact
 * adjoint (fno.c).
 *
 * Layer 0 is folded with the lift: its input v = f a + x c + d (lift weights a, c, bias d) has rank
 * two per node plus a constant, so v̂_m = F̂_m a + X̂_m c + [m = 0] n d and v Wᵀ = f Wa + x Wc + Wd.
 * It needs one real FFT of f per sample (fftw_plan_many_dft_r2c over the batch) instead of C/2
 * complex ones, C-vectors instead of its C × C products, and no ∂L/∂v: the lift's gradients follow
 * from sums over the batch (fno.c).
 *
 * Threads: the batch is cut into GB_FNO_CHUNKS fixed chunks, shared out among the OpenMP threads,
 * each with plans of its own size; the Fourier layers run chunk by chunk with no synchronisation
 * forward, and with two barriers per layer backward, where the parameter gradients (sums over the
 * batch) are split by mode and by channel instead. The chunks do not depend on the thread count,
 * so neither does any number. */
#ifndef GB_NN_FNO_H
#define GB_NN_FNO_H

#include "nn/layers.h"
#include <complex.h>
#ifndef CMPLX   /* glibc defines it for GCC only; clang (the fuzz build) has the same builtin */
#define CMPLX(x, y) __builtin_complex((double)(x), (double)(y))
#endif
#include <fftw3.h>

#define GB_FNO_MAX_LAYERS 8
#define GB_FNO_PLANS 8
#define GB_FNO_CHUNKS 8

typedef struct {
    long n;                   /* nodes */
    int C, L, M, P;           /* width (even), Fourier layers, modes, projection width */
    long bmax;
    long off_lift;            /* lift W (C×2), b (C) */
    gb_chain_struct proj;     /* projection on batch × nodes rows */
    long off_w[GB_FNO_MAX_LAYERS], off_r[GB_FNO_MAX_LAYERS]; /* W_l (C×C), b_l; R_l (M×C×C complex) */
    long nparam;
    const double *f;          /* forcings of the last forward pass (bmax × n) */
    double *v[GB_FNO_MAX_LAYERS + 1]; /* layer inputs (v[0] none: layer 0 reads f); v[L] = z[L−1] */
    double *z[GB_FNO_MAX_LAYERS];     /* pre-activations */
    double complex *xh[GB_FNO_MAX_LAYERS]; /* kept modes of each layer input, bmax × M × C (l ≥ 1) */
    /* layer 0 on the lifted input, folded (fno.c): */
    double complex *fs;       /* F̂: r2c spectra of the forcings, bmax × (n/2 + 1) */
    double complex *xhat;     /* kept modes X̂ of the node coordinates, M */
    double complex *ra, *rc;  /* aᵀR_m/n and X̂_m cᵀR_m/n + [m = 0] dᵀR_0, M × C each */
    double *wa;               /* W a, W c, W d + b of layer 0, 3 C */
    double complex *pq;       /* backward: P_m = Σ_b conj(F̂_m) gŶ_m and Q_m = Σ_b gŶ_m, 2 M × C */
    double *sk;               /* backward: Σ f g, Σ x g, Σ g over the rows, 3 C */
    double complex *ys;       /* kept modes of the mixing output or its gradient, bmax × M × C */
    double complex *zh;       /* full packed spectra, bmax × n × C/2 */
    double complex *zc;       /* the same for the inverse FFTs; modes M … n−M stay zero */
    double *g, *gv;           /* backward: ∂L/∂v of two consecutive layers, bmax·n·C each */
    long q;                   /* chunks start at multiples of q samples (alignment, fno.c) */
    long plan_b[GB_FNO_PLANS]; /* chunk sizes with plans */
    unsigned long plan_used[GB_FNO_PLANS], clock; /* least recently used plan is replaced */
    fftw_plan fwd[GB_FNO_PLANS], bwd[GB_FNO_PLANS], ffr[GB_FNO_PLANS]; /* ffr: r2c of the forcings */
} gb_fno_struct;
typedef gb_fno_struct gb_fno_t[1];

/* GB_EINVAL for bad sizes, an odd width among them */
int gb_fno_init(gb_fno_t F, long n, int C, int L, int M, int P, long bmax, long *offset);
void gb_fno_clear(gb_fno_t F);
void gb_fno_init_params(double *theta, const gb_fno_t F, double (*draw)(void *), void *ctx);
/* forcings f (B × n) → u (B × n); f must stay unchanged until the backward pass */
int gb_fno_forward(double *u, gb_fno_t F, const double *theta, const double *f, long B);
/* after forward: gu (B × n) → gradients added to grad */
int gb_fno_backward(double *grad, gb_fno_t F, const double *theta, const double *gu, long B);

#endif
