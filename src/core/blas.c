#include "core/blas.h"
#include <cblas.h>

void gb_blas_single_thread(void)
{
    static int done;
    if (!done) {
        openblas_set_num_threads(1);
        done = 1;
    }
}

const char *gb_blas_kernels(void)
{
    const char *s = openblas_get_corename();
    return s ? s : "unknown";
}
