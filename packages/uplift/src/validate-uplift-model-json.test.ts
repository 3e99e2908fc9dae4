import { HistGradientBoosting, LogisticRegression, Ridge, loadModel } from "@cia/learners";
import { describe, expect, it } from "vitest";
import { fitUplift } from "./fit-uplift.js";
import { loadUpliftModel } from "./load-uplift-model.js";
import type { MetaLearnerKind } from "./meta-learner-kind.js";
import { PooledEffectHead, fitPooledCostHead } from "./pooled-effect-head.js";
import { linearWorld } from "./test-helpers/linear-world.js";
import { validateUpliftModelJson } from "./validate-uplift-model-json.js";

// biome-ignore lint/suspicious/noExplicitAny: the cases edit arbitrary places of parsed JSON
type Json = Record<string, any>;
const w = linearWorld(600, 3, 81);

function fitted(meta: MetaLearnerKind): Json {
  const model = fitUplift(
    { features: w.x, action: w.action, value: w.value, cost: w.cost, segment: w.segment },
    {
      learner: meta,
      value: { learner: () => new HistGradientBoosting({ maxIter: 4, minSamplesLeaf: 20, seed: 1 }) },
      cost: { learner: () => new Ridge({ alpha: 1 }) },
      propensity: { source: "estimate", classifier: () => new LogisticRegression(), crossFitFolds: 2 },
      segments: { minSupport: 50, names: ["a", "b"] },
      actionNames: ["control", "small", "large"],
      seed: 4,
    },
  );
  return JSON.parse(JSON.stringify(model.toJSON()));
}
const models = { s: fitted("s"), t: fitted("t"), x: fitted("x"), dr: fitted("dr") };
const copy = (m: MetaLearnerKind = "x"): Json => JSON.parse(JSON.stringify(models[m]));
function refusal(json: Json): string {
  try {
    loadUpliftModel(json as never);
  } catch (e) {
    expect((e as { code?: string }).code).toBe("invalid_model");
    return (e as Error).message;
  }
  throw new Error("expected the uplift model to be refused");
}

describe("validateUpliftModelJson and the uplift loaders", () => {
  it("accepts what every meta-learner writes", () => {
    for (const m of ["s", "t", "x", "dr"] as const)
      expect(validateUpliftModelJson(copy(m)).success).toBe(true);
  });

  it("refuses wrong types with the JSON path instead of failing inside the loader", () => {
    expect(refusal({ ...copy(), pooled: {} })).toBe("$.pooled: expected array, received object");
    expect(refusal({ ...copy(), segments: { ...copy().segments, entries: 3 } })).toMatch(
      /^\$\.segments\.entries: expected array/,
    );
    const f = copy();
    f.pooled[0].value.models.effectTreated = "x";
    expect(refusal(f)).toMatch(
      /^\$\.pooled\[0\]\.value\.models\.effectTreated: expected array, received string$/,
    );
  });

  it("refuses heads whose roles, actions or features disagree with the model", () => {
    const a = copy();
    a.pooled[0].value.models.outcome = a.pooled[0].value.models.effectTreated;
    expect(refusal(a)).toMatch(/^\$\.pooled\[0\]\.value\.models\.outcome: unknown role for a x head/);
    const b = copy("t");
    b.pooled[0].value.models.outcome[0] = null;
    expect(refusal(b)).toMatch(
      /^\$\.pooled\[0\]\.value\.models\.outcome\[0\]: missing the model for action 0$/,
    );
    const c = copy("s");
    c.pooled[0].cost.nFeatures = 4;
    expect(refusal(c)).toMatch(/^\$\.pooled\[0\]\.cost\.nFeatures: is 4, the model's is 3$/);
    const d = copy("dr");
    d.pooled[0].value.models["effect/7"] = d.pooled[0].value.models["effect/0"];
    expect(refusal(d)).toMatch(/unknown role for a dr head/);
    const e = copy();
    e.pooled[0].cost.models.effectControl[1].coef.push(0.5);
    expect(refusal(e)).toMatch(
      /^\$\.pooled\[0\]\.cost\.models\.effectControl\[1\]: reads 4 features, the head has 3$/,
    );
    const g = copy();
    g.pooled[0].cost.combine = { kind: "stacked", weights: [0] };
    expect(refusal(g)).toMatch(
      /^\$\.pooled\[0\]\.cost\.combine\.weights: has 1 entries, expected one per action \(3\)$/,
    );
  });

  it("refuses inconsistent actions, propensity models, cost heads and segments", () => {
    const a = copy();
    a.actionNames[2] = "control";
    expect(refusal(a)).toMatch(/^\$\.actionNames\[2\]: action "control" appears twice$/);
    const b = copy();
    b.propensity.weights.models[2] = null;
    expect(refusal(b)).toMatch(
      /^\$\.propensity\.weights\.models\[2\]: missing the propensity classifier of action 2$/,
    );
    const c = copy();
    c.propensity.weights.models[1].coef = [1];
    expect(refusal(c)).toMatch(/^\$\.propensity\.weights\.models\[1\]: reads 1 features, the model has 3$/);
    const d = copy();
    d.segments.entries[0].members[0].cost = null;
    expect(refusal(d)).toMatch(/^\$\.segments\.entries\[0\]\.members\[0\]\.cost: missing the cost head/);
    const e = copy();
    e.segments.entries[1].fallback = !e.segments.entries[1].fallback;
    expect(refusal(e)).toMatch(/^\$\.segments\.entries\[1\]\.members: /);
    const f = copy();
    f.segments.entries[1].support.pop();
    expect(refusal(f)).toMatch(
      /^\$\.segments\.entries\[1\]\.support: has 2 entries, expected one per action \(3\)$/,
    );
    const g = copy();
    g.propensity.report.clip = 0.7;
    expect(refusal(g)).toMatch(/^\$\.propensity\.report\.clip: /);
  });

  it("re-roots base-model problems at their place in the uplift model", () => {
    const f = copy();
    const t = f.pooled[0].value.models.effectTreated[2];
    const s = (t.feature as number[]).findIndex((v) => v >= 0);
    t.left[s] = s;
    expect(refusal(f)).toMatch(
      new RegExp(
        `^\\$\\.pooled\\[0\\]\\.value\\.models\\.effectTreated\\[2\\]\\.left\\[${s}\\]: child index ${s} out of range`,
      ),
    );
  });

  it("validates pooled effect heads before loading them", () => {
    const head = fitPooledCostHead(
      { features: w.x, action: w.action, cost: Float64Array.from(w.cost!, Math.abs), nActions: 3 },
      { actionAttributes: [[0], [1], [2]], seed: 1 },
    );
    const json = JSON.parse(JSON.stringify(head.toJSON()));
    expect(PooledEffectHead.fromJSON(json, loadModel).predictEffect(w.x)).toEqual(head.predictEffect(w.x));
    const bad = (edit: (j: Json) => void) => {
      const j = JSON.parse(JSON.stringify(json));
      edit(j);
      try {
        PooledEffectHead.fromJSON(j, loadModel);
      } catch (e) {
        return (e as Error).message;
      }
      return "accepted";
    };
    expect(bad((j) => j.actionAttributes.pop())).toMatch(
      /^\$\.actionAttributes: has 2 rows, expected one per action \(3\)$/,
    );
    expect(bad((j) => (j.actionAttributes[1] = [1, 2]))).toMatch(
      /^\$\.actionAttributes\[1\]: has 2 attributes, row 0 has 1$/,
    );
    expect(bad((j) => (j.nFeatures = 5))).toMatch(/^\$\.treated: reads 4 features, expected 6$/);
    expect(bad((j) => (j.allowNegative = "no"))).toMatch(/^\$\.allowNegative: expected boolean/);
    expect(bad((j) => (j.treated.value[0] = null))).toMatch(
      /^\$\.treated\.value\[0\]: expected a finite number/,
    );
  });
});
