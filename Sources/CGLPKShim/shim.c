#include "CGLPKShim.h"

#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <string.h>

/* ---- Trapping ------------------------------------------------------------- */

typedef struct frame {
    jmp_buf jump;
    gavel_glp_trap *trap;
} frame;

static int term_hook(void *info, const char *text) {
    gavel_glp_trap *trap = info;
    size_t add = strlen(text);
    size_t cap = GAVEL_GLP_MESSAGE_CAPACITY - 1;
    size_t have = (size_t)trap->length;
    if (add >= cap) {
        memcpy(trap->message, text + (add - cap), cap);
        have = cap;
    } else {
        if (have + add > cap) {
            /* Keep the tail: an error message is the last thing GLPK prints. */
            size_t drop = have + add - cap;
            memmove(trap->message, trap->message + drop, have - drop);
            have -= drop;
        }
        memcpy(trap->message + have, text, add);
        have += add;
    }
    trap->message[have] = '\0';
    trap->length = (int)have;
    return trap->echo ? 0 : 1; /* nonzero suppresses GLPK's own output */
}

static void error_hook(void *info) {
    frame *f = info;
    longjmp(f->jump, 1);
}

static void arm(frame *f) {
    glp_term_hook(term_hook, f->trap);
    glp_term_out(f->trap->echo ? GLP_ON : GLP_OFF);
    glp_error_hook(error_hook, f);
}

static void disarm(void) {
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
}

/*
 * Must be a macro: setjmp has to run in the frame of the wrapper that stays live
 * during the GLPK call. `f` is not modified after setjmp, so it need not be volatile.
 */
#define GAVEL_TRAP(f, trap_ptr, trapped_result)          \
    frame f;                                             \
    f.trap = (trap_ptr);                                 \
    if (setjmp(f.jump) != 0) {                           \
        glp_free_env();                                  \
        return (trapped_result);                         \
    }                                                    \
    arm(&f)

/* ---- Thread policy -------------------------------------------------------- */

static pthread_once_t tls_once = PTHREAD_ONCE_INIT;
static int tls_available = 0;
static pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;

static void detect_tls(void) { tls_available = glp_config("TLS") != NULL; }

int gavel_glp_has_thread_local_env(void) {
    pthread_once(&tls_once, detect_tls);
    return tls_available;
}

void gavel_glp_enter(void) {
    if (!gavel_glp_has_thread_local_env()) pthread_mutex_lock(&global_lock);
}

void gavel_glp_leave(void) {
    if (!gavel_glp_has_thread_local_env()) pthread_mutex_unlock(&global_lock);
}

/* ---- Problem construction ------------------------------------------------- */

static int bound_type(double lower, double upper) {
    int has_lower = !isinf(lower), has_upper = !isinf(upper);
    if (has_lower && has_upper) return lower == upper ? GLP_FX : GLP_DB;
    if (has_lower) return GLP_LO;
    if (has_upper) return GLP_UP;
    return GLP_FR;
}

glp_prob *gavel_glp_create(gavel_glp_trap *trap, int maximize, double objective_constant) {
    GAVEL_TRAP(f, trap, NULL);
    glp_prob *P = glp_create_prob();
    glp_set_obj_dir(P, maximize ? GLP_MAX : GLP_MIN);
    glp_set_obj_coef(P, 0, objective_constant);
    disarm();
    return P;
}

int gavel_glp_add_columns(glp_prob *P, gavel_glp_trap *trap, int count,
                          const double *lower, const double *upper,
                          const double *objective, const unsigned char *integer) {
    GAVEL_TRAP(f, trap, GAVEL_GLP_TRAPPED);
    if (count > 0) {
        int first = glp_add_cols(P, count);
        for (int k = 0; k < count; k++) {
            int j = first + k;
            glp_set_col_bnds(P, j, bound_type(lower[k], upper[k]), lower[k], upper[k]);
            glp_set_obj_coef(P, j, objective[k]);
            if (integer[k]) glp_set_col_kind(P, j, GLP_IV);
        }
    }
    disarm();
    return 0;
}

int gavel_glp_add_rows(glp_prob *P, gavel_glp_trap *trap, int count,
                       const double *lower, const double *upper) {
    GAVEL_TRAP(f, trap, GAVEL_GLP_TRAPPED);
    if (count > 0) {
        int first = glp_add_rows(P, count);
        for (int k = 0; k < count; k++)
            glp_set_row_bnds(P, first + k, bound_type(lower[k], upper[k]), lower[k], upper[k]);
    }
    disarm();
    return 0;
}

int gavel_glp_load_matrix(glp_prob *P, gavel_glp_trap *trap, int count,
                          const int *ia, const int *ja, const double *ar) {
    GAVEL_TRAP(f, trap, GAVEL_GLP_TRAPPED);
    glp_load_matrix(P, count, ia, ja, ar);
    disarm();
    return 0;
}

int gavel_glp_append_columns(glp_prob *P, gavel_glp_trap *trap, int count,
                             const double *lower, const double *upper, const double *objective,
                             const int *starts, const int *rows, const double *values) {
    GAVEL_TRAP(f, trap, GAVEL_GLP_TRAPPED);
    if (count > 0) {
        int first = glp_add_cols(P, count);
        int longest = 0;
        for (int k = 0; k < count; k++)
            if (starts[k + 1] - starts[k] > longest) longest = starts[k + 1] - starts[k];
        int *ind = glp_alloc(longest + 1, sizeof(int));
        double *val = glp_alloc(longest + 1, sizeof(double));
        for (int k = 0; k < count; k++) {
            int j = first + k;
            glp_set_col_bnds(P, j, bound_type(lower[k], upper[k]), lower[k], upper[k]);
            glp_set_obj_coef(P, j, objective[k]);
            int len = starts[k + 1] - starts[k];
            for (int t = 0; t < len; t++) {
                ind[t + 1] = rows[starts[k] + t] + 1;
                val[t + 1] = values[starts[k] + t];
            }
            glp_set_mat_col(P, j, len, ind, val);
        }
        glp_free(ind);
        glp_free(val);
    }
    disarm();
    return 0;
}

int gavel_glp_zero_objective(glp_prob *P, gavel_glp_trap *trap) {
    GAVEL_TRAP(f, trap, GAVEL_GLP_TRAPPED);
    int n = glp_get_num_cols(P);
    for (int j = 1; j <= n; j++) glp_set_obj_coef(P, j, 0.0);
    disarm();
    return 0;
}

/* ---- Solving -------------------------------------------------------------- */

int gavel_glp_simplex(glp_prob *P, gavel_glp_trap *trap, const glp_smcp *parm,
                      int standard_basis) {
    GAVEL_TRAP(f, trap, GAVEL_GLP_TRAPPED);
    if (standard_basis) glp_std_basis(P);
    int ret = glp_simplex(P, parm);
    disarm();
    return ret;
}

int gavel_glp_interior(glp_prob *P, gavel_glp_trap *trap, const glp_iptcp *parm) {
    GAVEL_TRAP(f, trap, GAVEL_GLP_TRAPPED);
    int ret = glp_interior(P, parm);
    disarm();
    return ret;
}

int gavel_glp_intopt(glp_prob *P, gavel_glp_trap *trap, const glp_iocp *parm) {
    GAVEL_TRAP(f, trap, GAVEL_GLP_TRAPPED);
    int ret = glp_intopt(P, parm);
    disarm();
    return ret;
}

/* ---- Results -------------------------------------------------------------- */

int gavel_glp_basic_status(glp_prob *P, gavel_glp_trap *trap,
                           int *status, int *primal, int *dual) {
    GAVEL_TRAP(f, trap, GAVEL_GLP_TRAPPED);
    *status = glp_get_status(P);
    *primal = glp_get_prim_stat(P);
    *dual = glp_get_dual_stat(P);
    disarm();
    return 0;
}

int gavel_glp_interior_status(glp_prob *P, gavel_glp_trap *trap, int *status) {
    GAVEL_TRAP(f, trap, GAVEL_GLP_TRAPPED);
    *status = glp_ipt_status(P);
    disarm();
    return 0;
}

int gavel_glp_mip_status(glp_prob *P, gavel_glp_trap *trap, int *status) {
    GAVEL_TRAP(f, trap, GAVEL_GLP_TRAPPED);
    *status = glp_mip_status(P);
    disarm();
    return 0;
}

int gavel_glp_read_solution(glp_prob *P, gavel_glp_trap *trap, int which,
                            double *objective,
                            double *column_values, double *reduced_costs,
                            double *row_activities, double *row_duals) {
    GAVEL_TRAP(f, trap, GAVEL_GLP_TRAPPED);
    int n = glp_get_num_cols(P), m = glp_get_num_rows(P);
    switch (which) {
    case 0:
        *objective = glp_get_obj_val(P);
        for (int j = 1; j <= n; j++) {
            column_values[j - 1] = glp_get_col_prim(P, j);
            if (reduced_costs) reduced_costs[j - 1] = glp_get_col_dual(P, j);
        }
        for (int i = 1; i <= m; i++) {
            row_activities[i - 1] = glp_get_row_prim(P, i);
            if (row_duals) row_duals[i - 1] = glp_get_row_dual(P, i);
        }
        break;
    case 1:
        *objective = glp_ipt_obj_val(P);
        for (int j = 1; j <= n; j++) {
            column_values[j - 1] = glp_ipt_col_prim(P, j);
            if (reduced_costs) reduced_costs[j - 1] = glp_ipt_col_dual(P, j);
        }
        for (int i = 1; i <= m; i++) {
            row_activities[i - 1] = glp_ipt_row_prim(P, i);
            if (row_duals) row_duals[i - 1] = glp_ipt_row_dual(P, i);
        }
        break;
    default:
        *objective = glp_mip_obj_val(P);
        for (int j = 1; j <= n; j++) column_values[j - 1] = glp_mip_col_val(P, j);
        for (int i = 1; i <= m; i++) row_activities[i - 1] = glp_mip_row_val(P, i);
        break;
    }
    disarm();
    return 0;
}

int gavel_glp_delete(glp_prob *P, gavel_glp_trap *trap) {
    GAVEL_TRAP(f, trap, GAVEL_GLP_TRAPPED);
    glp_delete_prob(P);
    disarm();
    return 0;
}

int gavel_glp_trigger_error_for_testing(gavel_glp_trap *trap) {
    GAVEL_TRAP(f, trap, GAVEL_GLP_TRAPPED);
    glp_prob *P = glp_create_prob();
    /* The problem has no columns, so column 1 is out of range: xerror fires. */
    glp_set_col_bnds(P, 1, GLP_LO, 0.0, 0.0);
    glp_delete_prob(P);
    disarm();
    return 0;
}
