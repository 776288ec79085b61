/* The floor of one Adam step of a dense chain (deep linear network, MLP): the unavoidable work of the step,
 * done as directly as this machine allows, so that greenbound's own step can be read as a ratio to it.
 *
 * The batch goes through the whole step in blocks of FLOOR_BLOCK rows, each block's activations kept in
 * cache from the forward pass to the backward one: per layer one GEMM forward, the bias and activation in
 * one pass over the block, and backward the weight gradient (accumulated per thread), the bias gradient
 * in the same pass as the activation's derivative, and one GEMM to the layer below. The threads' private
 * gradients are added at the end, and Adam updates θ on all threads. OpenMP shares the blocks out over
 * the threads; BLAS runs one thread inside each. Element-wise work uses greenbound's vectorised tanh
 * (nn/act_fast.h) in loops compiled for the CPU's widest vectors.
 *
 * FLOPs per step, B samples, a layer of in → out: 2 B in·out forward, 4 B in·out backward (the weight
 * gradient and the input gradient; the first layer needs no input gradient: 2 B in·out). The floor checks
 * its gradient against greenbound's (gb_nn_loss_grad) before it is timed. */
#include "cli/bench_floor.h"
#include "core/blas.h"
#include "core/simd.h"
#include "nn/act_fast.h"
#include "core/status.h"

#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

enum { FLOOR_BLOCK = 512 };

struct gb_floor {
    const gb_chain_struct *c;
    long B, n_in, n_out;
    int T, wmax;
    double *gp;       /* T private gradients */
    double *act;      /* per thread: the block's activations of every layer, FLOOR_BLOCK × Σ dims[l+1] */
    double *scr;      /* per thread: 2 × FLOOR_BLOCK × wmax, the gradient below a layer (two, alternating) */
    long act_len;
    double *m, *v, b1t, b2t;
};

void gb_floor_free(gb_floor *f)
{
    if (!f)
        return;
    free(f->gp), free(f->act), free(f->scr), free(f->m), free(f->v);
    free(f);
}

gb_floor *gb_floor_new(const gb_chain_struct *c, long B)
{
    gb_floor *f = calloc(1, sizeof *f);
    if (!f || c->jet || (c->act != GB_ACT_TANH && c->act != GB_ACT_NONE) || c->L > 11)
        return free(f), NULL;
    f->c = c;
    f->B = B;
    f->T = omp_get_max_threads();
    f->n_in = c->dims[0];
    f->n_out = c->dims[c->L];
    for (int l = 0; l <= c->L; l++)
        f->wmax = c->dims[l] > f->wmax ? c->dims[l] : f->wmax;
    for (int l = 0; l < c->L; l++)
        f->act_len += (long)FLOOR_BLOCK * c->dims[l + 1];
    f->gp = malloc(sizeof(double) * (size_t)(f->T * c->nparam));
    f->act = malloc(sizeof(double) * (size_t)(f->T * f->act_len));
    f->scr = malloc(sizeof(double) * (size_t)f->T * 2 * FLOOR_BLOCK * (size_t)f->wmax);
    f->m = calloc((size_t)c->nparam, sizeof(double));
    f->v = calloc((size_t)c->nparam, sizeof(double));
    f->b1t = f->b2t = 1;
    if (!f->gp || !f->act || !f->scr || !f->m || !f->v)
        return gb_floor_free(f), NULL;
    return f;
}

/* z ← act(z + b) over r rows of width w (b may be NULL) */
GB_CLONES static void bias_act(double *z, const double *b, long r, int w, int tanh_act)
{
    for (long i = 0; i < r; i++) {
        double *zi = z + i * w;
        if (b)
            #pragma omp simd
            for (int j = 0; j < w; j++)
                zi[j] += b[j];
        if (tanh_act)
            #pragma omp simd
            for (int j = 0; j < w; j++)
                zi[j] = fast_tanh(zi[j]);
    }
}

/* one block of r rows through the chain and back: its loss sum returned, its gradient added to g */
static double floor_block(const gb_floor *f, const double *th, const double *F, const double *U, long r, double cu,
                          double *g, double *act, double *scr)
{
    const gb_chain_struct *c = f->c;
    int L = c->L;
    double *a[11];
    for (int l = 0, o = 0; l < L; o += FLOOR_BLOCK * c->dims[l + 1], l++)
        a[l] = act + o;
    /* forward: a_l = act(a_{l−1} W_lᵀ + b_l), the last layer's output turned into its gradient */
    double loss = 0;
    for (int l = 0; l < L; l++) {
        int in = c->dims[l], out = c->dims[l + 1];
        const double *W = th + c->off[l], *b = W + (long)in * out, *x = l ? a[l - 1] : F;
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)r, out, in, 1.0, x, in, W, in, 0.0, a[l], out);
        double *z = a[l];
        if (l + 1 < L)
            bias_act(z, c->bias ? b : NULL, r, out, c->act == GB_ACT_TANH);
        else
            for (long i = 0; i < r; i++)
                #pragma omp simd reduction(+ : loss)
                for (int j = 0; j < out; j++) {
                    double e = z[i * out + j] + (c->bias ? b[j] : 0.0) - U[i * out + j];
                    loss += e * e;
                    z[i * out + j] = cu * e;
                }
    }
    /* backward: the gradient of layer l's output is in a[l] (last layer) or scr (below it) */
    const double *gy = a[L - 1];
    for (int l = L - 1; l >= 0; l--) {
        int in = c->dims[l], out = c->dims[l + 1];
        const double *W = th + c->off[l], *x = l ? a[l - 1] : F;
        double *gW = g + c->off[l], *gb = gW + (long)in * out;
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, out, in, (int)r, 1.0, gy, out, x, in, 1.0, gW, in);
        if (c->bias)
            for (long i = 0; i < r; i++)
                #pragma omp simd
                for (int j = 0; j < out; j++)
                    gb[j] += gy[i * out + j];
        if (!l)
            break;
        double *gx = scr + (l % 2) * FLOOR_BLOCK * f->wmax;   /* not the buffer gy is read from */
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)r, in, out, 1.0, gy, out, W, in, 0.0, gx, in);
        if (c->act == GB_ACT_TANH) {
            const double *y = a[l - 1];
            #pragma omp simd
            for (long i = 0; i < r * in; i++)
                gx[i] *= 1.0 - y[i] * y[i];
        }
        gy = gx;
    }
    return loss;
}

int gb_floor_grad(gb_floor *f, double *loss, double *grad, const double *th, const double *F, const double *U)
{
    const gb_chain_struct *c = f->c;
    long B = f->B, nb = (B + FLOOR_BLOCK - 1) / FLOOR_BLOCK, P = c->nparam;
    double cu = 2.0 / (double)(B * f->n_out), sum = 0;
    gb_blas_single_thread();
    #pragma omp parallel reduction(+ : sum)
    {
        int t = omp_get_thread_num();
        double *g = f->gp + (long)t * P;
        memset(g, 0, sizeof(double) * (size_t)P);
        #pragma omp for schedule(static)
        for (long k = 0; k < nb; k++) {
            long r0 = k * FLOOR_BLOCK, r = B - r0 < FLOOR_BLOCK ? B - r0 : FLOOR_BLOCK;
            sum += floor_block(f, th, F + r0 * f->n_in, U + r0 * f->n_out, r, cu, g, f->act + (long)t * f->act_len,
                               f->scr + (long)t * 2 * FLOOR_BLOCK * f->wmax);
        }
        /* the private gradients added, each thread a slice of θ */
        #pragma omp for schedule(static)
        for (long i = 0; i < P; i++) {
            double s = 0;
            for (int u = 0; u < f->T; u++)
                s += f->gp[(long)u * P + i];
            grad[i] = s;
        }
    }
    *loss = sum / (double)(B * f->n_out);
    return isfinite(*loss) ? GB_OK : GB_ENONFIN;
}

int gb_floor_step(gb_floor *f, double *loss, double *grad, double *th, const double *F, const double *U, double lr,
                  double beta1, double beta2, double eps)
{
    int st = gb_floor_grad(f, loss, grad, th, F, U);
    if (st)
        return st;
    f->b1t *= beta1;
    f->b2t *= beta2;
    double c1 = 1.0 / (1.0 - f->b1t), c2 = 1.0 / (1.0 - f->b2t), *m = f->m, *v = f->v;
    #pragma omp parallel for simd schedule(static)
    for (long i = 0; i < f->c->nparam; i++) {
        m[i] = beta1 * m[i] + (1.0 - beta1) * grad[i];
        v[i] = beta2 * v[i] + (1.0 - beta2) * grad[i] * grad[i];
        th[i] -= lr * (m[i] * c1) / (sqrt(v[i] * c2) + eps);
    }
    return GB_OK;
}

double gb_floor_flops(const gb_chain_struct *c, long B)
{
    double s = 0;
    for (int l = 0; l < c->L; l++)
        s += (l ? 6.0 : 4.0) * (double)B * c->dims[l] * c->dims[l + 1];
    return s;
}
