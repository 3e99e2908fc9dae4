import json, numpy as np, pandas as pd
tr = pd.read_csv("scratch/train.csv"); t = json.load(open("scratch/truth.json")); K=t["K"]
tv = np.array(t["tv"]).reshape(-1,K); tc=np.array(t["tc"]).reshape(-1,K)
print(tr.groupby(["lifecycle"]).value.agg(["mean","std"]))
print(tr.groupby(["lifecycle"]).cost.agg(["mean","std"]))
print("tau sd value per action", tv.std(0), "cost", tc.std(0))
