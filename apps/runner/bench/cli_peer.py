"""Peer for cli.bench.ts: the same steps in pandas + numpy, single-threaded.

  read TABLE                      pandas.read_csv of the experiment table
  allocate SCORES BUDGET OUT      read the scores (long form), greedy allocation, write the assignment

The greedy: each unit's best action by tau_value / tau_cost (positive value only), units in
decreasing efficiency until the budget is spent; every unit gets a row (control when not treated).
This is the textbook heuristic, not CIA's hull-and-bound optimizer (which does more work), so it is
a lower bound on what a pandas user would spend. Prints one JSON line with seconds per phase.
Run: OMP_NUM_THREADS=1 /usr/bin/python3 cli_peer.py allocate scores.csv 2000000 out.csv
"""
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def read(path):
    t0 = time.perf_counter()
    df = pd.read_csv(path, dtype={"unit_id": str, "action": str})
    t1 = time.perf_counter()
    return {"rows": int(len(df)), "read_s": t1 - t0, "total_s": t1 - t0}


def allocate(path, budget, out):
    t0 = time.perf_counter()
    s = pd.read_csv(path, dtype={"unit_id": str, "action": str})
    t1 = time.perf_counter()
    units, unit_index = np.unique(s["unit_id"].to_numpy(), return_inverse=True)
    value = s["tau_value"].to_numpy()
    cost = s["tau_cost"].to_numpy()
    ok = value > 0
    ratio = np.where(ok, value / np.where(cost > 0, cost, 1e-12), -np.inf)
    order = np.lexsort((-ratio, unit_index))  # by unit, best ratio first
    first = np.ones(len(order), dtype=bool)
    first[1:] = unit_index[order][1:] != unit_index[order][:-1]
    best = order[first]  # one candidate row per unit
    best = best[ok[best]]
    best = best[np.argsort(-ratio[best], kind="stable")]
    spend = np.cumsum(np.maximum(cost[best], 0))
    chosen = best[spend <= budget]
    action = np.full(len(units), "control", dtype=object)
    action[unit_index[chosen]] = s["action"].to_numpy()[chosen]
    t2 = time.perf_counter()
    pd.DataFrame({"unit_id": units, "action": action}).to_csv(out, index=False)
    t3 = time.perf_counter()
    return {
        "rows": int(len(s)),
        "units": int(len(units)),
        "treated": int(len(chosen)),
        "read_s": t1 - t0,
        "greedy_s": t2 - t1,
        "write_s": t3 - t2,
        "total_s": t3 - t0,
    }


if __name__ == "__main__":
    mode = sys.argv[1]
    r = read(sys.argv[2]) if mode == "read" else allocate(sys.argv[2], float(sys.argv[3]), sys.argv[4])
    r.update({"pandas": pd.__version__, "numpy": np.__version__, "omp_num_threads": os.environ["OMP_NUM_THREADS"]})
    print(json.dumps(r))
