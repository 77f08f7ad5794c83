#ifndef GAVEL_KERNELS_H
#define GAVEL_KERNELS_H
#include <stdint.h>
/* Hot loops of Gavel written in C for explicit AVX2 with runtime dispatch.
   Each reproduces the arithmetic of the Swift reference exactly (no FMA, no
   reassociation): only independent sums are computed side by side. */

/* One row of the RLB value function (see GavelRTB/RLBValueFunction.swift):
   next[b] = gamma*prev[b] + sum_{d=0}^{bids[b]} m[d]*((v1theta + gamma*(prev[b-d]-prev[b])) - v0*d),
   accumulated in d order, for b = 1..budget, with the authors' early stop
   (|next[b]-vmax| < tol sets next[b+1..budget] = vmax). Returns the last b computed. */
long gavel_rlb_fill_row(const double *prev, double *next, const long *bids, long budget,
                        const double *m, double v1theta, double v0, double gamma,
                        double vmax, double tol);

/* One SHA-256 block compression (FIPS 180-4) of the 64 bytes at block into
   state, with the x86 SHA extensions; returns 0, leaving state as it was, on a
   CPU without them (the caller then compresses the block itself). */
int gavel_sha256_compress(uint32_t state[8], const uint8_t block[64]);

/* SHA-256's 64 round constants (FIPS 180-4, 4.2.2), for the rounds in Swift too. */
const uint32_t *gavel_sha256_round_constants(void);

/* How many CPUs this process may run on (its affinity mask, as Slurm or taskset
   set it); 0 when that cannot be told. */
int gavel_usable_cpus(void);

/* 1 when the AVX2 path is in use on this CPU. */
int gavel_kernels_have_avx2(void);


/* Asks the cache to start loading [start, start+count) doubles (no effect on results). */
static inline void gavel_prefetch_doubles(const double *start, long count) {
    for (long i = 0; i < count; i += 8) __builtin_prefetch(start + i, 0, 1);
}

/* Asks the cache to start loading the line holding *p, into every level (no effect on results). */
static inline void gavel_prefetch_line(const double *p) {
    __builtin_prefetch(p, 0, 3);
}
#endif
