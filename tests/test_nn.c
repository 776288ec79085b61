/* Model classes: analytic gradients against central differences, the jets' second
 * derivatives against an independent evaluation, checkpoints, and the optimisers. */
#include "core/status.h"
#include "nn/model.h"
#include "nn/train.h"
#include "helpers.h"
#include <complex.h>
#include <criterion/criterion.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void small_arch(gb_nn_arch *a, gb_nn_class cls, long N)
{
    gb_nn_arch_default(a, cls, N);
    a->width = 6;
    a->don_width = 5; a->don_depth = 2; a->don_latent = 4;
    a->fno_width = 4; a->fno_layers = 2; a->fno_modes = 3; a->fno_proj = 4;
    a->pinn_width = 4; a->pinn_depth = 2; a->pinn_forcings = 2;
    a->phys_weight = 0.7;
}

/* the seed of the data, of the perturbations and sizes of the gradient checks: GB_TEST_SEED replays a
 * failure (tests/helpers.h) */
static unsigned long test_seed(void)
{
    return gb_test_seed(5);
}

static void small_data(gb_dataset_t d, gb_family fam, int p, long N, long S)
{
    gb_data_spec spec;
    gb_data_spec_default(&spec);
    spec.family = fam; spec.p = p; spec.N = N; spec.S = S; spec.seed = test_seed();
    cr_assert_eq(gb_dataset_init(d, &spec), GB_OK, "GB_TEST_SEED=%lu, N=%ld, S=%ld", spec.seed, N, S);
}

/* ∂L/∂θ_i by central differences with step h */
static double central_diff(gb_nn_model_t m, const gb_dataset_struct *d, const long *idx, long B, long i, double h)
{
    double t = m->theta[i], lp, lm;
    m->theta[i] = t + h; cr_assert_eq(gb_nn_loss(&lp, NULL, m, d, idx, B), GB_OK);
    m->theta[i] = t - h; cr_assert_eq(gb_nn_loss(&lm, NULL, m, d, idx, B), GB_OK);
    m->theta[i] = t;
    return (lp - lm) / (2 * h);
}

/* ‖g − g_fd‖ / ‖g_fd‖ over every parameter on S samples, central differences with step h; the
 * perturbation of θ is drawn from the stream st */
static double grad_check_arch(const gb_nn_arch *arch, long S, unsigned long *st)
{
    gb_nn_class cls = arch->cls;
    long N = arch->N;
    gb_dataset_t d;
    small_data(d, GB_FAMILY_SIN, 3, N, S);
    gb_nn_arch a = *arch;
    gb_nn_model_t m;
    cr_assert_eq(gb_nn_model_init(m, &a, S, 3), GB_OK);
    /* move off the initialisation (zero biases, W⁰ = 0) so every term of the gradient is exercised */
    for (long i = 0; i < m->nparam; i++) m->theta[i] += 0.1 * (gb_test_uniform(st) - 0.5);
    long idx[4] = {0, 1, 2, 3}, B = cls == GB_NN_PINN ? 2 : S;
    double loss, num = 0, den = 0;
    cr_assert_eq(gb_nn_loss_grad(&loss, NULL, m, d, idx, B), GB_OK);
    double *g = malloc((size_t)m->nparam * sizeof(double));
    memcpy(g, m->grad, (size_t)m->nparam * sizeof(double));
    for (long i = 0; i < m->nparam; i++) {
        double t = m->theta[i], fd = central_diff(m, d, idx, B, i, 1e-5 * (fabs(t) > 1 ? fabs(t) : 1.0));
        num += (g[i] - fd) * (g[i] - fd);
        den += fd * fd;
    }
    free(g);
    gb_nn_model_clear(m);
    gb_dataset_clear(d);
    cr_assert(den > 0, "zero gradient: the check would be empty");
    return sqrt(num / den);
}

/* on three random sizes: N = 5..12 intervals (odd and even node counts), batches of 2..4 samples */
static void grad_checks(gb_nn_class cls)
{
    unsigned long seed = test_seed(), st = seed;
    for (int it = 0; it < 3; it++) {
        long N = gb_test_int(&st, 5, 12), S = gb_test_int(&st, 2, 4);
        gb_nn_arch a;
        small_arch(&a, cls, N);
        double e = grad_check_arch(&a, S, &st);
        cr_assert(e <= 1e-6, "%s: relative gradient error %.3e (GB_TEST_SEED=%lu, iteration %d, N=%ld, S=%ld)",
                  gb_nn_class_name(cls), e, seed, it, N, S);
    }
}

#define GRAD_TEST(name, cls) \
    Test(nn, name##_gradient_matches_central_differences) \
    { \
        grad_checks(cls); \
    }
GRAD_TEST(linear, GB_NN_LINEAR)
GRAD_TEST(deeplinear, GB_NN_DEEPLINEAR)
GRAD_TEST(mlp, GB_NN_MLP)
GRAD_TEST(deeponet, GB_NN_DEEPONET)
GRAD_TEST(fno, GB_NN_FNO)
GRAD_TEST(pinn, GB_NN_PINN)
GRAD_TEST(pideeponet, GB_NN_PIDEEPONET)

/* the FNO's first Fourier layer is folded with the lift (fno.h); with one layer it is also the last
 * (no GELU), and on an odd node count the FFTs take their other path */
Test(nn, fno_single_layer_gradient_matches_central_differences)
{
    unsigned long seed = test_seed(), st = seed;
    for (long N = 8; N <= 9; N++) {
        gb_nn_arch a;
        small_arch(&a, GB_NN_FNO, N);
        a.fno_layers = 1; a.fno_modes = 4;
        double e = grad_check_arch(&a, 3, &st);
        cr_assert(e <= 1e-6, "N = %ld: relative gradient error %.3e (GB_TEST_SEED=%lu)", N, e, seed);
    }
}

/* the FNO forward pass against a direct evaluation of its definition (fno.h): DFT sums instead of
 * FFTs, one sample at a time, so the channel-pair packing, the chunking over threads and the plans
 * are all checked; odd and even node counts (n = 9, 10), three samples in two chunks */
static void fno_direct(const gb_nn_model_t m, const double *f, double *u)
{
    const gb_fno_struct *F = &m->fno;
    long n = F->n, C = F->C, M = F->M, P = F->P;
    const double *th = m->theta, *Wl = th + F->off_lift;
    double v[16][8], z[16][8];
    for (long j = 0; j < n; j++)
        for (long c = 0; c < C; c++) v[j][c] = f[j] * Wl[2 * c] + (double)j / (double)(n - 1) * Wl[2 * c + 1] + Wl[2 * C + c];
    for (int l = 0; l < F->L; l++) {
        const double *W = th + F->off_w[l];
        const double complex *R = (const double complex *)(th + F->off_r[l]);
        for (long j = 0; j < n; j++)
            for (long o = 0; o < C; o++) {
                double y = 0;
                for (long k = 0; k < M; k++)
                    for (long i = 0; i < C; i++) {
                        double complex vh = 0;
                        for (long q = 0; q < n; q++) vh += v[q][i] * cexp(-2.0 * M_PI * I * (double)(k * q) / (double)n);
                        double complex t = vh * R[(k * C + i) * C + o] * cexp(2.0 * M_PI * I * (double)(k * j) / (double)n);
                        y += (k == 0 ? 1.0 : 2.0) * creal(t);
                    }
                z[j][o] = y / (double)n + W[C * C + o];
                for (long i = 0; i < C; i++) z[j][o] += W[o * C + i] * v[j][i];
            }
        for (long j = 0; j < n; j++)
            for (long c = 0; c < C; c++) v[j][c] = l < F->L - 1 ? gb_act_value(GB_ACT_GELU, z[j][c]) : z[j][c];
    }
    const double *W1 = th + F->proj.off[0], *b1 = W1 + P * C, *W2 = th + F->proj.off[1], *b2 = W2 + P;
    for (long j = 0; j < n; j++) {
        u[j] = b2[0];
        for (long p = 0; p < P; p++) {
            double h = b1[p];
            for (long c = 0; c < C; c++) h += W1[p * C + c] * v[j][c];
            u[j] += W2[p] * gb_act_value(GB_ACT_GELU, h);
        }
    }
}

Test(nn, fno_forward_matches_direct_dft_evaluation)
{
    for (long N = 8; N <= 9; N++) {
        gb_nn_arch a;
        small_arch(&a, GB_NN_FNO, N);
        a.fno_width = 6; a.fno_modes = 4;
        gb_nn_model_t m;
        cr_assert_eq(gb_nn_model_init(m, &a, 3, 7), GB_OK);
        for (long i = 0; i < m->nparam; i++) m->theta[i] += 0.3 * sin(0.4 + 0.77 * (double)i);
        long n = N + 1;
        double f[30], u[30], ud[10];
        for (long i = 0; i < 3 * n; i++) f[i] = cos(0.3 + 1.1 * (double)i);
        cr_assert_eq(gb_nn_predict(u, m, f, NULL, 3), GB_OK);
        for (long b = 0; b < 3; b++) {
            fno_direct(m, f + b * n, ud);
            for (long j = 0; j < n; j++)
                cr_assert(fabs(u[b * n + j] - ud[j]) <= 1e-12 * (1 + fabs(ud[j])), "N = %ld, sample %ld, node %ld: %.17g vs %.17g",
                          N, b, j, u[b * n + j], ud[j]);
        }
        gb_nn_model_clear(m);
    }
    gb_nn_arch a;
    small_arch(&a, GB_NN_FNO, 8);
    a.fno_width = 5;
    char msg[160];
    cr_assert_eq(gb_nn_arch_check(&a, msg, sizeof msg), GB_EINVAL);
    cr_assert(strstr(msg, "even"), "%s", msg);
}

/* three Adam steps on a batch large enough for every threaded path (row slices, the fixed parts of
 * the weight-gradient sums, the FNO chunks): the same parameters, bit for bit, on 1 and 3 threads */
static void adam_steps(gb_nn_class cls, int threads, double *theta_out, long *np)
{
    long N = 32, S = 200;
    gb_dataset_t d;
    small_data(d, GB_FAMILY_SIN, 4, N, S);
    gb_nn_arch a;
    gb_nn_arch_default(&a, cls, N);
    gb_nn_model_t m;
    cr_assert_eq(gb_nn_model_init(m, &a, S, 11), GB_OK);
    gb_train_opts o;
    gb_train_opts_default(&o, cls);
    o.opt = GB_OPT_ADAM;
    gb_optim_t q;
    cr_assert_eq(gb_optim_init(q, &o, m->nparam), GB_OK);
    long idx[200];
    for (long i = 0; i < S; i++) idx[i] = (7 * i) % S;
    int saved = omp_get_max_threads();
    omp_set_num_threads(threads);
    for (int k = 0; k < 3; k++) {
        double loss;
        cr_assert_eq(gb_nn_loss_grad(&loss, NULL, m, d, idx, S), GB_OK);
        gb_optim_step(m->theta, q, m->grad);
    }
    omp_set_num_threads(saved);
    memcpy(theta_out, m->theta, (size_t)m->nparam * sizeof(double));
    *np = m->nparam;
    gb_optim_clear(q);
    gb_nn_model_clear(m);
    gb_dataset_clear(d);
}

Test(nn, training_does_not_depend_on_the_thread_count)
{
    gb_nn_class cls[3] = {GB_NN_MLP, GB_NN_DEEPONET, GB_NN_FNO};
    for (int c = 0; c < 3; c++) {
        static double t1[200000], t3[200000];
        long n1, n3;
        adam_steps(cls[c], 1, t1, &n1);
        adam_steps(cls[c], 3, t3, &n3);
        cr_assert_eq(n1, n3);
        long diff = 0;
        for (long i = 0; i < n1; i++) diff += memcmp(&t1[i], &t3[i], sizeof(double)) != 0;
        cr_assert_eq(diff, 0, "%s: %ld of %ld parameters differ between 1 and 3 threads (GB_TEST_SEED=%lu)",
                     gb_nn_class_name(cls[c]), diff, n1, test_seed());
    }
}

/* the jet's u'' against second differences of the same network evaluated as a plain chain */
Test(nn, jet_second_derivative_matches_independent_evaluation)
{
    int dims[5] = {1, 7, 7, 7, 1};
    long off_j = 0, off_p = 0, npts = 5;
    gb_chain_t jet, plain;
    cr_assert_eq(gb_chain_init(jet, 4, dims, 1, GB_ACT_TANH, 1, npts, &off_j), GB_OK);
    cr_assert_eq(gb_chain_init(plain, 4, dims, 1, GB_ACT_TANH, 0, 3 * npts, &off_p), GB_OK);
    cr_assert_eq(off_j, off_p);
    double *th = malloc((size_t)off_j * sizeof(double));
    for (long i = 0; i < off_j; i++) th[i] = 0.8 * sin(0.9 + 1.3 * (double)i);
    double x[5] = {0.0, 0.2, 0.45, 0.7, 1.0}, h = 1e-3, xs[15];
    const double *y = gb_chain_forward(jet, th, x, npts);
    double yj[15];
    memcpy(yj, y, sizeof yj);
    for (long i = 0; i < npts; i++) { xs[i] = x[i] - h; xs[npts + i] = x[i]; xs[2 * npts + i] = x[i] + h; }
    const double *v = gb_chain_forward(plain, th, xs, 3 * npts);
    for (long i = 0; i < npts; i++) {
        double d1 = (v[2 * npts + i] - v[i]) / (2 * h);
        double d2 = (v[2 * npts + i] - 2 * v[npts + i] + v[i]) / (h * h);
        cr_assert(fabs(yj[i] - v[npts + i]) <= 1e-15 * (1 + fabs(v[npts + i])), "value at %g", x[i]);
        cr_assert(fabs(yj[npts + i] - d1) <= 1e-5 * (1 + fabs(d1)), "u' at %g: %g vs %g", x[i], yj[npts + i], d1);
        cr_assert(fabs(yj[2 * npts + i] - d2) <= 1e-5 * (1 + fabs(d2)), "u'' at %g: %g vs %g", x[i], yj[2 * npts + i], d2);
    }
    free(th);
    gb_chain_clear(jet);
    gb_chain_clear(plain);
}

/* a deliberately wrong derivative must fail the same check: σ'' with the wrong sign */
Test(nn, gradient_check_detects_a_wrong_adjoint)
{
    long N = 8, S = 3;
    gb_dataset_t d;
    small_data(d, GB_FAMILY_SIN, 3, N, S);
    gb_nn_arch a;
    small_arch(&a, GB_NN_MLP, N);
    gb_nn_model_t m;
    cr_assert_eq(gb_nn_model_init(m, &a, S, 3), GB_OK);
    long idx[3] = {0, 1, 2};
    double loss;
    cr_assert_eq(gb_nn_loss_grad(&loss, NULL, m, d, idx, S), GB_OK);
    long i = m->body.off[0] + 4; /* one first-layer weight */
    double g = m->grad[i], fd = central_diff(m, d, idx, S, i, 1e-5);
    cr_assert(fabs(g - fd) <= 1e-6 * fabs(fd), "%.17g vs %.17g (GB_TEST_SEED=%lu)", g, fd, test_seed());
    cr_assert(fabs(-g - fd) > 1e-6 * fabs(fd), "a sign error would pass: the check cannot fail (GB_TEST_SEED=%lu)",
              test_seed());
    gb_nn_model_clear(m);
    gb_dataset_clear(d);
}

Test(nn, checkpoint_round_trip_and_corruption)
{
    gb_nn_arch a;
    small_arch(&a, GB_NN_DEEPONET, 8);
    gb_nn_model_t m, r;
    cr_assert_eq(gb_nn_model_init(m, &a, 4, 9), GB_OK);
    char path[] = "/tmp/gb-nn-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    cr_assert_eq(gb_nn_save(m, path), GB_OK);
    /* the documented little-endian layout, byte for byte: version 1 after the magic, then the class, then N */
    unsigned char head[24];
    FILE *hf = fopen(path, "rb");
    cr_assert(hf && fread(head, 1, sizeof head, hf) == sizeof head);
    fclose(hf);
    static const unsigned char want[16] = {1, 0, 0, 0, GB_NN_DEEPONET, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0};
    cr_assert(!memcmp(head, "GBNNMDL1", 8) && !memcmp(head + 8, want, sizeof want), "header bytes");
    char msg[256];
    cr_assert_eq(gb_nn_load(r, path, 4, msg, sizeof msg), GB_OK, "%s", msg);
    cr_assert_eq(r->nparam, m->nparam);
    cr_assert_eq(memcmp(r->theta, m->theta, (size_t)m->nparam * sizeof(double)), 0);
    gb_nn_model_clear(r);
    /* flip one byte of θ: checksum */
    FILE *f = fopen(path, "r+b");
    fseek(f, 200, SEEK_SET);
    int c = fgetc(f);
    fseek(f, 200, SEEK_SET);
    fputc(c ^ 0x10, f);
    fclose(f);
    cr_assert_neq(gb_nn_load(r, path, 4, msg, sizeof msg), GB_OK);
    cr_assert(strstr(msg, "checksum"), "%s", msg);
    /* truncation */
    cr_assert_eq(gb_nn_save(m, path), GB_OK);
    cr_assert_eq(truncate(path, 100), 0);
    cr_assert_neq(gb_nn_load(r, path, 4, msg, sizeof msg), GB_OK);
    cr_assert(strstr(msg, "truncated"), "%s", msg);
    /* not a model file */
    f = fopen(path, "wb");
    for (int i = 0; i < 40; i++) fputs("not a model ", f);
    fclose(f);
    cr_assert_neq(gb_nn_load(r, path, 4, msg, sizeof msg), GB_OK);
    cr_assert(strstr(msg, "not a greenbound model"), "%s", msg);
    cr_assert(!r->theta && !r->nparam, "a refused checkpoint leaves the model empty");
    unlink(path);
    gb_nn_model_clear(m);
    /* a FIFO in the checkpoint's place is refused at once */
    char fifo[64];
    snprintf(fifo, sizeof fifo, "/tmp/gb-ck-fifo.%ld", (long)getpid());
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    gb_nn_model_t mf;
    char fm[256] = "";
    cr_assert_neq(gb_nn_load(mf, fifo, 16, fm, sizeof fm), GB_OK);
    cr_assert(strstr(fm, "not a regular file"), "%s", fm);
    unlink(fifo);
}

/* the invariance lemma in miniature: SGD leaves W₁ on the complement of the span alone */
static void count_steps(const gb_nn_model_t m, long step, void *ctx)
{
    (void)m;
    *(long *)ctx = step;
}

Test(nn, gd_keeps_first_layer_off_span_and_runs_are_deterministic)
{
    long N = 8, S = 6;
    gb_dataset_t d;
    small_data(d, GB_FAMILY_SIN, 2, N, S);
    gb_nn_arch a;
    small_arch(&a, GB_NN_MLP, N);
    gb_train_opts o;
    gb_train_opts_default(&o, GB_NN_MLP);
    o.opt = GB_OPT_SGD; o.batch = 2; o.epochs = 50; o.lr = 0.05;
    gb_nn_model_t m1, m2;
    cr_assert_eq(gb_nn_model_init(m1, &a, 2, 4), GB_OK);
    cr_assert_eq(gb_nn_model_init(m2, &a, 2, 4), GB_OK);
    long rows, n = N + 1;
    const double *W = gb_nn_first_layer(&rows, m1);
    double *q = malloc((size_t)n * sizeof(double));
    for (long i = 0; i < n; i++) q[i] = sin(3.0 * M_PI * (double)i / (double)N); /* ⟂ sin(πx), sin(2πx) on the grid */
    double *before = malloc((size_t)rows * sizeof(double));
    for (long r = 0; r < rows; r++) {
        double s = 0;
        for (long i = 0; i < n; i++) s += W[r * n + i] * q[i];
        before[r] = s;
    }
    gb_train_result r1, r2;
    long steps = 0;
    cr_assert_eq(gb_train(&r1, m1, d, &o, count_steps, &steps), GB_OK);
    cr_assert_eq(steps, 150);
    cr_assert_eq(gb_train(&r2, m2, d, &o, NULL, NULL), GB_OK);
    cr_assert_eq(memcmp(m1->theta, m2->theta, (size_t)m1->nparam * sizeof(double)), 0);
    cr_assert(r1.loss < r1.first_loss, "training did not lower the loss (GB_TEST_SEED=%lu)", test_seed());
    double dmax = 0, ref = 0;
    for (long r = 0; r < rows; r++) {
        double s = 0;
        for (long i = 0; i < n; i++) s += W[r * n + i] * q[i];
        dmax = fmax(dmax, fabs(s - before[r]));
        ref = fmax(ref, fabs(before[r]));
    }
    cr_assert(dmax <= 1e-12 * ref, "W₁ q moved by %g (scale %g; GB_TEST_SEED=%lu)", dmax, ref, test_seed());
    free(q); free(before);
    gb_train_result_clear(&r1); gb_train_result_clear(&r2);
    gb_nn_model_clear(m1); gb_nn_model_clear(m2);
    gb_dataset_clear(d);
}

/* The plateau rule of SPEC §7 on a scripted loss sequence: a window that is not 1 % below the best
 * before it halves the rate; best values (not the last epoch) decide; ten halvings make the plateau */
Test(nn, plateau_rule_on_a_scripted_loss)
{
    gb_train_opts o;
    gb_train_opts_default(&o, GB_NN_MLP);
    o.lr = 1e-3;
    o.plateau_window = 4;
    gb_plateau p;
    gb_plateau_init(&p, &o);
    /* window 1: improves on +∞ */
    for (int e = 0; e < 4; e++)
        cr_assert_eq(gb_plateau_epoch(&p, 1.0 - 0.1 * e), 0);
    cr_assert_eq(p.halvings, 0);
    cr_assert_eq(p.lr, 1e-3);
    /* window 2: a noisy window whose best (0.69) is 1.4 % below 0.7 → no halving, although its
     * last epoch is worse than the best before */
    double w2[4] = {0.9, 0.69, 0.95, 0.8};
    for (int e = 0; e < 4; e++)
        cr_assert_eq(gb_plateau_epoch(&p, w2[e]), 0);
    cr_assert_eq(p.halvings, 0);
    /* window 3: best 0.6862 is only 0.55 % below 0.69 → halved */
    for (int e = 0; e < 4; e++)
        gb_plateau_epoch(&p, 0.6862 + 0.001 * e);
    cr_assert_eq(p.halvings, 1);
    cr_assert_eq(p.lr, 5e-4);
    cr_assert_eq(p.improving, 0);
    /* flat from here: nine more windows reach the plateau, exactly at the end of the tenth halving */
    int reached = 0;
    long e = 0;
    while (!reached && e < 1000)
        reached = gb_plateau_epoch(&p, 0.6862), e++;
    cr_assert_eq(reached, 1);
    cr_assert_eq(e, 9 * 4);
    cr_assert_eq(p.halvings, 10);
    cr_assert_eq(p.lr, 1e-3 / 1024);
    /* without a window the rule does nothing */
    o.plateau_window = 0;
    gb_plateau_init(&p, &o);
    for (int k = 0; k < 100; k++)
        cr_assert_eq(gb_plateau_epoch(&p, 1.0), 0);
    cr_assert_eq(p.lr, 1e-3);
}

/* a real training to the plateau stops there, with the rate it says and a consistent epoch count */
Test(nn, training_stops_at_the_plateau)
{
    gb_dataset_t d;
    small_data(d, GB_FAMILY_SIN, 2, 8, 32);
    gb_nn_arch a;
    small_arch(&a, GB_NN_MLP, 8);
    gb_train_opts o;
    gb_train_opts_default(&o, GB_NN_MLP);
    o.batch = 8;
    o.epochs = 100000;
    o.lr = 1e-2;
    o.plateau_window = 10;
    o.plateau_halvings = 4;
    gb_nn_model_t m;
    cr_assert_eq(gb_nn_model_init(m, &a, gb_train_batch(&o, &a, 32), 3), GB_OK);
    gb_train_result r;
    cr_assert_eq(gb_train(&r, m, d, &o, NULL, NULL), GB_OK);
    cr_assert_eq(r.status, GB_TRAIN_PLATEAU, "status %s after %ld epochs (GB_TEST_SEED=%lu)", gb_train_status_name(r.status),
                 r.epochs, test_seed());
    cr_assert_eq(r.halvings, 4, "GB_TEST_SEED=%lu", test_seed());
    cr_assert_eq(r.lr_final, 1e-2 / 16, "GB_TEST_SEED=%lu", test_seed());
    cr_assert_eq(r.epochs % 10, 0, "%ld epochs (GB_TEST_SEED=%lu)", r.epochs, test_seed());
    cr_assert_eq(r.improving, 0, "GB_TEST_SEED=%lu", test_seed());
    /* a bad window is refused */
    o.plateau_window = -1;
    cr_assert_eq(gb_train(&r, m, d, &o, NULL, NULL), GB_EINVAL);
    gb_nn_model_clear(m);
    gb_dataset_clear(d);
}

/* probes subtract Model(0) (SPEC §6): a network that answers every forcing with the same offset has
 * Ĝ = 0, not offset/(α Δx) */
Test(nn, green_probe_subtracts_the_response_to_zero)
{
    gb_nn_arch a;
    small_arch(&a, GB_NN_MLP, 8);
    gb_nn_model_t m;
    cr_assert_eq(gb_nn_model_init(m, &a, 16, 1), GB_OK);
    memset(m->theta, 0, sizeof(double) * (size_t)m->nparam);
    for (long i = 0; i < m->n; i++)   /* b₂, the last n parameters: Model(f) = b₂ for every f */
        m->theta[m->nparam - m->n + i] = 0.25 + 0.01 * (double)i;
    long n = m->n;
    double *G = malloc(sizeof(double) * (size_t)(n * n)), U[9], F[9] = {0};
    cr_assert_eq(gb_nn_predict(U, m, F, NULL, 1), GB_OK);
    cr_assert_float_eq(U[3], 0.28, 1e-15, "the offset is there");
    cr_assert_eq(gb_nn_green(G, m, 1.0, 1.0), GB_OK);
    for (long k = 0; k < n * n; k++)
        cr_assert_eq(G[k], 0.0, "Ĝ[%ld] = %g", k, G[k]);
    free(G);
    gb_nn_model_clear(m);
}
