import { createRng, denseMatrix } from "@cia/core";
import { describe, expect, it } from "vitest";
import { HistGradientBoosting } from "./hist-gradient-boosting.js";
import type { HistGradientBoostingJson } from "./hist-gradient-boosting-model.js";
import type { HistGradientBoostingModel } from "./hist-gradient-boosting-model.js";
import { loadModel } from "./load-model.js";
import { Ridge } from "./ridge.js";
import { formatJsonPath } from "./validate-json-path.js";
import { modelJsonAt } from "./validate-model-error.js";
import { validateModelJson } from "./validate-model-json.js";

function data(n: number, seed: number) {
  const rng = createRng(seed);
  const x = denseMatrix(n, 3);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x.set(i, 0, rng.normal());
    x.set(i, 1, rng.next() < 0.1 ? Number.NaN : rng.normal());
    x.set(i, 2, rng.int(5));
    y[i] = x.get(i, 0) + (x.get(i, 2) === 3 ? 2 : 0) + rng.normal(0, 0.2);
  }
  return { x, y };
}

const { x, y } = data(800, 1);
const numeric = new HistGradientBoosting({ maxIter: 5, maxLeafNodes: 7 }).fit(x, y);
const categorical = new HistGradientBoosting({ maxIter: 5, categoricalFeatures: [2] }).fit(x, y);
const fresh = (m: HistGradientBoostingModel = numeric): HistGradientBoostingJson =>
  JSON.parse(JSON.stringify(m.toJSON()));
/** First split node of tree q (global index). */
function splitOf(j: HistGradientBoostingJson, q: number): number {
  const start = j.treeRoots[q]!;
  for (let i = start; ; i++) if (j.feature[i]! >= 0) return i;
}
function loadError(json: unknown): string {
  try {
    loadModel(json as HistGradientBoostingJson);
  } catch (e) {
    expect((e as { code?: string }).code).toBe("invalid_model");
    return (e as Error).message;
  }
  throw new Error("expected loadModel to refuse the model");
}

describe("validateModelJson", () => {
  it("accepts every model the learners write, and loading predicts exactly as before", () => {
    for (const m of [numeric, categorical]) {
      expect(validateModelJson(fresh(m)).success).toBe(true);
      expect(loadModel(fresh(m)).predict(x)).toEqual(m.predict(x));
    }
    const xr = denseMatrix(
      x.rows,
      1,
      Float64Array.from({ length: x.rows }, (_, i) => x.get(i, 0)),
    );
    const ridge = new Ridge({ alpha: 1 }).fit(xr, y);
    expect(loadModel(JSON.parse(JSON.stringify(ridge.toJSON()))).predict(xr)).toEqual(ridge.predict(xr));
  });

  it("refuses a cycle (a child pointing back at its parent) instead of walking it forever", () => {
    const j = fresh();
    const s = splitOf(j, 2);
    j.left[s] = s;
    expect(loadError(j)).toMatch(
      new RegExp(
        `^\\$\\.left\\[${s}\\]: child index ${s} out of range ${s + 1}\\.\\.\\d+: .*\\(tree 2, node 0\\)`,
      ),
    );
    // A deeper cycle: some split's child points back at the tree's root.
    const k = fresh();
    const root = k.treeRoots[1]!;
    const deep = k.feature.findIndex((f, i) => f >= 0 && i > root && i < k.treeRoots[2]!);
    expect(deep).toBeGreaterThan(root);
    k.right[deep] = root;
    const r = validateModelJson(k);
    expect(r.success).toBe(false);
    if (!r.success)
      expect(r.problem).toEqual({ path: ["right", deep], reason: expect.stringMatching(/child index/) });
  });

  it("refuses a child index out of range, a node with two parents and an unreachable node", () => {
    const j = fresh();
    const s = splitOf(j, 0);
    j.left[s] = 99999;
    expect(loadError(j)).toMatch(/^\$\.left\[\d+\]: child index 99999 out of range/);
    const k = fresh();
    k.right[splitOf(k, 0)] = k.left[splitOf(k, 0)]!;
    expect(loadError(k)).toMatch(/two parents/);
    // A child of the next tree: outside its own tree's range.
    const m = fresh();
    m.right[splitOf(m, 0)] = m.treeRoots[1]!;
    expect(loadError(m)).toMatch(
      /out of range \d+\.\.\d+: children follow their parent inside its tree \(tree 0, node \d+\)$/,
    );
    // A split turned into a leaf leaves its children unreachable.
    const u = fresh();
    const us = splitOf(u, 0);
    u.feature[us] = -1;
    u.left[us] = -1;
    u.right[us] = -1;
    u.catIndex[us] = -1;
    expect(loadError(u)).toMatch(/is not reachable from its root/);
  });

  it("refuses leaves with children, feature indices out of range and bad roots", () => {
    const j = fresh();
    const leaf = j.feature.indexOf(-1);
    j.left[leaf] = leaf + 1;
    expect(loadError(j)).toMatch(/a leaf has no children/);
    const f = fresh();
    f.feature[splitOf(f, 3)] = 3;
    expect(loadError(f)).toMatch(
      /^\$\.feature\[\d+\]: feature index 3 out of range 0\.\.2 \(tree 3, node 0\)$/,
    );
    const r = fresh();
    r.treeRoots[1] = r.treeRoots[2]!;
    expect(loadError(r)).toMatch(/^\$\.treeRoots\[2\]: tree roots must increase/);
    const z = fresh();
    z.treeRoots[0] = 1;
    expect(loadError(z)).toMatch(/^\$\.treeRoots\[0\]: the first tree must start at node 0/);
    const short = fresh();
    short.value.pop();
    expect(loadError(short)).toMatch(/^\$\.value: has \d+ entries, expected one per node/);
  });

  it("refuses non-finite numbers (1e999 parses as Infinity), wrong types and unknown fields", () => {
    const text = JSON.stringify(fresh());
    const leaf = fresh().feature.indexOf(-1);
    const withInf = JSON.parse(text);
    withInf.value[leaf] = Number.POSITIVE_INFINITY;
    expect(loadError(withInf)).toBe(`$.value[${leaf}]: expected a finite number, got Infinity`);
    expect(() => loadModel(text.replace('"baseline":', '"baseline":1e999,"x":'))).toThrow(/baseline/);
    const proto = JSON.parse(text.replace('{"kind"', '{"__proto__":{"polluted":1},"kind"'));
    expect(loadError(proto)).toMatch(/^\$: unknown field "__proto__"/);
    const ctor = { ...fresh(), constructor: 1 };
    expect(loadError(ctor)).toMatch(/^\$: unknown field "constructor"/);
    const wrong = { ...fresh(), feature: "0,1" };
    expect(loadError(wrong)).toMatch(/^\$\.feature: expected an array/);
    const frac = fresh();
    frac.left[splitOf(frac, 0)] = 1.5;
    expect(loadError(frac)).toMatch(/expected an integer/);
    expect(loadError({ ...fresh(), loss: "hinge" })).toMatch(/^\$\.loss: /);
  });

  it("refuses categorical splits outside the bitsets or on a numeric feature", () => {
    const j = fresh(categorical);
    const s = j.catIndex.findIndex((c) => c >= 0);
    expect(s).toBeGreaterThanOrEqual(0);
    j.catIndex[s] = j.catBitsets.length / 8;
    expect(loadError(j)).toMatch(/categorical split \d+ out of range/);
    const k = fresh(categorical);
    k.categories[2] = null;
    expect(loadError(k)).toMatch(/has no categories/);
    const u = fresh(categorical);
    u.categories[2] = [3, 1, 2];
    expect(loadError(u)).toMatch(/sorted and distinct/);
  });

  it("refuses linear models with non-finite coefficients or unknown fields", () => {
    const xr = denseMatrix(
      x.rows,
      1,
      Float64Array.from({ length: x.rows }, (_, i) => x.get(i, 0)),
    );
    const ridge = JSON.parse(JSON.stringify(new Ridge({ alpha: 1 }).fit(xr, y).toJSON()));
    expect(loadError({ ...ridge, coef: [1, null, 2] })).toMatch(/^\$\.coef\[1\]: expected a finite number/);
    expect(loadError({ ...ridge, extra: true })).toMatch(/unknown field "extra"/);
  });

  it("re-roots problem paths for enclosing documents", () => {
    const j = fresh();
    j.right[splitOf(j, 0)] = -5;
    expect(() => modelJsonAt(["heads", "value", "models", 2], () => loadModel(j))).toThrow(
      /^\$\.heads\.value\.models\[2\]\.right\[\d+\]: /,
    );
    expect(formatJsonPath(["a", 0, "effect/0", "__proto__"])).toBe('$.a[0]["effect/0"].__proto__');
  });
});
