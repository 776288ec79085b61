/* One BLAS threading policy for the whole library. OpenBLAS's thread count is process-wide state;
 * if one module set it lazily, a result would depend on which module ran first (a claim run alone
 * would differ in its last bits from the same claim in 'make verify'). Every path into BLAS or
 * LAPACK therefore calls gb_blas_single_thread() first: gb_chain_init (networks), gb_linear_data_init
 * (the linear model and the LIN claims built on it) and the direct LAPACK solves of FD-8 and GRN-1/2. One thread, because the
 * networks slice their GEMMs over OpenMP threads themselves and two thread pools on the same
 * cores fight (see src/nn/layers.h). */
#ifndef GB_CORE_BLAS_H
#define GB_CORE_BLAS_H

void gb_blas_single_thread(void);
/* the kernel family OpenBLAS chose for this CPU (or was told to by OPENBLAS_CORETYPE) */
const char *gb_blas_kernels(void);

#endif
