import { createRng } from "@cia/core";
import { describe, expect, it } from "vitest";
import { applyFeatureContract } from "./apply-feature-contract.js";
import { compileFeatureContract } from "./compile-feature-contract.js";
import type { FeatureContract } from "./feature-contract-schema.js";

/** Every feature kind, missing policy, range rule and transform of the contract schema. */
const contract: FeatureContract = {
  schema_version: 1,
  features: [
    {
      name: "age",
      type: "numeric",
      min: 0,
      max: 100,
      on_out_of_range: "clip",
      missing: { policy: "impute_mean", mean: 41.5 },
      transforms: [{ kind: "log1p" }, { kind: "standardize", mean: 3.1, sd: 0.7 }],
    },
    {
      name: "spend",
      type: "numeric",
      min: -5,
      on_out_of_range: "error",
      missing: { policy: "nan" },
      transforms: [{ kind: "clip", min: -2, max: 50 }, { kind: "log1p" }],
    },
    {
      name: "score",
      type: "numeric",
      on_out_of_range: "error",
      missing: { policy: "error" },
      transforms: [{ kind: "identity" }],
    },
    {
      name: "visits",
      type: "numeric",
      max: 10,
      on_out_of_range: "clip",
      missing: { policy: "impute_constant", value: -1 },
      transforms: [],
    },
    { name: "vip", type: "boolean", missing: { policy: "impute_constant", value: true } },
    { name: "churned", type: "boolean", missing: { policy: "nan" } },
    { name: "member", type: "boolean", missing: { policy: "error" } },
    {
      name: "country",
      type: "categorical",
      levels: ["DE", "FR", "1", "true"],
      encoding: "one_hot",
      on_unseen: "error",
      missing: { policy: "impute_constant", value: "FR" },
    },
    {
      name: "plan",
      type: "categorical",
      levels: ["free", "pro"],
      encoding: "code",
      on_unseen: "as_missing",
      missing: { policy: "nan" },
    },
    {
      name: "tier",
      type: "categorical",
      levels: ["a", "b", "c"],
      encoding: "one_hot",
      on_unseen: "as_missing",
      missing: { policy: "error" },
    },
  ],
};

const choices: Record<string, unknown[]> = {
  age: [0, 5, 41, 99.5, 100, 120, -3, null, undefined, Number.NaN, "7", Number.POSITIVE_INFINITY],
  spend: [-5, -1.5, -1, -0.5, 0, 3, 60, -6, null, Number.NaN, true],
  score: [0, -2.5, 1e9, null, "x", Number.NEGATIVE_INFINITY],
  visits: [0, 3, 10, 11, null, -4],
  vip: [true, false, 1, 0, "true", "false", null, "yes", 2],
  churned: [true, false, null, Number.NaN, "no"],
  member: [true, 0, null, {}],
  country: ["DE", "FR", 1, true, "ES", null, Number.NaN, ["DE"]],
  plan: ["free", "pro", "team", null, 3],
  tier: ["a", "c", "z", null, false],
};

/** How many of each feature's choices (from the start) the contract accepts. */
const accepted: Record<string, number> = {
  age: 10,
  spend: 10,
  score: 3,
  visits: 6,
  vip: 7,
  churned: 4,
  member: 2,
  country: 5,
  plan: 5,
  tier: 3,
};

describe("the compiled feature contract", () => {
  it("passes exactly the rows applyFeatureContract passes, with the same encoded values bit for bit", () => {
    const r0 = createRng("contract");
    const rng = () => r0.next();
    const names = contract.features.map((f) => f.name);
    const rows = Array.from({ length: 4000 }, () => {
      const r: Record<string, unknown> = {};
      for (const name of names) {
        // Mostly values the contract accepts (the first `accepted` choices), some it refuses.
        const c = choices[name]!;
        const m = rng() < 0.9 ? accepted[name]! : c.length;
        r[name] = c[Math.floor(rng() * m)];
      }
      return r;
    });
    const ref = applyFeatureContract(contract, rows, { mode: "report", extraColumns: "ignore" });
    const compiled = compileFeatureContract(contract);
    expect(compiled.columns).toBe(ref.matrix.cols);
    const out = new Float64Array(compiled.columns).fill(123);
    let passed = 0;
    for (let i = 0; i < rows.length; i++) {
      const ok = compiled.fillRow(rows[i]!, out, 0);
      expect(ok).toBe(ref.rowOk[i] === 1);
      if (!ok) continue;
      passed++;
      const want = Array.from(ref.matrix.data.subarray(i * compiled.columns, (i + 1) * compiled.columns));
      // toEqual compares with Object.is: NaN matches NaN, -0 does not match 0.
      expect(Array.from(out)).toEqual(want);
    }
    // Both outcomes are exercised.
    expect(passed).toBeGreaterThan(100);
    expect(passed).toBeLessThan(rows.length - 100);
  });
});
