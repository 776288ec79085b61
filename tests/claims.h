/* Running one registered claim in a test, without writing its report. */
#ifndef GB_TESTS_CLAIMS_H
#define GB_TESTS_CLAIMS_H

#include "verify.h"

/* the verdict of claim `id` under fault kind `fault` (GB_FAULT_*, 0: none), on the quick tier if `quick` */
static inline gb_verdict gb_test_claim(const char *id, int fault, int quick)
{
    gb_verify_opts o;
    gb_verify_opts_default(&o);
    o.out = NULL;
    o.quick = quick;
    o.fault = fault;
    const gb_verify_entry *e = gb_verify_find(id);
    return e ? gb_verify_run(e, &o) : GB_ERROR;
}

#endif
