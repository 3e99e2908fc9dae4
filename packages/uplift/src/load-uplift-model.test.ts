import { HistGradientBoosting, LogisticRegression, Ridge } from "@cia/learners";
import { describe, expect, it } from "vitest";
import { fitUplift } from "./fit-uplift.js";
import { loadUpliftModel, safeLoadUpliftModel } from "./load-uplift-model.js";
import { META_LEARNER_KINDS } from "./meta-learner-kind.js";
import { linearWorld } from "./test-helpers/linear-world.js";

describe("serialization", () => {
  const w = linearWorld(700, 3, 71);
  const t = linearWorld(200, 3, 72);
  for (const meta of META_LEARNER_KINDS) {
    it(`round-trips a ${meta}-learner with boosting value head, ridge cost head, bootstraps, segments and estimated propensities`, () => {
      const model = fitUplift(
        { features: w.x, action: w.action, value: w.value, cost: w.cost, segment: w.segment },
        {
          learner: meta,
          value: { learner: () => new HistGradientBoosting({ maxIter: 10, minSamplesLeaf: 20, seed: 1 }) },
          cost: { learner: () => new Ridge({ alpha: 1 }) },
          propensity: { source: "estimate", classifier: () => new LogisticRegression(), crossFitFolds: 2 },
          bootstrap: { resamples: 2 },
          segments: { minSupport: 50, names: ["a", "b"] },
          actionNames: ["control", "small", "large"],
          seed: 4,
        },
      );
      const text = JSON.stringify(model.toJSON());
      const loaded = loadUpliftModel(text);
      expect(loaded.actionNames).toEqual(["control", "small", "large"]);
      expect(loaded.resamples).toBe(2);
      const a = model.predict(t.x, { segment: t.segment });
      const b = loaded.predict(t.x, { segment: t.segment });
      expect(Array.from(b.tauValue)).toEqual(Array.from(a.tauValue));
      expect(Array.from(b.tauCost!)).toEqual(Array.from(a.tauCost!));
      expect(Array.from(b.intervals!.tauValueUpper)).toEqual(Array.from(a.intervals!.tauValueUpper));
      expect(JSON.stringify(loaded.toJSON())).toBe(text);
    });
  }

  it("reports unreadable models", () => {
    const r = safeLoadUpliftModel("{not json");
    expect(r.success).toBe(false);
    expect(safeLoadUpliftModel(JSON.stringify({ kind: "other", version: 1 })).success).toBe(false);
    expect(() => loadUpliftModel(JSON.stringify({ kind: "other" }))).toThrow(/cia-uplift/);
  });
});
