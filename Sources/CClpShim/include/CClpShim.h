#ifndef GAVEL_CCLP_SHIM_H
#define GAVEL_CCLP_SHIM_H

/*
 * COIN-OR Clp behind a small C API for Swift. libClp is opened with dlopen on
 * first use (not linked), so a gavel built with Clp still runs where only GLPK
 * is installed and a Clp solve reports the missing package instead of the
 * dynamic loader refusing to start the program. Every call catches C++
 * exceptions (CoinError and std::exception) and returns GAVEL_CLP_FAILED with
 * a message: Clp never unwinds into Swift and never aborts the process.
 * Each model is used by one thread at a time; distinct models are independent.
 */

#ifdef __cplusplus
extern "C" {
#endif

#define GAVEL_CLP_OK 0
#define GAVEL_CLP_FAILED (-7101)
#define GAVEL_CLP_MESSAGE_CAPACITY 512

typedef struct gavel_clp_model gavel_clp_model;

typedef struct gavel_clp_error {
    char message[GAVEL_CLP_MESSAGE_CAPACITY];
} gavel_clp_error;

/* 1 if libClp could be opened and every symbol resolved; else 0 with the reason. */
int gavel_clp_available(gavel_clp_error *error);
/* Clp's version string ("1.17.6"), or "" when unavailable. */
const char *gavel_clp_version(void);

/* Creates a model (log level 0: Clp prints nothing) and loads the program:
 * column-major matrix (starts has columns + 1 entries), infinite bounds as ±HUGE_VAL. */
gavel_clp_model *gavel_clp_create(int columns, int rows, const int *starts, const int *indices,
                                  const double *values, const double *column_lower,
                                  const double *column_upper, const double *objective,
                                  const double *row_lower, const double *row_upper,
                                  int maximize, gavel_clp_error *error);

/* Appends columns (column-major, starts has count + 1 entries). New columns
 * are nonbasic at their lower bound (upper if the lower is infinite, free if both). */
int gavel_clp_add_columns(gavel_clp_model *model, int count, const double *lower, const double *upper,
                          const double *objective, const int *starts, const int *rows,
                          const double *values, gavel_clp_error *error);

/* Replaces every objective coefficient (for the feasibility test: all zero). */
int gavel_clp_set_objective(gavel_clp_model *model, const double *objective, gavel_clp_error *error);

/* method: 0 dual simplex, 1 primal simplex, 2 barrier with crossover.
 * warm: 1 re-optimises from the model's current basis (simplex methods only),
 * 0 solves from scratch with Clp's presolve when presolve is 1.
 * seconds: CPU-time limit, <= 0 for none.
 * Out: Clp's status (0 optimal, 1 primal infeasible, 2 dual infeasible,
 * 3 stopped on iterations or time, 4 stopped on errors, 5 event), its secondary
 * status, the number of primal infeasibilities, and iterations. */
int gavel_clp_solve(gavel_clp_model *model, int method, int warm, int presolve, double seconds,
                    int *status, int *secondary, int *primal_infeasibilities, int *iterations,
                    gavel_clp_error *error);

/* Copies the current solution out (any pointer may be NULL). */
int gavel_clp_read(gavel_clp_model *model, double *objective, double *column_values,
                   double *row_activities, double *row_duals, double *reduced_costs,
                   gavel_clp_error *error);

void gavel_clp_delete(gavel_clp_model *model);

#ifdef __cplusplus
}
#endif

#endif
