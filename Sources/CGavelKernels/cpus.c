/* The CPUs this process may run on (see the header). */
#define _GNU_SOURCE
#include <sched.h>
#include "CGavelKernels.h"

int gavel_usable_cpus(void) {
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
#endif
    return 0;
}
