"""Same-run timing peer: CausalML 0.17's S/T/X/DR regressor algorithms re-implemented on sklearn's
HistGradientBoostingRegressor (causalml itself is not installable here). On the reference data it
reproduces ../shared/reference/synthetic.json's PEHE to 1e-12, so its time is CausalML's time minus
CausalML's (small) pandas/bookkeeping overhead, measured under the same machine load as ours.

usage: OMP_NUM_THREADS=1 python3 causalml_meta_peer.py DATA_DIR MODE REPS [S,T,X,DR]  -> JSON on stdout
"""
import json, sys, time
import numpy as np, pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import KFold


def hgb():
    return HistGradientBoostingRegressor(max_iter=100, learning_rate=0.1, max_leaf_nodes=31, early_stopping=False, random_state=0)


def s_learner(X, w, y, p, Xe, pe):
    m = hgb().fit(np.c_[w, X], y)
    return m.predict(np.c_[np.ones(len(Xe)), Xe]) - m.predict(np.c_[np.zeros(len(Xe)), Xe])


def t_learner(X, w, y, p, Xe, pe):
    m0 = hgb().fit(X[w == 0], y[w == 0]); m1 = hgb().fit(X[w == 1], y[w == 1])
    return m1.predict(Xe) - m0.predict(Xe)


def x_learner(X, w, y, p, Xe, pe):
    m0 = hgb().fit(X[w == 0], y[w == 0]); m1 = hgb().fit(X[w == 1], y[w == 1])
    d1 = y[w == 1] - m0.predict(X[w == 1]); d0 = m1.predict(X[w == 0]) - y[w == 0]
    t1 = hgb().fit(X[w == 1], d1); t0 = hgb().fit(X[w == 0], d0)
    return pe * t0.predict(Xe) + (1 - pe) * t1.predict(Xe)


def dr_learner(X, w, y, p, Xe, pe):
    idx = [b for _, b in KFold(3, shuffle=True, random_state=0).split(y)]
    preds = []
    for f in range(3):
        o = idx[(f + 1) % 3]; t = idx[(f + 2) % 3]
        m0 = hgb().fit(X[o][w[o] == 0], y[o][w[o] == 0]); m1 = hgb().fit(X[o][w[o] == 1], y[o][w[o] == 1])
        mu0 = m0.predict(X[t]); mu1 = m1.predict(X[t]); wt = w[t]; pt = p[t]
        dr = (wt - pt) / pt / (1 - pt) * (y[t] - mu1 * wt - mu0 * (1 - wt)) + mu1 - mu0
        preds.append(hgb().fit(X[t], dr))
    return np.mean([m.predict(Xe) for m in preds], axis=0)


def main():
    data, mode, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    df = pd.read_csv(f"{data}/synthetic/synthetic_mode{mode}.csv.gz", float_precision="round_trip")
    xc = [f"x{i}" for i in range(1, 9)]
    tr = df[df.split == "train"]; te = df[df.split == "test"]
    X, w, y, p = tr[xc].values, tr.w.values.astype(int), tr.y.values, tr.e.values
    Xe, pe, tau = te[xc].values, te.e.values, te.tau.values
    out = {}
    only = sys.argv[4].split(",") if len(sys.argv) > 4 else ["S", "T", "X", "DR"]
    for name, f in [("S", s_learner), ("T", t_learner), ("X", x_learner), ("DR", dr_learner)]:
        if name not in only:
            continue
        times = []
        for _ in range(reps):
            t0 = time.perf_counter(); th = f(X, w, y, p, Xe, pe); times.append(time.perf_counter() - t0)
        out[name] = {"median_ms": float(np.median(times) * 1000), "pehe": float(np.mean((th - tau) ** 2))}
    print(json.dumps(out))


main()
