/* Loops over independent lanes, compiled once per vector width and picked at load time. The build is
 * ISO C (-std=c11), so the compiler contracts no a*b + c into a fused multiply-add, and fma() is
 * correctly rounded everywhere: every clone performs the same IEEE operations per lane, so results
 * never depend on the clone (or the CPU). */
#ifndef GB_CORE_SIMD_H
#define GB_CORE_SIMD_H

#define GB_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))

#endif
