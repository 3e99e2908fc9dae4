import { createRng, denseMatrix } from "@cia/core";
import { HistGradientBoosting } from "@cia/learners";
import { featureRows, readExperimentTable, writeTable } from "@cia/logging-schema";
import { createWorld, experimentTableColumns, experimentTableRows, uniformDesign } from "@cia/simulator";
import { fitUplift } from "@cia/uplift";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scoreCiaModel, trainCiaModel } from "./cia-model.js";
import { compileCiaModel } from "./compiled-cia-model.js";
import { compileUpliftPredictor } from "./compiled-uplift-predictor.js";

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
