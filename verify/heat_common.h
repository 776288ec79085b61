/* The heat-equation claims of SPEC §9 (NPDE-0, NPDE-1, NPDE-2, NPDE-3, NPDE-7) read one set-up: the heat data of
 * SPEC §9 with the run's seed and precision. */
#ifndef GB_VERIFY_HEAT_COMMON_H
#define GB_VERIFY_HEAT_COMMON_H

#include "npde/heat.h"
#include "verify.h"

static inline gb_heat_spec gb_verify_heat_spec(const gb_verify_opts *o)
{
    gb_heat_spec hs;
    gb_heat_spec_default(&hs);
    hs.seed = o->seed;
    hs.prec = o->prec;
    return hs;
}

#endif
