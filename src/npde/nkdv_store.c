/* The store of trained neural KdV models: see nkdv_store.h. */
#include "npde/nkdv_store.h"
#include "core/record.h"
#include "core/status.h"
#include "core/str.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

void gb_nkdv_store_key(char *key, size_t len, const gb_nkdv *m, double A, double c, unsigned long seed,
                       const gb_train_opts *o)
{
    const gb_kdv *k = m->k;
    char widths[128] = "";
    for (int l = 0; l <= m->phi.nl; l++)
        snprintf(widths + strlen(widths), sizeof widths - strlen(widths), "%s%ld", l ? "-" : "", m->phi.w[l]);
    snprintf(key, len,
             "%s; N=%ld; L=%.17g; omega0=%.17g; dt=%.17g; T=%.17g; data=central%d,central%d; model_dispersion=central%d; "
             "ic=-A*sin(x/c+pi),A=%.17g,c=%.17g; phi=%s,tanh,pytorch-uniform; init_seed=%lu; integrator=IF-RK4,sub=%ld; "
             "loss=one-shot-at-T; adam,lr=%.17g,weight_decay=%.17g,cap=%ld,plateau=%ld/%d/%.17g",
             GB_NKDV_STORE_FORMAT, k->N, k->L, k->omega0, k->dt, k->T, k->D1.order, k->D3.order, m->disp.order, A, c,
             widths, seed, m->sub, o->lr, o->weight_decay, o->epochs, o->plateau_window, o->plateau_halvings,
             o->plateau_gain);
}

void gb_nkdv_store_path(char *path, size_t len, const char *dir, int disp_order, unsigned long seed, const char *key)
{
    unsigned long long h = gb_fnv1a(GB_FNV_OFFSET, key, strlen(key));
    snprintf(path, len, "%s/npde6/order%d-seed%lu-%016llx.json", dir, disp_order, seed, h);
}

static unsigned long long checksum(const char *key, const gb_train_result *r, const double *theta, long np)
{
    unsigned long long h = gb_fnv1a(GB_FNV_OFFSET, key, strlen(key));
    const long l[6] = {(long)r->status, r->epochs, r->steps, (long)r->halvings, (long)r->improving, np};
    for (int i = 0; i < 6; i++)
        h = gb_record_hash_long(h, l[i]);
    const double d[3] = {r->loss, r->first_loss, r->lr_final};
    for (int i = 0; i < 3; i++)
        h = gb_record_hash_double(h, d[i]);
    for (long i = 0; i < np; i++)
        h = gb_record_hash_double(h, theta[i]);
    return h;
}

int gb_nkdv_store_write(const char *path, const char *key, const gb_train_result *r, const double *theta, long np)
{
    json_t *js = json_object(), *th = json_array();
    json_object_set_new(js, "format", json_string(GB_NKDV_STORE_FORMAT));
    json_object_set_new(js, "key", json_string(key));
    json_object_set_new(js, "status", json_integer(r->status));
    json_object_set_new(js, "epochs", json_integer(r->epochs));
    json_object_set_new(js, "steps", json_integer(r->steps));
    json_object_set_new(js, "halvings", json_integer(r->halvings));
    json_object_set_new(js, "improving", json_integer(r->improving));
    json_object_set_new(js, "loss", gb_record_num(r->loss));
    json_object_set_new(js, "first_loss", gb_record_num(r->first_loss));
    json_object_set_new(js, "lr_final", gb_record_num(r->lr_final));
    for (long i = 0; i < np; i++)
        json_array_append_new(th, gb_record_num(theta[i]));
    json_object_set_new(js, "theta", th);
    char ck[24];
    snprintf(ck, sizeof ck, "%016llx", checksum(key, r, theta, np));
    json_object_set_new(js, "checksum", json_string(ck));
    return gb_record_write(js, path, JSON_COMPACT);
}

int gb_nkdv_store_read(const char *path, const char *key, gb_train_result *r, double *theta, long np, char *msg,
                       size_t len)
{
    json_t *js;
    int ls = gb_record_load(&js, path, "model", msg, len);
    if (ls)
        return ls;
    const char *fmt = json_string_value(json_object_get(js, "format"));
    const char *k = json_string_value(json_object_get(js, "key"));
    const char *ck = json_string_value(json_object_get(js, "checksum"));
    const json_t *th = json_object_get(js, "theta");
    int st = GB_OK;
    memset(r, 0, sizeof *r);
    long status = 0, halvings = 0, improving = 0;
    if (!fmt || strcmp(fmt, GB_NKDV_STORE_FORMAT))
        st = (snprintf(msg, len, "%s: not a stored neural KdV (format '%s', expected '%s')", path, fmt ? fmt : "none",
                       GB_NKDV_STORE_FORMAT), GB_EINVAL);
    else if (!k || strcmp(k, key))
        st = (snprintf(msg, len, "%s: a model of other settings (foreign key); expected key '%s', found '%.300s'", path,
                       key, k ? k : "none"), GB_EINVAL);
    else if (!json_is_array(th) || (long)json_array_size(th) != np)
        st = (snprintf(msg, len, "%s: corrupt stored model (%ld parameters, expected %ld)", path,
                       json_is_array(th) ? (long)json_array_size(th) : -1L, np), GB_EINVAL);
    else {
        int ok = gb_record_get_long(&status, js, "status") && gb_record_get_long(&r->epochs, js, "epochs") &&
                 gb_record_get_long(&r->steps, js, "steps") && gb_record_get_long(&halvings, js, "halvings") &&
                 gb_record_get_long(&improving, js, "improving") && gb_record_get_num(&r->loss, json_object_get(js, "loss")) &&
                 gb_record_get_num(&r->first_loss, json_object_get(js, "first_loss")) &&
                 gb_record_get_num(&r->lr_final, json_object_get(js, "lr_final"));
        for (long i = 0; ok && i < np; i++)
            ok = gb_record_get_num(&theta[i], json_array_get(th, (size_t)i));
        r->status = (gb_train_status)status;
        r->halvings = (int)halvings;
        r->improving = (int)improving;
        r->train_mse = r->loss;
        char want[24];
        snprintf(want, sizeof want, "%016llx", ok ? checksum(key, r, theta, np) : 0ULL);
        if (!ok)
            st = (snprintf(msg, len, "%s: corrupt stored model (a field is missing or has the wrong shape)", path),
                  GB_EINVAL);
        else if (!ck || strcmp(ck, want))
            st = (snprintf(msg, len, "%s: corrupt stored model (checksum %s, the numbers give %s)", path,
                           ck ? ck : "missing", want), GB_EINVAL);
    }
    json_decref(js);
    return st;
}
