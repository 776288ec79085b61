/* The store of trained neural KdV models (NPDE-6's full tier, SPEC §9 with the plateau rule of SPEC §7): one
 * JSON file per training, holding every parameter of the training as its key, the training's outcome and the
 * trained ϕ's parameters bit for bit, so that trainings of hours run once, resumably, and the claim's report
 * is rendered from them. A file is accepted only when its key equals the key asked for and its checksum
 * (core/record.h: over the key, the outcome and every parameter) matches.
 *
 *   <dir>/npde6/order<K>-seed<S>-<hash>.json     hash = FNV-1a 64 of the key */
#ifndef GB_NPDE_NKDV_STORE_H
#define GB_NPDE_NKDV_STORE_H

#include "npde/nkdv.h"

#define GB_NKDV_STORE_FORMAT "greenbound-nkdv/1"
#define GB_NKDV_KEY_MAX 1024

/* the key of training m (its problem, schemes, widths and initialisation seed) from u0 = −A sin(x/c + π) under
 * the options o (rate, cap, plateau rule) */
void gb_nkdv_store_key(char *key, size_t len, const gb_nkdv *m, double A, double c, unsigned long seed,
                       const gb_train_opts *o);
/* the file of a training: dir/npde6/order<K>-seed<S>-<hash>.json */
void gb_nkdv_store_path(char *path, size_t len, const char *dir, int disp_order, unsigned long seed, const char *key);
/* writes the outcome r and ϕ's np parameters theta under key, atomically (folders made as needed) */
int gb_nkdv_store_write(const char *path, const char *key, const gb_train_result *r, const double *theta, long np);
/* reads path into r and theta (np values): GB_ENOENT when there is no file; GB_EINVAL with msg for a file that is
 * not a stored neural KdV, holds another key, has another number of parameters or a wrong checksum */
int gb_nkdv_store_read(const char *path, const char *key, gb_train_result *r, double *theta, long np, char *msg,
                       size_t len);

#endif
