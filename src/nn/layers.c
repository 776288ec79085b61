/* Dense chains and jets: see layers.h. */
#include "nn/layers.h"
#include "nn/act_fast.h"
#include "core/simd.h"
#include "core/status.h"

#include <cblas.h>
#include <omp.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

double gb_act_value(gb_act a, double z)
{
    switch (a) {
    case GB_ACT_TANH: return fast_tanh(z);
    case GB_ACT_GELU: return gelu(z);
    default: return z;
    }
}


GB_CLONES static void act_apply1(gb_act a, const double *z, double *y, long n)
{
    if (a == GB_ACT_TANH) {
        #pragma omp simd
        for (long i = 0; i < n; i++) y[i] = fast_tanh(z[i]);
    } else if (a == GB_ACT_GELU) {
        #pragma omp simd
        for (long i = 0; i < n; i++) y[i] = gelu(z[i]);
    } else if (y != z) {
        memcpy(y, z, (size_t)n * sizeof *y);
    }
}

/* GELU'(z) from z and a = GELU(z), without a second tanh: with q = a/z = (1 + t)/2,
 * 1 + t = 2q and 1 − t² = 4q(1 − q), so GELU'(z) = ½(1 + t) + ½ z (1 − t²) c (1 + 3A z²)
 * = q + 2 z q (1 − q) c (1 + 3A z²); q = ½ at z = 0 */
GB_INLINE double gelu_deriv(double z, double a)
{
    double q = z != 0.0 ? a / z : 0.5;
    return q + 2.0 * z * q * (1.0 - q) * GELU_C * (1.0 + 3.0 * GELU_A * z * z);
}

/* σ'(z) from the activation's value y = σ(z) (tanh: 1 − y²) and, for GELU, from z too */
GB_CLONES static void act_backward1(gb_act a, const double *z, const double *y, double *g, long n)
{
    if (a == GB_ACT_TANH) {
        #pragma omp simd
        for (long i = 0; i < n; i++) g[i] *= 1.0 - y[i] * y[i];
    } else if (a == GB_ACT_GELU) {
        #pragma omp simd
        for (long i = 0; i < n; i++) g[i] *= gelu_deriv(z[i], y[i]);
    }
}

/* slices below this many output elements run in one thread */
#define PAR_MIN 32768

static void slice(long n, long *a, long *b)
{
    int t = omp_get_thread_num(), T = omp_get_num_threads();
    *a = n * t / T;
    *b = n * (t + 1) / T;
}

long gb_slice_start(long n, int t, int T)
{
    return t >= T ? n : n * t / T / GB_GEMM_ALIGN * GB_GEMM_ALIGN;
}

/* dst[i] += Σ_k work[k·sz + i] over the GB_TN_PARTS parts, in order, the i shared out among the threads
 * of the enclosing parallel region */
static void add_parts(const double *work, long sz, double *dst)
{
    #pragma omp for schedule(static)
    for (long i = 0; i < sz; i++) {
        double s = work[i];
        for (int k = 1; k < GB_TN_PARTS; k++) s += work[k * sz + i];
        dst[i] += s;
    }
}

void gb_gemm_rows(double *Z, int transW, long R, int in, int out, const double *A, const double *W, double beta)
{
    /* blocks of rows whose output stays in cache between BLAS's scaling of it by beta and its
     * kernel (on 2 cores, 512-row blocks of a 10,000 × 128 × 128 product take 3.6 ms, halves 5.5 ms),
     * shared out among the threads */
    long wide = in > out ? in : out, blk = 65536 / wide / GB_GEMM_ALIGN * GB_GEMM_ALIGN;
    if (blk < GB_GEMM_ALIGN) blk = GB_GEMM_ALIGN;
    long nb = (R + blk - 1) / blk;
    #pragma omp parallel for schedule(static) if (R * wide >= PAR_MIN && nb > 1 && !omp_in_parallel())
    for (long k = 0; k < nb; k++) {
        long r0 = k * blk, r1 = r0 + blk < R ? r0 + blk : R;
        cblas_dgemm(CblasRowMajor, CblasNoTrans, transW ? CblasTrans : CblasNoTrans, (int)(r1 - r0), out, in, 1.0,
                    A + r0 * in, in, W, transW ? in : out, beta, Z + r0 * out, out);
    }
}

void gb_gemm_tn(double *G, long R, int in, int out, const double *Gy, const double *A, double *work)
{
    long sz = (long)out * in;
    if (!work || R < GB_TN_PARTS * 64 || R * out < PAR_MIN) {
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, out, in, (int)R, 1.0, Gy, out, A, in, 1.0, G, in);
        return;
    }
    /* the sum over rows in GB_TN_PARTS fixed parts, each one GEMM into work, then added in order:
     * every thread count gives the same sums */
    #pragma omp parallel if (!omp_in_parallel())
    {
        #pragma omp for schedule(static)
        for (int k = 0; k < GB_TN_PARTS; k++) {
            long r0 = R * k / GB_TN_PARTS, r1 = R * (k + 1) / GB_TN_PARTS;
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, out, in, (int)(r1 - r0), 1.0, Gy + r0 * out, out,
                        A + r0 * in, in, 0.0, work + k * sz, in);
        }
        add_parts(work, sz, G);
    }
}

void gb_act_backward(double *g, gb_act a, const double *z, const double *y, long n)
{
    #pragma omp parallel if (n >= PAR_MIN && !omp_in_parallel())
    {
        long i0, i1;
        slice(n, &i0, &i1);
        act_backward1(a, z + i0, y + i0, g + i0, i1 - i0);
    }
}

void gb_bias_act(double *z, double *y, gb_act a, const double *b, long R, long brows, int out)
{
    #pragma omp parallel if (R * out >= PAR_MIN && !omp_in_parallel())
    {
        long r0, r1;
        slice(R, &r0, &r1);
        /* blocks of rows small enough to stay in cache between the two steps */
        for (long k0 = r0; k0 < r1; k0 += 64) {
            long k1 = k0 + 64 < r1 ? k0 + 64 : r1;
            for (long r = k0; b && r < k1 && r < brows; r++)
                for (int j = 0; j < out; j++) z[r * out + j] += b[j];
            if (y) act_apply1(a, z + k0 * out, y + k0 * out, (k1 - k0) * out);
        }
    }
}

void gb_fill_bias(double *z, const double *b, long R, long brows, int out)
{
    #pragma omp parallel if (R * out >= PAR_MIN && !omp_in_parallel())
    {
        long r0, r1;
        slice(R, &r0, &r1);
        for (long r = r0; r < r1; r++) {
            if (r < brows) memcpy(z + r * out, b, (size_t)out * sizeof *z);
            else memset(z + r * out, 0, (size_t)out * sizeof *z);
        }
    }
}

void gb_column_sums(double *s, const double *g, long ld, long r0, long r1, int ncols)
{
    for (long jb = 0; jb < ncols; jb += 32) {
        long nb = ncols - jb < 32 ? ncols - jb : 32;
        double acc[32]; /* in registers: s might alias nothing, but the compiler cannot know */
        for (long j = 0; j < nb; j++) acc[j] = s[jb + j];
        for (long r = r0; r < r1; r++)
            for (long j = 0; j < nb; j++) acc[j] += g[r * ld + jb + j];
        for (long j = 0; j < nb; j++) s[jb + j] = acc[j];
    }
}

/* The backward pass through an activation and a bias, in one sweep over g (R × out): g ← g·σ'(z)
 * unless `act` is GB_ACT_NONE (then g is only read), and gb += Σ_r g unless gb is NULL. Large
 * sums go in GB_TN_PARTS fixed parts of the rows, their column sums in work and added in order,
 * so that every thread count gives the same numbers. */
static void act_bias_backward(gb_act act, const double *z, const double *y, double *g, long R, int out,
                              double *gb, double *work)
{
    if (act == GB_ACT_NONE && !gb) return;
    if (R * out < PAR_MIN || R < GB_TN_PARTS * 64) {
        if (act != GB_ACT_NONE) act_backward1(act, z, y, g, R * out);
        if (gb) gb_column_sums(gb, g, out, 0, R, out);
        return;
    }
    #pragma omp parallel if (!omp_in_parallel())
    {
        #pragma omp for schedule(static)
        for (int k = 0; k < GB_TN_PARTS; k++) {
            long r0 = R * k / GB_TN_PARTS, r1 = R * (k + 1) / GB_TN_PARTS;
            double *s = work + (long)k * out;
            memset(s, 0, (size_t)out * sizeof *s);
            for (long b0 = r0; b0 < r1; b0 += 64) { /* rows still in cache for the sums */
                long b1 = b0 + 64 < r1 ? b0 + 64 : r1, o = b0 * out;
                if (act != GB_ACT_NONE) act_backward1(act, z + o, y + o, g + o, (b1 - b0) * out);
                if (gb) gb_column_sums(s, g, out, b0, b1, out);
            }
        }
        if (gb) add_parts(work, out, gb);
    }
}

void gb_bias_grad(double *gb, const double *g, long R, int out, double *work)
{
    act_bias_backward(GB_ACT_NONE, NULL, NULL, (double *)g, R, out, gb, work); /* only reads g */
}

static int maxdim(const gb_chain_t c)
{
    int m = 0;
    for (int l = 0; l <= c->L; l++) if (c->dims[l] > m) m = c->dims[l];
    return m;
}

int gb_chain_init(gb_chain_t c, int L, const int *dims, int bias, gb_act act, int jet,
                  long rows_max, long *offset)
{
    memset(c, 0, sizeof *c);
    gb_blas_single_thread();
    if (L < 1 || L > 11 || rows_max < 1) return GB_EINVAL;
    if (jet && (dims[0] != 1 || act != GB_ACT_TANH || !bias)) return GB_EINVAL;
    c->L = L; c->bias = bias; c->act = act; c->jet = jet; c->rows_max = rows_max;
    for (int l = 0; l <= L; l++) { if (dims[l] < 1) return GB_EINVAL; c->dims[l] = dims[l]; }
    long blocks = jet ? 3 : 1;
    c->nparam = 0;
    for (int l = 0; l < L; l++) {
        c->off[l] = *offset + c->nparam;
        c->nparam += (long)dims[l + 1] * dims[l] + (bias ? dims[l + 1] : 0);
        c->z[l] = malloc((size_t)(blocks * rows_max * dims[l + 1]) * sizeof(double));
        c->a[l] = (l == L - 1) ? c->z[l] : malloc((size_t)(blocks * rows_max * dims[l + 1]) * sizeof(double));
        if (!c->z[l] || !c->a[l]) { gb_chain_clear(c); return GB_ENOMEM; }
    }
    size_t w = (size_t)(blocks * rows_max * maxdim(c)), wk = 0;
    for (int l = 0; l < L; l++)
        if ((size_t)dims[l] * (size_t)dims[l + 1] > wk) wk = (size_t)dims[l] * (size_t)dims[l + 1];
    c->g1 = malloc(w * sizeof(double));
    c->g2 = malloc(w * sizeof(double));
    c->work = malloc(GB_TN_PARTS * wk * sizeof(double));
    if (!c->g1 || !c->g2 || !c->work) { gb_chain_clear(c); return GB_ENOMEM; }
    *offset += c->nparam;
    return GB_OK;
}

void gb_chain_clear(gb_chain_t c)
{
    for (int l = 0; l < c->L; l++) {
        if (c->a[l] != c->z[l]) free(c->a[l]);
        free(c->z[l]);
        c->a[l] = c->z[l] = NULL;
    }
    free(c->g1); free(c->g2); free(c->work);
    c->g1 = c->g2 = c->work = NULL;
}

void gb_chain_glorot(double *theta, const gb_chain_t c, double (*draw)(void *), void *ctx)
{
    for (int l = 0; l < c->L; l++) {
        long in = c->dims[l], out = c->dims[l + 1];
        double sd = sqrt(2.0 / (double)(in + out));
        double *W = theta + c->off[l];
        for (long i = 0; i < in * out; i++) W[i] = sd * draw(ctx);
        if (c->bias) memset(W + in * out, 0, (size_t)out * sizeof *W);
    }
}

/* jet activation: blocks (z, z', z'') → (t, t', t''), t = tanh */
GB_CLONES static void jet_tanh(const double *z, double *a, long P, int w)
{
    long m = P * w;
    const double *z1 = z + m, *z2 = z + 2 * m;
    double *a1 = a + m, *a2 = a + 2 * m;
    for (long i = 0; i < m; i++) {
        double t = fast_tanh(z[i]), s1 = 1.0 - t * t, s2 = -2.0 * t * s1;
        a[i] = t;
        a1[i] = s1 * z1[i];
        a2[i] = s2 * z1[i] * z1[i] + s1 * z2[i];
    }
}

/* jet activation backward: (ga, ga', ga'') at the layer output → (gz, gz', gz'') in place */
GB_CLONES static void jet_tanh_backward(const double *z, double *g, long P, int w)
{
    long m = P * w;
    const double *z1 = z + m, *z2 = z + 2 * m;
    double *g1 = g + m, *g2 = g + 2 * m;
    for (long i = 0; i < m; i++) {
        double t = fast_tanh(z[i]), s1 = 1.0 - t * t, s2 = -2.0 * t * s1, s3 = -2.0 * s1 * (1.0 - 3.0 * t * t);
        double ga = g[i], ga1 = g1[i], ga2 = g2[i], d1 = z1[i];
        g[i] = ga * s1 + ga1 * s2 * d1 + ga2 * (s3 * d1 * d1 + s2 * z2[i]);
        g1[i] = ga1 * s1 + ga2 * 2.0 * s2 * d1;
        g2[i] = ga2 * s1;
    }
}

/* the input jet (x, ∂x/∂x = 1, ∂²x/∂x² = 0) as three blocks of rows in buf */
static const double *jet_input(double *buf, const double *x, long rows)
{
    for (long r = 0; r < rows; r++) { buf[r] = x[r]; buf[rows + r] = 1.0; buf[2 * rows + r] = 0.0; }
    return buf;
}

/* layers 0 … nl−1 of the forward pass */
static const double *forward_layers(gb_chain_t c, const double *theta, const double *in, long rows, int nl)
{
    long blocks = c->jet ? 3 : 1, R = blocks * rows;
    const double *a = in;
    if (c->jet) a = jet_input(c->g2, in, rows);
    c->in = in;
    for (int l = 0; l < nl; l++) {
        int di = c->dims[l], dout = c->dims[l + 1];
        const double *W = theta + c->off[l];
        int hidden = l < c->L - 1;
        /* z = b + a Wᵀ: the bias written first, the GEMM adding to it (no separate pass for either) */
        if (c->bias) gb_fill_bias(c->z[l], W + (long)di * dout, R, rows, dout);
        gb_gemm_rows(c->z[l], 1, R, di, dout, a, W, c->bias ? 1.0 : 0.0);
        if (hidden && c->jet) jet_tanh(c->z[l], c->a[l], rows, dout);
        else if (hidden) gb_bias_act(c->z[l], c->a[l], c->act, NULL, R, 0, dout);
        a = c->a[l];
    }
    return a;
}

const double *gb_chain_forward(gb_chain_t c, const double *theta, const double *in, long rows)
{
    return forward_layers(c, theta, in, rows, c->L);
}

const double *gb_chain_forward_hidden(gb_chain_t c, const double *theta, const double *in, long rows)
{
    return forward_layers(c, theta, in, rows, c->L - 1);
}

double *gb_chain_hidden_grad(gb_chain_t c)
{
    return c->g1;
}

/* layers top … 0 of the backward pass. Below the last layer the gradients alternate between the
 * two scratch buffers: a hidden layer l finds ∂L/∂a[l] in buf[next ^ 1] and turns it into ∂L/∂z[l]
 * in place; the last layer (no activation) reads its output gradient g without writing it. */
static void backward_layers(gb_chain_t c, const double *theta, double *grad, const double *g, long rows,
                            double *gin, int top, int next)
{
    long blocks = c->jet ? 3 : 1, R = blocks * rows;
    double *buf[2] = {c->g1, c->g2};
    for (int l = top; l >= 0; l--) {
        int di = c->dims[l], dout = c->dims[l + 1];
        double *gb = c->bias ? grad + c->off[l] + (long)di * dout : NULL;
        if (l < c->L - 1 && c->jet) {
            double *gw = buf[next ^ 1]; /* g, written by the layer above */
            jet_tanh_backward(c->z[l], gw, rows, dout);
            if (gb) gb_bias_grad(gb, gw, rows, dout, c->work);
        } else if (l < c->L - 1) {
            act_bias_backward(c->act, c->z[l], c->a[l], buf[next ^ 1], R, dout, gb, c->work);
        } else if (gb) { /* the last layer: no activation */
            gb_bias_grad(gb, g, rows, dout, c->work);
        }
        const double *W = theta + c->off[l];
        double *gW = grad + c->off[l];
        const double *a;
        if (l > 0) a = c->a[l - 1];
        else if (c->jet) a = jet_input(buf[next], c->in, rows); /* buf[next] is free here */
        else a = c->in;
        /* gW += gᵀ a over all rows (the bias gradient, over the value rows, is above) */
        gb_gemm_tn(gW, R, di, dout, g, a, c->work);
        if (l == 0 && (c->jet || !gin)) break; /* x is data, or no input gradient wanted */
        double *dst = l > 0 ? buf[next] : gin;
        gb_gemm_rows(dst, 0, R, dout, di, g, W, 0.0);
        g = dst;
        next ^= 1;
    }
}

void gb_chain_backward(double *grad, double *gin, gb_chain_t c, const double *theta, const double *gout,
                       long rows)
{
    backward_layers(c, theta, grad, gout, rows, gin, c->L - 1, 0);
}

void gb_chain_backward_hidden(double *grad, double *gin, gb_chain_t c, const double *theta, long rows)
{
    /* ∂L/∂a[L−2] is in g1 = buf[0], where layer L−2 looks for it when next = 1 */
    backward_layers(c, theta, grad, c->g1, rows, gin, c->L - 2, 1);
}
