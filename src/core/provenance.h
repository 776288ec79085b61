/* Where a result came from: the release, the commit it was built from, and the versions of the libraries it
 * ran with (OpenBLAS's kernel family included). Kept apart from the deterministic tables: a report folder gets
 * one PROVENANCE.json beside its INDEX, the export manifest one object. */
#ifndef GB_CORE_PROVENANCE_H
#define GB_CORE_PROVENANCE_H

#include <jansson.h>

/* "0.9.0" and the commit (git describe at build time; "unknown" outside a checkout) */
const char *gb_provenance_version(void);
const char *gb_provenance_commit(void);
/* {"greenbound": …, "commit": …, "mpfr": …, "gmp": …, "arb": …, "fftw": …, "gsl": …, "jansson": …,
 *  "openblas": …, "openblas_kernels": …} (a new reference) */
json_t *gb_provenance_json(void);
/* DIR/PROVENANCE.json, written atomically; GB_OK or GB_EIO */
int gb_provenance_write(const char *dir);

#endif
