// The README example, runnable: npx tsx --conditions=@cia/source packages/learners/examples/readme-example.ts
import { createRng, denseMatrix } from "@cia/core";
import { BinMapper, HistGradientBoosting, LogisticRegression, Ridge, loadModel } from "@cia/learners";

const rng = createRng(1);
const n = 5000;
const x = denseMatrix(n, 3);
const y = new Float64Array(n);
const clicked = new Float64Array(n);
for (let i = 0; i < n; i++) {
  for (let j = 0; j < 3; j++) x.set(i, j, rng.normal());
  if (rng.next() < 0.05) x.set(i, 2, Number.NaN); // missing values are fine for boosting
  y[i] = Math.sin(2 * x.get(i, 0)) + x.get(i, 1) ** 2 + rng.normal(0, 0.3);
  clicked[i] = rng.bernoulli(1 / (1 + Math.exp(-2 * x.get(i, 0))));
}

// Gradient boosting: sklearn's defaults (lr 0.1, 31 leaves, 255 bins, 20 rows per leaf).
const gbdt = new HistGradientBoosting({ maxIter: 200, earlyStopping: { patience: 10 } });
const model = gbdt.fit(x, y);
console.log("trees kept:", model.nIter, "first predictions:", Array.from(model.predict(x).subarray(0, 3)));

// Classifier: predictions are probabilities, predictRaw gives log-odds.
const clf = new HistGradientBoosting({ loss: "logistic", maxIter: 100 }).fit(x, clicked);
console.log("P(click):", clf.predict(x).subarray(0, 3));

// Bin once, fit many (bootstrap ensembles): integer weights act as repeated rows.
const mapper = BinMapper.fit(x, { maxBins: 255, seed: 0 });
const binned = mapper.transform(x);
const boot = rng.split("bootstrap").bootstrapIndices(n);
const counts = new Float64Array(n);
for (const i of boot) counts[i]! += 1;
const bagged = new HistGradientBoosting({ maxIter: 50 }).fit(x, y, {
  weights: counts,
  binMapper: mapper,
  binned,
});

// JSON round trip: the loaded model predicts without any training code.
const again = loadModel(JSON.stringify(bagged.toJSON()));
const before = bagged.predict(x);
console.log(
  "identical after reload:",
  again.predict(x).every((v, i) => v === before[i]),
);

// Linear models on ml-matrix.
const xNoNaN = denseMatrix(
  n,
  2,
  Float64Array.from({ length: 2 * n }, (_, k) => x.get(k >> 1, k & 1)),
);
console.log("ridge coef:", new Ridge({ alpha: 1 }).fit(xNoNaN, y).coef);
console.log("logistic coef:", new LogisticRegression({ C: 1 }).fit(xNoNaN, clicked).coef);
