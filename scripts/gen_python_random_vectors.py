#!/usr/bin/env python3
"""Generate the reference vectors that GavelCore's random layer is tested against.

Writes two fixtures under Tests/GavelCoreTests/Fixtures/:

* python_random_vectors.json -- outputs of CPython's own ``random.Random``
  (must be CPython 3.11: ``randrange``/``sample``/``_randbelow`` changed across
  versions). ``PythonRandom`` must reproduce every value bit for bit.
* xoshiro_vectors.json -- SplitMix64, xoshiro256** 1.0, FNV-1a 64 and named
  sub-stream outputs from the small independent implementations below, so the
  Swift code is checked against something it does not share code with.

Every number is stored as a string: integers in decimal (or hex, for
``getrandbits(k)`` with k > 64), doubles as Python's shortest round-trip
``repr``, so no JSON parser can round them.

Usage: python3 scripts/gen_python_random_vectors.py   (from the package root)
"""
import json
import math
import pathlib
import random
import sys

if sys.version_info[:2] != (3, 11):
    sys.exit(f"needs CPython 3.11, found {sys.version.split()[0]}")

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "GavelCoreTests" / "Fixtures"
MASK64 = (1 << 64) - 1

# ---------------------------------------------------------------- CPython random

SEEDS = [0, 1, 42, 12345, -7, 2**40 + 3, 2**63 - 1, -(2**63), 2**100 + 12345]

NAMES = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"]


def seed_words(seed):
    """Little-endian 32-bit words of abs(seed), as random_seed() in _randommodule.c builds its key."""
    n = abs(seed)
    words = []
    while n:
        words.append(n & 0xFFFFFFFF)
        n >>= 32
    return words or [0]


def sample_branch(n, k):
    """Which branch of Random.sample (3.11) runs for population size n and sample size k."""
    setsize = 21
    if k > 5:
        setsize += 4 ** math.ceil(math.log(k * 3, 4))
    return "pool" if n <= setsize else "set"


def fmt_int(x):
    return str(x)


def fmt_float(x):
    return repr(x)


def steps_for(rng):
    """One long interleaved script of calls on a single generator; order matters."""
    steps = []

    def scalar(op, args, n, call, fmt):
        steps.append({"op": op, "args": [str(a) for a in args], "out": [fmt(call()) for _ in range(n)]})

    scalar("random", [], 20, rng.random, fmt_float)
    for k in [0, 1, 5, 31, 32, 33, 63, 64]:
        scalar("getrandbits", [k], 5, lambda: rng.getrandbits(k), fmt_int)
    for k in [65, 100, 128]:
        scalar("getrandbits", [k], 3, lambda: rng.getrandbits(k), lambda x: format(x, "x"))

    randrange_cases = [
        ([100], 10),
        ([1], 3),                          # n = 1: getrandbits(1) with rejection
        ([5, 17], 10),
        ([0, 1], 3),
        ([-50, 50, 3], 10),
        ([0, 2**62], 5),                   # large stop
        ([0, 2**32 + 1], 5),
        ([-(2**63), 2**63 - 1], 5),        # width 2^64 - 1
        ([10**18, -(10**18), -7], 5),      # negative step
        ([5, -5, -3], 10),
        ([7, -9, -1], 5),
        ([-3, 40, 11], 5),
    ]
    for args, n in randrange_cases:
        scalar("randrange", args, n, lambda: rng.randrange(*args), fmt_int)

    for args, n in [([1, 6], 10), ([-(2**63), 2**63 - 1], 5), ([-10, -10], 2), ([0, 2**53], 3)]:
        scalar("randint", args, n, lambda: rng.randint(*args), fmt_int)

    steps.append({"op": "choice", "args": NAMES, "out": [rng.choice(NAMES) for _ in range(10)]})

    sample_cases = [(10, 3), (100, 5), (1000, 50), (200, 50), (60, 60), (10**6, 10),
                    (30, 6), (100, 6), (0, 0), (5, 0), (7, 7)]
    for n, k in sample_cases:
        out = rng.sample(range(n), k)
        steps.append({"op": "sample", "args": [str(n), str(k), sample_branch(n, k)],
                      "out": [str(x) for x in out]})

    for n in [20, 1, 0, 100]:
        x = list(range(n))
        rng.shuffle(x)
        steps.append({"op": "shuffle", "args": [str(n)], "out": [str(v) for v in x]})

    for args in [(-3.5, 10.25), (0.0, 1e6)]:
        scalar("uniform", args, 5, lambda: rng.uniform(*args), fmt_float)
    for lambd in [1.5, 0.01]:
        scalar("expovariate", [lambd], 5, lambda: rng.expovariate(lambd), fmt_float)
    for args, n in [((0.0, 1.0), 10), ((100.0, 15.0), 5)]:
        scalar("normalvariate", args, n, lambda: rng.normalvariate(*args), fmt_float)
    # gauss() caches its second value; an odd count leaves one cached across the random() call.
    scalar("gauss", (0.0, 1.0), 3, lambda: rng.gauss(0.0, 1.0), fmt_float)
    scalar("random", [], 1, rng.random, fmt_float)
    scalar("gauss", (5.0, 2.0), 2, lambda: rng.gauss(5.0, 2.0), fmt_float)
    scalar("random", [], 5, rng.random, fmt_float)
    return steps


def error_cases():
    """Calls that CPython 3.11 rejects with ValueError/IndexError; PythonRandom must throw."""
    rng = random.Random(0)
    cases = [
        ("randrange", [0]), ("randrange", [-5]), ("randrange", [5, 5]), ("randrange", [5, 2]),
        ("randrange", [0, 10, 0]), ("randrange", [0, 10, -1]), ("randrange", [10, 0, 2]),
        ("randint", [3, 2]), ("sample", [5, 6]), ("sample", [5, -1]), ("choice", []),
    ]
    for op, args in cases:
        try:
            if op == "sample":
                rng.sample(range(args[0]), args[1])
            elif op == "choice":
                rng.choice([])
            else:
                getattr(rng, op)(*args)
        except (ValueError, IndexError):
            continue
        raise AssertionError(f"{op}{args} did not raise")
    return [{"op": op, "args": [str(a) for a in args]} for op, args in cases]


def distribution_cases():
    """Fresh generators driven only through expovariate / normalvariate / uniform."""
    cases = []
    for seed, op, args in [(7, "expovariate", [2.0]), (2024, "expovariate", [0.25]),
                           (7, "normalvariate", [1.5, 0.5]), (99, "normalvariate", [-20.0, 3.0]),
                           (5, "uniform", [2.0, 9.5])]:
        rng = random.Random(seed)
        out = [repr(getattr(rng, op)(*args)) for _ in range(40)]
        cases.append({"seed": str(seed), "op": op, "args": [repr(a) for a in args], "out": out})
    return cases


def python_vectors():
    seeds = []
    for seed in SEEDS:
        rng = random.Random(seed)
        seeds.append({"seed": str(seed), "seed_words": [str(w) for w in seed_words(seed)],
                      "steps": steps_for(rng)})
    branches = {s["args"][2] for entry in seeds for s in entry["steps"] if s["op"] == "sample"}
    assert branches == {"pool", "set"}, branches
    return {"generator": "CPython " + sys.version.split()[0], "seeds": seeds,
            "errors": error_cases(), "distributions": distribution_cases()}


# ---------------------------------------------------------------- xoshiro256**

def splitmix64(state):
    """Returns (new_state, output)."""
    state = (state + 0x9E3779B97F4A7C15) & MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return state, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK64


class Xoshiro:
    def __init__(self, seed):
        st = seed
        self.s = []
        for _ in range(4):
            st, out = splitmix64(st)
            self.s.append(out)

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & MASK64, 7) * 9) & MASK64
        t = (s[1] << 17) & MASK64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result


def fnv1a64(text):
    h = 0xCBF29CE484222325
    for b in text.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001B3) & MASK64
    return h


def mix(value):
    return splitmix64(value)[1]


def derived_seed(seed, name):
    return mix(seed ^ mix(fnv1a64(name)))


def xoshiro_vectors():
    # Published checks: SplitMix64(0) starts 0xE220A8397B1DCDAF; FNV-1a 64 offset basis and "a", "foobar".
    assert splitmix64(0)[1] == 0xE220A8397B1DCDAF
    assert fnv1a64("") == 0xCBF29CE484222325
    assert fnv1a64("a") == 0xAF63DC4C8601EC8C
    assert fnv1a64("foobar") == 0x85944171F73967E8

    splitmix = []
    for seed in [0, 1, 1234567, MASK64]:
        st, outs = seed, []
        for _ in range(5):
            st, out = splitmix64(st)
            outs.append(str(out))
        splitmix.append({"seed": str(seed), "out": outs})

    xoshiro = []
    for seed in [0, 1, 42, 0xDEADBEEF, MASK64]:
        g = Xoshiro(seed)
        outs = [g.next() for _ in range(10)]
        units = [repr((o >> 11) * 2.0**-53) for o in outs]
        xoshiro.append({"seed": str(seed), "out": [str(o) for o in outs], "unit": units})

    fnv = [{"text": t, "hash": str(fnv1a64(t))}
           for t in ["", "a", "foobar", "bidders", "valuations", "h\u00e9llo", "\u7af6\u58f2"]]

    streams = []
    for seed, name in [(42, "bidders"), (42, "valuations"), (7, "bidders"), (0, ""), (2**64 - 1, "reserve")]:
        ds = derived_seed(seed, name)
        g = Xoshiro(ds)
        streams.append({"seed": str(seed), "name": name, "derived_seed": str(ds),
                        "out": [str(g.next()) for _ in range(5)]})

    return {"splitmix64": splitmix, "xoshiro256starstar": xoshiro, "fnv1a64": fnv, "streams": streams}


def is_records(value):
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict)


def compact(value, depth=0):
    """JSON with one record (a step, a case) per line: small, yet diff-friendly."""
    pad = " " * depth
    if isinstance(value, dict) and any(is_records(v) for v in value.values()):
        items = [f"{pad} {json.dumps(k)}: {compact(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if is_records(value):
        items = [pad + " " + compact(v, depth + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write(name, payload):
    path = FIXTURES / name
    path.write_text(compact(payload) + "\n", encoding="utf-8")
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    FIXTURES.mkdir(parents=True, exist_ok=True)
    write("python_random_vectors.json", python_vectors())
    write("xoshiro_vectors.json", xoshiro_vectors())
