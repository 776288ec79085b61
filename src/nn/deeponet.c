/* The DeepONet's forward and backward passes (model_impl.h), its branch's last layer folded into the trunk
 * side. */
#include "nn/model.h"
#include "nn/model_impl.h"

#include <string.h>

/* DeepONet: U = β τᵀ + b₀ with β = H Wᵀ + b the branch's last, affine layer on its hidden output H
 * (B × w) and τ the trunk's output at the nodes (n × p). The batch-sized products are cheaper with
 * that layer folded into the trunk side, U = H (τ W)ᵀ + (τ b + b₀): one B × w × n product instead of
 * B × w × p and B × p × n (p = 64, w = 128, n = 65 by default: 12 % of a training step's
 * arithmetic). PI-DeepONet's Uxx = β τ''ᵀ = H (τ'' W)ᵀ + τ'' b likewise. Blocks of m->mt and m->ct:
 * value, (d/dx, unused), d²/dx². */
static void deeponet_fold(gb_nn_model_t m, const double *tau, int pi)
{
    long n = m->n;
    int lat = m->arch.don_latent, w = m->body.dims[m->body.L - 1];
    const double *W = m->theta + m->body.off[m->body.L - 1], *b = W + (long)lat * w;
    for (int k = 0; k < 3; k += pi ? 2 : 3) {
        const double *t = tau + k * n * lat;
        gb_gemm_rows(m->mt + k * n * w, 0, n, lat, w, t, W, 0.0);
        for (long j = 0; j < n; j++) {
            double s = k ? 0.0 : m->theta[m->off_b0];
            for (int l = 0; l < lat; l++) s += t[j * lat + l] * b[l];
            m->ct[k * n + j] = s;
        }
    }
}

/* U (and, for PI, Uxx in m->gout's last block) for the B forcings F */
void gb_deeponet_forward(double *U, double *Uxx, gb_nn_model_t m, const double *F, long B)
{
    long n = m->n;
    int w = m->body.dims[m->body.L - 1];
    const double *H = gb_chain_forward_hidden(&m->body, m->theta, F, B);
    const double *tau = gb_chain_forward(&m->trunk, m->theta, m->x, n);
    deeponet_fold(m, tau, Uxx != NULL);
    for (int k = 0; k < 3; k += 2) {
        double *Y = k ? Uxx : U;
        if (!Y) continue;
        gb_fill_bias(Y, m->ct + k * n, B, B, (int)n);
        gb_gemm_rows(Y, 1, B, w, (int)n, H, m->mt + k * n * w, 1.0);
    }
}

/* DeepONet backward from gU (and gUxx): the folded products' adjoints, then the trunk's and the
 * branch's chains. gH = gU (τW) (+ gUxx (τ''W)); g(τW) = gUᵀ H, g(τb + b₀) = column sums of gU;
 * through τW and τb: gτ = g(τW) Wᵀ + g(τb) bᵀ, gW += τᵀ g(τW), gb += τᵀ g(τb), gb₀ += Σ g(τb). */
void gb_deeponet_backward(gb_nn_model_t m, const double *gU, const double *gUxx, long B)
{
    long n = m->n;
    int lat = m->arch.don_latent, w = m->body.dims[m->body.L - 1];
    const double *H = m->body.L > 1 ? m->body.a[m->body.L - 2] : m->body.in;
    const double *tau = m->trunk.a[m->trunk.L - 1];
    long offW = m->body.off[m->body.L - 1];
    const double *W = m->theta + offW, *b = W + (long)lat * w;
    double *gW = m->grad + offW, *gb = gW + (long)lat * w;
    memset(m->gmt, 0, (size_t)(3 * n * w) * sizeof(double));
    memset(m->gct, 0, (size_t)(3 * n) * sizeof(double));
    memset(m->gt, 0, (size_t)(3 * n * lat) * sizeof(double));
    for (int k = 0; k < 3; k += 2) {
        const double *G = k ? gUxx : gU;
        if (!G) continue;
        if (m->body.L > 1)
            gb_gemm_rows(gb_chain_hidden_grad(&m->body), 0, B, (int)n, w, G, m->mt + k * n * w, k ? 1.0 : 0.0);
        gb_gemm_tn(m->gmt + k * n * w, B, w, (int)n, G, H, m->work);
        gb_bias_grad(m->gct + k * n, G, B, (int)n, m->work); /* τb + b₀ is U's bias */
        const double *t = tau + k * n * lat, *gm = m->gmt + k * n * w, *gc = m->gct + k * n;
        double *gtk = m->gt + k * n * lat;
        gb_gemm_rows(gtk, 1, n, w, lat, gm, W, 0.0);
        for (long j = 0; j < n; j++)
            for (int l = 0; l < lat; l++) gtk[j * lat + l] += gc[j] * b[l];
        gb_gemm_tn(gW, n, w, lat, t, gm, NULL);
        for (int l = 0; l < lat; l++) {
            double s = 0;
            for (long j = 0; j < n; j++) s += t[j * lat + l] * gc[j];
            gb[l] += s;
        }
        if (!k)
            for (long j = 0; j < n; j++) m->grad[m->off_b0] += gc[j];
    }
    gb_chain_backward(m->grad, NULL, &m->trunk, m->theta, m->gt, n);
    gb_chain_backward_hidden(m->grad, NULL, &m->body, m->theta, B);
}
