/* The store of trained cross-validation rows: see store.h. */
#include "xval/store.h"
#include "core/record.h"
#include "core/status.h"
#include "core/str.h"
#include "xval/npy.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void gb_xv_result_path(char *buf, size_t len, const char *dir, const char *model, const char *row, unsigned long seed,
                       const char *key)
{
    unsigned long long h = gb_fnv1a(GB_FNV_OFFSET, key, strlen(key));
    snprintf(buf, len, "%s/%s/%s-seed%lu-%016llx.json", dir, model, row, seed, h);
}

unsigned long long gb_xv_result_checksum(const gb_xv_result *r)
{
    unsigned long long h = gb_fnv1a(GB_FNV_OFFSET, r->key, strlen(r->key));
    for (int j = 0; j < GB_XV_NSETS; j++)
        h = gb_record_hash_double(h, r->mse[j]);
    for (int j = 0; j < GB_XV_NSETS; j++)
        h = gb_record_hash_double(h, r->u2[j]);
    const double d[5] = {r->train_mse, r->train_loss, r->learned_k, r->lr_final, r->green_dist};
    for (int k = 0; k < 5; k++)
        h = gb_record_hash_double(h, d[k]);
    const long l[5] = {r->epochs, r->steps, r->status, r->halvings, r->improving};
    for (int k = 0; k < 5; k++)
        h = gb_record_hash_long(h, l[k]);
    return h;
}

int gb_xv_result_write(const gb_xv_result *r, const char *path)
{
    json_t *js = json_object(), *m = json_array(), *u = json_array();
    json_object_set_new(js, "format", json_string(GB_XV_STORE_FORMAT));
    json_object_set_new(js, "key", json_string(r->key));
    for (int j = 0; j < GB_XV_NSETS; j++) {
        json_array_append_new(m, gb_record_num(r->mse[j]));
        json_array_append_new(u, gb_record_num(r->u2[j]));
    }
    json_object_set_new(js, "test_mse", m);
    json_object_set_new(js, "test_mean_u2", u);
    json_object_set_new(js, "train_mse", gb_record_num(r->train_mse));
    json_object_set_new(js, "train_loss", gb_record_num(r->train_loss));
    json_object_set_new(js, "learned_k", gb_record_num(r->learned_k));
    json_object_set_new(js, "lr_final", gb_record_num(r->lr_final));
    json_object_set_new(js, "green_dist", gb_record_num(r->green_dist));
    json_object_set_new(js, "epochs", json_integer(r->epochs));
    json_object_set_new(js, "steps", json_integer(r->steps));
    json_object_set_new(js, "status", json_integer(r->status));
    json_object_set_new(js, "halvings", json_integer(r->halvings));
    json_object_set_new(js, "improving", json_integer(r->improving));
    char ck[24];
    snprintf(ck, sizeof ck, "%016llx", gb_xv_result_checksum(r));
    json_object_set_new(js, "checksum", json_string(ck));
    return gb_record_write(js, path, JSON_INDENT(1));
}

static int get_array(double *x, const json_t *o, const char *name)
{
    const json_t *a = json_object_get(o, name);
    if (!json_is_array(a) || json_array_size(a) != GB_XV_NSETS)
        return 0;
    for (int j = 0; j < GB_XV_NSETS; j++)
        if (!gb_record_get_num(&x[j], json_array_get(a, (size_t)j)))
            return 0;
    return 1;
}

int gb_xv_result_read(gb_xv_result *r, const char *path, const char *key, char *msg, size_t len)
{
    json_t *js;
    int ls = gb_record_load(&js, path, "result", msg, len);
    if (ls)
        return ls;
    memset(r, 0, sizeof *r);
    const char *fmt = json_string_value(json_object_get(js, "format"));
    const char *k = json_string_value(json_object_get(js, "key"));
    const char *ck = json_string_value(json_object_get(js, "checksum"));
    int st = GB_OK;
    if (!fmt || strcmp(fmt, GB_XV_STORE_FORMAT))
        st = (snprintf(msg, len, "%s: not a stored training result (format '%s', expected '%s')", path,
                       fmt ? fmt : "none", GB_XV_STORE_FORMAT), GB_EINVAL);
    else if (!k || strlen(k) >= GB_XV_KEY_MAX || strcmp(k, key))
        st = (snprintf(msg, len, "%s: a result of other settings (foreign key); expected key '%s', found '%.300s'",
                       path, key, k ? k : "none"), GB_EINVAL);
    else {
        snprintf(r->key, sizeof r->key, "%s", k);
        json_t *o = js;
        int ok = get_array(r->mse, o, "test_mse") && get_array(r->u2, o, "test_mean_u2") &&
                 gb_record_get_num(&r->train_mse, json_object_get(o, "train_mse")) &&
                 gb_record_get_num(&r->train_loss, json_object_get(o, "train_loss")) &&
                 gb_record_get_num(&r->learned_k, json_object_get(o, "learned_k")) &&
                 gb_record_get_num(&r->lr_final, json_object_get(o, "lr_final")) &&
                 gb_record_get_num(&r->green_dist, json_object_get(o, "green_dist")) && gb_record_get_long(&r->epochs, o, "epochs") &&
                 gb_record_get_long(&r->steps, o, "steps") && gb_record_get_long(&r->status, o, "status") &&
                 gb_record_get_long(&r->halvings, o, "halvings") && gb_record_get_long(&r->improving, o, "improving");
        char want[24];
        snprintf(want, sizeof want, "%016llx", gb_xv_result_checksum(r));
        if (!ok)
            st = (snprintf(msg, len, "%s: corrupt stored result (a field is missing or has the wrong shape)", path),
                  GB_EINVAL);
        else if (!ck || strcmp(ck, want))
            st = (snprintf(msg, len, "%s: corrupt stored result (checksum %s, the numbers give %s)", path,
                           ck ? ck : "missing", want), GB_EINVAL);
    }
    json_decref(js);
    return st;
}
