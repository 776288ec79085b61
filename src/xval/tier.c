/* The tiers of SPEC §8: see tier.h. */
#include "xval/tier.h"
#include "core/status.h"
#include "core/str.h"
#include "stats/stats.h"
#include "nn/train.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#ifdef GB_MPI
#include <mpi.h>
#endif

const char *gb_tier_name(gb_tier tier) { return tier == GB_TIER_FULL ? "full tier" : "CI tier"; }

void gb_tier_spec_init(gb_tier_spec *t, gb_tier tier)
{
    memset(t, 0, sizeof *t);
    t->tier = tier;
    t->name = gb_tier_name(tier);
    t->N = 32;
    t->S = tier == GB_TIER_FULL ? 10000 : 100;
    t->S_test = tier == GB_TIER_FULL ? 1000 : 100;
    t->seeds = 5;
    t->trend_seeds = 10;
    t->seed0 = 1;
    t->k = 1.0;
    t->law = GB_LAW_NORMAL;
    t->prec = 256;
}

/* Pre-registered budgets (SPEC §7, §10): {cap of epochs, plateau window, mini-batch}.
 * Full tier: window 50 epochs (deep linear, MLP, DeepONet, PI-DeepONet; 2.5 % of the cap of 2000),
 * 5 for the FNO (cap 150: an FNO epoch at S = 10⁴ costs as much as ~20 MLP epochs), 250 for the PINN
 * (full batch of its 8 forcings, cap 10 000); batches of 256. The linear and FD models are fitted in
 * closed form. CI tier: the class default schedules at a constant rate, caps shortened. */
static const gb_tier_budget full_budget[GB_XV_NMODELS] = {
    [GB_XV_LINEAR] = {0, 0, 0},        [GB_XV_DEEPLINEAR] = {2000, 50, 256}, [GB_XV_MLP] = {2000, 50, 256},
    [GB_XV_DEEPONET] = {2000, 50, 256}, [GB_XV_FNO] = {150, 5, 256},         [GB_XV_PINN] = {10000, 250, 0},
    [GB_XV_PIDEEPONET] = {2000, 50, 256}, [GB_XV_FD] = {0, 0, 0},
};
static const gb_tier_budget ci_budget[GB_XV_NMODELS] = {
    [GB_XV_LINEAR] = {0, 0, 0},      [GB_XV_DEEPLINEAR] = {1000, 0, 0}, [GB_XV_MLP] = {1000, 0, 0},
    [GB_XV_DEEPONET] = {400, 0, 0},  [GB_XV_FNO] = {40, 0, 0},          [GB_XV_PINN] = {1500, 0, 0},
    [GB_XV_PIDEEPONET] = {300, 0, 0}, [GB_XV_FD] = {0, 0, 0},
};

gb_tier_budget gb_tier_budget_of(const gb_tier_spec *t, gb_xv_model m)
{
    gb_tier_budget none = {0, 0, 0};
    if (m >= GB_XV_NMODELS)
        return none;
    return t->tier == GB_TIER_FULL ? full_budget[m] : ci_budget[m];
}

int gb_tier_rows(const gb_tier_spec *t, gb_xv_model m)
{
    (void)t;
    return m == GB_XV_PINN ? 8 : GB_XV_NSETS;
}

int gb_tier_seeds(const gb_tier_spec *t, gb_xv_model m) { return m == GB_XV_PINN ? t->trend_seeds : t->seeds; }

gb_xv_opts gb_tier_xv_opts(const gb_tier_spec *t, gb_xv_model m, unsigned long seed)
{
    gb_xv_opts o;
    gb_xv_opts_default(&o);
    o.N = t->N;
    o.S = t->S;
    o.S_test = t->S_test;
    o.seed = seed;
    o.k = t->k;
    o.law = t->law;
    o.prec = t->prec;
    gb_tier_budget b = gb_tier_budget_of(t, m);
    o.epochs = b.cap;
    o.plateau_window = b.window;
    o.batch = b.batch;
    return o;
}

void gb_tier_key(char *buf, size_t len, const gb_tier_spec *t, gb_xv_model m, int row, unsigned long seed)
{
    gb_xv_opts o = gb_tier_xv_opts(t, m, seed);
    gb_xv_matrix *X = malloc(sizeof *X);
    if (!X) {
        snprintf(buf, len, "?");
        return;
    }
    X->model = m;
    gb_xv_describe(X, &o);
    snprintf(buf, len, "%s; model=%s; train=%s; seed=%lu; test_seed=%lu; N=%ld; S=%ld; S_test=%ld; k=%.17g; law=%s; "
             "prec=%ld; architecture=%s; fit=%s", GB_XV_STORE_FORMAT, gb_xv_model_name(m), gb_xv_label(row), seed,
             seed + GB_XV_TEST_SEED, o.N, o.S, o.S_test, o.k, o.law == GB_LAW_NORMAL ? "normal" : "uniform",
             (long)o.prec, X->arch, X->train);
    free(X);
}

/* the key of one training and the file the store keeps it in (path holds 4096 bytes) */
static void training_file(char *key, char *path, const char *dir, const gb_tier_spec *t, gb_xv_model m, int row,
                          unsigned long seed)
{
    gb_tier_key(key, GB_XV_KEY_MAX, t, m, row, seed);
    gb_xv_result_path(path, 4096, dir, gb_xv_model_name(m), gb_xv_label(row), seed, key);
}

void gb_tier_result_from_row(gb_xv_result *r, const gb_xv_matrix *X, int i)
{
    for (int j = 0; j < GB_XV_NSETS; j++) {
        r->mse[j] = X->mse[i * GB_XV_NSETS + j];
        r->u2[j] = X->u2[j];
    }
    r->train_mse = X->train_mse[i];
    r->train_loss = X->train_loss[i];
    r->learned_k = X->learned_k[i];
    r->lr_final = X->lr_final[i];
    r->green_dist = X->green_dist[i];
    r->epochs = X->epochs[i];
    r->steps = X->steps[i];
    r->status = X->status[i];
    r->halvings = X->halvings[i];
    r->improving = X->improving[i];
}

void gb_tier_row_from_result(gb_xv_matrix *X, int i, const gb_xv_result *r)
{
    for (int j = 0; j < GB_XV_NSETS; j++) {
        X->mse[i * GB_XV_NSETS + j] = r->mse[j];
        X->u2[j] = r->u2[j];
    }
    X->train_mse[i] = r->train_mse;
    X->train_loss[i] = r->train_loss;
    X->learned_k[i] = r->learned_k;
    X->lr_final[i] = r->lr_final;
    X->green_dist[i] = r->green_dist;
    X->epochs[i] = r->epochs;
    X->steps[i] = r->steps;
    X->status[i] = (int)r->status;
    X->halvings[i] = (int)r->halvings;
    X->improving[i] = (int)r->improving;
}

/* ---------------------------------------------------------------------------------------------- */

/* the data of one seed, kept for the next caller with the same options */
static gb_xv_data *seed_data(const gb_xv_opts *o)
{
    static gb_xv_data D;
    static int have;
    if (have && D.o.N == o->N && D.o.S == o->S && D.o.S_test == o->S_test && D.o.seed == o->seed && D.o.k == o->k &&
        D.o.law == o->law && D.o.prec == o->prec) {
        D.o = *o;   /* same data; the training options may differ */
        return &D;
    }
    if (have)
        gb_xv_data_clear(&D);
    have = gb_xv_data_init(&D, o) == GB_OK;
    return have ? &D : NULL;
}

static double wall(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (double)tv.tv_sec + 1e-6 * (double)tv.tv_usec;
}

/* one training into r (r->key set by the caller) */
static int train_one(gb_xv_result *r, const gb_tier_spec *t, gb_xv_model m, int row, unsigned long seed)
{
    gb_xv_opts o = gb_tier_xv_opts(t, m, seed);
    gb_xv_data *D = seed_data(&o);
    if (!D)
        return GB_ENOMEM;
    gb_xv_matrix *X = calloc(1, sizeof *X);
    if (!X)
        return GB_ENOMEM;
    X->model = m;
    X->N = o.N;
    X->S = o.S;
    int st = gb_xv_row(X, D, row);
    if (!st)
        gb_tier_result_from_row(r, X, row);
    free(X);
    return st;
}

static int mpi_rank(int *size)
{
    int rank = 0;
    *size = 1;
#ifdef GB_MPI
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
#endif
    return rank;
}

int gb_tier_run(const char *dir, const gb_tier_spec *t, const gb_xv_model *models, int nmodels, int progress,
                char *msg, size_t len)
{
    int size, rank = mpi_rank(&size), st = GB_OK;
    long task = 0, done = 0, todo = 0, total = 0;
    gb_xv_result *r = malloc(sizeof *r);
    char *path = malloc(4096);
    if (!r || !path) {
        free(r);
        free(path);
        return GB_ENOMEM;
    }
    /* first pass: the to-do list, identical on every rank, and a corrupt or foreign store refused before any
     * training; the second pass reads only this list (the store changes under it as ranks write) */
    int maxs = 0;
    for (int a = 0; a < nmodels; a++)
        maxs = gb_tier_seeds(t, models[a]) > maxs ? gb_tier_seeds(t, models[a]) : maxs;
    char *missing = calloc((size_t)(nmodels * maxs * GB_XV_NSETS) + 1, 1);
    if (!missing)
        st = GB_ENOMEM;
    for (int a = 0; a < nmodels && !st; a++)
        for (int s = 0; s < gb_tier_seeds(t, models[a]) && !st; s++)
            for (int i = 0; i < gb_tier_rows(t, models[a]) && !st; i++) {
                unsigned long seed = t->seed0 + (unsigned long)s;
                training_file(r->key, path, dir, t, models[a], i, seed);
                char key[GB_XV_KEY_MAX];
                memcpy(key, r->key, sizeof key);
                int rs = gb_xv_result_read(r, path, key, msg, len);
                total++;
                if (rs == GB_ENOENT)
                    todo++, missing[(a * maxs + s) * GB_XV_NSETS + i] = 1;
                else if (rs)
                    st = rs;
            }
#ifdef GB_MPI
    MPI_Barrier(MPI_COMM_WORLD);   /* every rank has its list before any rank writes */
#endif
    if (progress && rank == 0 && !st)
        fprintf(stderr, "%s: %ld trainings, %ld stored, %ld to run on %d rank%s\n", t->name, total, total - todo, todo,
                size, size > 1 ? "s" : "");
    /* seed by seed, so that one seed's data is generated once per rank */
    for (int s = 0; s < maxs && !st; s++)
        for (int a = 0; a < nmodels && !st; a++) {
            if (s >= gb_tier_seeds(t, models[a]))
                continue;
            for (int i = 0; i < gb_tier_rows(t, models[a]) && !st; i++) {
                unsigned long seed = t->seed0 + (unsigned long)s;
                char key[GB_XV_KEY_MAX];
                training_file(key, path, dir, t, models[a], i, seed);
                if (!missing[(a * maxs + s) * GB_XV_NSETS + i])
                    continue;   /* stored (checked above) */
                if (task++ % size != rank)
                    continue;
                memset(r, 0, sizeof *r);
                memcpy(r->key, key, sizeof key);
                double t0 = wall();
                st = train_one(r, t, models[a], i, seed);
                double dt = wall() - t0;
                if (st) {
                    snprintf(msg, len, "%s row %s seed %lu: %s", gb_xv_model_name(models[a]), gb_xv_label(i), seed,
                             gb_strerror(st));
                    break;
                }
                if ((st = gb_xv_result_write(r, path))) {
                    snprintf(msg, len, "cannot write %s: %s", path, gb_strerror(st));
                    break;
                }
                gb_tier_timing(dir, gb_xv_model_name(models[a]), gb_xv_label(i), seed, dt, r->epochs, size);
                done++;
                if (progress)
                    fprintf(stderr, "  [%ld/%ld%s] %s %s seed %lu: %s after %ld epochs, train MSE %.2e, %.1f s\n",
                            done, todo, size > 1 ? " on this rank" : "", gb_xv_model_name(models[a]), gb_xv_label(i),
                            seed, models[a] == GB_XV_LINEAR ? "closed form" : gb_train_status_name((gb_train_status)r->status),
                            r->epochs, r->train_mse, dt);
            }
        }
#ifdef GB_MPI
    int all = st;
    MPI_Allreduce(&st, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (all && !st)
        snprintf(msg, len, "another rank stopped with an error");
    st = all;
#endif
    free(missing);
    free(r);
    free(path);
    return st;
}

void gb_tier_timing(const char *dir, const char *model, const char *row, unsigned long seed, double seconds,
                    long epochs, int ranks)
{
    char tp[4200];
    snprintf(tp, sizeof tp, "%s/timings.tsv", dir);
    FILE *tf = fopen(tp, "a");
    if (tf) {
        fprintf(tf, "%s\t%s\t%lu\t%.3f\t%ld\t%ld\n", model, row, seed, seconds, epochs, (long)ranks);
        fclose(tf);
    }
}

/* the seconds of one model's trainings in timings.tsv, and their seconds per epoch */
typedef struct {
    long n, epochs, cap;
    double sum, max;
    double *sec, *per_epoch;
    long nper;
} timing_acc;

static int timing_push(timing_acc *a, double sec, long epochs)
{
    double *s = realloc(a->sec, (size_t)(a->n + 1) * sizeof *s);
    if (!s)
        return GB_ENOMEM;
    a->sec = s;
    a->sec[a->n++] = sec;
    a->sum += sec;
    a->epochs += epochs;
    a->max = sec > a->max ? sec : a->max;
    if (epochs > 0) {
        double *e = realloc(a->per_epoch, (size_t)(a->nper + 1) * sizeof *e);
        if (!e)
            return GB_ENOMEM;
        a->per_epoch = e;
        a->per_epoch[a->nper++] = sec / (double)epochs;
    }
    return GB_OK;
}

/* the trainings model m needs in tier t; for NPDE-6's models (m = GB_XV_NMODELS, defined by their claim)
 * the number it has run */
static long timing_need(const gb_tier_spec *t, int m, const timing_acc *a)
{
    return m < GB_XV_NMODELS ? (long)gb_tier_rows(t, (gb_xv_model)m) * gb_tier_seeds(t, (gb_xv_model)m) : a->n;
}

static const char *timing_name(int m)
{
    return m < GB_XV_NMODELS ? gb_xv_model_name((gb_xv_model)m) : "npde6";
}

int gb_tier_timings(const char *dir, const gb_tier_spec *t)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/timings.tsv", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return GB_ENOENT;
    timing_acc acc[GB_XV_NMODELS + 1];   /* the last: NPDE-6's neural KdV models ("npde6") */
    memset(acc, 0, sizeof acc);
    char line[512], name[64], row[16];
    unsigned long seed;
    double sec;
    long epochs, ranks;
    int st = GB_OK;
    while (!st && fgets(line, sizeof line, f))
        if (sscanf(line, "%63s %15s %lu %lf %ld %ld", name, row, &seed, &sec, &epochs, &ranks) == 6) {
            gb_xv_model m = GB_XV_NMODELS;
            if (strcmp(name, "npde6") && gb_xv_model_parse(&m, name))
                continue;
            st = timing_push(&acc[m], sec, epochs);
        }
    fclose(f);
    gb_str b;
    gb_str_init(&b);
    gb_str_printf(&b, "# Full tier: wall time per training\n\nFrom timings.tsv (one line per training as it ran; a "
                      "training rerun after an interruption counts again). Seconds are wall time of one process; "
                      "with R ranks the tier's wall time is about the total / R. Not a report: timings depend on the "
                      "machine and its load, so the projection below uses medians, which a few trainings run on a "
                      "busy machine move little.\n\n"
                      "| model | trainings | total s | mean s | median s | longest s | mean epochs | "
                      "median s per epoch | the tier needs | projected process-h |\n"
                      "|---|---|---|---|---|---|---|---|---|---|\n");
    double total = 0, projected = 0, worst = 0;
    const char *worst_name = NULL;
    for (int m = 0; m <= GB_XV_NMODELS && !st; m++)
        if (acc[m].n) {
            const char *nm = timing_name(m);
            long need = timing_need(t, m, &acc[m]);
            double med = gb_stats_median(acc[m].sec, acc[m].n);
            double proj = med * (double)need / 3600;
            gb_str_printf(&b, "| %s | %ld | %.0f | %.1f | %.1f | %.1f | %.0f | ", nm, acc[m].n, acc[m].sum,
                          acc[m].sum / acc[m].n, med, acc[m].max, (double)acc[m].epochs / acc[m].n);
            if (acc[m].nper)
                gb_str_printf(&b, "%.4f", gb_stats_median(acc[m].per_epoch, acc[m].nper));
            else
                gb_str_printf(&b, "— (closed form)");
            gb_str_printf(&b, " | %ld | %.2f |\n", need, proj);
            total += acc[m].sum;
            projected += proj;
            if (proj > worst)
                worst = proj, worst_name = nm;
        }
    gb_str_printf(&b, "\nTotal run so far: %.0f process-seconds (%.2f h; %.2f h on 2 ranks).\n", total, total / 3600,
                  total / 7200);
    /* the goal of the full tier: all of it within 4 hours on this project's 2-core machines */
    const double goal_h = 4, ranks2 = 2;
    gb_str_printf(&b, "\n## Against the goal: the whole tier within %.0f h on %.0f ranks\n\nProjected from the medians: "
                      "%.2f process-h, %.2f h on %.0f ranks. ", goal_h, ranks2, projected, projected / ranks2, ranks2);
    if (projected / ranks2 <= goal_h)
        gb_str_printf(&b, "The goal is met.\n");
    else {
        gb_str_printf(&b, "The goal is not met. A training's cost is its epochs to the plateau (or to the cap) "
                          "times its time per epoch, both in the table. Each model's share, on %.0f ranks:\n\n",
                      ranks2);
        for (int m = 0; m <= GB_XV_NMODELS; m++)
            if (acc[m].n) {
                long need = timing_need(t, m, &acc[m]);
                double med = gb_stats_median(acc[m].sec, acc[m].n), h = med * (double)need / 3600 / ranks2;
                gb_str_printf(&b, "* %s: %.2f h (%ld trainings × %.0f s, %.0f epochs on average)%s\n", timing_name(m),
                              h, need, med, (double)acc[m].epochs / acc[m].n,
                              h > goal_h ? ": alone over the goal" : "");
            }
        gb_str_printf(&b, "\nThe largest share is %s's. More ranks shorten the tier without changing a result; faster "
                          "training steps do only if they keep the arithmetic bit for bit (the stores pin it), else "
                          "the tier is rerun; a shorter cap would change the pre-registered budget.\n",
                      worst_name ? worst_name : "none");
    }
    snprintf(path, sizeof path, "%s/TIMINGS.md", dir);
    if (!st)
        st = gb_file_write_atomic(path, gb_str_get(&b), b.len);
    gb_str_clear(&b);
    for (int m = 0; m <= GB_XV_NMODELS; m++)
        free(acc[m].sec), free(acc[m].per_epoch);
    return st;
}

int gb_tier_stored(const char *dir, const gb_tier_spec *t, gb_xv_model m, unsigned long seed)
{
    char key[GB_XV_KEY_MAX], path[4096];
    int n = 0;
    for (int i = 0; i < gb_tier_rows(t, m); i++) {
        training_file(key, path, dir, t, m, i, seed);
        n += !access(path, F_OK);
    }
    return n;
}

int gb_tier_matrix(gb_xv_matrix *X, const char *dir, const gb_tier_spec *t, gb_xv_model m, unsigned long seed,
                   char *msg, size_t len)
{
    gb_xv_opts o = gb_tier_xv_opts(t, m, seed);
    memset(X, 0, sizeof *X);
    X->model = m;
    snprintf(X->name, sizeof X->name, "%s", gb_xv_model_name(m));
    X->N = o.N;
    X->S = o.S;
    gb_xv_describe(X, &o);
    int rows = gb_tier_rows(t, m);
    for (int i = 0; i < GB_XV_NSETS; i++) {   /* rows a tier does not train stay NaN */
        X->train_mse[i] = X->train_loss[i] = X->learned_k[i] = X->lr_final[i] = X->green_dist[i] = NAN;
        X->improving[i] = -1;
        for (int j = 0; j < GB_XV_NSETS; j++)
            X->mse[i * GB_XV_NSETS + j] = NAN;
    }
    if (!dir) {
        /* trained now, once per run: the claims of a tier share their trainings */
        static struct {
            char key[GB_XV_KEY_MAX];
            gb_xv_matrix *X;
        } cache[128];
        static int ncache;
        char key[GB_XV_KEY_MAX];
        gb_tier_key(key, sizeof key, t, m, 0, seed);
        for (int k = 0; k < ncache; k++)
            if (!strcmp(cache[k].key, key))
                return *X = *cache[k].X, GB_OK;
        gb_xv_data *D = seed_data(&o);
        if (!D)
            return GB_ENOMEM;
        /* the rows side by side, one training per thread: each is deterministic and independent of the
         * thread count (the nested regions of a training run in its one thread), so no bit depends on it */
        int st = GB_OK, sts[GB_XV_NSETS] = {0};
        gb_xv_fill_u2(X, D);
        #pragma omp parallel for schedule(dynamic, 1)
        for (int i = 0; i < rows; i++)
            sts[i] = gb_xv_row_only(X, D, i);
        for (int i = 0; i < rows && !st; i++)
            st = sts[i];
        if (st)
            snprintf(msg, len, "%s seed %lu: %s", gb_xv_model_name(m), seed, gb_strerror(st));
        else if (ncache < 128 && (cache[ncache].X = malloc(sizeof *X))) {
            snprintf(cache[ncache].key, GB_XV_KEY_MAX, "%s", key);
            *cache[ncache++].X = *X;
        }
        return st;
    }
    gb_xv_result *r = malloc(sizeof *r);
    char *path = malloc(4096), key[GB_XV_KEY_MAX];
    int st = r && path ? GB_OK : GB_ENOMEM, missing = 0;
    for (int i = 0; i < rows && !st; i++) {
        training_file(key, path, dir, t, m, i, seed);
        int rs = gb_xv_result_read(r, path, key, msg, len);
        if (rs == GB_ENOENT)
            missing++;
        else if (rs)
            st = rs;
        else
            gb_tier_row_from_result(X, i, r);
    }
    if (!st && missing) {
        snprintf(msg, len, "%s seed %lu: %d of %d trainings are not in %s (run 'make verify-full')",
                 gb_xv_model_name(m), seed, missing, rows, dir);
        st = GB_ENOENT;
    }
    free(r);
    free(path);
    return st;
}

/* bitwise equality, NaN equal to NaN */
static int same(double a, double b) { return (isnan(a) && isnan(b)) || !memcmp(&a, &b, sizeof a); }

int gb_tier_check(const char *dir, const gb_tier_spec *t, const gb_xv_model *models, int nmodels, int count,
                  unsigned long choice_seed, char *msg, size_t len)
{
    /* the stored trainings, in order (model, seed, row); a fixed linear congruential choice among them */
    long total = 0, nstored = 0;
    for (int a = 0; a < nmodels; a++)
        total += (long)gb_tier_seeds(t, models[a]) * gb_tier_rows(t, models[a]);
    long *stored = malloc(sizeof(long) * (size_t)(total ? total : 1));
    gb_xv_result *want = malloc(sizeof *want), *got = malloc(sizeof *got);
    char *path = malloc(4096), key[GB_XV_KEY_MAX];
    int st = stored && want && got && path ? GB_OK : GB_ENOMEM;
    long k = 0;
    for (int a = 0; a < nmodels && !st; a++)
        for (int s = 0; s < gb_tier_seeds(t, models[a]); s++)
            for (int i = 0; i < gb_tier_rows(t, models[a]); i++, k++) {
                training_file(key, path, dir, t, models[a], i, t->seed0 + (unsigned long)s);
                if (!access(path, F_OK))
                    stored[nstored++] = k;
            }
    if (!st && nstored == 0)
        fprintf(stderr, "  check: nothing stored in %s, nothing to retrain\n", dir);
    unsigned long long x = choice_seed * 6364136223846793005ULL + 1442695040888963407ULL;
    for (int c = 0; c < count && c < nstored && !st; c++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        long pick = (long)((x >> 33) % (unsigned long long)(nstored - c));
        long task = stored[pick];
        stored[pick] = stored[nstored - c - 1];   /* without repeats */
        int a = 0;
        long rest = task;
        while (rest >= (long)gb_tier_seeds(t, models[a]) * gb_tier_rows(t, models[a]))
            rest -= (long)gb_tier_seeds(t, models[a]) * gb_tier_rows(t, models[a]), a++;
        unsigned long seed = t->seed0 + (unsigned long)(rest / gb_tier_rows(t, models[a]));
        int row = (int)(rest % gb_tier_rows(t, models[a]));
        training_file(key, path, dir, t, models[a], row, seed);
        if ((st = gb_xv_result_read(want, path, key, msg, len)))
            break;
        memset(got, 0, sizeof *got);
        memcpy(got->key, key, sizeof key);
        if ((st = train_one(got, t, models[a], row, seed))) {
            snprintf(msg, len, "%s row %s seed %lu: %s", gb_xv_model_name(models[a]), gb_xv_label(row), seed,
                     gb_strerror(st));
            break;
        }
        int eq = same(got->train_mse, want->train_mse) && same(got->train_loss, want->train_loss) &&
                 same(got->learned_k, want->learned_k) && same(got->lr_final, want->lr_final) &&
                 same(got->green_dist, want->green_dist) && got->epochs == want->epochs &&
                 got->steps == want->steps && got->status == want->status && got->halvings == want->halvings &&
                 got->improving == want->improving;
        for (int j = 0; j < GB_XV_NSETS; j++)
            eq &= same(got->mse[j], want->mse[j]) && same(got->u2[j], want->u2[j]);
        if (!eq) {
            snprintf(msg, len, "%s: retrained, the numbers differ from the stored ones (train MSE %.17g stored, "
                     "%.17g now; epochs %ld, %ld): the training code's arithmetic changed, rerun 'make verify-full'",
                     path, want->train_mse, got->train_mse, want->epochs, got->epochs);
            st = GB_EINVAL;
        } else
            fprintf(stderr, "  check: %s %s seed %lu retrained, every number identical\n", gb_xv_model_name(models[a]),
                    gb_xv_label(row), seed);
    }
    free(stored);
    free(want);
    free(got);
    free(path);
    return st;
}
