/* FNO forward and adjoint: see fno.h.
 *
 * Adjoint of the spectral layer, with gradients of complex quantities written g = ∂L/∂Re + i ∂L/∂Im:
 *   y = K v  ⇒  gŶ_m = (s_m/n) rfft(g_y)_m, s_0 = 1, s_m = 2 (no Nyquist mode: M ≤ ⌊n/2⌋);
 *   Ŷ = v̂ R  ⇒  gR += v̂ᴴ gŶ,  gv̂ = gŶ Rᴴ;
 *   v̂_m = Σ_j v_j e^{-2πimj/n}  ⇒  g_v = c2r(Z), Z_0 = Re gv̂_0, Z_m = gv̂_m / 2.
 * The gradient checks in tests/test_nn.c compare all of this with central differences. */
#include "nn/fno.h"
#include "core/status.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int gb_fno_init(gb_fno *F, long n, int C, int L, int M, int P, long bmax, long *offset)
{
    memset(F, 0, sizeof *F);
    if (n < 4 || C < 1 || L < 1 || L > GB_FNO_MAX_LAYERS || M < 1 || M > n / 2 || P < 1 || bmax < 1)
        return GB_EINVAL;
    F->n = n; F->nf = n / 2 + 1; F->C = C; F->L = L; F->M = M; F->P = P; F->bmax = bmax;
    long start = *offset;
    int dl[2] = {2, C}, dp[3] = {C, P, 1};
    int st = gb_chain_init(&F->lift, 1, dl, 1, GB_ACT_NONE, 0, bmax * n, offset);
    if (st) return st;
    for (int l = 0; l < L; l++) {
        F->off_w[l] = *offset; *offset += (long)C * C + C;
        F->off_r[l] = *offset; *offset += 2L * M * C * C;
    }
    st = gb_chain_init(&F->proj, 2, dp, 1, GB_ACT_GELU, 0, bmax * n, offset);
    if (st) { gb_fno_clear(F); return st; }
    F->nparam = *offset - start;
    size_t act = (size_t)(bmax * n * C), spec = (size_t)(bmax * F->nf * C);
    F->in = malloc((size_t)(bmax * n * 2) * sizeof(double));
    F->g = malloc(act * sizeof(double));
    F->gv = malloc(act * sizeof(double));
    F->yh = fftw_malloc(spec * sizeof(fftw_complex));
    int ok = F->in && F->g && F->gv && F->yh;
    for (int l = 0; l <= L && ok; l++) {
        F->v[l] = malloc(act * sizeof(double));
        ok = F->v[l] != NULL;
        if (l < L && ok) {
            F->z[l] = malloc(act * sizeof(double));
            F->xh[l] = fftw_malloc(spec * sizeof(fftw_complex));
            ok = F->z[l] && F->xh[l];
        }
    }
    if (!ok) { gb_fno_clear(F); return GB_ENOMEM; }
    return GB_OK;
}

void gb_fno_clear(gb_fno *F)
{
    gb_chain_clear(&F->lift);
    gb_chain_clear(&F->proj);
    for (int l = 0; l <= F->L; l++) {
        free(F->v[l]);
        if (l < F->L) { free(F->z[l]); fftw_free(F->xh[l]); }
    }
    free(F->in); free(F->g); free(F->gv); fftw_free(F->yh);
    for (int i = 0; i < GB_FNO_PLANS; i++)
        if (F->plan_b[i]) { fftw_destroy_plan(F->r2c[i]); fftw_destroy_plan(F->c2r[i]); }
    memset(F, 0, sizeof *F);
}

void gb_fno_init_params(const gb_fno *F, double *theta, double (*draw)(void *), void *ctx)
{
    gb_chain_glorot(&F->lift, theta, draw, ctx);
    gb_chain_glorot(&F->proj, theta, draw, ctx);
    long C = F->C;
    for (int l = 0; l < F->L; l++) {
        double *W = theta + F->off_w[l], *R = theta + F->off_r[l];
        double sd = sqrt(1.0 / (double)C);
        for (long i = 0; i < C * C; i++) W[i] = sd * draw(ctx);
        memset(W + C * C, 0, (size_t)C * sizeof *W);
        /* spectral weights: std 1/C per real and imaginary part (FNO reference scale 1/(C·C) is for
         * uniform draws over C·C inputs; this keeps the layer's gain of order one) */
        for (long i = 0; i < 2L * F->M * C * C; i++) R[i] = draw(ctx) / (double)C;
    }
}

/* plans for batch B over [B][n][C] (real) ↔ [B][nf][C] (complex), cached */
static int plans_for(gb_fno *F, long B, fftw_plan *r2c, fftw_plan *c2r)
{
    for (int i = 0; i < GB_FNO_PLANS; i++)
        if (F->plan_b[i] == B) { *r2c = F->r2c[i]; *c2r = F->c2r[i]; return GB_OK; }
    int slot = -1;
    for (int i = 0; i < GB_FNO_PLANS && slot < 0; i++) if (!F->plan_b[i]) slot = i;
    if (slot < 0) { /* table full: replace the last slot, keeping the training batch's plan */
        slot = GB_FNO_PLANS - 1;
        fftw_destroy_plan(F->r2c[slot]); fftw_destroy_plan(F->c2r[slot]);
        F->plan_b[slot] = 0;
    }
    long n = F->n, nf = F->nf, C = F->C;
    fftw_iodim dim = {(int)n, (int)C, (int)C};
    fftw_iodim howr[2] = {{(int)B, (int)(n * C), (int)(nf * C)}, {(int)C, 1, 1}};
    fftw_iodim howc[2] = {{(int)B, (int)(nf * C), (int)(n * C)}, {(int)C, 1, 1}};
    unsigned flags = FFTW_ESTIMATE | FFTW_UNALIGNED;
    F->r2c[slot] = fftw_plan_guru_dft_r2c(1, &dim, 2, howr, F->v[0], F->xh[0], flags);
    F->c2r[slot] = fftw_plan_guru_dft_c2r(1, &dim, 2, howc, F->yh, F->g, flags);
    if (!F->r2c[slot] || !F->c2r[slot]) return GB_ENOMEM;
    F->plan_b[slot] = B;
    *r2c = F->r2c[slot]; *c2r = F->c2r[slot];
    return GB_OK;
}

int gb_fno_forward(gb_fno *F, const double *theta, const double *f, long B, double *u)
{
    if (B < 1 || B > F->bmax) return GB_EINVAL;
    long n = F->n, nf = F->nf, C = F->C, M = F->M, rows = B * n;
    fftw_plan r2c, c2r;
    int st = plans_for(F, B, &r2c, &c2r);
    if (st) return st;
    for (long b = 0; b < B; b++)
        for (long j = 0; j < n; j++) {
            F->in[2 * (b * n + j)] = f[b * n + j];
            F->in[2 * (b * n + j) + 1] = (double)j / (double)(n - 1);
        }
    memcpy(F->v[0], gb_chain_forward(&F->lift, theta, F->in, rows), (size_t)(rows * C) * sizeof(double));
    const double complex one = 1.0, zero = 0.0;
    for (int l = 0; l < F->L; l++) {
        const double *W = theta + F->off_w[l], *bias = W + C * C;
        const double complex *R = (const double complex *)(theta + F->off_r[l]);
        fftw_execute_dft_r2c(r2c, F->v[l], F->xh[l]);
        memset(F->yh, 0, (size_t)(B * nf * C) * sizeof(fftw_complex));
        for (long m = 0; m < M; m++)
            cblas_zgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, (int)C, (int)C, &one,
                        (const double complex *)F->xh[l] + m * C, (int)(nf * C), R + m * C * C, (int)C,
                        &zero, (double complex *)F->yh + m * C, (int)(nf * C));
        fftw_execute_dft_c2r(c2r, F->yh, F->z[l]);
        double s = 1.0 / (double)n;
        double *z = F->z[l];
        for (long r = 0; r < rows; r++)
            for (long c = 0; c < C; c++) z[r * C + c] = s * z[r * C + c] + bias[c];
        gb_gemm_rows(1, rows, (int)C, (int)C, F->v[l], W, 1.0, z);
        gb_act_apply(l < F->L - 1 ? GB_ACT_GELU : GB_ACT_NONE, z, F->v[l + 1], rows * C);
    }
    const double *out = gb_chain_forward(&F->proj, theta, F->v[F->L], rows);
    for (long r = 0; r < rows; r++) u[r] = out[r];
    return GB_OK;
}

int gb_fno_backward(gb_fno *F, const double *theta, double *grad, const double *gu, long B)
{
    long n = F->n, nf = F->nf, C = F->C, M = F->M, rows = B * n;
    fftw_plan r2c, c2r;
    int st = plans_for(F, B, &r2c, &c2r);
    if (st) return st;
    /* gv ← ∂L/∂v[L] */
    gb_chain_backward(&F->proj, theta, grad, gu, rows, F->gv);
    const double complex one = 1.0, zero = 0.0;
    for (int l = F->L - 1; l >= 0; l--) {
        double *g = F->g;
        memcpy(g, F->gv, (size_t)(rows * C) * sizeof *g);
        if (l < F->L - 1) gb_act_backward(GB_ACT_GELU, F->z[l], g, rows * C);
        const double *W = theta + F->off_w[l];
        const double complex *R = (const double complex *)(theta + F->off_r[l]);
        double *gW = grad + F->off_w[l], *gb = gW + C * C;
        double complex *gR = (double complex *)(grad + F->off_r[l]);
        /* pointwise part */
        gb_gemm_tn(rows, (int)C, (int)C, g, F->v[l], gW);
        for (long r = 0; r < rows; r++)
            for (long c = 0; c < C; c++) gb[c] += g[r * C + c];
        gb_gemm_rows(0, rows, (int)C, (int)C, g, W, 0.0, F->gv);
        /* spectral part: gŶ in yh */
        fftw_execute_dft_r2c(r2c, g, F->yh);
        double complex *gy = (double complex *)F->yh;
        for (long b = 0; b < B; b++)
            for (long m = 0; m < M; m++) {
                double s = (m == 0 ? 1.0 : 2.0) / (double)n;
                for (long c = 0; c < C; c++) gy[(b * nf + m) * C + c] *= s;
            }
        for (long m = 0; m < M; m++)
            cblas_zgemm(CblasRowMajor, CblasConjTrans, CblasNoTrans, (int)C, (int)C, (int)B, &one,
                        (const double complex *)F->xh[l] + m * C, (int)(nf * C), gy + m * C, (int)(nf * C),
                        &one, gR + m * C * C, (int)C);
        /* gv̂_m = gŶ_m Rᴴ_m, mode by mode through a B × C scratch (F->g is free now and holds
         * rows·C ≥ 2·B·C doubles), then Z written back over mode m of gŶ */
        for (long m = 0; m < M; m++) {
            double complex *tmp = (double complex *)F->g;
            cblas_zgemm(CblasRowMajor, CblasNoTrans, CblasConjTrans, (int)B, (int)C, (int)C, &one,
                        gy + m * C, (int)(nf * C), R + m * C * C, (int)C, &zero, tmp, (int)C);
            double sc = (m == 0) ? 1.0 : 0.5;
            for (long b = 0; b < B; b++)
                for (long c = 0; c < C; c++) {
                    double complex t = tmp[b * C + c];
                    gy[(b * nf + m) * C + c] = (m == 0) ? creal(t) : sc * t;
                }
        }
        for (long b = 0; b < B; b++)
            for (long m = M; m < nf; m++)
                for (long c = 0; c < C; c++) gy[(b * nf + m) * C + c] = 0.0;
        fftw_execute_dft_c2r(c2r, F->yh, F->g);
        for (long i = 0; i < rows * C; i++) F->gv[i] += F->g[i];
    }
    /* lift: input (f, x) is data */
    gb_chain_backward(&F->lift, theta, grad, F->gv, rows, NULL);
    return GB_OK;
}
