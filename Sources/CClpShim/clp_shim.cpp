// See include/CClpShim.h. The function types come from Clp's own header (decltype),
// so a signature change in Clp is a compile error here, not a crash at run time.
#include "CClpShim.h"

#if __has_include(<coin/Clp_C_Interface.h>)
#include <coin/Clp_C_Interface.h>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <csetjmp>
#include <csignal>
#include <exception>
#include <mutex>

namespace {

#define GAVEL_CLP_SYMBOLS(X) \
    X(Clp_Version) X(Clp_newModel) X(Clp_deleteModel) X(Clp_loadProblem) X(Clp_addColumns) \
    X(Clp_setLogLevel) X(Clp_setOptimizationDirection) X(Clp_chgObjCoefficients) \
    X(Clp_setMaximumSeconds) X(Clp_dual) X(Clp_primal) X(Clp_status) X(Clp_secondaryStatus) \
    X(Clp_numberPrimalInfeasibilities) X(Clp_numberIterations) X(Clp_getObjValue) \
    X(Clp_getColSolution) X(Clp_getRowActivity) X(Clp_getRowPrice) X(Clp_getReducedCost) \
    X(Clp_numberRows) X(Clp_numberColumns) X(Clp_setColumnStatus) X(Clp_initialSolveWithOptions) \
    X(ClpSolve_new) X(ClpSolve_delete) X(ClpSolve_setSolveType) X(ClpSolve_setPresolveType)

struct Library {
#define GAVEL_DECLARE(name) decltype(&::name) name = nullptr;
    GAVEL_CLP_SYMBOLS(GAVEL_DECLARE)
#undef GAVEL_DECLARE
    bool ok = false;
    char reason[GAVEL_CLP_MESSAGE_CAPACITY] = {0};
};

Library library;
std::once_flag loaded;

void load() {
    // GAVEL_CLP_LIBRARY names the library file instead (tests use a missing one).
    const char *override = std::getenv("GAVEL_CLP_LIBRARY");
    const char *defaults[] = {"libClp.so.1", "libClp.so", "libClp.dylib", "libClp.1.dylib"};
    const char *only[] = {override};
    const char **names = override && *override ? only : defaults;
    int count = override && *override ? 1 : 4;
    void *handle = nullptr;
    char why[256] = "not found";
    for (int k = 0; k < count; k++) {
        handle = dlopen(names[k], RTLD_NOW | RTLD_LOCAL);
        if (handle) break;
        const char *e = dlerror();
        if (e && k == 0) std::snprintf(why, sizeof why, "%s", e);
    }
    if (!handle) {
        std::snprintf(library.reason, sizeof library.reason,
                      "COIN-OR Clp is not installed (%s): install the Debian package coinor-libclp-dev "
                      "(scripts/setup does), or choose lp solver glpk", why);
        return;
    }
#define GAVEL_RESOLVE(name)                                                                    \
    library.name = reinterpret_cast<decltype(&::name)>(dlsym(handle, #name));                  \
    if (!library.name) {                                                                       \
        std::snprintf(library.reason, sizeof library.reason,                                   \
                      "the installed libClp lacks %s: install coinor-libclp-dev 1.17 or later", #name); \
        return;                                                                                \
    }
    GAVEL_CLP_SYMBOLS(GAVEL_RESOLVE)
#undef GAVEL_RESOLVE
    library.ok = true;
}

void fail(gavel_clp_error *error, const char *what, const char *detail) {
    if (!error) return;
    std::snprintf(error->message, sizeof error->message, "%s: %s", what, detail);
}

double clp_bound(double x) {
    if (std::isinf(x)) return x > 0 ? DBL_MAX : -DBL_MAX;
    return x;
}

// Debian builds Clp with assert() enabled, and a few of its assertions (seen in the barrier
// on tiny degenerate programs) call abort(). While a guarded call runs on this thread, SIGABRT
// jumps back to it instead: the call fails with a message and its model is abandoned (leaked,
// never touched again). Outside guarded calls the previous SIGABRT disposition applies.
thread_local sigjmp_buf *abort_target = nullptr;
struct sigaction previous_abort;
std::once_flag abort_handler_installed;

void on_abort(int signal) {
    if (abort_target) siglongjmp(*abort_target, 1);
    sigaction(SIGABRT, &previous_abort, nullptr);
    raise(signal);
}

void install_abort_handler() {
    struct sigaction action;
    std::memset(&action, 0, sizeof action);
    action.sa_handler = on_abort;
    sigemptyset(&action.sa_mask);
    sigaction(SIGABRT, &action, &previous_abort);
}

// Runs body, turning any C++ exception (or a Clp assertion's abort) into GAVEL_CLP_FAILED with a message.
template <typename Body>
int guarded(gavel_clp_error *error, const char *what, Body body, bool *aborted = nullptr) {
    std::call_once(abort_handler_installed, install_abort_handler);
    sigjmp_buf target;
    sigjmp_buf *outer = abort_target;
    if (sigsetjmp(target, 1) != 0) {
        abort_target = outer;
        if (aborted) *aborted = true;
        fail(error, what, "Clp aborted on an internal assertion (the model was abandoned)");
        return GAVEL_CLP_FAILED;
    }
    abort_target = &target;
    struct Restore { sigjmp_buf *outer; ~Restore() { abort_target = outer; } } restore{outer};
    try {
        body();
        return GAVEL_CLP_OK;
    } catch (const std::exception &e) {
        fail(error, what, e.what());
    } catch (...) {
        // CoinError does not derive from std::exception; its text is not reachable
        // without linking CoinUtils, so the operation is named instead.
        fail(error, what, "Clp raised an internal error (CoinError)");
    }
    return GAVEL_CLP_FAILED;
}

}  // namespace

struct gavel_clp_model {
    Clp_Simplex *simplex;
    bool abandoned;
};

extern "C" int gavel_clp_available(gavel_clp_error *error) {
    std::call_once(loaded, load);
    if (!library.ok) fail(error, "Clp unavailable", library.reason);
    return library.ok ? 1 : 0;
}

extern "C" const char *gavel_clp_version(void) {
    std::call_once(loaded, load);
    return library.ok ? library.Clp_Version() : "";
}

extern "C" gavel_clp_model *gavel_clp_create(int columns, int rows, const int *starts, const int *indices,
                                             const double *values, const double *column_lower,
                                             const double *column_upper, const double *objective,
                                             const double *row_lower, const double *row_upper,
                                             int maximize, gavel_clp_error *error) {
    if (!gavel_clp_available(error)) return nullptr;
    gavel_clp_model *model = nullptr;
    int code = guarded(error, "creating the Clp model", [&] {
        Clp_Simplex *s = library.Clp_newModel();
        if (!s) throw std::bad_alloc();
        model = new gavel_clp_model{s, false};
        library.Clp_setLogLevel(s, 0);
        double *cl = new double[columns > 0 ? columns : 1], *cu = new double[columns > 0 ? columns : 1];
        double *rl = new double[rows > 0 ? rows : 1], *ru = new double[rows > 0 ? rows : 1];
        for (int j = 0; j < columns; j++) { cl[j] = clp_bound(column_lower[j]); cu[j] = clp_bound(column_upper[j]); }
        for (int i = 0; i < rows; i++) { rl[i] = clp_bound(row_lower[i]); ru[i] = clp_bound(row_upper[i]); }
        try {
            library.Clp_loadProblem(s, columns, rows, starts, indices, values, cl, cu, objective, rl, ru);
        } catch (...) {
            delete[] cl; delete[] cu; delete[] rl; delete[] ru;
            throw;
        }
        delete[] cl; delete[] cu; delete[] rl; delete[] ru;
        library.Clp_setOptimizationDirection(s, maximize ? -1.0 : 1.0);
        library.Clp_setLogLevel(s, 0);
    });
    if (code != GAVEL_CLP_OK && model) {
        gavel_clp_delete(model);
        model = nullptr;
    }
    return model;
}

extern "C" int gavel_clp_add_columns(gavel_clp_model *model, int count, const double *lower, const double *upper,
                                     const double *objective, const int *starts, const int *rows,
                                     const double *values, gavel_clp_error *error) {
    return guarded(error, "adding columns to the Clp model", [&] {
        if (count <= 0) return;
        Clp_Simplex *s = model->simplex;
        int first = library.Clp_numberColumns(s);
        double *l = new double[count], *u = new double[count];
        for (int k = 0; k < count; k++) { l[k] = clp_bound(lower[k]); u[k] = clp_bound(upper[k]); }
        try {
            library.Clp_addColumns(s, count, l, u, objective, starts, rows, values);
        } catch (...) {
            delete[] l; delete[] u;
            throw;
        }
        for (int k = 0; k < count; k++) {
            // 3 = atLowerBound, 2 = atUpperBound, 0 = isFree (ClpSimplex::Status).
            int status = !std::isinf(lower[k]) ? 3 : !std::isinf(upper[k]) ? 2 : 0;
            library.Clp_setColumnStatus(s, first + k, status);
        }
        delete[] l; delete[] u;
    });
}

extern "C" int gavel_clp_set_objective(gavel_clp_model *model, const double *objective, gavel_clp_error *error) {
    return guarded(error, "changing the Clp objective", [&] { library.Clp_chgObjCoefficients(model->simplex, objective); });
}

extern "C" int gavel_clp_solve(gavel_clp_model *model, int method, int warm, int presolve, double seconds,
                               int *status, int *secondary, int *primal_infeasibilities, int *iterations,
                               gavel_clp_error *error) {
    if (model->abandoned) { fail(error, "solving with Clp", "the model was abandoned after an abort"); return GAVEL_CLP_FAILED; }
    return guarded(error, "solving with Clp", [&] {
        Clp_Simplex *s = model->simplex;
        library.Clp_setLogLevel(s, 0);
        library.Clp_setMaximumSeconds(s, seconds > 0 ? seconds : -1.0);
        if (warm && method != 2) {
            if (method == 1) library.Clp_primal(s, 0); else library.Clp_dual(s, 0);
        } else {
            Clp_Solve *options = library.ClpSolve_new();
            // ClpSolve::SolveType: 0 useDual, 1 usePrimal, 3 useBarrier (then crossover).
            library.ClpSolve_setSolveType(options, method == 0 ? 0 : method == 1 ? 1 : 3, -1);
            // ClpSolve::PresolveType: 0 presolveOn, 1 presolveOff.
            library.ClpSolve_setPresolveType(options, presolve ? 0 : 1, -1);
            try {
                library.Clp_initialSolveWithOptions(s, options);
            } catch (...) {
                library.ClpSolve_delete(options);
                throw;
            }
            library.ClpSolve_delete(options);
        }
        *status = library.Clp_status(s);
        *secondary = library.Clp_secondaryStatus(s);
        *primal_infeasibilities = library.Clp_numberPrimalInfeasibilities(s);
        *iterations = library.Clp_numberIterations(s);
    }, &model->abandoned);
}

extern "C" int gavel_clp_read(gavel_clp_model *model, double *objective, double *column_values,
                              double *row_activities, double *row_duals, double *reduced_costs,
                              gavel_clp_error *error) {
    return guarded(error, "reading the Clp solution", [&] {
        Clp_Simplex *s = model->simplex;
        int n = library.Clp_numberColumns(s), m = library.Clp_numberRows(s);
        if (objective) *objective = library.Clp_getObjValue(s);
        if (column_values && n > 0) std::memcpy(column_values, library.Clp_getColSolution(s), sizeof(double) * n);
        if (row_activities && m > 0) std::memcpy(row_activities, library.Clp_getRowActivity(s), sizeof(double) * m);
        if (row_duals && m > 0) std::memcpy(row_duals, library.Clp_getRowPrice(s), sizeof(double) * m);
        if (reduced_costs && n > 0) std::memcpy(reduced_costs, library.Clp_getReducedCost(s), sizeof(double) * n);
    });
}

extern "C" void gavel_clp_delete(gavel_clp_model *model) {
    if (!model) return;
    try {
        if (model->simplex && !model->abandoned) library.Clp_deleteModel(model->simplex);
    } catch (...) {
    }
    delete model;
}

#else
// Built without Clp's header (scripts/setup installs it): every Clp solve reports the package.
#include <cstdio>

static void unavailable(gavel_clp_error *error) {
    if (error) std::snprintf(error->message, sizeof error->message, "Clp unavailable: %s",
                             "gavel was built without COIN-OR Clp's header: install the Debian package coinor-libclp-dev "
                             "(scripts/setup does) and rebuild, or choose lp solver glpk");
}
extern "C" int gavel_clp_available(gavel_clp_error *error) { unavailable(error); return 0; }
extern "C" const char *gavel_clp_version(void) { return ""; }
extern "C" gavel_clp_model *gavel_clp_create(int, int, const int *, const int *, const double *, const double *, const double *,
                                             const double *, const double *, const double *, int, gavel_clp_error *error) {
    unavailable(error);
    return nullptr;
}
extern "C" int gavel_clp_add_columns(gavel_clp_model *, int, const double *, const double *, const double *, const int *,
                                     const int *, const double *, gavel_clp_error *error) { unavailable(error); return GAVEL_CLP_FAILED; }
extern "C" int gavel_clp_set_objective(gavel_clp_model *, const double *, gavel_clp_error *error) { unavailable(error); return GAVEL_CLP_FAILED; }
extern "C" int gavel_clp_solve(gavel_clp_model *, int, int, int, double, int *, int *, int *, int *, gavel_clp_error *error) {
    unavailable(error);
    return GAVEL_CLP_FAILED;
}
extern "C" int gavel_clp_read(gavel_clp_model *, double *, double *, double *, double *, double *, gavel_clp_error *error) {
    unavailable(error);
    return GAVEL_CLP_FAILED;
}
extern "C" void gavel_clp_delete(gavel_clp_model *) {}
#endif
