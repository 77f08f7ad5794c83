#!/usr/bin/env python3
"""Recomputes every value docs/derivations.md derives, independently of Gavel's Swift code.

Each check prints the value computed here next to the value the tests assert, and the script
exits 1 if any differs by more than the tolerance stated for it (see docs/derivations.md).

    python3 scripts/derivations.py        # needs numpy and scipy
"""
import itertools
import math
import sys

from scipy import integrate, optimize, special

failures = 0


def check(name, computed, asserted, tolerance):
    global failures
    ok = abs(computed - asserted) <= tolerance
    failures += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {name}: computed {computed:.10g}, asserted {asserted} (tolerance {tolerance:g})")


# §1 Ranking on the upper-triangular graph (KVV90): arrival t is adjacent to u_t..u_n, p = 1.
def ranking_brute_force(n):
    """E[matches] of Ranking: every permutation of ranks, each arrival takes its best-ranked free neighbour."""
    total = 0
    for ranks in itertools.permutations(range(n)):
        free = [True] * n
        matched = 0
        for t in range(n):
            options = [u for u in range(t, n) if free[u]]
            if options:
                u = min(options, key=lambda v: ranks[v])
                free[u] = False
                matched += 1
        total += matched
    return total / math.factorial(n)


def ranking_dp(n):
    """The same expectation by a DP on (arrival t, k free among u_t..u_n): given k, the free set is
    uniform among k-subsets (each arrival takes a uniformly random free neighbour), so u_t is still
    free after arrival t's match with probability (k - 1)/N, N = n - t + 1."""
    f = {}
    for t in range(n, 0, -1):
        big_n = n - t + 1
        for k in range(0, big_n + 1):
            if k == 0:
                f[t, k] = 0.0
                continue
            stay = (k - 1) / big_n
            nxt = (lambda kk: f.get((t + 1, kk), 0.0))
            f[t, k] = 1 + stay * nxt(k - 2) + (1 - stay) * nxt(k - 1)
    return f[1, n]


for n, asserted in [(1, 1), (2, 1.5), (3, 2.16667), (4, 2.79167), (5, 3.425)]:
    check(f"§1 Ranking, upper-triangular n = {n}, brute force over {n}! orders", ranking_brute_force(n), asserted, 5e-6)
for n in range(1, 8):
    check(f"§1 DP = brute force at n = {n}", ranking_dp(n), ranking_brute_force(n), 1e-12)
check("§1 Ranking, upper-triangular n = 10 (DP)", ranking_dp(10), 6.585447, 5e-7)
check("§1 Ranking, upper-triangular n = 100 (DP)", ranking_dp(100), 63.476297, 5e-7)

# §2 The 2x2 greedy trap: v1 ~ {u1, u2}, v2 ~ {u2}, p = 1. Greedy breaking v1's tie towards u2
# matches v1-u2 and leaves v2 unmatched: 1; the offline matching v1-u1, v2-u2 has 2.
check("§2 greedy trap, greedy / offline", 1 / 2, 0.5, 0)

# §3 Huang-Zhang's priority (HZ20 eq. (5)): g(x) = 1/(2 - x - e^-x), h(x) = exp(int_x^1 g),
# f(x) = (1/h(x)) (1 - 1/e + int_x^1 (1 - e^-y) g(y) h(y) dy); Gamma = 1 - f(0).
def g(x):
    return 1 / (2 - x - math.exp(-x))


def h(x):
    return math.exp(integrate.quad(g, x, 1, epsabs=1e-13, epsrel=1e-13)[0])


inner = integrate.quad(lambda y: (1 - math.exp(-y)) * g(y) * h(y), 0, 1, epsabs=1e-12, epsrel=1e-12)[0]
f0 = (1 - 1 / math.e + inner) / h(0)
check("§3 HZ Gamma = 1 - f(0) (adaptive quadrature)", 1 - f0, 0.57610, 5e-6)

# §4 Goyal-Udwani's g(l) = e^(l+1) E1(l+1) (GU Alg. 2), E1 the exponential integral.
for ell, asserted in [(0, 0.596347), (1, 0.36133), (2, 0.26208)]:
    check(f"§4 GU g({ell})", math.exp(ell + 1) * special.exp1(ell + 1), asserted, 5e-6 if ell else 5e-7)


# §5 Stochastic Balance on MP12's z-graph in the fluid limit: integrate the spec's ODE
# rho' = -e^-L, L' = e^-L / rho on [0, alpha] (rho(0) = 1, L(0) = 0) with U1's gain
# int (1 - e^-L) dt; ratio = (U1 gain + 1 - rho(alpha)/e) / (1 + alpha).
def z_ratio(alpha):
    def rhs(_, y):
        out = math.exp(-y[1])
        return [-out, out / y[0], 1 - out]
    sol = integrate.solve_ivp(rhs, (0, alpha), [1.0, 0.0, 0.0], method="DOP853", rtol=1e-12, atol=1e-14)
    rho, _, gain = sol.y[:, -1]
    return (gain + 1 - rho / math.e) / (1 + alpha)


best = optimize.minimize_scalar(z_ratio, bounds=(0.1, 1.0), method="bounded", options={"xatol": 1e-9})
check("§5 z-graph fluid ratio at alpha = 0.42 (ODE)", z_ratio(0.42), (0.42 + (1 - 1 / math.e) * math.exp(-0.42)) / 1.42, 1e-9)
check("§5 z-graph fluid ratio at alpha = 0.42 (ODE), the documented value", z_ratio(0.42), 0.5882625, 5e-8)
check("§5 min over alpha of the fluid ratio (ODE)", best.fun, 0.58825, 5e-6)
check("§5 its alpha", best.x, 0.43, 5e-3)

# §6 MNL worked example A2 (spec A.6): v = (10, 1), w = 1, K = 2, outside option 1:
# both ads give (10 + 1) / (1 + 2) = 11/3; ad 0 alone 10 / (1 + 1) = 5 (the optimum drops ad 1).
both = (10 * 1 + 1 * 1) / (1 + 2)
alone = 10 * 1 / (1 + 1)
check("§6 MNL A2, both ads", both, 11 / 3, 1e-15)
check("§6 MNL A2, ad 0 alone (the optimum)", max(alone, both, 1 / 2), 5, 1e-15)

sys.exit(1 if failures else 0)
