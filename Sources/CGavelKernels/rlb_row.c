#include "CGavelKernels.h"
#include <math.h>
#include <immintrin.h>

#pragma STDC FP_CONTRACT OFF

static long saturate(double *next, long from, long budget, double vmax) {
    for (long i = from; i <= budget; i++) next[i] = vmax;
    return from - 1;
}

/* Reference arithmetic for one budget b (also the fallback for every b). */
static inline double cell(const double *prev, long b, long a, const double *m,
                          double v1theta, double v0, double gamma) {
    double vb = prev[b];
    double acc = gamma * vb;
    for (long d = 0; d <= a; d++) {
        double inner = (v1theta + gamma * (prev[b - d] - vb)) - v0 * (double)d;
        acc += m[d] * inner;
    }
    return acc;
}

static long fill_row_scalar(const double *prev, double *next, const long *bids, long budget,
                            const double *m, double v1theta, double v0, double gamma,
                            double vmax, double tol) {
    for (long b = 1; b <= budget; b++) {
        next[b] = cell(prev, b, bids[b], m, v1theta, v0, gamma);
        if (fabs(next[b] - vmax) < tol) return saturate(next, b + 1, budget, vmax) ;
    }
    return budget;
}

#if defined(__x86_64__)
/* Sixteen adjacent budgets at once, four AVX2 registers; lane l sums exactly as cell(b+l). */
__attribute__((target("avx2")))
static long fill_row_avx2(const double *prev, double *next, const long *bids, long budget,
                          const double *m, double v1theta, double v0, double gamma,
                          double vmax, double tol) {
    long maxbid = 0;
    for (long b = 0; b <= budget; b++) if (bids[b] > maxbid) maxbid = bids[b];
    const int simple = (gamma == 1.0 && v0 == 0.0);
    const __m256d vtheta = _mm256_set1_pd(v1theta), vgamma = _mm256_set1_pd(gamma);
    long b = 1;
    while (b <= budget) {
        if (b > maxbid && b + 15 <= budget) {
            __m256d here[4], acc[4], lim[4];
            long mina = bids[b], maxa = bids[b];
            for (int k = 0; k < 4; k++) {
                here[k] = _mm256_loadu_pd(prev + b + 4 * k);
                acc[k] = _mm256_mul_pd(vgamma, here[k]);
                lim[k] = _mm256_set_pd((double)bids[b + 4*k + 3], (double)bids[b + 4*k + 2],
                                       (double)bids[b + 4*k + 1], (double)bids[b + 4*k]);
            }
            for (long l = 1; l < 16; l++) {
                if (bids[b + l] < mina) mina = bids[b + l];
                if (bids[b + l] > maxa) maxa = bids[b + l];
            }
            long d = 0;
            if (simple) {
                for (; d <= mina; d++) {
                    const __m256d md = _mm256_set1_pd(m[d]);
                    for (int k = 0; k < 4; k++) {
                        __m256d diff = _mm256_sub_pd(_mm256_loadu_pd(prev + b - d + 4 * k), here[k]);
                        acc[k] = _mm256_add_pd(acc[k], _mm256_mul_pd(md, _mm256_add_pd(vtheta, diff)));
                    }
                }
            } else {
                for (; d <= mina; d++) {
                    const __m256d md = _mm256_set1_pd(m[d]), vd = _mm256_set1_pd(v0 * (double)d);
                    for (int k = 0; k < 4; k++) {
                        __m256d diff = _mm256_sub_pd(_mm256_loadu_pd(prev + b - d + 4 * k), here[k]);
                        __m256d inner = _mm256_sub_pd(_mm256_add_pd(vtheta, _mm256_mul_pd(vgamma, diff)), vd);
                        acc[k] = _mm256_add_pd(acc[k], _mm256_mul_pd(md, inner));
                    }
                }
            }
            /* Lanes whose a(b) is below d add exactly 0.0 from here on: masked. */
            for (; d <= maxa; d++) {
                const __m256d md = _mm256_set1_pd(m[d]), vd = _mm256_set1_pd(v0 * (double)d);
                const __m256d dd = _mm256_set1_pd((double)d);
                for (int k = 0; k < 4; k++) {
                    __m256d diff = _mm256_sub_pd(_mm256_loadu_pd(prev + b - d + 4 * k), here[k]);
                    __m256d inner = _mm256_sub_pd(_mm256_add_pd(vtheta, _mm256_mul_pd(vgamma, diff)), vd);
                    __m256d term = _mm256_mul_pd(md, inner);
                    __m256d keep = _mm256_cmp_pd(dd, lim[k], _CMP_LE_OQ);
                    acc[k] = _mm256_add_pd(acc[k], _mm256_and_pd(term, keep));
                }
            }
            double out[16];
            for (int k = 0; k < 4; k++) _mm256_storeu_pd(out + 4 * k, acc[k]);
            for (int l = 0; l < 16; l++) {
                next[b + l] = out[l];
                if (fabs(out[l] - vmax) < tol) return saturate(next, b + l + 1, budget, vmax);
            }
            b += 16;
        } else {
            next[b] = cell(prev, b, bids[b], m, v1theta, v0, gamma);
            if (fabs(next[b] - vmax) < tol) return saturate(next, b + 1, budget, vmax);
            b += 1;
        }
    }
    return budget;
}
#endif

int gavel_kernels_have_avx2(void) {
#if defined(__x86_64__)
    return __builtin_cpu_supports("avx2") ? 1 : 0;
#else
    return 0;
#endif
}

long gavel_rlb_fill_row(const double *prev, double *next, const long *bids, long budget,
                        const double *m, double v1theta, double v0, double gamma,
                        double vmax, double tol) {
#if defined(__x86_64__)
    if (gavel_kernels_have_avx2())
        return fill_row_avx2(prev, next, bids, budget, m, v1theta, v0, gamma, vmax, tol);
#endif
    return fill_row_scalar(prev, next, bids, budget, m, v1theta, v0, gamma, vmax, tol);
}
