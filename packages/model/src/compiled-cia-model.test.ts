import { createRng, denseMatrix } from "@cia/core";
import { HistGradientBoosting } from "@cia/learners";
import {
  type FeatureContract,
  applyFeatureContract,
  featureRows,
  readExperimentTable,
  writeTable,
} from "@cia/logging-schema";
import { createWorld, experimentTableColumns, experimentTableRows, uniformDesign } from "@cia/simulator";
import { fitUplift } from "@cia/uplift";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scoreCiaModel, trainCiaModel } from "./cia-model.js";
import { compileCiaModel } from "./compiled-cia-model.js";
import { compileFeatureContract } from "./compiled-feature-contract.js";
import { compileUpliftPredictor } from "./compiled-uplift-predictor.js";

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

async function worldTable(n: number, seed: number) {
  const world = createWorld("default");
  const pop = world.sampleUnits(n, { seed });
  const log = world.log(pop, uniformDesign(world.actions.length), { seed: seed + 1 });
  const file = join(mkdtempSync(join(tmpdir(), "cia-compiled-")), "table.csv");
  await writeTable(file, experimentTableRows(pop, log), { columns: experimentTableColumns(pop) });
  return readExperimentTable(file, { require: ["action", "propensity", "value", "cost"] });
}

describe("the compiled model", () => {
  for (const base of ["gbdt", "ridge"] as const) {
    it(`scores every row as scoreCiaModel does, bit for bit (T-learner, ${base} heads)`, async () => {
      const table = await worldTable(1200, 7);
      const model = trainCiaModel(table, {
        learner: "t",
        base,
        bootstraps: 0,
        propensity: "column",
        control: "control",
        cost: true,
        seed: "2",
      });
      const compiled = compileCiaModel(model);
      expect(compiled).not.toBeNull();
      const ref = scoreCiaModel(model, table).prediction;
      const k = ref.nActions;
      const tv = new Float64Array(table.n * k);
      const tc = new Float64Array(table.n * k);
      const rows = featureRows(
        table,
        model.file.contract.features.map((f) => f.name),
      );
      for (let i = 0; i < table.n; i++) expect(compiled!.scoreRow(rows[i]!, tv, tc, i * k)).toBe(true);
      expect(Array.from(tv)).toEqual(Array.from(ref.tauValue));
      expect(Array.from(tc)).toEqual(Array.from(ref.tauCost!));
      // A row the contract refuses is not scored.
      expect(compiled!.scoreRow({ ...rows[0], platform: "mars" }, tv, tc, 0)).toBe(false);
    });
  }

  it("walks missing values the way the trees send them (logistic and squared-error trees)", () => {
    const r1 = createRng("nan");
    const rng = () => r1.next();
    const n = 900;
    const p = 5;
    const x = denseMatrix(n, p);
    const action = new Int32Array(n);
    const value = new Float64Array(n);
    const cost = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) x.data[i * p + j] = rng() < 0.15 ? Number.NaN : rng() * 4 - 2;
      action[i] = i % 3;
      const x0 = Number.isNaN(x.data[i * p]!) ? 0.5 : x.data[i * p]!;
      value[i] = rng() < 0.3 + 0.1 * action[i]! * x0 ? 1 : 0;
      cost[i] = action[i]! * (1 + rng());
    }
    const model = fitUplift(
      { features: x, action, value, cost, nActions: 3, propensity: new Float64Array(n * 3).fill(1 / 3) },
      {
        learner: "t",
        value: {
          learner: () =>
            new HistGradientBoosting({ maxIter: 30, maxLeafNodes: 7, loss: "logistic", seed: 1 }),
        },
        cost: { learner: () => new HistGradientBoosting({ maxIter: 20, maxLeafNodes: 5, seed: 2 }) },
        propensity: { source: "logged" },
        seed: 1,
      },
    );
    const compiled = compileUpliftPredictor(model.toJSON());
    expect(compiled).not.toBeNull();
    const ref = model.predict(x);
    const tv = new Float64Array(n * 3);
    const tc = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) compiled!.predictRow(x.data, i * p, tv, tc, i * 3);
    expect(Array.from(tv)).toEqual(Array.from(ref.tauValue));
    expect(Array.from(tc)).toEqual(Array.from(ref.tauCost!));
  });

  it("declines what it does not cover (other meta-learners, bootstrap members, segments)", async () => {
    const table = await worldTable(600, 9);
    const train = (o: Partial<Parameters<typeof trainCiaModel>[1]>) =>
      trainCiaModel(table, {
        learner: "t",
        base: "ridge",
        bootstraps: 0,
        propensity: "column",
        control: "control",
        cost: true,
        seed: "3",
        ...o,
      });
    expect(compileCiaModel(train({ learner: "x" }))).toBeNull();
    expect(compileCiaModel(train({ bootstraps: 2 }))).toBeNull();
    expect(compileCiaModel(train({ segment: "lifecycle" }))).toBeNull();
    const plain = train({});
    expect(compileCiaModel(plain)).not.toBeNull();
    expect(compileCiaModel({ ...plain, file: { ...plain.file, contract_hash: "0".repeat(64) } })).toBeNull();
  });
});
