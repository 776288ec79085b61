/* FNO forward and adjoint: see fno.h.
 *
 * Adjoint of the spectral layer, with gradients of complex quantities written g = ∂L/∂Re + i ∂L/∂Im:
 *   y = K v  ⇒  gŶ_m = (s_m/n) rfft(g_y)_m, s_0 = 1, s_m = 2 (no Nyquist mode: M ≤ ⌊n/2⌋);
 *   Ŷ = v̂ R  ⇒  gR += v̂ᴴ gŶ,  gv̂ = gŶ Rᴴ;
 *   v̂_m = Σ_j v_j e^{-2πimj/n}  ⇒  g_v = c2r(Z), Z_0 = Re gv̂_0, Z_m = gv̂_m / 2,
 * where rfft and c2r (FFTW's unnormalised real transforms) are computed two channels at a time
 * through complex FFTs (fno.h). The gradient checks in tests/test_nn.c compare all of this with
 * central differences. */
#include "nn/fno.h"
#include "core/status.h"

#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

int gb_fno_init(gb_fno_t F, long n, int C, int L, int M, int P, long bmax, long *offset)
{
    memset(F, 0, sizeof *F);
    if (n < 4 || C < 2 || C % 2 || L < 1 || L > GB_FNO_MAX_LAYERS || M < 1 || M > n / 2 || P < 1 || bmax < 1)
        return GB_EINVAL;
    F->n = n; F->C = C; F->L = L; F->M = M; F->P = P; F->bmax = bmax;
    long start = *offset;
    F->off_lift = *offset; *offset += 3L * C;
    for (int l = 0; l < L; l++) {
        F->off_w[l] = *offset; *offset += (long)C * C + C;
        F->off_r[l] = *offset; *offset += 2L * M * C * C;
    }
    int dp[3] = {C, P, 1};
    int st = gb_chain_init(&F->proj, 2, dp, 1, GB_ACT_GELU, 0, bmax * n, offset);
    if (st) return st;
    F->nparam = *offset - start;
    long nc = n * C;
    for (F->q = 8; nc % 2 == 0 && F->q > 1; nc /= 2) F->q /= 2;
    size_t act = (size_t)(bmax * n * C), modes = (size_t)(bmax * M * C);
    F->g = fftw_malloc(act * sizeof(double));
    F->gv = fftw_malloc(act * sizeof(double));
    F->zh = fftw_malloc(act / 2 * sizeof(double complex));
    F->zc = fftw_malloc(act / 2 * sizeof(double complex));
    F->ys = fftw_malloc(modes * sizeof(double complex));
    F->fs = fftw_malloc((size_t)(bmax * (n / 2 + 1)) * sizeof(double complex));
    F->xhat = fftw_malloc((size_t)M * sizeof(double complex));
    F->ra = fftw_malloc((size_t)(4 * M * C) * sizeof(double complex)); /* ra, rc, pq */
    F->wa = fftw_malloc((size_t)(6 * C) * sizeof(double));                /* wa, sk */
    int ok = F->g && F->gv && F->zh && F->zc && F->ys && F->fs && F->xhat && F->ra && F->wa;
    for (int l = 0; l < L && ok; l++) {
        F->z[l] = fftw_malloc(act * sizeof(double));
        if (l == 0) { ok = F->z[l] != NULL; continue; } /* layer 0 reads f, not v[0] */
        F->v[l] = fftw_malloc(act * sizeof(double));
        F->xh[l] = fftw_malloc(modes * sizeof(double complex));
        ok = F->v[l] && F->z[l] && F->xh[l];
    }
    if (!ok) { gb_fno_clear(F); return GB_ENOMEM; }
    F->rc = F->ra + M * C; F->pq = F->rc + M * C; F->sk = F->wa + 3 * C;
    memset(F->zc, 0, act / 2 * sizeof(double complex)); /* modes M … n−M stay zero */
    /* X̂_m = Σ_j x_j e^{−2πimj/n}, x_j = j/(n−1), the angle reduced exactly (mj mod n) */
    for (long m = 0; m < M; m++) {
        double re = 0, im = 0;
        for (long j = 0; j < n; j++) {
            double t = 2.0 * M_PI * (double)((m * j) % n) / (double)n, x = (double)j / (double)(n - 1);
            re += x * cos(t); im -= x * sin(t);
        }
        F->xhat[m] = CMPLX(re, im);
    }
    F->v[L] = F->z[L - 1]; /* no activation after the last Fourier layer */
    return GB_OK;
}

void gb_fno_clear(gb_fno_t F)
{
    gb_chain_clear(&F->proj);
    for (int l = 0; l < F->L && l < GB_FNO_MAX_LAYERS; l++) {
        fftw_free(F->v[l]); fftw_free(F->z[l]); fftw_free(F->xh[l]);
    }
    fftw_free(F->g); fftw_free(F->gv); fftw_free(F->zh); fftw_free(F->zc); fftw_free(F->ys);
    fftw_free(F->fs); fftw_free(F->xhat); fftw_free(F->ra); fftw_free(F->wa);
    /* FFTW's planner is not thread-safe: models trained side by side plan one at a time */
    #pragma omp critical(gb_fftw_planner)
    for (int i = 0; i < GB_FNO_PLANS; i++)
        if (F->plan_b[i]) { fftw_destroy_plan(F->fwd[i]); fftw_destroy_plan(F->bwd[i]); fftw_destroy_plan(F->ffr[i]); }
    memset(F, 0, sizeof *F);
}

void gb_fno_init_params(double *theta, const gb_fno_t F, double (*draw)(void *), void *ctx)
{
    long C = F->C;
    /* lift: Glorot normal over fan-in 2 and fan-out C, zero bias */
    double *Wl = theta + F->off_lift, sl = sqrt(2.0 / (double)(2 + C));
    for (long i = 0; i < 2 * C; i++) Wl[i] = sl * draw(ctx);
    memset(Wl + 2 * C, 0, (size_t)C * sizeof *Wl);
    gb_chain_glorot(theta, &F->proj, draw, ctx);
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

/* samples [b0, b1) of chunk t of GB_FNO_CHUNKS. Chunks start at multiples of q samples, so that every chunk's
 * arrays lie 64 bytes past an fftw_malloc'ed base, as the planning arrays do: FFTW's SIMD codelets
 * need the alignment the plan was made with (FFTW_UNALIGNED would turn them off). */
static long chunk_start(long B, int T, int t, long q)
{
    return t >= T ? B : B * t / T / q * q;
}

static void chunk(const gb_fno_t F, long B, int t, long *b0, long *b1)
{
    *b0 = chunk_start(B, GB_FNO_CHUNKS, t, F->q);
    *b1 = chunk_start(B, GB_FNO_CHUNKS, t + 1, F->q);
}

static int find_plan(const gb_fno_t F, long Bt)
{
    for (int i = 0; i < GB_FNO_PLANS; i++)
        if (F->plan_b[i] == Bt) return i;
    return -1;
}

/* forward and inverse complex FFTs along the nodes of Bt samples × C/2 channel pairs, cached;
 * created outside the parallel regions (FFTW's planner is not thread-safe) */
static int make_plan_locked(gb_fno_t F, long Bt)
{
    int slot = find_plan(F, Bt);
    if (slot < 0) {
        slot = 0;
        for (int i = 1; i < GB_FNO_PLANS; i++)
            if (F->plan_used[i] < F->plan_used[slot]) slot = i;
        if (F->plan_b[slot]) {
            fftw_destroy_plan(F->fwd[slot]); fftw_destroy_plan(F->bwd[slot]); fftw_destroy_plan(F->ffr[slot]);
        }
        F->plan_b[slot] = 0;
        int n = (int)F->n, H = F->C / 2, nh = n / 2 + 1;
        fftw_iodim dim = {n, H, H};
        fftw_iodim how[2] = {{(int)Bt, n * H, n * H}, {H, 1, 1}};
        unsigned flags = FFTW_ESTIMATE;
        fftw_complex *a = (fftw_complex *)F->z[0], *b = (fftw_complex *)F->zh;
        F->fwd[slot] = fftw_plan_guru_dft(1, &dim, 2, how, a, b, FFTW_FORWARD, flags);
        F->bwd[slot] = fftw_plan_guru_dft(1, &dim, 2, how, b, a, FFTW_BACKWARD, flags | FFTW_PRESERVE_INPUT);
        /* the forcings are the caller's array, of unknown alignment; one real signal per sample
         * (a sixteenth of a layer's transforms at the default width) */
        F->ffr[slot] = fftw_plan_many_dft_r2c(1, &n, (int)Bt, F->z[0], NULL, 1, n, b, NULL, 1, nh,
                                              flags | FFTW_UNALIGNED | FFTW_PRESERVE_INPUT);
        if (!F->fwd[slot] || !F->bwd[slot] || !F->ffr[slot]) {
            if (F->fwd[slot]) fftw_destroy_plan(F->fwd[slot]);
            if (F->bwd[slot]) fftw_destroy_plan(F->bwd[slot]);
            if (F->ffr[slot]) fftw_destroy_plan(F->ffr[slot]);
            return GB_ENOMEM;
        }
        F->plan_b[slot] = Bt;
    }
    F->plan_used[slot] = ++F->clock;
    return GB_OK;
}

/* FFTW's planner is not thread-safe (models trained side by side share it): one plan at a time */
static int make_plan(gb_fno_t F, long Bt)
{
    int st;
    #pragma omp critical(gb_fftw_planner)
    st = make_plan_locked(F, Bt);
    return st;
}

static int make_plans(gb_fno_t F, long B)
{
    for (int t = 0; t < GB_FNO_CHUNKS; t++) {
        long b0, b1;
        chunk(F, B, t, &b0, &b1);
        int st = b1 > b0 ? make_plan(F, b1 - b0) : GB_OK;
        if (st) return st;
    }
    return GB_OK;
}

/* X (Bt × M × C) = scale_m · rfft(v)_m for m < M, v being Bt × n × C real: one complex FFT of the
 * channel pairs into zh, then each pair's two spectra separated (real arithmetic written out:
 * C's complex product would guard every multiplication against infinities) */
static void rfft_modes(const gb_fno_t F, int slot, const double *v, double complex *zh, double complex *X,
                       long Bt, int grad_scale)
{
    long n = F->n, C = F->C, H = C / 2, M = F->M;
    fftw_execute_dft(F->fwd[slot], (fftw_complex *)v, (fftw_complex *)zh);
    for (long b = 0; b < Bt; b++)
        for (long m = 0; m < M; m++) {
            const double *Zp = (const double *)(zh + (b * n + m) * H);
            const double *Zq = (const double *)(zh + (b * n + (n - m) % n) * H);
            double *x = (double *)(X + (b * M + m) * C);
            double h = 0.5 * (grad_scale ? (m == 0 ? 1.0 : 2.0) / (double)n : 1.0);
            for (long p = 0; p < H; p++) {
                /* Z_m = (pr, pi), conj Z_{n−m} = (qr, qi) */
                double pr = Zp[2 * p], pi = Zp[2 * p + 1], qr = Zq[2 * p], qi = -Zq[2 * p + 1];
                x[4 * p] = h * (pr + qr);     /* (Z_m + conj Z_{n−m}) / 2 */
                x[4 * p + 1] = h * (pi + qi);
                x[4 * p + 2] = h * (pi - qi); /* (Z_m − conj Z_{n−m}) / 2i */
                x[4 * p + 3] = h * (qr - pr);
            }
        }
}

/* y (Bt × n × C real) = c2r(Y) of the kept modes Y (Bt × M × C; Im Y_0 ignored, as FFTW's c2r):
 * both channels of a pair go into one spectrum, W = Y_{2p} + i Y_{2p+1} extended Hermitian-wise
 * per channel, and one complex inverse FFT of zh yields the pair. zh is the chunk's part of zc,
 * whose modes M … n−M are zero from the start and never written (the plan preserves its input). */
static void c2r_modes(const gb_fno_t F, int slot, const double complex *Y, double complex *zh, double *y, long Bt)
{
    long n = F->n, C = F->C, H = C / 2, M = F->M;
    for (long b = 0; b < Bt; b++) {
        double *W = (double *)(zh + b * n * H);
        const double *yb = (const double *)(Y + b * M * C);
        for (long p = 0; p < H; p++) { W[2 * p] = yb[4 * p]; W[2 * p + 1] = yb[4 * p + 2]; }
        for (long m = 1; m < M; m++) {
            const double *ym = yb + 2 * m * C;
            double *Wp = W + 2 * m * H, *Wq = W + 2 * (n - m) * H;
            for (long p = 0; p < H; p++) {
                /* Y_{2p} = (ar, ai), Y_{2p+1} = (cr, ci): W_m = Y_{2p} + i Y_{2p+1}, W_{n−m} = conj Y_{2p} + i conj Y_{2p+1} */
                double ar = ym[4 * p], ai = ym[4 * p + 1], cr = ym[4 * p + 2], ci = ym[4 * p + 3];
                Wp[2 * p] = ar - ci; Wp[2 * p + 1] = ai + cr;
                Wq[2 * p] = ar + ci; Wq[2 * p + 1] = cr - ai;
            }
        }
    }
    fftw_execute_dft(F->bwd[slot], (fftw_complex *)zh, (fftw_complex *)y);
}

/* layer 0 folded with the lift (fno.h), the parts that do not depend on the sample: aᵀR_m/n, the
 * b-independent spectrum X̂_m cᵀR_m/n + [m = 0] dᵀR_0, and Wa, Wc, Wd + b */
static void fold_lift(gb_fno_t F, const double *theta)
{
    long n = F->n, C = F->C, M = F->M;
    const double *Wl = theta + F->off_lift, *d = Wl + 2 * C, *W = theta + F->off_w[0], *bias = W + C * C;
    const double complex *R = (const double complex *)(theta + F->off_r[0]);
    for (long k = 0; k < C; k++) {
        double sa = 0, sc = 0, sd = bias[k];
        for (long i = 0; i < C; i++) { sa += W[k * C + i] * Wl[2 * i]; sc += W[k * C + i] * Wl[2 * i + 1]; sd += W[k * C + i] * d[i]; }
        F->wa[k] = sa; F->wa[C + k] = sc; F->wa[2 * C + k] = sd;
    }
    for (long m = 0; m < M; m++)
        for (long k = 0; k < C; k++) {
            double ar = 0, ai = 0, cr = 0, ci = 0, dr = 0, di = 0;
            for (long i = 0; i < C; i++) {
                double rr = creal(R[(m * C + i) * C + k]), ri = cimag(R[(m * C + i) * C + k]);
                ar += Wl[2 * i] * rr; ai += Wl[2 * i] * ri;
                cr += Wl[2 * i + 1] * rr; ci += Wl[2 * i + 1] * ri;
                dr += d[i] * rr; di += d[i] * ri;
            }
            double xr = creal(F->xhat[m]), xi = cimag(F->xhat[m]);
            F->ra[m * C + k] = CMPLX(ar / (double)n, ai / (double)n);
            F->rc[m * C + k] = CMPLX((xr * cr - xi * ci) / (double)n + (m ? 0.0 : dr),
                                     (xr * ci + xi * cr) / (double)n + (m ? 0.0 : di));
        }
}

/* layer 0 on samples [b0, b0 + Bt): F̂ = rfft(f), Ŷ_m = F̂_m aᵀR_m/n + (the folded constant), then
 * z = c2r(Ŷ) + f Wa + x Wc + Wd + b, and σ unless it is the last layer */
static void lift_layer_forward(gb_fno_t F, int slot, long b0, long Bt)
{
    long n = F->n, C = F->C, M = F->M, nh = n / 2 + 1;
    const double *f = F->f + b0 * n, *wa = F->wa, *wc = wa + C, *wd = wc + C;
    double complex *fs = F->fs + b0 * nh, *ys = F->ys + b0 * M * C;
    double *z = F->z[0] + b0 * n * C;
    fftw_execute_dft_r2c(F->ffr[slot], (double *)f, (fftw_complex *)fs);
    for (long b = 0; b < Bt; b++)
        for (long m = 0; m < M; m++) {
            double fr = creal(fs[b * nh + m]), fi = cimag(fs[b * nh + m]);
            const double *ra = (const double *)(F->ra + m * C), *rc = (const double *)(F->rc + m * C);
            double *y = (double *)(ys + (b * M + m) * C);
            for (long k = 0; k < C; k++) {
                y[2 * k] = fr * ra[2 * k] - fi * ra[2 * k + 1] + rc[2 * k];
                y[2 * k + 1] = fr * ra[2 * k + 1] + fi * ra[2 * k] + rc[2 * k + 1];
            }
        }
    c2r_modes(F, slot, ys, F->zc + b0 * n * C / 2, z, Bt);
    for (long b = 0; b < Bt; b++)
        for (long j = 0; j < n; j++) {
            double fj = f[b * n + j], xj = (double)j / (double)(n - 1);
            double *zr = z + (b * n + j) * C;
            for (long k = 0; k < C; k++) zr[k] += fj * wa[k] + xj * wc[k] + wd[k];
        }
    if (F->L > 1) gb_bias_act(z, F->v[1] + b0 * n * C, GB_ACT_GELU, NULL, Bt * n, 0, (int)C);
}

/* the L Fourier layers on samples [b0, b0 + Bt) */
static void fourier_forward(gb_fno_t F, const double *theta, long b0, long Bt)
{
    long n = F->n, C = F->C, M = F->M, rows = Bt * n;
    int slot = find_plan(F, Bt);
    const double complex inv_n = 1.0 / (double)n, zero = 0.0;
    lift_layer_forward(F, slot, b0, Bt);
    double complex *zh = F->zh + b0 * n * C / 2, *zc = F->zc + b0 * n * C / 2, *ys = F->ys + b0 * M * C;
    for (int l = 1; l < F->L; l++) {
        const double *W = theta + F->off_w[l], *bias = W + C * C;
        const double complex *R = (const double complex *)(theta + F->off_r[l]);
        double *v = F->v[l] + b0 * n * C, *z = F->z[l] + b0 * n * C;
        double complex *xh = F->xh[l] + b0 * M * C;
        rfft_modes(F, slot, v, zh, xh, Bt, 0);
        for (long m = 0; m < M; m++)
            cblas_zgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)Bt, (int)C, (int)C, &inv_n, xh + m * C,
                        (int)(M * C), R + m * C * C, (int)C, &zero, ys + m * C, (int)(M * C));
        c2r_modes(F, slot, ys, zc, z, Bt);   /* z = K v */
        gb_gemm_rows(z, 1, rows, (int)C, (int)C, v, W, 1.0);
        gb_bias_act(z, l < F->L - 1 ? F->v[l + 1] + b0 * n * C : NULL, GB_ACT_GELU, bias, rows, rows, (int)C);
    }
}

int gb_fno_forward(double *u, gb_fno_t F, const double *theta, const double *f, long B)
{
    if (B < 1 || B > F->bmax) return GB_EINVAL;
    long rows = B * F->n;
    int st = make_plans(F, B);
    if (st) return st;
    F->f = f;
    fold_lift(F, theta);
    #pragma omp parallel for schedule(static)
    for (int t = 0; t < GB_FNO_CHUNKS; t++) {
        long b0, b1;
        chunk(F, B, t, &b0, &b1);
        if (b1 > b0) fourier_forward(F, theta, b0, b1 - b0);
    }
    const double *out = gb_chain_forward(&F->proj, theta, F->v[F->L], rows);
    for (long r = 0; r < rows; r++) u[r] = out[r];
    return GB_OK;
}

/* Backward through layer l on samples [b0, b0 + Bt). gc holds ∂L/∂v[l+1] on entry; gn receives
 * ∂L/∂v[l]; the two swap roles from layer to layer.
 * First half: gc ← g = ∂L/∂z in place, gŶ = (s_m/n) rfft(g) in ys. */
static void layer_backward_in(gb_fno_t F, int l, double *gc, long b0, long Bt)
{
    long n = F->n, C = F->C, M = F->M, o = b0 * n * C;
    if (l < F->L - 1) gb_act_backward(gc + o, GB_ACT_GELU, F->z[l] + o, F->v[l + 1] + o, Bt * n * C);
    rfft_modes(F, find_plan(F, Bt), gc + o, F->zh + o / 2, F->ys + b0 * M * C, Bt, 1);
}

/* Σ_j g_{j,c} summed over the B samples, from mode 0 of the FFT of g that layer_backward_in left in zh:
 * Z_0 = Σ_j g_{j,2p} + i Σ_j g_{j,2p+1} (a layer's bias gradient without another pass over g) */
static double node_sum(const gb_fno_t F, long B, long c)
{
    const double *z0 = (const double *)F->zh;
    double s = 0;
    for (long b = 0; b < B; b++) s += z0[2 * b * F->n * (F->C / 2) + c];
    return s;
}

/* parameter gradients of layer l, sums over the whole batch, this thread's share (thread id of nt):
 * gR_m += v̂_mᴴ gŶ_m for its modes, gW += gᵀ v and gb += Σ g (node_sum) for its output channels */
static void layer_backward_params(gb_fno_t F, double *grad, int l, const double *g, long B, int id, int nt)
{
    long n = F->n, C = F->C, M = F->M, rows = B * n;
    const double complex one = 1.0;
    const double complex *xh = F->xh[l], *gy = F->ys;
    double complex *gR = (double complex *)(grad + F->off_r[l]);
    for (long m = M * id / nt; m < M * (id + 1) / nt; m++)
        cblas_zgemm(CblasRowMajor, CblasConjTrans, CblasNoTrans, (int)C, (int)C, (int)B, &one, xh + m * C,
                    (int)(M * C), gy + m * C, (int)(M * C), &one, gR + m * C * C, (int)C);
    long c0 = gb_slice_start(C, id, nt), c1 = gb_slice_start(C, id + 1, nt);
    if (c1 == c0) return;
    double *gW = grad + F->off_w[l], *gb = gW + C * C;
    const double *v = F->v[l];
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)(c1 - c0), (int)C, (int)rows, 1.0, g + c0, (int)C,
                v, (int)C, 1.0, gW + c0 * C, (int)C);
    for (long c = c0; c < c1; c++) gb[c] += node_sum(F, B, c);
}

/* second half: gv̂_m = gŶ_m Rᴴ_m, then gn ← c2r(Z) + g W (the spectral and the pointwise paths to v[l]) */
static void layer_backward_out(gb_fno_t F, const double *theta, int l, const double *gc, double *gn, long b0, long Bt)
{
    long n = F->n, C = F->C, M = F->M, rows = Bt * n, o = b0 * n * C;
    const double complex one = 1.0, zero = 0.0;
    const double complex *R = (const double complex *)(theta + F->off_r[l]);
    double complex *gy = F->ys + b0 * M * C, *tmp = F->zh + o / 2;
    /* mode by mode through a Bt × C scratch in zh (Bt·n·C/2 ≥ Bt·C values), then Z written back
     * over mode m of gŶ */
    for (long m = 0; m < M; m++) {
        cblas_zgemm(CblasRowMajor, CblasNoTrans, CblasConjTrans, (int)Bt, (int)C, (int)C, &one, gy + m * C,
                    (int)(M * C), R + m * C * C, (int)C, &zero, tmp, (int)C);
        for (long b = 0; b < Bt; b++)
            for (long c = 0; c < C; c++)
                gy[(b * M + m) * C + c] = (m == 0) ? creal(tmp[b * C + c]) : 0.5 * tmp[b * C + c];
    }
    c2r_modes(F, find_plan(F, Bt), gy, F->zc + o / 2, gn + o, Bt);
    gb_gemm_rows(gn + o, 0, rows, (int)C, (int)C, gc + o, theta + F->off_w[l], 1.0);
}

/* layer 0's parameter gradients (folded with the lift, fno.h), this thread's share. With v̂_m =
 * F̂_m a + X̂_m c + [m = 0] n d and gŶ in ys:
 *   modes:    P_m = Σ_b conj(F̂_m) gŶ_m, Q_m = Σ_b gŶ_m;  gR_m += a P_m + c conj(X̂_m) Q_m + [m = 0] n d Q_0
 *   channels: S_f = Σ f g, S_x = Σ x g, S_1 = Σ g (node_sum);
 *             gW += S_f aᵀ + S_x cᵀ + S_1 dᵀ,  gb += S_1.
 * P, Q and S are kept for lift_backward. */
static void lift_layer_backward_params(gb_fno_t F, const double *theta, double *grad, const double *g, long B,
                                       int id, int nt)
{
    long n = F->n, C = F->C, M = F->M, nh = n / 2 + 1;
    const double *Wl = theta + F->off_lift, *d = Wl + 2 * C;
    double *gR = grad + F->off_r[0];
    for (long m = M * id / nt; m < M * (id + 1) / nt; m++) {
        double *P = (double *)(F->pq + m * C), *Q = (double *)(F->pq + (M + m) * C);
        memset(P, 0, (size_t)(2 * C) * sizeof(double));
        memset(Q, 0, (size_t)(2 * C) * sizeof(double));
        for (long b = 0; b < B; b++) {
            double fr = creal(F->fs[b * nh + m]), fi = -cimag(F->fs[b * nh + m]);
            const double *y = (const double *)(F->ys + (b * M + m) * C);
            for (long k = 0; k < C; k++) {
                P[2 * k] += fr * y[2 * k] - fi * y[2 * k + 1];
                P[2 * k + 1] += fr * y[2 * k + 1] + fi * y[2 * k];
                Q[2 * k] += y[2 * k]; Q[2 * k + 1] += y[2 * k + 1];
            }
        }
        double xr = creal(F->xhat[m]), xi = -cimag(F->xhat[m]), s0 = m ? 0.0 : (double)n;
        for (long i = 0; i < C; i++) {
            double a = Wl[2 * i], c = Wl[2 * i + 1], dd = s0 * d[i];
            double *gr = gR + 2 * (m * C + i) * C;
            for (long k = 0; k < C; k++) {
                double qr = Q[2 * k], qi = Q[2 * k + 1];
                gr[2 * k] += a * P[2 * k] + c * (xr * qr - xi * qi) + dd * qr;
                gr[2 * k + 1] += a * P[2 * k + 1] + c * (xr * qi + xi * qr) + dd * qi;
            }
        }
    }
    long c0 = gb_slice_start(C, id, nt), c1 = gb_slice_start(C, id + 1, nt);
    double *gW = grad + F->off_w[0], *gb = gW + C * C, *Sf = F->sk, *Sx = Sf + C, *S1 = Sx + C;
    for (long k = c0; k < c1; k++) {
        double sf = 0, sx = 0, s1 = node_sum(F, B, k);
        for (long b = 0; b < B; b++)
            for (long j = 0; j < n; j++) {
                double gk = g[(b * n + j) * C + k];
                sf += gk * F->f[b * n + j];
                sx += gk * ((double)j / (double)(n - 1));
            }
        Sf[k] = sf; Sx[k] = sx; S1[k] = s1;
        for (long i = 0; i < C; i++) gW[k * C + i] += sf * Wl[2 * i] + sx * Wl[2 * i + 1] + s1 * d[i];
        gb[k] += s1;
    }
}

/* the lift's gradients, this thread's channels i, from layer 0's sums (after a barrier):
 * ga_i = (Wᵀ S_f)_i + Σ_m Re Σ_k R_m,ik conj(P_m,k),
 * gc_i = (Wᵀ S_x)_i + Σ_m Re Σ_k R_m,ik X̂_m conj(Q_m,k),
 * gd_i = (Wᵀ S_1)_i + n Re Σ_k R_0,ik conj(Q_0,k) */
static void lift_backward(gb_fno_t F, const double *theta, double *grad, int id, int nt)
{
    long n = F->n, C = F->C, M = F->M;
    const double *W = theta + F->off_w[0], *Sf = F->sk, *Sx = Sf + C, *S1 = Sx + C;
    const double *R = theta + F->off_r[0];
    double *gWl = grad + F->off_lift, *gd = gWl + 2 * C;
    for (long i = C * id / nt; i < C * (id + 1) / nt; i++) {
        double ga = 0, gc = 0, g1 = 0;
        for (long k = 0; k < C; k++) { ga += W[k * C + i] * Sf[k]; gc += W[k * C + i] * Sx[k]; g1 += W[k * C + i] * S1[k]; }
        for (long m = 0; m < M; m++) {
            const double *r = R + 2 * (m * C + i) * C, *P = (const double *)(F->pq + m * C),
                         *Q = (const double *)(F->pq + (M + m) * C);
            double sp = 0, wr = 0, wi = 0;
            for (long k = 0; k < C; k++) {
                sp += r[2 * k] * P[2 * k] + r[2 * k + 1] * P[2 * k + 1];
                wr += r[2 * k] * Q[2 * k] + r[2 * k + 1] * Q[2 * k + 1];   /* R conj(Q) */
                wi += r[2 * k + 1] * Q[2 * k] - r[2 * k] * Q[2 * k + 1];
            }
            ga += sp;
            gc += wr * creal(F->xhat[m]) - wi * cimag(F->xhat[m]);
            if (m == 0) g1 += (double)n * wr;
        }
        gWl[2 * i] += ga; gWl[2 * i + 1] += gc; gd[i] += g1;
    }
}

int gb_fno_backward(double *grad, gb_fno_t F, const double *theta, const double *gu, long B)
{
    if (B < 1 || B > F->bmax) return GB_EINVAL;
    long rows = B * F->n;
    int st = make_plans(F, B);
    if (st) return st;
    /* gv ← ∂L/∂v[L] */
    gb_chain_backward(grad, F->gv, &F->proj, theta, gu, rows);
    #pragma omp parallel
    {
        int id = omp_get_thread_num(), nt = omp_get_num_threads();
        double *gc = F->gv, *gn = F->g;
        for (int l = F->L - 1; l >= 0; l--) {
            for (int t = id; t < GB_FNO_CHUNKS; t += nt) {
                long b0, b1;
                chunk(F, B, t, &b0, &b1);
                if (b1 > b0) layer_backward_in(F, l, gc, b0, b1 - b0);
            }
            #pragma omp barrier
            if (l == 0) { lift_layer_backward_params(F, theta, grad, gc, B, id, nt); break; }
            layer_backward_params(F, grad, l, gc, B, id, nt);
            #pragma omp barrier
            for (int t = id; t < GB_FNO_CHUNKS; t += nt) {
                long b0, b1;
                chunk(F, B, t, &b0, &b1);
                if (b1 > b0) layer_backward_out(F, theta, l, gc, gn, b0, b1 - b0);
            }
            double *sw = gc; gc = gn; gn = sw;
        }
        #pragma omp barrier
        lift_backward(F, theta, grad, id, nt);
    }
    return GB_OK;
}
