#include "xval/exchange.h"
#include "core/provenance.h"
#include "core/record.h"
#include "core/status.h"
#include "xval/npy.h"
#include "xval/npz.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void nodes(double *x, long N)
{
    for (long i = 0; i <= N; i++)
        x[i] = (double)i / (double)N;   /* correctly rounded i/N */
}

unsigned long long gb_xv_content_hash(const gb_xv_data *D)
{
    long n = D->o.N + 1, m = D->o.S * n;
    double *x = malloc(sizeof(double) * n);
    nodes(x, D->o.N);
    unsigned long long h = gb_fnv1a(GB_FNV_OFFSET, x, sizeof(double) * n);
    free(x);
    for (int i = 0; i < GB_XV_NSETS; i++) {
        h = gb_fnv1a(h, D->train[i].f, sizeof(double) * m);
        h = gb_fnv1a(h, D->train[i].u, sizeof(double) * m);
        h = gb_fnv1a(h, D->test[i].f, sizeof(double) * m);
        h = gb_fnv1a(h, D->test[i].u, sizeof(double) * m);
    }
    return h;
}

static void rm_tree(const char *dir)
{
    DIR *dp = opendir(dir);
    if (dp) {
        struct dirent *e;
        while ((e = readdir(dp))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char p[4096];
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            struct stat sb;
            if (!lstat(p, &sb) && S_ISDIR(sb.st_mode))
                rm_tree(p);
            else
                unlink(p);
        }
        closedir(dp);
    }
    rmdir(dir);
}

static mode_t current_umask(void)
{
    mode_t m = umask(0);
    umask(m);
    return m;
}

static int dir_is_empty(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return 0;
    struct dirent *e;
    int empty = 1;
    while ((e = readdir(dp)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            empty = 0;
    closedir(dp);
    return empty;
}

static json_t *manifest(const gb_xv_data *D)
{
    const gb_xv_opts *o = &D->o;
    json_t *js = json_object(), *order = json_array(), *tr = json_object(), *te = json_object();
    char h[32];
    snprintf(h, sizeof h, "%016llx", gb_xv_content_hash(D));
    json_object_set_new(js, "format", json_string(GB_XV_FORMAT));
    json_object_set_new(js, "problem", json_string("-k u''(x) = f(x) on (0,1), u(0) = u(1) = 0 (arXiv:2506.15199)"));
    json_object_set_new(js, "N", json_integer(o->N));
    json_object_set_new(js, "nodes", json_integer(o->N + 1));
    json_object_set_new(js, "samples", json_integer(o->S));
    json_object_set_new(js, "seed", json_integer((json_int_t)o->seed));
    json_object_set_new(js, "test_seed", json_integer((json_int_t)(o->seed + GB_XV_TEST_SEED)));
    json_object_set_new(js, "k", json_real(o->k));
    json_object_set_new(js, "law", json_string(o->law == GB_LAW_NORMAL ? "normal" : "uniform"));
    json_object_set_new(js, "precision_bits", json_integer(o->prec));
    for (int i = 0; i < GB_XV_NSETS; i++) {
        const char *l = gb_xv_label(i);
        json_array_append_new(order, json_string(l));
        char f[64], u[64];
        snprintf(f, sizeof f, "train/%s_f.npy", l);
        snprintf(u, sizeof u, "train/%s_u.npy", l);
        json_object_set_new(tr, l, json_pack("{s:s, s:s}", "f", f, "u", u));
        snprintf(f, sizeof f, "test/%s_f.npy", l);
        snprintf(u, sizeof u, "test/%s_u.npy", l);
        json_object_set_new(te, l, json_pack("{s:s, s:s}", "f", f, "u", u));
    }
    json_object_set_new(js, "order", order);
    json_object_set_new(js, "x", json_string("x.npy"));
    json_object_set_new(js, "train", tr);
    json_object_set_new(js, "test", te);
    json_object_set_new(js, "arrays", json_string("float64, C order, shape (samples, nodes); row s is one sample "
                                                  "on the nodes x_i = i/N, i = 0..N (u = 0 at both ends)"));
    json_object_set_new(js, "predictions",
                        json_string("pred_<train>_<test>.npy, float64, shape (samples, nodes): the model trained on "
                                    "train/<train> applied to test/<test>_f.npy; put a copy of this manifest beside "
                                    "them and run 'greenbound score --pred DIR'"));
    json_object_set_new(js, "metric", json_string("test MSE: mean over samples and nodes of (prediction - u)^2"));
    json_object_set_new(js, "content_hash", json_string(h));
    json_object_set_new(js, "provenance", gb_provenance_json());   /* the build that wrote it; not checked by score */
    json_object_set_new(js, "content_hash_rule",
                        json_string("64-bit FNV-1a over the raw little-endian doubles of x, then for each set in "
                                    "order: train f, train u, test f, test u"));
    return js;
}

int gb_xv_export(const gb_xv_data *D, const char *dir, char *msg, size_t len)
{
    struct stat sb;
    if (!stat(dir, &sb) && !(S_ISDIR(sb.st_mode) && dir_is_empty(dir)))
        return snprintf(msg, len, "%s exists and is not an empty folder", dir), GB_EINVAL;
    char tmp[4096], p[4200];
    /* a trailing slash would put the temporary folder inside the target */
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    /* mkdtemp creates a new folder or fails: nothing planted at the name is followed */
    snprintf(tmp, sizeof tmp, "%.*s.tmp.XXXXXX", (int)dl, dir);
    if (!mkdtemp(tmp)) {
        snprintf(msg, len, "cannot create a temporary folder beside %s: %s", dir, strerror(errno));
        return GB_EIO;
    }
    chmod(tmp, 0777 & ~current_umask());
    snprintf(p, sizeof p, "%s/train", tmp);
    int st = GB_OK;
    if (mkdir(p, 0777) || (snprintf(p, sizeof p, "%s/test", tmp), mkdir(p, 0777))) {
        snprintf(msg, len, "cannot create %s: %s", p, strerror(errno));
        rm_tree(tmp);
        return GB_EIO;
    }
    long n = D->o.N + 1, S = D->o.S;
    double *x = malloc(sizeof(double) * n);
    nodes(x, D->o.N);
    snprintf(p, sizeof p, "%s/x.npy", tmp);
    st = gb_npy_write(p, x, n, 0);
    free(x);
    for (int i = 0; i < GB_XV_NSETS && !st; i++)
        for (int t = 0; t < 2 && !st; t++) {
            const gb_dataset_struct *d = t ? &D->test[i] : &D->train[i];
            snprintf(p, sizeof p, "%s/%s/%s_f.npy", tmp, t ? "test" : "train", gb_xv_label(i));
            if (!(st = gb_npy_write(p, d->f, S, n))) {
                snprintf(p, sizeof p, "%s/%s/%s_u.npy", tmp, t ? "test" : "train", gb_xv_label(i));
                st = gb_npy_write(p, d->u, S, n);
            }
        }
    if (!st) {
        json_t *js = manifest(D);
        snprintf(p, sizeof p, "%s/manifest.json", tmp);
        st = json_dump_file(js, p, JSON_INDENT(2) | JSON_REAL_PRECISION(17) | JSON_PRESERVE_ORDER) ? GB_EIO : GB_OK;
        json_decref(js);
    }
    if (st) {
        snprintf(msg, len, "cannot write %s: %s", p, gb_strerror(st));
        rm_tree(tmp);
        return st;
    }
    rmdir(dir);   /* an empty folder is replaced */
    if (rename(tmp, dir)) {
        snprintf(msg, len, "cannot rename %s to %s: %s", tmp, dir, strerror(errno));
        rm_tree(tmp);
        return GB_EIO;
    }
    return GB_OK;
}

/* ---------------------------------------------------------------------------------------------- */

static int read_manifest(gb_xv_opts *o, char *hash, const char *path, char *msg, size_t len)
{
    json_error_t err;
    json_t *js = json_load_file(path, 0, &err);
    if (!js)
        return snprintf(msg, len, "%s: %s", path, access(path, R_OK) ? "missing" : err.text), GB_EINVAL;
    gb_xv_opts_default(o);
    const char *fmt = json_string_value(json_object_get(js, "format"));
    const char *law = json_string_value(json_object_get(js, "law"));
    const char *h = json_string_value(json_object_get(js, "content_hash"));
    json_t *N = json_object_get(js, "N"), *S = json_object_get(js, "samples"), *seed = json_object_get(js, "seed"),
           *k = json_object_get(js, "k"), *prec = json_object_get(js, "precision_bits");
    int st = GB_OK;
    if (!fmt || strcmp(fmt, GB_XV_FORMAT))
        st = (snprintf(msg, len, "%s: format is not %s", path, GB_XV_FORMAT), GB_EINVAL);
    else if (!json_is_integer(N) || !json_is_integer(S) || !json_is_integer(seed) || !json_is_number(k) ||
             !json_is_integer(prec) || !law || !h || strlen(h) != 16)
        st = (snprintf(msg, len, "%s: N, samples, seed, k, law, precision_bits or content_hash missing or mistyped",
                       path), GB_EINVAL);
    else {
        o->N = (long)json_integer_value(N);
        o->S = (long)json_integer_value(S);
        o->seed = (unsigned long)json_integer_value(seed);
        o->k = json_number_value(k);
        o->prec = (mpfr_prec_t)json_integer_value(prec);
        o->law = !strcmp(law, "uniform") ? GB_LAW_UNIFORM : GB_LAW_NORMAL;
        memcpy(hash, h, 17);
        char why[256];
        if (strcmp(law, "normal") && strcmp(law, "uniform"))
            st = (snprintf(msg, len, "%s: law '%s' is neither normal nor uniform", path, law), GB_EINVAL);
        else if (gb_xv_opts_check(o, why, sizeof why))
            st = (snprintf(msg, len, "%s: %s", path, why), GB_EINVAL);
    }
    json_decref(js);
    return st;
}

static int expected_pred(const char *name, int *i, int *j)
{
    char a[8], b[8];
    size_t l = strlen(name);
    if (l < 9 || strncmp(name, "pred_", 5) || strcmp(name + l - 4, ".npy"))
        return 0;
    if (sscanf(name, "pred_%7[a-z0-9]_%7[a-z0-9].npy", a, b) != 2)
        return 0;
    char back[64];
    snprintf(back, sizeof back, "pred_%s_%s.npy", a, b);
    *i = gb_xv_label_index(a);
    *j = gb_xv_label_index(b);
    return !strcmp(back, name) && *i >= 0 && *j >= 0;
}

static int score_folder(gb_xv_matrix *X, gb_xv_opts *o, const char *pred_dir, const char *name, char *msg, size_t len)
{
    char path[4200], hash[17];
    snprintf(path, sizeof path, "%s/manifest.json", pred_dir);
    int st = read_manifest(o, hash, path, msg, len);
    if (st)
        return st;
    /* every entry of the folder must be the manifest or one of the 625 predictions */
    DIR *dp = opendir(pred_dir);
    if (!dp)
        return snprintf(msg, len, "%s: cannot open the folder", pred_dir), GB_EIO;
    struct dirent *e;
    while ((e = readdir(dp))) {
        int i, j;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, "manifest.json"))
            continue;
        if (!expected_pred(e->d_name, &i, &j)) {
            snprintf(msg, len, "%s/%s: unexpected file (only manifest.json and pred_<train>_<test>.npy belong here)",
                     pred_dir, e->d_name);
            closedir(dp);
            return GB_EINVAL;
        }
    }
    closedir(dp);
    for (int i = 0; i < GB_XV_NSETS; i++)
        for (int j = 0; j < GB_XV_NSETS; j++) {
            snprintf(path, sizeof path, "%s/pred_%s_%s.npy", pred_dir, gb_xv_label(i), gb_xv_label(j));
            if (access(path, R_OK))
                return snprintf(msg, len, "%s: missing", path), GB_EINVAL;
        }
    /* the manifest is outside input: before the data sets it describes are generated, every prediction
     * must already have the shape they imply, from its header alone */
    for (int i = 0; i < GB_XV_NSETS; i++)
        for (int j = 0; j < GB_XV_NSETS; j++) {
            long r, c;
            char why[200];
            snprintf(path, sizeof path, "%s/pred_%s_%s.npy", pred_dir, gb_xv_label(i), gb_xv_label(j));
            if ((st = gb_npy_shape(path, &r, &c, why, sizeof why)))
                return snprintf(msg, len, "%s: %s", path, why), GB_EINVAL;
            if (r != o->S || c != o->N + 1)
                return snprintf(msg, len, "%s: shape (%ld, %ld), expected (%ld, %ld) = (samples, nodes)", path, r, c,
                                o->S, o->N + 1), GB_EINVAL;
        }
    gb_xv_data D;
    if ((st = gb_xv_data_init(&D, o)))
        return snprintf(msg, len, "cannot regenerate the data sets: %s", gb_strerror(st)), st;
    char have[17];
    snprintf(have, sizeof have, "%016llx", gb_xv_content_hash(&D));
    if (strcmp(have, hash)) {
        gb_xv_data_clear(&D);
        return snprintf(msg, len, "%s/manifest.json: content hash %s differs from the data these parameters generate "
                                  "(%s): the manifest does not describe this build's data sets", pred_dir, hash, have),
               GB_EINVAL;
    }
    memset(X, 0, sizeof *X);
    X->model = GB_XV_NMODELS;
    snprintf(X->name, sizeof X->name, "%s", name);
    X->N = o->N;
    X->S = o->S;
    snprintf(X->arch, sizeof X->arch, "outside model (predictions read from %s)", pred_dir);
    snprintf(X->train, sizeof X->train, "not known to the scorer");
    long n = o->N + 1;
    for (int i = 0; i < GB_XV_NSETS && !st; i++) {
        X->train_mse[i] = X->learned_k[i] = NAN;
        for (int j = 0; j < GB_XV_NSETS && !st; j++) {
            snprintf(path, sizeof path, "%s/pred_%s_%s.npy", pred_dir, gb_xv_label(i), gb_xv_label(j));
            double *a;
            long r, c;
            char why[200];
            if ((st = gb_npy_read(path, &a, &r, &c, why, sizeof why))) {
                snprintf(msg, len, "%s: %s", path, why);
                break;
            }
            if (r != o->S || c != n) {
                snprintf(msg, len, "%s: shape (%ld, %ld), expected (%ld, %ld) = (samples, nodes)", path, r, c, o->S, n);
                st = GB_EINVAL;
            } else {
                const double *u = D.test[j].u;
                long double acc = 0;
                for (long k = 0; k < r * c && !st; k++) {
                    if (!isfinite(a[k])) {
                        snprintf(msg, len, "%s: %s at sample %ld, node %ld", path, isnan(a[k]) ? "NaN" : "Inf", k / n,
                                 k % n);
                        st = GB_EINVAL;
                    }
                    double d = a[k] - u[k];
                    acc += (long double)d * d;
                }
                X->mse[i * GB_XV_NSETS + j] = (double)(acc / (long double)(r * c));
            }
            free(a);
        }
    }
    gb_xv_fill_u2(X, &D);
    gb_xv_data_clear(&D);
    return st;
}

/* copies the regular file `from` (at most 1 MiB: a manifest) to the new file `to` */
static int copy_regular(const char *from, const char *to, char *msg, size_t len)
{
    int fd = open(from, O_RDONLY | O_NONBLOCK);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode) || sb.st_size > (1 << 20)) {
        if (fd >= 0)
            close(fd);
        return snprintf(msg, len, "%s: missing, not a regular file or over 1 MiB (an .npz is scored with the "
                                  "manifest.json beside it)", from), GB_EINVAL;
    }
    char *buf = malloc((size_t)sb.st_size + 1);
    ssize_t got = buf ? read(fd, buf, (size_t)sb.st_size) : -1;
    close(fd);
    int out = got == sb.st_size ? open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644) : -1;
    int st = out >= 0 && write(out, buf, (size_t)got) == got ? GB_OK : GB_EIO;
    if (out >= 0 && close(out))
        st = GB_EIO;
    free(buf);
    if (st)
        snprintf(msg, len, "%s: cannot copy it", from);
    return st;
}

/* removes a private scratch folder of plain files */
static void remove_scratch(const char *dir)
{
    DIR *dp = opendir(dir);
    if (dp) {
        struct dirent *e;
        char f[4200];
        while ((e = readdir(dp)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(f, sizeof f, "%s/%s", dir, e->d_name);
                unlink(f);
            }
        closedir(dp);
    }
    rmdir(dir);
}

int gb_xv_score(gb_xv_matrix *X, gb_xv_opts *o, const char *pred, const char *name, char *msg, size_t len)
{
    struct stat sb;
    if (stat(pred, &sb) || !S_ISREG(sb.st_mode))
        return score_folder(X, o, pred, name, msg, len);
    /* an .npz archive: its members unpacked into a private folder beside a copy of the manifest.json that lies
     * beside the archive, then scored as a folder */
    const char *tmp = getenv("TMPDIR");
    char scratch[4096], man[4200], copy[4200];
    snprintf(scratch, sizeof scratch, "%s/gb-score.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(scratch))
        return snprintf(msg, len, "cannot make a scratch folder: %s", strerror(errno)), GB_EIO;
    const char *slash = strrchr(pred, '/');
    snprintf(man, sizeof man, "%.*smanifest.json", slash ? (int)(slash - pred + 1) : 0, pred);
    snprintf(copy, sizeof copy, "%s/manifest.json", scratch);
    int st = copy_regular(man, copy, msg, len);
    if (!st)
        st = gb_npz_extract(pred, scratch, msg, len);
    if (!st) {
        st = score_folder(X, o, scratch, name, msg, len);
        if (!st)
            snprintf(X->arch, sizeof X->arch, "outside model (predictions read from %s)", pred);
        else {   /* name the archive, not the scratch folder, in the message */
            char m2[1024];
            size_t sl = strlen(scratch);
            const char *p = strstr(msg, scratch);
            if (p) {
                snprintf(m2, sizeof m2, "%.*s%s:%s", (int)(p - msg), msg, pred, p + sl);
                snprintf(msg, len, "%s", m2);
            }
        }
    }
    remove_scratch(scratch);
    return st;
}
