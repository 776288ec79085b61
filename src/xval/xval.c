#include "xval/xval.h"
#include "stats/stats.h"
#include "claim/claim.h"
#include "core/status.h"
#include "learn/fd_model.h"
#include "linear/linear.h"
#include "nn/model.h"
#include "nn/train.h"
#include "predict/lin_predict.h"
#include "stencil/stencil.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef GB_MPI
#include <mpi.h>
#endif

static const char *model_names[GB_XV_NMODELS] = {"linear", "deeplinear", "mlp", "deeponet", "fno",
                                                 "pinn", "pideeponet", "fd"};

const char *gb_xv_model_name(gb_xv_model m) { return m < GB_XV_NMODELS ? model_names[m] : "?"; }

int gb_xv_model_parse(gb_xv_model *m, const char *s)
{
    for (int i = 0; i < GB_XV_NMODELS; i++)
        if (!strcmp(s, model_names[i])) {
            *m = (gb_xv_model)i;
            return GB_OK;
        }
    return GB_EINVAL;
}

int gb_xv_model_is_physical(gb_xv_model m) { return m == GB_XV_PINN || m == GB_XV_FD; }

/* ---------------------------------------------------------------------------------------------- */
/* the 25 data sets */

static const char *labels[GB_XV_NSETS] = {"p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "c1",
                                          "c2", "c3", "c4", "c5", "c6", "c7", "c8", "s1", "s2",
                                          "s3", "s4", "s5", "s6", "s7", "s8", "fem"};

void gb_xv_set(int i, gb_family *fam, int *p)
{
    static const gb_family fams[3] = {GB_FAMILY_POLY, GB_FAMILY_COS, GB_FAMILY_SIN};
    *fam = i < 24 ? fams[i / 8] : GB_FAMILY_FEM;
    *p = i < 24 ? i % 8 + 1 : 1;
}

const char *gb_xv_label(int i) { return i >= 0 && i < GB_XV_NSETS ? labels[i] : "?"; }

int gb_xv_label_index(const char *label)
{
    for (int i = 0; i < GB_XV_NSETS; i++)
        if (!strcmp(label, labels[i]))
            return i;
    return -1;
}

void gb_xv_opts_default(gb_xv_opts *o)
{
    o->N = 32;
    o->S = 1000;
    o->seed = 1;
    o->k = 1.0;
    o->law = GB_LAW_NORMAL;
    o->prec = 256;
    o->S_test = 0;
    o->epochs = 0;
    o->batch = 0;
    o->plateau_window = 0;
    o->progress = 0;
    o->equation = GB_EQ_POISSON;
}

int gb_xv_model_takes_equation(gb_xv_model m, gb_equation eq)
{
    return eq == GB_EQ_POISSON || !(m == GB_XV_PINN || m == GB_XV_PIDEEPONET || m == GB_XV_FD);
}

gb_data_spec gb_xv_spec(const gb_xv_opts *o, int i, int test)
{
    gb_data_spec s;
    gb_data_spec_default(&s);
    gb_xv_set(i, &s.family, &s.p);
    s.N = o->N;
    s.S = test && o->S_test > 0 ? o->S_test : o->S;
    s.k = o->k;
    s.law = o->law;
    s.prec = o->prec;
    s.seed = o->seed + (test ? GB_XV_TEST_SEED : 0);
    s.equation = o->equation;
    return s;
}

int gb_xv_opts_check(const gb_xv_opts *o, char *msg, size_t len)
{
    if (o->N < 4 || o->N > 1024)
        return snprintf(msg, len, "N = %ld outside 4..1024", o->N), GB_EINVAL;
    if (o->S < 8 || o->S > 1000000)
        return snprintf(msg, len, "samples = %ld outside 8..1000000 (a PINN needs 8 forcings)", o->S), GB_EINVAL;
    if (o->epochs < 0 || o->batch < 0 || o->plateau_window < 0 || o->S_test < 0)
        return snprintf(msg, len, "epochs, batch, plateau window and test samples must be >= 0"), GB_EINVAL;
    /* the 50 data sets (f and u of 25 training and 25 test sets) are held at once: refuse what would not fit
     * in half of this machine's memory, naming the amount, before allocating anything (a manifest given to
     * 'score' is outside input) */
    double St = (double)(o->S_test > 0 ? o->S_test : o->S);
    double need = 25.0 * 2.0 * ((double)o->S + St) * (double)(o->N + 1) * sizeof(double);
    long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
    double have = pages > 0 && psz > 0 ? (double)pages * (double)psz : INFINITY;
    if (need > have / 2)
        return snprintf(msg, len, "N = %ld, samples = %ld: the data sets would need %.1f GiB; this machine has %.1f GiB "
                        "(at most half of it is used)", o->N, o->S, need / 1073741824.0, have / 1073741824.0), GB_EINVAL;
    if (o->equation != GB_EQ_POISSON && o->equation != GB_EQ_BIHARMONIC)
        return snprintf(msg, len, "unknown equation %d", (int)o->equation), GB_EINVAL;
    gb_data_spec s = gb_xv_spec(o, 0, 0);
    return gb_data_spec_check(&s, msg, len);
}

int gb_xv_data_init(gb_xv_data *D, const gb_xv_opts *o)
{
    memset(D, 0, sizeof *D);
    D->o = *o;
    for (int i = 0; i < GB_XV_NSETS; i++) {
        gb_data_spec tr = gb_xv_spec(o, i, 0), te = gb_xv_spec(o, i, 1);
        int st = gb_dataset_init(&D->train[i], &tr);
        if (!st)
            st = gb_dataset_init(&D->test[i], &te);
        if (st) {
            gb_xv_data_clear(D);
            return st;
        }
    }
    return GB_OK;
}

void gb_xv_data_clear(gb_xv_data *D)
{
    for (int i = 0; i < GB_XV_NSETS; i++) {
        if (D->train[i].f)
            gb_dataset_clear(&D->train[i]);
        if (D->test[i].f)
            gb_dataset_clear(&D->test[i]);
    }
    memset(D, 0, sizeof *D);
}

/* ---------------------------------------------------------------------------------------------- */
/* one row per model kind */

/* a parameter learner with coefficient w predicts u_w = (k/w) u: the MSE is (k/w − 1)² ⟨u²⟩ */
/* mean over samples and nodes of (û − u)², û the learned FD_2 model's own solution of −w FD_2 û = f
 * with Dirichlet conditions (SPEC §8 XV-FD) */
static double fd_solve_mse(const gb_dataset_struct *d, double w)
{
    long N = d->spec.N, n = N + 1, S = d->spec.S;
    double *uh = malloc(sizeof(double) * n);
    if (!uh)
        return NAN;
    long double acc = 0;
    for (long s = 0; s < S; s++) {
        gb_fd_solve(uh, d->f + s * n, N, w);
        for (long i = 0; i < n; i++) {
            double e = uh[i] - d->u[s * n + i];
            acc += (long double)e * e;
        }
    }
    free(uh);
    return (double)(acc / (S * n));
}

/* ‖Ĝ − G‖_F/‖G‖_F over the interior block, Ĝ column j = probe_j / Δx (G vanishes on the boundary) */
static double green_dist(const double *Gh, const gb_xv_opts *o)
{
    long N = o->N, n = N + 1;
    double *G = malloc(sizeof(double) * n * n);
    if (!G)
        return NAN;
    gb_lin_green_matrix_eq(G, o->equation, N, o->k, 0, o->prec);
    long double num = 0, den = 0;
    for (long i = 1; i < N; i++)
        for (long j = 1; j < N; j++) {
            long double e = (long double)Gh[i * n + j] - G[i * n + j];
            num += e * e;
            den += (long double)G[i * n + j] * G[i * n + j];
        }
    free(G);
    return (double)sqrtl(num / den);
}

static int row_linear(gb_xv_matrix *X, const gb_xv_data *D, int i)
{
    long n = D->o.N + 1;
    gb_linear_data L;
    int st = gb_linear_data_init(&L, &D->train[i]);
    if (st)
        return st;
    double *W = malloc(sizeof(double) * n * n);
    if (!W) {
        gb_linear_data_clear(&L);
        return GB_ENOMEM;
    }
    gb_linear_closed_form(W, &L, NULL);
    X->train_mse[i] = X->train_loss[i] = gb_linear_mse(W, &D->train[i]);
    for (int j = 0; j < GB_XV_NSETS; j++)
        X->mse[i * GB_XV_NSETS + j] = gb_linear_mse(W, &D->test[j]);
    for (long k = 0; k < n * n; k++)   /* the probe of a linear model is W e_j: Ĝ = W / Δx */
        W[k] *= (double)D->o.N;
    X->green_dist[i] = green_dist(W, &D->o);
    free(W);
    gb_linear_data_clear(&L);
    return GB_OK;
}

static int row_fd(gb_xv_matrix *X, const gb_xv_data *D, int i)
{
    gb_stencil_t s;
    int st = gb_stencil_init(s, 2);
    if (st)
        return st;
    gb_fd_fit_opts fo;
    gb_fd_fit_opts_default(&fo);
    gb_fd_fit fit;
    st = gb_fd_fit_run(&fit, &D->train[i], s, &fo);
    gb_stencil_clear(s);
    if (st && st != GB_EMAXITER)   /* the least-squares w is set even when GD stopped early */
        return st;
    X->learned_k[i] = fit.w_ls;
    X->train_mse[i] = X->train_loss[i] = fd_solve_mse(&D->train[i], fit.w_ls);
    for (int j = 0; j < GB_XV_NSETS; j++)
        X->mse[i * GB_XV_NSETS + j] = fd_solve_mse(&D->test[j], fit.w_ls);
    X->green_dist[i] = fabs(D->o.k / fit.w_ls - 1);   /* its Ĝ is (k/w) G exactly (FD-8) */
    return GB_OK;
}

static void nn_setup(gb_nn_arch *a, gb_train_opts *t, gb_xv_model model, const gb_xv_opts *o)
{
    gb_nn_arch_default(a, (gb_nn_class)model, o->N);
    a->k = o->k;
    gb_train_opts_default(t, (gb_nn_class)model);
    t->seed = o->seed;
    if (model != GB_XV_PINN)
        t->samples = 0;   /* every training sample (the class default caps a run at 1000) */
    if (o->epochs > 0)
        t->epochs = o->epochs;
    if (o->batch > 0)
        t->batch = o->batch;
    t->plateau_window = o->plateau_window;
}

static int row_nn(gb_xv_matrix *X, const gb_xv_data *D, int i)
{
    gb_nn_arch a;
    gb_train_opts t;
    nn_setup(&a, &t, X->model, &D->o);
    gb_nn_model_t m;
    int st = gb_nn_model_init(m, &a, gb_train_batch(&t, &a, D->o.S), D->o.seed);
    if (st)
        return st;
    gb_train_result r;
    st = gb_train(&r, m, &D->train[i], &t, NULL, NULL);
    if (st == GB_OK || st == GB_ENONFIN) {
        /* a diverged run is scored as it stands: its NaN/Inf entries say so in the matrix */
        X->epochs[i] = r.epochs;
        X->steps[i] = r.steps;
        X->status[i] = (int)r.status;
        X->train_mse[i] = r.train_mse;
        X->train_loss[i] = r.loss;
        X->lr_final[i] = r.lr_final;
        X->halvings[i] = r.halvings;
        X->improving[i] = r.improving;
        if (X->model == GB_XV_PINN)
            X->learned_k[i] = gb_nn_learned_k(m);
        for (int j = 0; j < GB_XV_NSETS; j++) {
            double mse;
            X->mse[i * GB_XV_NSETS + j] = gb_nn_mse(&mse, m, &D->test[j]) ? NAN : mse;
        }
        long n = D->o.N + 1;
        double *Gh = malloc(sizeof(double) * n * n);
        X->green_dist[i] = Gh && !gb_nn_green(Gh, m, GB_XV_PROBE_ALPHA, D->o.k) ? green_dist(Gh, &D->o)
                                                                                : NAN;
        free(Gh);
        st = GB_OK;
    }
    gb_train_result_clear(&r);
    gb_nn_model_clear(m);
    return st;
}

void gb_xv_fill_u2(gb_xv_matrix *X, const gb_xv_data *D)
{
    for (int j = 0; j < GB_XV_NSETS; j++) {
        const gb_dataset_struct *d = &D->test[j];
        long m = d->spec.S * (d->spec.N + 1);
        long double acc = 0;
        for (long k = 0; k < m; k++)
            acc += (long double)d->u[k] * d->u[k];
        X->u2[j] = (double)(acc / m);
    }
}

int gb_xv_row(gb_xv_matrix *X, const gb_xv_data *D, int i)
{
    gb_xv_fill_u2(X, D);   /* cheap beside any model; makes a lone row's R well defined */
    return gb_xv_row_only(X, D, i);
}

int gb_xv_row_only(gb_xv_matrix *X, const gb_xv_data *D, int i)
{
    X->learned_k[i] = 0;
    X->epochs[i] = X->steps[i] = 0;
    X->status[i] = X->halvings[i] = 0;
    X->improving[i] = -1;
    X->train_loss[i] = X->lr_final[i] = X->green_dist[i] = NAN;
    switch (X->model) {
    case GB_XV_LINEAR: return row_linear(X, D, i);
    case GB_XV_FD: return row_fd(X, D, i);
    default: return row_nn(X, D, i);
    }
}

void gb_xv_describe(gb_xv_matrix *X, const gb_xv_opts *o)
{
    if (X->model == GB_XV_LINEAR) {
        snprintf(X->arch, sizeof X->arch, "linear u = W f, W ∈ R^{%ld×%ld}, W⁰ = 0", o->N + 1, o->N + 1);
        snprintf(X->train, sizeof X->train, "least squares W* = U F⁺ (SVD, rank tolerance max(S,n)·ε·σ_max): "
                                            "the gradient-descent limit of Theorem 3.2");
    } else if (X->model == GB_XV_FD) {
        snprintf(X->arch, sizeof X->arch, "−w FD_2(u) = f, one scalar w; predicts by solving its own equation (Dirichlet)");
        snprintf(X->train, sizeof X->train, "least squares over every sample and node i = 1..N−1 (SPEC §4)");
    } else {
        gb_nn_arch a;
        gb_train_opts t;
        nn_setup(&a, &t, X->model, o);
        gb_nn_arch_describe(X->arch, sizeof X->arch, &a);
        if (t.plateau_window > 0)
            snprintf(X->train, sizeof X->train, "%s, lr₀ %g, batch %ld, to the plateau (window %ld epochs, %d halvings, "
                     "gain %g) or the cap of %ld epochs, weight decay %g, init seed %lu", gb_opt_name(t.opt), t.lr,
                     gb_train_batch(&t, &a, o->S), t.plateau_window, t.plateau_halvings, t.plateau_gain, t.epochs,
                     t.weight_decay, o->seed);
        else
            snprintf(X->train, sizeof X->train, "%s, lr %g, batch %ld, %ld epochs, weight decay %g, init seed %lu",
                     gb_opt_name(t.opt), t.lr, gb_train_batch(&t, &a, o->S), t.epochs, t.weight_decay, o->seed);
    }
    if (o->equation == GB_EQ_BIHARMONIC)   /* (Poisson's descriptions, and so the full tier's keys, unchanged) */
        snprintf(X->arch + strlen(X->arch), sizeof X->arch - strlen(X->arch),
                 "; data of the simply supported biharmonic k u'''' = f (SPEC §11)");
}

#ifdef GB_MPI
static void reduce_to_root(void *buf, int count, MPI_Datatype type, int rank)
{
    MPI_Reduce(rank == 0 ? MPI_IN_PLACE : buf, buf, count, type, MPI_SUM, 0, MPI_COMM_WORLD);
}
#endif

int gb_xv_run(gb_xv_matrix *X, gb_xv_model model, const gb_xv_data *D)
{
    memset(X, 0, sizeof *X);
    X->model = model;
    snprintf(X->name, sizeof X->name, "%s", gb_xv_model_name(model));
    X->N = D->o.N;
    X->S = D->o.S;
    gb_xv_describe(X, &D->o);
    int rank = 0, size = 1, st = GB_OK;
#ifdef GB_MPI
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
#endif
    gb_xv_fill_u2(X, D);   /* on every rank (all hold the data), so it is not summed below */
    for (int i = rank; i < GB_XV_NSETS && st == GB_OK; i += size) {
        st = gb_xv_row(X, D, i);
        if (D->o.progress && st == GB_OK)
            fprintf(stderr, "  xval %s: row %2d/25 (train %s) done%s, train MSE %.2e\n", gb_xv_model_name(model),
                    i + 1, gb_xv_label(i), size > 1 ? " on this rank" : "", X->train_mse[i]);
    }
#ifdef GB_MPI
    /* rows are disjoint and every other entry is +0, so the sums are exact copies */
    reduce_to_root(X->mse, GB_XV_NSETS * GB_XV_NSETS, MPI_DOUBLE, rank);
    reduce_to_root(X->train_mse, GB_XV_NSETS, MPI_DOUBLE, rank);
    reduce_to_root(X->learned_k, GB_XV_NSETS, MPI_DOUBLE, rank);
    reduce_to_root(X->epochs, GB_XV_NSETS, MPI_LONG, rank);
    reduce_to_root(X->status, GB_XV_NSETS, MPI_INT, rank);
    reduce_to_root(X->steps, GB_XV_NSETS, MPI_LONG, rank);
    reduce_to_root(X->train_loss, GB_XV_NSETS, MPI_DOUBLE, rank);
    reduce_to_root(X->lr_final, GB_XV_NSETS, MPI_DOUBLE, rank);
    reduce_to_root(X->halvings, GB_XV_NSETS, MPI_INT, rank);
    reduce_to_root(X->improving, GB_XV_NSETS, MPI_INT, rank);
    reduce_to_root(X->green_dist, GB_XV_NSETS, MPI_DOUBLE, rank);
    int all = st;
    MPI_Allreduce(&st, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    st = all;
#endif
    if (!gb_xv_model_is_physical(model))   /* no coefficient: kept +0 through the sums, shown as NaN */
        for (int i = 0; i < GB_XV_NSETS; i++)
            X->learned_k[i] = NAN;
    return st;
}

/* ---------------------------------------------------------------------------------------------- */
/* blocks */

static const char *block_names[GB_XV_NBLOCKS] = {"diagonal", "in-family lower triangle", "in-family upper triangle",
                                                 "cross-family", "fem row", "fem column"};

const char *gb_xv_block_name(gb_xv_block b) { return b < GB_XV_NBLOCKS ? block_names[b] : "?"; }

int gb_xv_in_block(gb_xv_block b, int i, int j, int f)
{
    int fi = i < 24 ? i / 8 : 3, fj = j < 24 ? j / 8 : 3;
    switch (b) {
    case GB_XV_DIAG: return i == j && (f < 0 || fi == f);
    case GB_XV_LOWER: return fi == fj && fi < 3 && i > j && (f < 0 || fi == f);
    case GB_XV_UPPER: return fi == fj && fi < 3 && i < j && (f < 0 || fi == f);
    case GB_XV_CROSS: return fi < 3 && fj < 3 && fi != fj;
    case GB_XV_FEM_ROW: return fi == 3;
    case GB_XV_FEM_COL: return fj == 3;
    default: return 0;
    }
}

double gb_xv_log10(double mse) { return isnan(mse) ? INFINITY : log10(mse > 1e-300 ? mse : 1e-300); }

void gb_xv_block_stats(gb_xv_stats *s, const gb_xv_matrix *X, gb_xv_block b, int family)
{
    double v[GB_XV_NSETS * GB_XV_NSETS];
    long n = 0;
    for (int i = 0; i < GB_XV_NSETS; i++)
        for (int j = 0; j < GB_XV_NSETS; j++)
            if (gb_xv_in_block(b, i, j, family))
                v[n++] = gb_xv_log10(X->mse[i * GB_XV_NSETS + j]);
    memset(s, 0, sizeof *s);
    s->count = n;
    if (!n) {
        s->median = s->mean = s->min = s->max = NAN;
        return;
    }
    s->median = gb_stats_median(v, n);
    double sum = 0;
    for (long k = 0; k < n; k++)
        sum += v[k];
    s->mean = sum / n;
    s->min = v[0];
    s->max = v[n - 1];
}

double gb_xv_row_max(const gb_xv_matrix *X, int i)
{
    double mx = -INFINITY;
    for (int j = 0; j < GB_XV_NSETS; j++)
        mx = fmax(mx, gb_xv_log10(X->mse[i * GB_XV_NSETS + j]));
    return mx;
}

/* ---------------------------------------------------------------------------------------------- */
/* the relative measure and its contrasts (SPEC §8) */

double gb_xv_rel(const gb_xv_matrix *X, int i, int j) { return X->mse[i * GB_XV_NSETS + j] / X->u2[j]; }

double gb_xv_L(const gb_xv_matrix *X, int i, int j)
{
    double r = gb_xv_rel(X, i, j);
    if (isnan(r))
        return INFINITY;
    double l = log10(r);   /* r = 0 gives −Inf, clamped like any round-off */
    return l > GB_XV_LFLOOR ? l : GB_XV_LFLOOR;
}

static const char *contrast_names[GB_XV_NCONTRASTS] = {"D", "U", "X"};
static const char *family_names[3] = {"poly", "cos", "sin"};

const char *gb_xv_contrast_name(gb_xv_contrast k) { return k < GB_XV_NCONTRASTS ? contrast_names[k] : "?"; }

int gb_xv_contrast_defined(gb_xv_contrast k, int i)
{
    if (i < 0 || i >= 24)
        return 0;
    int p = i % 8 + 1;
    return k == GB_XV_D ? p >= 2 : k == GB_XV_U ? p <= 7 : k == GB_XV_X;
}

/* mean L of row i over columns [j0, j1) and [j2, j3), summed in column order */
static double mean_cols(const gb_xv_matrix *X, int i, int j0, int j1, int j2, int j3)
{
    long double acc = 0;
    int n = 0;
    for (int j = j0; j < j1; j++, n++)
        acc += gb_xv_L(X, i, j);
    for (int j = j2; j < j3; j++, n++)
        acc += gb_xv_L(X, i, j);
    return n ? (double)(acc / n) : NAN;
}

double gb_xv_contrast_row(const gb_xv_matrix *X, gb_xv_contrast k, int i)
{
    if (!gb_xv_contrast_defined(k, i))
        return NAN;
    int a = 8 * (i / 8);   /* first column of the row's family; i = a + p − 1 */
    double span = mean_cols(X, i, a, i + 1, 0, 0);   /* lower ∪ diag */
    switch (k) {
    case GB_XV_D: return gb_xv_L(X, i, i) - mean_cols(X, i, a, i, 0, 0);
    case GB_XV_U: return mean_cols(X, i, i + 1, a + 8, 0, 0) - span;
    case GB_XV_X: return mean_cols(X, i, 0, a, a + 8, GB_XV_NSETS) - span;   /* the fem column is cross */
    default: return NAN;
    }
}

double gb_xv_contrast_family(const gb_xv_matrix *X, gb_xv_contrast k, int family)
{
    if (family < 0 || family > 2 || k >= GB_XV_NCONTRASTS)
        return NAN;
    long double acc = 0;
    int n = 0;
    for (int i = 8 * family; i < 8 * family + 8; i++)
        if (gb_xv_contrast_defined(k, i)) {
            acc += gb_xv_contrast_row(X, k, i);
            n++;
        }
    return (double)(acc / n);
}

double gb_xv_row_mean_L(const gb_xv_matrix *X, int i) { return mean_cols(X, i, 0, GB_XV_NSETS, 0, 0); }

double gb_xv_fem_contrast(const gb_xv_matrix *X, int *best_other_row)
{
    int best = 0;
    double m = gb_xv_row_mean_L(X, 0);
    for (int i = 1; i < GB_XV_NSETS - 1; i++) {
        double v = gb_xv_row_mean_L(X, i);
        if (v < m) {
            m = v;
            best = i;
        }
    }
    if (best_other_row)
        *best_other_row = best;
    return gb_xv_row_mean_L(X, GB_XV_NSETS - 1) - m;
}

/* ---------------------------------------------------------------------------------------------- */
/* writers */

/* v with fmt, or NaN / Inf / −Inf */
static const char *fmt_num(char *buf, size_t len, const char *fmt, double v)
{
    if (isfinite(v))
        snprintf(buf, len, fmt, v);
    else
        snprintf(buf, len, "%s", isnan(v) ? "NaN" : v > 0 ? "Inf" : "−Inf");
    return buf;
}

void gb_xv_markdown(gb_str *b, const gb_xv_matrix *X)
{
    gb_str_printf(b, "Entries: L = log10 of the relative test MSE Σ‖ŷ − u‖² / Σ‖u‖² over the test set, clamped "
                     "below at %.0f (\"≤−12\": at the floor, round-off rather than information); rows: training "
                     "set, columns: test set.\n\n", GB_XV_LFLOOR);
    gb_str_printf(b, "| train ↓ test → |");
    for (int j = 0; j < GB_XV_NSETS; j++)
        gb_str_printf(b, " %s |", labels[j]);
    gb_str_printf(b, "\n|---|");
    for (int j = 0; j < GB_XV_NSETS; j++)
        gb_str_printf(b, "---|");
    gb_str_printf(b, "\n");
    for (int i = 0; i < GB_XV_NSETS; i++) {
        gb_str_printf(b, "| **%s** |", labels[i]);
        for (int j = 0; j < GB_XV_NSETS; j++) {
            double r = gb_xv_rel(X, i, j), l = gb_xv_L(X, i, j);
            char v[32];
            if (!isfinite(r))
                snprintf(v, sizeof v, "%s", isnan(r) ? "NaN" : "Inf");
            else if (l <= GB_XV_LFLOOR)
                snprintf(v, sizeof v, "≤−12");
            else
                snprintf(v, sizeof v, "%.1f", l);
            gb_str_printf(b, i == j ? " **%s** |" : " %s |", v);
        }
        gb_str_printf(b, "\n");
    }
    gb_str_printf(b, "\n");
}

void gb_xv_stats_markdown(gb_str *b, const gb_xv_matrix *X)
{
    gb_str_printf(b, "| block | entries | median log10 absolute MSE | mean | min | max |\n"
                     "|---|---|---|---|---|---|\n");
    for (int k = 0; k < GB_XV_NBLOCKS; k++) {
        gb_xv_stats s;
        gb_xv_block_stats(&s, X, (gb_xv_block)k, -1);
        gb_str_printf(b, "| %s | %ld | %.2f | %.2f | %.2f | %.2f |\n", block_names[k], s.count, s.median, s.mean,
                      s.min, s.max);
    }
    gb_str_printf(b, "\n");
}

void gb_xv_contrasts_markdown(gb_str *b, const gb_xv_matrix *X)
{
    char s[GB_XV_NCONTRASTS][32];
    gb_str_printf(b, "Contrasts of L (SPEC §8), means over a family's rows: D = L_ii − mean lower (p ≥ 2; < 0: "
                     "diagonal over-fit), U = mean upper − mean lower∪diag (p ≤ 7: the wall at the span's edge), "
                     "X = mean cross (other families and fem) − mean lower∪diag (the jump leaving the family).\n\n");
    gb_str_printf(b, "| family | D | U | X |\n|---|---|---|---|\n");
    for (int f = 0; f < 3; f++) {
        for (int k = 0; k < GB_XV_NCONTRASTS; k++)
            fmt_num(s[k], sizeof s[k], "%.2f", gb_xv_contrast_family(X, (gb_xv_contrast)k, f));
        gb_str_printf(b, "| %s | %s | %s | %s |\n", family_names[f], s[0], s[1], s[2]);
    }
    int best;
    double F = gb_xv_fem_contrast(X, &best);
    char fm[32], bm[32];
    fmt_num(s[0], sizeof s[0], "%+.2f", F);
    fmt_num(fm, sizeof fm, "%.2f", gb_xv_row_mean_L(X, GB_XV_NSETS - 1));
    fmt_num(bm, sizeof bm, "%.2f", gb_xv_row_mean_L(X, best));
    gb_str_printf(b, "\nF = %s: the fem row's mean L (%s) minus the smallest mean L among the other rows, %s's (%s); "
                     "F < 0 means fem training generalises best.\n\n", s[0], fm, labels[best], bm);
    gb_str_printf(b, "| train | D | U | X | row mean L |\n|---|---|---|---|---|\n");
    for (int i = 0; i < GB_XV_NSETS; i++) {
        for (int k = 0; k < GB_XV_NCONTRASTS; k++) {
            if (gb_xv_contrast_defined((gb_xv_contrast)k, i))
                fmt_num(s[k], sizeof s[k], "%.2f", gb_xv_contrast_row(X, (gb_xv_contrast)k, i));
            else
                snprintf(s[k], sizeof s[k], "—");
        }
        gb_str_printf(b, "| **%s** | %s | %s | %s | %s |\n", labels[i], s[0], s[1], s[2],
                      fmt_num(fm, sizeof fm, "%.2f", gb_xv_row_mean_L(X, i)));
    }
    gb_str_printf(b, "\n");
}

static json_t *json_num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static const char *row_status(const gb_xv_matrix *X, int i)
{
    if (X->model == GB_XV_LINEAR || X->model == GB_XV_FD)
        return "closed-form";
    if (X->model == GB_XV_NMODELS)
        return "outside";
    if (X->status[i] == GB_TRAIN_MAXEPOCH && X->improving[i] == 1)
        return "cap, still improving";
    return gb_train_status_name((gb_train_status)X->status[i]);
}

void gb_xv_training_markdown(gb_str *b, const gb_xv_matrix *X)
{
    char lr[32], tl[32], tm[32], gd[32];
    gb_str_printf(b, "| train | stopped | epochs | final rate | halvings | final training loss | training MSE | "
                     "‖Ĝ − G‖/‖G‖ |\n|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < GB_XV_NSETS; i++) {
        fmt_num(lr, sizeof lr, "%.3g", X->lr_final[i]);
        fmt_num(tl, sizeof tl, "%.3e", X->train_loss[i]);
        fmt_num(tm, sizeof tm, "%.3e", X->train_mse[i]);
        fmt_num(gd, sizeof gd, "%.3g", X->green_dist[i]);
        gb_str_printf(b, "| %s | %s | %ld | %s | %d | %s | %s | %s |\n", labels[i], row_status(X, i), X->epochs[i], lr,
                      X->halvings[i], tl, tm, gd);
    }
    gb_str_printf(b, "\n");
}

/* a 25 × 25 array of f(X, i, j) */
static json_t *json_matrix(const gb_xv_matrix *X, double (*f)(const gb_xv_matrix *, int, int))
{
    json_t *a = json_array();
    for (int i = 0; i < GB_XV_NSETS; i++) {
        json_t *r = json_array();
        for (int j = 0; j < GB_XV_NSETS; j++)
            json_array_append_new(r, json_num(f(X, i, j)));
        json_array_append_new(a, r);
    }
    return a;
}

static json_t *json_contrasts(const gb_xv_matrix *X)
{
    json_t *c = json_object(), *rows = json_object();
    for (int k = 0; k < GB_XV_NCONTRASTS; k++) {
        json_t *fam = json_object(), *r = json_array();
        for (int f = 0; f < 3; f++)
            json_object_set_new(fam, family_names[f], json_num(gb_xv_contrast_family(X, (gb_xv_contrast)k, f)));
        json_object_set_new(c, contrast_names[k], fam);
        for (int i = 0; i < GB_XV_NSETS; i++)
            json_array_append_new(r, json_num(gb_xv_contrast_row(X, (gb_xv_contrast)k, i)));
        json_object_set_new(rows, contrast_names[k], r);
    }
    int best;
    json_object_set_new(c, "F", json_num(gb_xv_fem_contrast(X, &best)));
    json_object_set_new(c, "F_best_other", json_string(labels[best]));
    json_object_set_new(c, "rows", rows);
    return c;
}

char *gb_xv_json(const gb_xv_matrix *X, const gb_xv_opts *o)
{
    json_t *js = json_object(), *rows = json_array(), *lrows = json_array(), *lab = json_array();
    json_object_set_new(js, "model", json_string(X->name));
    json_object_set_new(js, "architecture", json_string(X->arch));
    json_object_set_new(js, "training", json_string(X->train));
    json_object_set_new(js, "N", json_integer(X->N));
    json_object_set_new(js, "nodes", json_integer(X->N + 1));
    json_object_set_new(js, "samples", json_integer(X->S));
    json_object_set_new(js, "seed", json_integer((json_int_t)o->seed));
    json_object_set_new(js, "test_seed", json_integer((json_int_t)(o->seed + GB_XV_TEST_SEED)));
    json_object_set_new(js, "k", json_real(o->k));
    json_object_set_new(js, "law", json_string(o->law == GB_LAW_NORMAL ? "normal" : "uniform"));
    for (int i = 0; i < GB_XV_NSETS; i++) {
        json_array_append_new(lab, json_string(labels[i]));
        json_t *r = json_array(), *l = json_array();
        for (int j = 0; j < GB_XV_NSETS; j++) {
            double v = X->mse[i * GB_XV_NSETS + j];
            json_array_append_new(r, json_num(v));
            json_array_append_new(l, json_num(isfinite(v) ? gb_xv_log10(v) : NAN));
        }
        json_array_append_new(rows, r);
        json_array_append_new(lrows, l);
    }
    json_object_set_new(js, "labels", lab);
    json_object_set_new(js, "mse", rows);
    json_object_set_new(js, "log10_mse", lrows);
    json_t *u2 = json_array();
    for (int j = 0; j < GB_XV_NSETS; j++)
        json_array_append_new(u2, json_num(X->u2[j]));
    json_object_set_new(js, "u2", u2);
    json_object_set_new(js, "rel_mse", json_matrix(X, gb_xv_rel));
    json_object_set_new(js, "L", json_matrix(X, gb_xv_L));
    json_object_set_new(js, "L_floor", json_real(GB_XV_LFLOOR));
    json_object_set_new(js, "contrasts", json_contrasts(X));
    json_t *tm = json_array(), *kk = json_array(), *ep = json_array(), *stt = json_array();
    for (int i = 0; i < GB_XV_NSETS; i++) {
        json_array_append_new(tm, json_num(X->train_mse[i]));
        json_array_append_new(kk, json_num(X->learned_k[i]));
        json_array_append_new(ep, json_integer(X->epochs[i]));
        json_array_append_new(stt, json_string(row_status(X, i)));
    }
    json_t *tl = json_array(), *lr = json_array(), *hv = json_array(), *gd = json_array();
    for (int i = 0; i < GB_XV_NSETS; i++) {
        json_array_append_new(tl, json_num(X->train_loss[i]));
        json_array_append_new(lr, json_num(X->lr_final[i]));
        json_array_append_new(hv, json_integer(X->halvings[i]));
        json_array_append_new(gd, json_num(X->green_dist[i]));
    }
    json_object_set_new(js, "train_loss", tl);
    json_object_set_new(js, "lr_final", lr);
    json_object_set_new(js, "halvings", hv);
    json_object_set_new(js, "green_dist", gd);
    json_object_set_new(js, "train_mse", tm);
    json_object_set_new(js, "learned_k", kk);
    json_object_set_new(js, "epochs", ep);
    json_object_set_new(js, "status", stt);
    json_t *bl = json_object();
    for (int k = 0; k < GB_XV_NBLOCKS; k++) {
        gb_xv_stats s;
        gb_xv_block_stats(&s, X, (gb_xv_block)k, -1);
        json_t *e = json_object();
        json_object_set_new(e, "entries", json_integer(s.count));
        json_object_set_new(e, "median_log10", json_num(s.median));
        json_object_set_new(e, "mean_log10", json_num(s.mean));
        json_object_set_new(e, "min_log10", json_num(s.min));
        json_object_set_new(e, "max_log10", json_num(s.max));
        json_object_set_new(bl, block_names[k], e);
    }
    json_object_set_new(js, "blocks", bl);
    char *s = json_dumps(js, JSON_INDENT(1) | JSON_REAL_PRECISION(17) | JSON_PRESERVE_ORDER);
    json_decref(js);
    return s;
}

static int write_json(const gb_xv_matrix *X, const gb_xv_opts *o, const char *path)
{
    char *s = gb_xv_json(X, o);
    if (!s)
        return GB_ENOMEM;
    gb_str b = {s, strlen(s), strlen(s) + 1};
    gb_str_printf(&b, "\n");
    int st = gb_file_write_atomic(path, gb_str_get(&b), b.len);
    gb_str_clear(&b);
    return st;
}

/* the absolute MSE, or L when L is set */
static int write_csv(const gb_xv_matrix *X, int L, const char *path)
{
    gb_str b;
    gb_str_init(&b);
    gb_str_printf(&b, "train\\test");
    for (int j = 0; j < GB_XV_NSETS; j++)
        gb_str_printf(&b, ",%s", labels[j]);
    gb_str_printf(&b, "\n");
    for (int i = 0; i < GB_XV_NSETS; i++) {
        gb_str_printf(&b, "%s", labels[i]);
        for (int j = 0; j < GB_XV_NSETS; j++)
            gb_str_printf(&b, ",%.17g", L ? gb_xv_L(X, i, j) : X->mse[i * GB_XV_NSETS + j]);
        gb_str_printf(&b, "\n");
    }
    int st = gb_file_write_atomic(path, gb_str_get(&b), b.len);
    gb_str_clear(&b);
    return st;
}

void gb_xv_heatmap_fill(gb_heatmap *h, const gb_xv_matrix *X)
{
    snprintf(h->xlabel, sizeof h->xlabel, "test set");
    snprintf(h->ylabel, sizeof h->ylabel, "training set");
    h->rows = h->cols = GB_XV_NSETS;
    h->log10abs = 0;
    h->xtics = h->ytics = labels;
    /* the range fitted to the data, whole decades: a fixed one washed out every model's pattern */
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < GB_XV_NSETS; i++)
        for (int j = 0; j < GB_XV_NSETS; j++) {
            double l = gb_xv_L(X, i, j);
            h->z[i * GB_XV_NSETS + j] = l;   /* +Inf: drawn at the top of the range, labelled Inf */
            if (isfinite(l)) {
                lo = fmin(lo, l);
                hi = fmax(hi, l);
            }
        }
    if (lo > hi)   /* no finite entry */
        lo = GB_XV_LFLOOR, hi = 0;
    h->zlo = fmax(GB_XV_LFLOOR, floor(lo));
    h->zhi = ceil(hi);
    if (h->zhi <= h->zlo)
        h->zhi = h->zlo + 1;
    h->cblabel = "L = log10 relative test MSE (floor −12)";
    h->cell_labels = 1;
}

int gb_xv_write(const gb_xv_matrix *X, const gb_xv_opts *o, const char *dir)
{
    if (mkdir(dir, 0777) && errno != EEXIST)
        return GB_EIO;
    char path[4096];
    const char *name = X->name;
    int st;
    snprintf(path, sizeof path, "%s/xval-%s.csv", dir, name);
    if ((st = write_csv(X, 0, path)))
        return st;
    snprintf(path, sizeof path, "%s/xval-%s-L.csv", dir, name);
    if ((st = write_csv(X, 1, path)))
        return st;
    snprintf(path, sizeof path, "%s/xval-%s.json", dir, name);
    if ((st = write_json(X, o, path)))
        return st;
    gb_str b;
    gb_str_init(&b);
    gb_str_printf(&b, "# Function-space cross-validation: %s\n\n", name);
    gb_str_printf(&b, "- grid N = %ld (%ld nodes), S = %ld samples per set, seed %lu (test sets: seed + %lu), "
                      "k = %.17g, coefficients %s\n- architecture: %s\n- training: %s\n\n",
                  X->N, X->N + 1, X->S, o->seed, GB_XV_TEST_SEED, o->k, o->law == GB_LAW_NORMAL ? "N(0,1)" : "U(-1,1)",
                  X->arch, X->train);
    gb_str_printf(&b, "## L = log10 relative test MSE (rows: training set, columns: test set)\n\n");
    gb_xv_markdown(&b, X);
    gb_str_printf(&b, "## Contrasts\n\n");
    gb_xv_contrasts_markdown(&b, X);
    gb_str_printf(&b, "## Training, per row\n\n");
    gb_xv_training_markdown(&b, X);
    gb_str_printf(&b, "## Block statistics of log10 absolute test MSE\n\n"
                      "Absolute MSE (not divided by the test set's mean u²), as in xval-%s.csv.\n\n", name);
    gb_xv_stats_markdown(&b, X);
    gb_str_printf(&b, "![heat map](xval-%s.svg)\n", name);
    snprintf(path, sizeof path, "%s/xval-%s.md", dir, name);
    st = gb_file_write_atomic(path, gb_str_get(&b), b.len);
    gb_str_clear(&b);
    if (st)
        return st;
    gb_heatmap h;
    double z[GB_XV_NSETS * GB_XV_NSETS];
    memset(&h, 0, sizeof h);
    h.z = z;
    snprintf(h.title, sizeof h.title, "%s: L = log10 relative test MSE, N = %ld, S = %ld", X->name, X->N, X->S);
    gb_xv_heatmap_fill(&h, X);
    snprintf(path, sizeof path, "%s/xval-%s.svg", dir, name);
    if ((st = gb_heatmap_write(&h, path)))
        fprintf(stderr, "greenbound: warning: heat map %s not written (%s); is gnuplot installed?\n", path,
                gb_strerror(st));
    return GB_OK;
}
