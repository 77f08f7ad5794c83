#include "CGLPKShim.h"
int gavel_glpk_shim_version(void) { return 1; }
