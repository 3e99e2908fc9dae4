import json, sys, numpy as np, pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor as H
tr = pd.read_csv(sys.argv[1]); ev = pd.read_csv("scratch/eval.csv"); t = json.load(open("scratch/truth.json"))
K = t["K"]; n = len(ev); tv = np.array(t["tv"]).reshape(n, K); tc = np.array(t["tc"]).reshape(n, K)
feat = [c for c in tr.columns if c not in ("unit_id","action","propensity","value","cost")]
def prep(d):
    X = d[feat].copy()
    for c in X.columns:
        if X[c].dtype == object: X[c] = X[c].astype("category").cat.codes
    return X.values.astype(float)
Xtr, Xev = prep(tr), prep(ev)
names = sorted(tr.action.unique(), key=lambda a: (a!="control", int(a.split("_")[-1]) if a!="control" else 0))
A = np.array([names.index(a) for a in tr.action])
def tl(y, leaf):
    mus = []
    for a in range(K):
        m = A == a
        mus.append(H(max_iter=100, learning_rate=0.05, max_leaf_nodes=8, min_samples_leaf=leaf).fit(Xtr[m], y[m]).predict(Xev))
    mus = np.stack(mus, 1); return mus - mus[:, :1]
def sl(y):
    # S-learner: action one-hot-ish as a numeric feature plus credit
    X = np.column_stack([Xtr, A]); g = H(max_iter=300, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=100, categorical_features=[X.shape[1]-1]).fit(X, y)
    mus = np.stack([g.predict(np.column_stack([Xev, np.full(n, a)])) for a in range(K)], 1); return mus - mus[:, :1]
def cells(y):
    def key(d):
        s = d.price_sensitivity.values; di = d.days_inactive.values
        return (d.lifecycle.astype(str).values + "|" + np.digitize(s, [0.35, 0.55, 0.75]).astype(str) + "|" + np.digitize(di, [14, 45, 90, 180]).astype(str))
    ktr, kev = key(tr), key(ev)
    df = pd.DataFrame({"k": ktr, "a": A, "y": y}); mm = df.groupby(["k","a"]).y.mean().unstack().fillna(0)
    mus = mm.reindex(kev).fillna(0).values; return mus - mus[:, :1]
def greedy(v, c, B):
    c = np.maximum(c, 1e-6); lo, hi = 0.0, 50.0
    for _ in range(60):
        lam = (lo+hi)/2; a = np.argmax(np.concatenate([np.zeros((n,1)), v[:,1:] - lam*c[:,1:]],1),1)
        if c[np.arange(n), a].sum() > B: lo = lam
        else: hi = lam
    return np.argmax(np.concatenate([np.zeros((n,1)), v[:,1:] - hi*c[:,1:]],1),1)
days = np.array(t["days"]); heur = np.where(days >= 30, 3, 0); B = tc[np.arange(n), heur].sum()
y, c = tr.value.values, tr.cost.values
res = {"heuristic": heur, "oracle": greedy(tv, tc, B)}
for nm, f in [("T-leaf500", lambda y: tl(y, 500)), ("S-learner", sl), ("cells", cells)]:
    res[nm] = greedy(f(y), f(c), B)
for nm, a in res.items():
    print(f"{nm:10s} true value {tv[np.arange(n), a].sum():9.0f} true cost {tc[np.arange(n), a].sum():9.0f} treated {(a>0).sum()}")
