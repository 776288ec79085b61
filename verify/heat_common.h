/* The heat-equation claims of SPEC §9 (NPDE-0, NPDE-1, NPDE-2, NPDE-3, NPDE-7) read one set-up: the heat data of
 * SPEC §9 with the run's seed and precision, and its snapshots; NPDE-1, 3 and 7 read one closed form, ν̂/ν. */
#ifndef GB_VERIFY_HEAT_COMMON_H
#define GB_VERIFY_HEAT_COMMON_H

#include "core/status.h"
#include "npde/heat.h"
#include "verify.h"
#include <stdlib.h>

static inline gb_heat_spec gb_verify_heat_spec(const gb_verify_opts *o)
{
    gb_heat_spec hs;
    gb_heat_spec_default(&hs);
    hs.seed = o->seed;
    hs.prec = o->prec;
    return hs;
}

/* hs's J snapshots of the data scheme p in a new J × N array (the caller frees it); NULL with *st set when
 * memory or the solver fails */
static inline double *gb_verify_heat_data(const gb_heat_spec *hs, int p, int *st)
{
    double *U = malloc(sizeof(double) * hs->J * hs->N);
    *st = U ? gb_heat_snapshots(U, hs, p) : GB_ENOMEM;
    if (*st) {
        free(U);
        return NULL;
    }
    return U;
}

/* the data scheme p and model scheme k of NPDE-1's closed form ν̂/ν on hs */
typedef struct {
    const gb_heat_spec *hs;
    int p, k;
} gb_verify_heat_nu_arg;

/* NPDE-1's closed form ν̂/ν − 1 (arg a gb_verify_heat_nu_arg), formed in MPFR at the precision of r; for
 * gb_verify_dual */
static inline int gb_verify_heat_nu_gap(mpfr_t r, const void *arg)
{
    const gb_verify_heat_nu_arg *a = arg;
    int st = gb_heat_pred_nu_ratio(r, a->hs, a->p, a->k);
    mpfr_sub_ui(r, r, 1, MPFR_RNDN);
    return st;
}

#endif
