#!/usr/bin/env python3
"""Regenerate the GBDT reference dataset of /work/shared/reference/reference.md section 5, exactly.

Usage: /usr/bin/python3 gen-gbdt-data.py OUT_DIR
Writes OUT_DIR/test_200k.csv, train_100k.csv, train_1m.csv (columns x1..x20,y; '%.9g').
With numpy 1.24.2 and pandas 1.5.3 the sha256 sums equal those in ../shared/peers/README.md.
"""
import os
import sys

import numpy as np
import pandas as pd

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
X_train = rng.standard_normal((1_000_000, 20)); e_train = rng.normal(0.0, 0.5, 1_000_000)
X_test = rng.standard_normal((200_000, 20)); e_test = rng.normal(0.0, 0.5, 200_000)
f = lambda X: np.sin(2 * X[:, 0]) + X[:, 1] * X[:, 2] + 0.5 * X[:, 3] ** 2 + 0.3 * X[:, 4]  # noqa: E731
cols = [f"x{i}" for i in range(1, 21)]


def write(X, y, name):
    df = pd.DataFrame(X, columns=cols)
    df["y"] = y
    tmp = os.path.join(out, name + ".tmp")
    df.to_csv(tmp, index=False, float_format="%.9g")
    os.replace(tmp, os.path.join(out, name))


write(X_test, f(X_test) + e_test, "test_200k.csv")
write(X_train[:100_000], (f(X_train) + e_train)[:100_000], "train_100k.csv")
write(X_train, f(X_train) + e_train, "train_1m.csv")
