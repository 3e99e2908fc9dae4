import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readExperimentTable, writeTable } from "@cia/logging-schema";
import { createWorld, experimentTableColumns, experimentTableRows, uniformDesign } from "@cia/simulator";
import { describe, expect, it } from "vitest";
import { scoreCiaModel, trainCiaModel } from "./cia-model.js";
import { loadCiaModel } from "./load-cia-model.js";

async function smallTable() {
  const world = createWorld("default");
  const pop = world.sampleUnits(1500, { seed: 3 });
  const log = world.log(pop, uniformDesign(world.actions.length), { seed: 4 });
  const dir = mkdtempSync(join(tmpdir(), "cia-model-"));
  const file = join(dir, "table.csv");
  await writeTable(file, experimentTableRows(pop, log), { columns: experimentTableColumns(pop) });
  return {
    dir,
    table: await readExperimentTable(file, { require: ["action", "propensity", "value", "cost"] }),
  };
}

describe("the cia model file", () => {
  it("trains through the feature contract, survives save and load, and scores identically", async () => {
    const { dir, table } = await smallTable();
    const model = trainCiaModel(table, {
      learner: "t",
      base: "ridge",
      bootstraps: 0,
      propensity: "column",
      control: "control",
      cost: true,
      seed: "1",
    });
    expect(model.file.format).toBe("cia-model");
    expect(model.file.actions[0]).toBe("control");
    const path = join(dir, "model.json");
    writeFileSync(path, JSON.stringify(model.file));
    const back = loadCiaModel(path);
    const a = scoreCiaModel(model, table).prediction;
    const b = scoreCiaModel(back, table).prediction;
    expect(Array.from(b.tauValue)).toEqual(Array.from(a.tauValue));
    expect(Array.from(b.tauCost!)).toEqual(Array.from(a.tauCost!));
  });

  it("refuses an edited contract and a file that is not a model, with typed codes", async () => {
    const { dir, table } = await smallTable();
    const model = trainCiaModel(table, {
      learner: "t",
      base: "ridge",
      bootstraps: 0,
      propensity: "column",
      control: "control",
      cost: false,
      seed: "1",
    });
    const edited = { ...model.file, contract_hash: "0".repeat(model.file.contract_hash.length) };
    const path = join(dir, "edited.json");
    writeFileSync(path, JSON.stringify(edited));
    expect(() => loadCiaModel(path)).toThrow(expect.objectContaining({ code: "contract_mismatch" }));
    writeFileSync(path, JSON.stringify({ format: "other" }));
    expect(() => loadCiaModel(path)).toThrow(expect.objectContaining({ code: "invalid_model" }));
    expect(() =>
      trainCiaModel(table, {
        learner: "t",
        base: "ridge",
        bootstraps: 0,
        propensity: "column",
        control: "nope",
        cost: false,
        seed: "1",
      }),
    ).toThrow(expect.objectContaining({ code: "usage" }));
  });
});
