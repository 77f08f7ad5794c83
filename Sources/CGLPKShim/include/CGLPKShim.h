#ifndef GAVEL_CGLPK_SHIM_H
#define GAVEL_CGLPK_SHIM_H

/*
 * Error-trapping wrappers around GLPK.
 *
 * GLPK reports invalid calls and internal failures through xerror(), which prints
 * a message and calls abort(). Every wrapper below installs glp_error_hook with a
 * jmp_buf, calls GLPK, and if the hook fires longjmps back, calls glp_free_env()
 * (the only safe continuation: the environment, and every glp_prob in it, is then
 * in an undefined state) and returns GAVEL_GLP_TRAPPED. After a trapped call the
 * glp_prob passed in no longer exists and must not be used or deleted.
 *
 * All terminal output is routed through a term hook that records the tail of the
 * text in the trap record (so a trapped error carries GLPK's own message) and
 * suppresses it unless `echo` is set.
 *
 * The environment is per thread when GLPK is built with thread-local storage
 * (Debian/Homebrew GLPK 5 are). gavel_glp_enter/leave serialise callers only when
 * it is not, because glp_free_env would then destroy other threads' problems.
 */

#include <glpk.h>

/* Returned instead of a GLPK code when xerror fired; GLPK's own codes are >= 0. */
#define GAVEL_GLP_TRAPPED (-7001)

#define GAVEL_GLP_MESSAGE_CAPACITY 1024

typedef struct gavel_glp_trap {
    /* In: nonzero lets GLPK's terminal output through (it is always recorded). */
    int echo;
    /* Out: NUL-terminated tail of GLPK's terminal output. */
    int length;
    char message[GAVEL_GLP_MESSAGE_CAPACITY];
} gavel_glp_trap;

/* Serialise GLPK use across threads if (and only if) the GLPK build lacks TLS. */
void gavel_glp_enter(void);
void gavel_glp_leave(void);
/* 1 if this GLPK build keeps its environment in thread-local storage. */
int gavel_glp_has_thread_local_env(void);

/* Creates an empty problem; NULL when trapped. */
glp_prob *gavel_glp_create(gavel_glp_trap *trap, int maximize, double objective_constant);

/*
 * Adds `count` columns. Bounds may be +-HUGE_VAL (mapped to GLP_FR/LO/UP/DB/FX);
 * `integer[j]` nonzero marks GLP_IV. Arrays are 0-based.
 */
int gavel_glp_add_columns(glp_prob *P, gavel_glp_trap *trap, int count,
                          const double *lower, const double *upper,
                          const double *objective, const unsigned char *integer);

/* Adds `count` rows with bounds as for columns. Arrays are 0-based. */
int gavel_glp_add_rows(glp_prob *P, gavel_glp_trap *trap, int count,
                       const double *lower, const double *upper);

/* glp_load_matrix: ia/ja/ar are 1-based (element 0 unused), `count` entries. */
int gavel_glp_load_matrix(glp_prob *P, gavel_glp_trap *trap, int count,
                          const int *ia, const int *ja, const double *ar);

/* Sets every objective coefficient (not the constant) to zero. */
/* Appends count columns with their matrix entries (column-major: column k has
 * rows[starts[k] .. starts[k+1]) 0-based); the existing basis is kept. */
int gavel_glp_append_columns(glp_prob *P, gavel_glp_trap *trap, int count,
                             const double *lower, const double *upper, const double *objective,
                             const int *starts, const int *rows, const double *values);

int gavel_glp_zero_objective(glp_prob *P, gavel_glp_trap *trap);

/* glp_simplex; `standard_basis` nonzero first resets to the all-slack basis. */
int gavel_glp_simplex(glp_prob *P, gavel_glp_trap *trap, const glp_smcp *parm,
                      int standard_basis);
int gavel_glp_interior(glp_prob *P, gavel_glp_trap *trap, const glp_iptcp *parm);
int gavel_glp_intopt(glp_prob *P, gavel_glp_trap *trap, const glp_iocp *parm);

/* Statuses: glp_get_status/glp_get_prim_stat/glp_get_dual_stat, glp_ipt_status, glp_mip_status. */
int gavel_glp_basic_status(glp_prob *P, gavel_glp_trap *trap,
                           int *status, int *primal, int *dual);
int gavel_glp_interior_status(glp_prob *P, gavel_glp_trap *trap, int *status);
int gavel_glp_mip_status(glp_prob *P, gavel_glp_trap *trap, int *status);

/*
 * Copy solution values into 0-based arrays sized by the column/row counts.
 * `which`: 0 basic (simplex), 1 interior point, 2 MIP. Dual arrays may be NULL
 * and are ignored for MIP.
 */
int gavel_glp_read_solution(glp_prob *P, gavel_glp_trap *trap, int which,
                            double *objective,
                            double *column_values, double *reduced_costs,
                            double *row_activities, double *row_duals);

/* glp_delete_prob, trapped for uniformity. */
int gavel_glp_delete(glp_prob *P, gavel_glp_trap *trap);

/*
 * Testing aid: makes a deliberately invalid GLPK call (a column index out of range)
 * on a fresh problem so the trap path can be exercised. Returns GAVEL_GLP_TRAPPED.
 */
int gavel_glp_trigger_error_for_testing(gavel_glp_trap *trap);

#endif
