import { CiaError, createRng, DataValidationError } from "@cia/core";
import { LogisticRegression, Ridge } from "@cia/learners";
import { describe, expect, it } from "vitest";
import { fitUplift } from "./fit-uplift.js";
import { META_LEARNER_KINDS } from "./meta-learner-kind.js";
import { armMean as meanCol, armRmse as rmse } from "./test-helpers/effect-errors.js";
import { linearWorld } from "./test-helpers/linear-world.js";

const ridge = () => new Ridge({ alpha: 1e-3 });

describe("fitUplift on a well-specified linear world", () => {
  const w = linearWorld(3000, 3, 11);
  const test = linearWorld(1000, 3, 12);
  for (const meta of META_LEARNER_KINDS) {
    it(`${meta}-learner recovers value and cost effects of two offers`, () => {
      const model = fitUplift(
        { features: w.x, action: w.action, value: w.value, cost: w.cost, propensity: w.propensity },
        { learner: meta, value: { learner: ridge }, cost: { learner: ridge }, seed: 1 },
      );
      const pred = model.predict(test.x);
      for (const a of [1, 2]) {
        if (meta === "s") {
          // A linear S-learner has no action-feature interaction: only the average effect is identified.
          expect(Math.abs(meanCol(pred.tauValue, 3, a) - meanCol(test.tauValue, 3, a))).toBeLessThan(0.1);
          expect(Math.abs(meanCol(pred.tauCost!, 3, a) - meanCol(test.tauCost, 3, a))).toBeLessThan(0.05);
        } else {
          expect(rmse(pred.tauValue, test.tauValue, 3, a)).toBeLessThan(0.15);
          expect(rmse(pred.tauCost!, test.tauCost, 3, a)).toBeLessThan(0.05);
        }
      }
      for (let i = 0; i < 10; i++) expect(pred.tauValue[i * 3]).toBe(0);
      // CPIV and CPI are the ratios of the two heads.
      const j = 5 * 3 + 2;
      expect(pred.cpiv![j]).toBeCloseTo(pred.tauValue[j]! / pred.tauCost![j]!, 12);
      expect(pred.cpi![j]).toBeCloseTo(pred.tauCost![j]! / pred.tauValue[j]!, 12);
    });
  }

  it("handles five actions at once (four offers against no-offer) with every learner", () => {
    const w5 = linearWorld(4000, 5, 21);
    const t5 = linearWorld(500, 5, 22);
    for (const meta of ["t", "x", "dr"] as const) {
      const model = fitUplift(
        { features: w5.x, action: w5.action, value: w5.value, cost: w5.cost, propensity: w5.propensity },
        { learner: meta, value: { learner: ridge }, cost: { learner: ridge }, seed: 2 },
      );
      expect(model.nActions).toBe(5);
      const pred = model.predict(t5.x);
      for (let a = 1; a < 5; a++) {
        expect(rmse(pred.tauValue, t5.tauValue, 5, a)).toBeLessThan(0.25);
        expect(rmse(pred.tauCost!, t5.tauCost, 5, a)).toBeLessThan(0.08);
      }
      expect(model.propensityReport.arms.map((r) => r.action)).toEqual([1, 2, 3, 4]);
    }
  });

  it("uses pi_a / (pi_a + pi_0) as the X-learner's weight, from the log or at predict time", () => {
    // Skewed design: pairwise weights 0.6 / (0.6 + 0.2) = 0.75 and 0.2 / (0.2 + 0.2) = 0.5.
    const sk = linearWorld(3000, 3, 31, [0.2, 0.6, 0.2]);
    const model = fitUplift(
      { features: sk.x, action: sk.action, value: sk.value, propensity: sk.propensity },
      { learner: "x", value: { learner: ridge }, seed: 3 },
    );
    expect(model.propensityReport.source).toBe("logged");
    expect(model.propensityReport.arms[0]!.mean).toBeCloseTo(0.75, 12);
    expect(model.propensityReport.arms[1]!.mean).toBeCloseTo(0.5, 12);
    const a = model.predict(sk.x);
    const b = model.predict(sk.x, { propensity: sk.propensity });
    expect(Array.from(b.tauValue)).toEqual(Array.from(a.tauValue));
    expect(rmse(a.tauValue, sk.tauValue, 3, 1)).toBeLessThan(0.15);
  });

  it("estimates propensities (honest, cross-fitted) and reports the clipping", () => {
    for (const scheme of ["one-vs-control", "one-vs-rest"] as const) {
      const model = fitUplift(
        { features: w.x, action: w.action, value: w.value, cost: w.cost },
        {
          learner: "dr",
          value: { learner: ridge },
          cost: { learner: ridge },
          propensity: {
            source: "estimate",
            scheme,
            classifier: () => new LogisticRegression(),
            clip: 0.49,
            crossFitFolds: 2,
          },
        },
      );
      const r = model.propensityReport;
      expect(r.source).toBe("estimate");
      expect(r.scheme).toBe(scheme);
      expect(r.arms).toHaveLength(2);
      // True pairwise weight 0.5: with clip 0.49 most estimates fall outside [0.49, 0.51] and are counted.
      const arm = r.arms[0]!;
      expect(arm.rows).toBe(w.action.filter((a) => a === 0 || a === 1).length);
      expect(arm.clippedLow + arm.clippedHigh).toBeGreaterThan(0);
      expect(arm.mean).toBeCloseTo(0.5, 1);
    }
  });

  it("rejects bad data with data issues and bad options with CiaError", () => {
    expect(() =>
      fitUplift(
        { features: w.x, action: w.action.map((a) => (a === 2 ? -1 : a)), value: w.value },
        { learner: "t", value: { learner: ridge } },
      ),
    ).toThrow(DataValidationError);
    expect(() =>
      fitUplift(
        { features: w.x, action: w.action, value: w.value, cost: w.cost },
        { learner: "t", value: { learner: ridge } },
      ),
    ).toThrow(CiaError);
    expect(() =>
      fitUplift(
        { features: w.x, action: w.action, value: w.value },
        { learner: "dr", value: { learner: ridge }, propensity: { source: "logged" } },
      ),
    ).toThrow(/propensity/);
  });
});

describe("bootstrap ensembles", () => {
  it("90% percentile intervals cover the true effects for at least 85% of units (linear world, ridge)", () => {
    // Coverage across units of one data set is one correlated draw (all units share the same
    // coefficient errors), so it is averaged over independent replications of the whole study.
    const reps = 5;
    const covered = { value: 0, cost: 0 };
    let total = 0;
    for (let r = 0; r < reps; r++) {
      const w = linearWorld(1000, 3, 100 + r);
      const t = linearWorld(200, 3, 200 + r);
      const model = fitUplift(
        { features: w.x, action: w.action, value: w.value, cost: w.cost, propensity: w.propensity },
        {
          learner: "t",
          value: { learner: ridge },
          cost: { learner: ridge },
          bootstrap: { resamples: 150, level: 0.9 },
          seed: r,
        },
      );
      expect(model.resamples).toBe(150);
      const iv = model.predict(t.x).intervals!;
      expect(iv.level).toBe(0.9);
      for (let i = 0; i < t.x.rows; i++) {
        for (const a of [1, 2]) {
          const j = i * 3 + a;
          expect(iv.tauValueLower[j]!).toBeLessThanOrEqual(iv.tauValueUpper[j]!);
          if (iv.tauValueLower[j]! <= t.tauValue[j]! && t.tauValue[j]! <= iv.tauValueUpper[j]!)
            covered.value++;
          if (iv.tauCostLower![j]! <= t.tauCost[j]! && t.tauCost[j]! <= iv.tauCostUpper![j]!) covered.cost++;
          total++;
        }
      }
    }
    console.info(
      `bootstrap coverage: value ${(covered.value / total).toFixed(3)}, cost ${(covered.cost / total).toFixed(3)}`,
    );
    for (const c of [covered.value, covered.cost]) {
      expect(c / total).toBeGreaterThanOrEqual(0.85);
      // Not vacuous: the intervals are not so wide that they cover everything.
      expect(c / total).toBeLessThan(0.99);
    }
  });

  it("is seeded: the same seed gives the same ensemble, another seed a different one", () => {
    const w = linearWorld(800, 3, 43);
    const fitSeed = (seed: number) =>
      fitUplift(
        { features: w.x, action: w.action, value: w.value, propensity: w.propensity },
        { learner: "x", value: { learner: ridge }, bootstrap: { resamples: 5 }, seed },
      ).predict(w.x);
    expect(Array.from(fitSeed(1).tauValue)).toEqual(Array.from(fitSeed(1).tauValue));
    expect(Array.from(fitSeed(1).tauValue)).not.toEqual(Array.from(fitSeed(2).tauValue));
  });

  it("resamples within each action, keeping the arm sizes", () => {
    // A learner that records its training sizes: arm sizes must be the same in every member.
    const sizes: number[] = [];
    const recording = () => {
      const r = new Ridge({ alpha: 1e-3 });
      return {
        kind: "ridge",
        fit: (x: Parameters<Ridge["fit"]>[0], y: Parameters<Ridge["fit"]>[1]) => {
          sizes.push(x.rows);
          return r.fit(x, y);
        },
      };
    };
    const w = linearWorld(600, 3, 44);
    fitUplift(
      { features: w.x, action: w.action, value: w.value, propensity: w.propensity },
      { learner: "t", value: { learner: recording }, bootstrap: { resamples: 4 } },
    );
    const arm = [0, 1, 2].map((a) => w.action.filter((v) => v === a).length);
    expect(sizes).toEqual([...arm, ...arm, ...arm, ...arm]);
  });
});

describe("lifecycle segments", () => {
  it("fits a model per well-supported segment and falls back to the pooled model where support is thin", () => {
    const w = linearWorld(3000, 3, 51);
    // Segment 2: 40 rows, never offered action 2 -> thin; segments 0 and 1 well supported.
    const rng = createRng(7);
    const segment = Int32Array.from(w.segment);
    let thin = 0;
    for (let i = 0; i < w.x.rows && thin < 40; i++) {
      if (w.action[i] !== 2 && rng.next() < 0.5) {
        segment[i] = 2;
        thin++;
      }
    }
    const model = fitUplift(
      { features: w.x, action: w.action, value: w.value, cost: w.cost, propensity: w.propensity, segment },
      {
        learner: "t",
        value: { learner: ridge },
        cost: { learner: ridge },
        segments: { minSupport: 30, names: ["active", "dormant", "new"] },
        seed: 9,
      },
    );
    const fb = model.fallbackSegments;
    expect(fb.map((s) => s.name)).toEqual(["new"]);
    expect(fb[0]!.support[2]).toBe(0);
    expect(model.segments!.entries.filter((e) => !e.fallback).map((e) => e.code)).toEqual([0, 1]);
    const pooled = fitUplift(
      { features: w.x, action: w.action, value: w.value, cost: w.cost, propensity: w.propensity },
      { learner: "t", value: { learner: ridge }, cost: { learner: ridge }, seed: 9 },
    ).predict(w.x);
    const seg = model.predict(w.x, { segment });
    let sameThin = 0;
    let diffOther = 0;
    for (let i = 0; i < w.x.rows; i++) {
      const same = seg.tauValue[i * 3 + 1] === pooled.tauValue[i * 3 + 1];
      if (segment[i] === 2 && same) sameThin++;
      if (segment[i] !== 2 && !same) diffOther++;
    }
    expect(sameThin).toBe(40);
    expect(diffOther).toBe(w.x.rows - 40);
    // The per-segment models still recover the (segment-invariant) effects.
    expect(rmse(seg.tauValue, w.tauValue, 3, 1)).toBeLessThan(0.2);
    // Without segment codes at predict time every row uses the pooled model.
    expect(Array.from(model.predict(w.x).tauValue)).toEqual(Array.from(pooled.tauValue));
  });
});
