"""Budget LP (StdLP) on HiGHS (scipy), the peer of `gavel bench lp`.

With --edges FILE (a CSV u,t,p written by `gavel bench lp`), it solves exactly the
LP the Swift bench solves: max sum p x  s.t.  sum_v p_uv x_uv <= 1 (u),
sum_u x_uv <= 1 (t),  0 <= x <= 1 (weights 1). Without it, an LP of the same law
as `gavel bench matching`'s: 5,000 offline vertices, 10,000 arrivals, each adjacent
to 10 distinct offline vertices drawn uniformly, p ~ U[0.05, 0.5] (numpy draws,
not the Swift generator's numbers).

Prints one JSON object per HiGHS method (dual simplex, interior point).
"""
import argparse
import time
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, vstack


def generated(n_offline=5000, n_arrivals=10000, degree=10, seed=2):
    rng = np.random.default_rng(seed)
    u = np.stack([rng.choice(n_offline, size=degree, replace=False) for _ in range(n_arrivals)]).ravel()
    t = np.repeat(np.arange(n_arrivals), degree)
    p = rng.uniform(0.05, 0.5, size=u.size)
    return u, t, p


def read_edges(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    return data[:, 0].astype(np.int64), data[:, 1].astype(np.int64), data[:, 2]


def solve(u, t, p):
    m = u.size
    n_offline, n_arrivals = int(u.max()) + 1, int(t.max()) + 1
    a_u = csr_matrix((p, (u, np.arange(m))), shape=(n_offline, m))
    a_v = csr_matrix((np.ones(m), (t, np.arange(m))), shape=(n_arrivals, m))
    a = vstack([a_u, a_v]).tocsr()
    b = np.ones(n_offline + n_arrivals)
    for method in ["highs-ds", "highs-ipm"]:
        start = time.perf_counter()
        r = linprog(-p, A_ub=a, b_ub=b, bounds=(0, 1), method=method)
        print(f'{{"benchmark": "matching.budget_lp.{method}", "variables": {m}, "status": {r.status}, '
              f'"objective": {-r.fun:.9f}, "unit": "s", "value": {time.perf_counter() - start:.3f}}}', flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--edges", help="CSV u,t,p (header line) of the instance to solve")
    args = parser.parse_args()
    solve(*(read_edges(args.edges) if args.edges else generated()))
