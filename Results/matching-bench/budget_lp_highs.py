"""Budget LP (StdLP) of the same shape as `gavel bench matching` on HiGHS (scipy).

The bench's instance: 5,000 offline vertices, 10,000 arrivals, each adjacent to
10 distinct offline vertices drawn uniformly, p ~ U[0.05, 0.5], weights 1;
100,000 variables. Same law, numpy draws (not the same numbers as the Swift
generator, which uses xoshiro256**):

    max sum p x   s.t.  sum_v p_uv x_uv <= 1 (u),  sum_u x_uv <= 1 (v),  0 <= x <= 1
"""
import time
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, vstack

def main(n_offline=5000, n_arrivals=10000, degree=10, seed=2):
    rng = np.random.default_rng(seed)
    cols = np.stack([rng.choice(n_offline, size=degree, replace=False) for _ in range(n_arrivals)]).ravel()
    p = rng.uniform(0.05, 0.5, size=cols.size)
    m = cols.size
    a_u = csr_matrix((p, (cols, np.arange(m))), shape=(n_offline, m))
    a_v = csr_matrix((np.ones(m), (np.repeat(np.arange(n_arrivals), degree), np.arange(m))), shape=(n_arrivals, m))
    a = vstack([a_u, a_v]).tocsr()
    b = np.ones(n_offline + n_arrivals)
    for method in ["highs-ds", "highs-ipm"]:
        t = time.perf_counter()
        r = linprog(-p, A_ub=a, b_ub=b, bounds=(0, 1), method=method)
        print(f'{{"benchmark": "matching.budget_lp.{method}", "variables": {m}, "status": {r.status}, "objective": {-r.fun:.6f}, "unit": "s", "value": {time.perf_counter() - t:.3f}}}')

if __name__ == "__main__":
    main()
