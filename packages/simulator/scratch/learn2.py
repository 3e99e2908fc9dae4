import json, sys, numpy as np, pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor as H
from sklearn.model_selection import KFold
tr = pd.read_csv(sys.argv[1]); ev = pd.read_csv("scratch/eval.csv"); t = json.load(open("scratch/truth.json"))
K = t["K"]; n = len(ev); tv = np.array(t["tv"]).reshape(n, K); tc = np.array(t["tc"]).reshape(n, K)
feat = [c for c in tr.columns if c not in ("unit_id","action","propensity","value","cost")]
def prep(d):
    X = d[feat].copy()
    for c in X.columns:
        if X[c].dtype == object: X[c] = X[c].astype("category").cat.codes
    return X.values.astype(float)
Xtr, Xev = prep(tr), prep(ev)
names = ["control"] + [a for a in tr.action.unique() if a != "control"]
names = sorted(names, key=lambda a: (a!="control", int(a.split("_")[-1]) if a!="control" else 0))
A = np.array([names.index(a) for a in tr.action]); p = tr.propensity.values
def gb(): return H(max_iter=150, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=200)
def dr(y):
    ntr = len(y); mu = np.zeros((ntr, K))
    for tri, tei in KFold(2, shuffle=True, random_state=0).split(Xtr):
        for a in range(K):
            m = A[tri] == a; g = gb().fit(Xtr[tri][m], y[tri][m]); mu[tei, a] = g.predict(Xtr[tei])
    out = np.zeros((n, K))
    for a in range(1, K):
        phi = mu[:, a] - mu[:, 0] + (A == a) / p * (y - mu[:, a]) - (A == 0) / p * (y - mu[:, 0])
        out[:, a] = gb().fit(Xtr, phi).predict(Xev)
    return out
phv, phc = dr(tr.value.values), dr(tr.cost.values)
phc = np.maximum(phc, 1e-6)
def greedy(v, c, B):
    lo, hi = 0.0, 50.0
    for _ in range(60):
        lam = (lo+hi)/2; a = np.argmax(np.concatenate([np.zeros((n,1)), v[:,1:] - lam*c[:,1:]],1),1)
        if c[np.arange(n), a].sum() > B: lo = lam
        else: hi = lam
    return np.argmax(np.concatenate([np.zeros((n,1)), v[:,1:] - hi*c[:,1:]],1),1)
days = np.array(t["days"]); aH = int(sys.argv[2]) if len(sys.argv) > 2 else 3
heur = np.where(days >= 30, aH, 0)
B = tc[np.arange(n), heur].sum()
for nm, a in [("heuristic", heur), ("dr-model", greedy(phv, phc, B)), ("oracle", greedy(tv, np.maximum(tc,1e-9), B))]:
    print(f"{nm:10s} true value {tv[np.arange(n), a].sum():9.0f} true cost {tc[np.arange(n), a].sum():9.0f} treated {(a>0).sum()}")
print("corr pred/true value tau a=3", np.corrcoef(phv[:,3], tv[:,3])[0,1], "cost", np.corrcoef(phc[:,3], tc[:,3])[0,1])
lc = ev.lifecycle.values
for nm, a in [("heuristic", heur), ("dr-model", greedy(phv, phc, B)), ("oracle", greedy(tv, np.maximum(tc,1e-9), B))]:
    for L in ["new","active","dormant"]:
        m = lc == L
        print(nm, L, "treated", (a[m]>0).sum(), "val", round(tv[np.arange(n), a][m].sum()), "cost", round(tc[np.arange(n), a][m].sum()), "actions", np.bincount(a[m], minlength=K))
