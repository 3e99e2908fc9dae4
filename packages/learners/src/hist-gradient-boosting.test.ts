import { CiaError, createRng, denseMatrix, matrixFromRows } from "@cia/core";
import { describe, expect, it } from "vitest";
import { BinMapper } from "./bin-mapper.js";
import { HistGradientBoosting } from "./hist-gradient-boosting.js";

function regressionData(n: number, seed: number, opts: { nan?: boolean; grid?: boolean } = {}) {
  const rng = createRng(seed);
  const p = 4;
  const x = denseMatrix(n, p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) {
      let v = rng.normal();
      if (opts.grid) v = Math.round(v * 10) / 10; // few distinct values
      x.set(i, j, v);
    }
    y[i] = Math.sin(2 * x.get(i, 0)) + x.get(i, 1) * x.get(i, 2) + 0.3 * x.get(i, 3) + rng.normal(0, 0.3);
    if (opts.nan && rng.next() < 0.1) x.set(i, 1, Number.NaN);
  }
  return { x, y };
}

describe("HistGradientBoosting: hand-computed trees", () => {
  it("fits a depth-1 stump exactly", () => {
    // y = [1, 1, 3, 5], baseline 2.5, gradients [1.5, 1.5, -0.5, -2.5]. Edges 1.5, 2.5, 3.5.
    // Root value is 0 (as sklearn), so gain = GL^2/HL + GR^2/HR:
    //   x <= 1.5: 1.5^2/1 + 1.5^2/3 = 3;  x <= 2.5: 3^2/2 + 3^2/2 = 9;  x <= 3.5: 2.5^2/3 + 2.5^2/1 = 8.33.
    // Best: x <= 2.5, leaves -3/2 = -1.5 and +1.5 -> predictions 1 and 4.
    const x = matrixFromRows([[1], [2], [3], [4]]);
    const y = [1, 1, 3, 5];
    const model = new HistGradientBoosting({
      maxIter: 1,
      learningRate: 1,
      maxLeafNodes: 2,
      minSamplesLeaf: 1,
    }).fit(x, y);
    expect(model.baseline).toBe(2.5);
    // (sklearn divides by H + l2 + 1e-15, hence agreement to ~1e-15 rather than bit equality)
    expectClose(model.predict(x), [1, 1, 4, 4]);
    const json = model.toJSON();
    expect(json.feature).toEqual([0, -1, -1]);
    expect(json.threshold[0]).toBe(2.5);
    expectClose(json.value, [0, -1.5, 1.5]);
  });

  it("grows a 3-leaf tree leaf-wise by gain and shrinks leaves by the learning rate", () => {
    // y = [0,0,0,0,2,4,2,4], baseline 1.5, g = raw - y = [1.5 x4, -0.5, -2.5, -0.5, -2.5].
    // Root: split x0 (gain 6^2/4 + 6^2/4 = 18) beats x1 (2^2/4 + 2^2/4 = 2).
    // Left child (x0 = 0): constant gradients, best x1 split has gain -9 + 4.5 + 4.5 = 0 -> leaf, value -1.5.
    // Right child (x0 = 1): x1 split, GL = -1, GR = -5, HL = HR = 2: gain = -9 + 0.5 + 12.5 = 4 -> values 0.5, 2.5.
    const x = matrixFromRows([
      [0, 0],
      [0, 1],
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [1, 0],
      [1, 1],
    ]);
    const y = [0, 0, 0, 0, 2, 4, 2, 4];
    const exact = new HistGradientBoosting({
      maxIter: 1,
      learningRate: 1,
      maxLeafNodes: 3,
      minSamplesLeaf: 1,
    }).fit(x, y);
    expectClose(exact.predict(x), [0, 0, 0, 0, 2, 4, 2, 4]);
    const half = new HistGradientBoosting({
      maxIter: 1,
      learningRate: 0.5,
      maxLeafNodes: 3,
      minSamplesLeaf: 1,
    }).fit(x, y);
    expectClose(half.predict(x), [0.75, 0.75, 0.75, 0.75, 1.75, 2.75, 1.75, 2.75]);
    // second iteration fits the halved residuals with the same tree: 1.5 + 0.5 v + 0.5 (0.5 v)
    const two = new HistGradientBoosting({
      maxIter: 2,
      learningRate: 0.5,
      maxLeafNodes: 3,
      minSamplesLeaf: 1,
    }).fit(x, y);
    expectClose(two.predict(x), [0.375, 0.375, 0.375, 0.375, 1.875, 3.375, 1.875, 3.375]);
    // minSamplesLeaf 3 forbids the right child's split (2 rows per side): a plain stump remains.
    const stump = new HistGradientBoosting({
      maxIter: 1,
      learningRate: 1,
      maxLeafNodes: 3,
      minSamplesLeaf: 3,
    }).fit(x, y);
    expectClose(stump.predict(x), [0, 0, 0, 0, 3, 3, 3, 3]);
    // l2 = 2: leaf value -G/(H + 2): left 6/6 -> 1.5 - 1 = 0.5 ...
    const l2 = new HistGradientBoosting({
      maxIter: 1,
      learningRate: 1,
      maxLeafNodes: 2,
      minSamplesLeaf: 1,
      l2Regularization: 2,
    }).fit(x, y);
    expectClose(l2.predict(x), [0.5, 0.5, 0.5, 0.5, 2.5, 2.5, 2.5, 2.5]);
  });

  it("starts from the mean, the log-odds and the log-mean", () => {
    const x = matrixFromRows([[0], [1], [2], [3]]);
    expect(new HistGradientBoosting({ maxIter: 1 }).fit(x, [1, 2, 3, 6]).baseline).toBe(3);
    expect(
      new HistGradientBoosting({ loss: "logistic", maxIter: 1 }).fit(x, [0, 0, 0, 1]).baseline,
    ).toBeCloseTo(Math.log(1 / 3), 15);
    expect(
      new HistGradientBoosting({ loss: "poisson", maxIter: 1 }).fit(x, [0, 1, 2, 5]).baseline,
    ).toBeCloseTo(Math.log(2), 15);
    expect(
      new HistGradientBoosting({ loss: "tweedie", maxIter: 1 }).fit(x, [0, 1, 2, 5]).baseline,
    ).toBeCloseTo(Math.log(2), 15);
    // with weights: weighted mean (1*1 + 3*3) / 4
    expect(
      new HistGradientBoosting({ maxIter: 1 }).fit(matrixFromRows([[0], [1]]), [1, 3], { weights: [1, 3] })
        .baseline,
    ).toBe(2.5);
  });

  it("sends missing values to the better side and remembers it", () => {
    // y depends on whether x is missing: NaN rows have y = 10, others y = 0 or 1 by sign of x.
    const rows: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 60; i++) {
      const v = i % 3 === 0 ? Number.NaN : i % 3 === 1 ? -1 - i / 100 : 1 + i / 100;
      rows.push([v]);
      y.push(Number.isNaN(v) ? 10 : v < 0 ? 0 : 1);
    }
    const x = matrixFromRows(rows);
    const model = new HistGradientBoosting({
      maxIter: 1,
      learningRate: 1,
      maxLeafNodes: 3,
      minSamplesLeaf: 5,
    }).fit(x, y);
    const pred = model.predict(x);
    // gradients are float32 (as in sklearn): leaf values agree to ~1e-7
    for (let i = 0; i < 60; i++) expect(pred[i]).toBeCloseTo(y[i]!, 6);
  });
});

describe("HistGradientBoosting: behaviour", () => {
  it("integer weights give the same trees as repeated rows", () => {
    const { x, y } = regressionData(400, 3, { grid: true, nan: true });
    const rng = createRng(9);
    // powers of two keep w * gradient exact in float32, so trees match bit for bit
    const w = Array.from({ length: 400 }, () => [0, 1, 2, 4][rng.int(4)]!);
    const rows: number[][] = [];
    const yd: number[] = [];
    for (let i = 0; i < 400; i++)
      for (let r = 0; r < w[i]!; r++) {
        rows.push(Array.from(x.row(i)));
        yd.push(y[i]!);
      }
    for (const loss of ["squared_error", "poisson"] as const) {
      const yy = loss === "poisson" ? y.map((v) => Math.exp(v / 2)) : y;
      const yyd = loss === "poisson" ? yd.map((v) => Math.exp(v / 2)) : yd;
      const opts = { loss, maxIter: 15, maxLeafNodes: 8, minSamplesLeaf: 10 };
      const a = new HistGradientBoosting(opts).fit(x, yy, { weights: w });
      const b = new HistGradientBoosting(opts).fit(matrixFromRows(rows), yyd);
      expect(a.toJSON().feature).toEqual(b.toJSON().feature);
      expect(a.toJSON().binThreshold).toEqual(b.toJSON().binThreshold);
      const pa = a.predict(x);
      const pb = b.predict(x);
      let worst = 0;
      for (let i = 0; i < 400; i++) worst = Math.max(worst, Math.abs(pa[i]! - pb[i]!));
      expect(worst).toBeLessThan(1e-10);
    }
  });

  it("is deterministic given the seed, with row and feature subsampling", () => {
    const { x, y } = regressionData(800, 4);
    const opts = { maxIter: 20, rowSubsample: 0.6, colSubsample: 0.5 };
    const a = new HistGradientBoosting({ ...opts, seed: 1 }).fit(x, y).predict(x);
    const b = new HistGradientBoosting({ ...opts, seed: 1 }).fit(x, y).predict(x);
    const c = new HistGradientBoosting({ ...opts, seed: 2 }).fit(x, y).predict(x);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const full = new HistGradientBoosting({ maxIter: 20 }).fit(x, y).predict(x);
    expect(rmse(a, y)).toBeLessThan(rmse(new Float64Array(y.length).fill(mean(y)), y));
    expect(rmse(full, y)).toBeLessThan(0.8);
  });

  it("stops early on a validation set and keeps the validation curve", () => {
    const { x, y } = regressionData(1500, 5);
    const model = new HistGradientBoosting({
      maxIter: 500,
      learningRate: 0.3,
      earlyStopping: { patience: 5 },
    }).fit(x, y);
    expect(model.nIter).toBeLessThan(500);
    expect(model.validationLoss!.length).toBe(model.nIter + 1);
    const v = regressionData(300, 6);
    const explicit = new HistGradientBoosting({ maxIter: 500, learningRate: 0.3 }).fit(x, y, {
      validation: v,
    });
    expect(explicit.nIter).toBeLessThan(500);
    const off = new HistGradientBoosting({ maxIter: 30, earlyStopping: false }).fit(x, y, { validation: v });
    expect(off.nIter).toBe(30);
  });

  it("learns categorical features with set splits", () => {
    const rng = createRng(8);
    const n = 2000;
    const x = denseMatrix(n, 2);
    const y = new Float64Array(n);
    const effect = [3, -2, 5, 0, -4, 1, 2, -1];
    for (let i = 0; i < n; i++) {
      const cat = rng.int(8) * 10; // categories 0, 10, ..., 70
      x.set(i, 0, cat);
      x.set(i, 1, rng.normal());
      y[i] = effect[cat / 10]! + 0.5 * x.get(i, 1) + rng.normal(0, 0.1);
    }
    const model = new HistGradientBoosting({ maxIter: 60, categoricalFeatures: [0] }).fit(x, y);
    expect(rmse(model.predict(x), y)).toBeLessThan(0.2);
    const numeric = new HistGradientBoosting({ maxIter: 5, maxLeafNodes: 2 }).fit(x, y);
    const cat = new HistGradientBoosting({ maxIter: 5, maxLeafNodes: 2, categoricalFeatures: [0] }).fit(x, y);
    expect(rmse(cat.predict(x), y)).toBeLessThan(rmse(numeric.predict(x), y));
    // unseen category: treated as missing, still predicts a finite value
    const unseen = model.predict(matrixFromRows([[35, 0]]));
    expect(Number.isFinite(unseen[0]!)).toBe(true);
  });

  it("fits logistic, Poisson and Tweedie losses to their targets' scale", () => {
    const rng = createRng(12);
    const n = 3000;
    const x = denseMatrix(n, 2);
    const yb = new Float64Array(n);
    const yc = new Float64Array(n);
    const mu = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x.set(i, 0, rng.normal());
      x.set(i, 1, rng.normal());
      const eta = 1.2 * x.get(i, 0) - 0.8 * x.get(i, 1);
      yb[i] = rng.bernoulli(1 / (1 + Math.exp(-eta)));
      mu[i] = Math.exp(0.5 + 0.6 * x.get(i, 0));
      yc[i] = rng.poisson(mu[i]!);
    }
    const pb = new HistGradientBoosting({ loss: "logistic", maxIter: 50 }).fit(x, yb).predict(x);
    expect(pb.every((v) => v > 0 && v < 1)).toBe(true);
    const pp = new HistGradientBoosting({ loss: "poisson", maxIter: 80 }).fit(x, yc).predict(x);
    const pt = new HistGradientBoosting({ loss: "tweedie", tweediePower: 1.3, maxIter: 80 })
      .fit(x, yc)
      .predict(x);
    const constant = rmse(new Float64Array(n).fill(mean(yc)), mu);
    expect(rmse(pp, mu)).toBeLessThan(0.5 * constant);
    expect(rmse(pt, mu)).toBeLessThan(0.5 * constant);
    expect(Math.abs(mean(pp) - mean(yc))).toBeLessThan(0.05);
  });

  it("reuses a shared bin mapper and pre-binned data", () => {
    const { x, y } = regressionData(1000, 7, { nan: true });
    const mapper = BinMapper.fit(x, { maxBins: 255, seed: 0 });
    const binned = mapper.transform(x);
    const a = new HistGradientBoosting({ maxIter: 10 }).fit(x, y).predict(x);
    const b = new HistGradientBoosting({ maxIter: 10 }).fit(x, y, { binMapper: mapper }).predict(x);
    const c = new HistGradientBoosting({ maxIter: 10 }).fit(x, y, { binMapper: mapper, binned }).predict(x);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it("respects maxDepth and maxLeafNodes", () => {
    const { x, y } = regressionData(1000, 10);
    const json = new HistGradientBoosting({ maxIter: 3, maxDepth: 2, maxLeafNodes: 31 }).fit(x, y).toJSON();
    const leaves = json.feature.filter((f) => f < 0).length;
    expect(leaves).toBeLessThanOrEqual(3 * 4);
    const j2 = new HistGradientBoosting({ maxIter: 1, maxLeafNodes: 5 }).fit(x, y).toJSON();
    expect(j2.feature.filter((f) => f < 0).length).toBe(5);
  });

  it("rejects invalid options and data with CiaError", () => {
    const x = matrixFromRows([[0], [1]]);
    expect(() => new HistGradientBoosting({ learningRate: 0 }).fit(x, [0, 1])).toThrow(CiaError);
    expect(() => new HistGradientBoosting({ loss: "logistic" }).fit(x, [0, 2])).toThrow(/\[0, 1\]/);
    expect(() => new HistGradientBoosting().fit(x, [0])).toThrow(/length/);
    expect(() => new HistGradientBoosting().fit(x, [0, 1], { weights: [1, -1] })).toThrow(/weight/);
    expect(() => new HistGradientBoosting({ loss: "tweedie", tweediePower: 2.5 }).fit(x, [0, 1])).toThrow(
      /tweediePower/,
    );
  });
});

function expectClose(actual: ArrayLike<number>, expected: number[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(tol);
}

function rmse(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (p[i]! - y[i]!) ** 2;
  return Math.sqrt(s / y.length);
}

function mean(y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i]!;
  return s / y.length;
}

describe("HistGradientBoosting: large weights", () => {
  it("grows as many leaves as the weighted counts allow", () => {
    // 100 rows of weight 10 behave like 1,000 rows: with minSamplesLeaf 20 up to 31 leaves fit.
    const rng = createRng(21);
    const x = denseMatrix(
      100,
      1,
      Float64Array.from({ length: 100 }, () => rng.normal()),
    );
    const y = Float64Array.from(x.data, (v) => Math.sin(3 * v));
    const w = new Float64Array(100).fill(10);
    const json = new HistGradientBoosting({ maxIter: 1, minSamplesLeaf: 20 })
      .fit(x, y, { weights: w })
      .toJSON();
    const leaves = json.feature.filter((f) => f < 0).length;
    expect(leaves).toBeGreaterThan(6);
    expect(leaves).toBeLessThanOrEqual(31);
    expect(json.left.every((l, k) => json.feature[k]! < 0 || (l > k && l < json.feature.length))).toBe(true);
  });
});
