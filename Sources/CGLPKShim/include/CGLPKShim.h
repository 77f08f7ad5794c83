#ifndef GAVEL_CGLPK_SHIM_H
#define GAVEL_CGLPK_SHIM_H
/* Placeholder: the GLPK error-trapping wrappers live here. */
int gavel_glpk_shim_version(void);
#endif
