import json, sys, numpy as np, pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor
tr = pd.read_csv(sys.argv[1]); ev = pd.read_csv("scratch/eval.csv"); t = json.load(open("scratch/truth.json"))
K = t["K"]; n = len(ev); tv = np.array(t["tv"]).reshape(n, K); tc = np.array(t["tc"]).reshape(n, K)
feat = [c for c in tr.columns if c not in ("unit_id","action","propensity","value","cost")]
def prep(d):
    X = d[feat].copy()
    for c in X.columns:
        if X[c].dtype == object: X[c] = X[c].astype("category").cat.codes
    return X.values.astype(float)
Xtr, Xev = prep(tr), prep(ev)
actions = sorted(tr.action.unique(), key=lambda a: (a!="control", int(a.split("_")[-1]) if a!="control" else 0))
print(actions)
def fit(y):
    mus = []
    for a in actions:
        m = tr.action.values == a
        g = HistGradientBoostingRegressor(max_iter=200, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=100)
        g.fit(Xtr[m], tr[y].values[m]); mus.append(g.predict(Xev))
    mus = np.stack(mus, 1); return mus - mus[:, :1]
phv, phc = fit("value"), fit("cost")
phc = np.maximum(phc, 1e-6)
def greedy(v, c, B):
    # per unit best ratio action with positive value, then sorted fill (simple)
    n = v.shape[0]; assign = np.zeros(n, int)
    score = np.where(v[:,1:] > 0, v[:,1:]/c[:,1:], -np.inf)
    # marginal hull-free simple: choose action maximizing v - lam c, bisection on lam
    lo, hi = 0.0, 50.0
    for _ in range(60):
        lam = (lo+hi)/2; a = np.argmax(np.concatenate([np.zeros((n,1)), v[:,1:] - lam*c[:,1:]],1),1)
        spend = c[np.arange(n), a].sum()
        if spend > B: lo = lam
        else: hi = lam
    a = np.argmax(np.concatenate([np.zeros((n,1)), v[:,1:] - hi*c[:,1:]],1),1); return a
days = np.array(t["days"]); aH = 3
heur = np.where(days >= 30, aH, 0)
B = tc[np.arange(n), heur].sum(); Vh = tv[np.arange(n), heur].sum()
a_model = greedy(phv, phc, B)
a_or = greedy(tv, np.maximum(tc,1e-9), B)
for nm, a in [("heuristic", heur), ("model", a_model), ("oracle(lambda)", a_or)]:
    print(f"{nm:15s} true value {tv[np.arange(n), a].sum():9.0f} true cost {tc[np.arange(n), a].sum():9.0f} treated {(a>0).sum()}")
