import { readFileSync } from "node:fs";
import { readExperimentTable as readCsv, writeTable } from "@cia/logging-schema";
import {
  createWorld,
  experimentTableColumns,
  experimentTableRows,
  truthRows,
  uniformDesign,
} from "@cia/simulator";
import { describe, expect, it } from "vitest";
import { readExperimentTable } from "./read-experiment-table.js";
import { tempDir } from "./test-helpers/temp-dir.js";
import { writeEffectTable } from "./write-effect-table.js";
import { writeExperimentColumns } from "./write-experiment-columns.js";

const path = tempDir();

describe("writeExperimentColumns and writeEffectTable", () => {
  const world = createWorld("default");
  const pop = world.sampleUnits(700, { seed: "1/units" });
  const log = world.log(pop, uniformDesign(world.actions.length), { seed: "1/log" });
  const p = pop.features.cols;
  const columns = {
    n: pop.n,
    unitIds: pop.unitIds,
    actionNames: log.actions.map((a) => a.name),
    action: log.action,
    propensity: log.propensity,
    value: log.value,
    cost: log.cost,
    features: pop.featureNames.map((name, j) => ({
      name,
      values: pop.features.data,
      stride: p,
      offset: j,
      levels: pop.categorical[name],
    })),
  };

  it("writes the simulator's experiment table as the same CSV bytes as writeTable of its rows", async () => {
    await writeExperimentColumns(path("ours.csv"), columns, { chunkRows: 256 });
    await writeTable(path("rows.csv"), experimentTableRows(pop, log), {
      columns: experimentTableColumns(pop),
    });
    expect(readFileSync(path("ours.csv"), "utf8")).toBe(readFileSync(path("rows.csv"), "utf8"));
  });

  it("writes Parquet that reads back as the same ExperimentTable as the CSV", async () => {
    await writeExperimentColumns(path("t.parquet"), columns, { chunkRows: 300 });
    const a = await readExperimentTable(path("t.parquet"));
    const b = await readCsv(path("rows.csv"));
    expect({ ...a, file: "", lines: [] }).toEqual({ ...b, file: "", lines: [] });
  });

  it("writes the truth in the long form as truthRows does", async () => {
    const truth = world.truth(pop);
    const m = {
      unitIds: pop.unitIds,
      actions: world.actions.map((a) => a.name),
      columns: [
        { name: "tau_value", values: truth.tauValue },
        { name: "tau_cost", values: truth.tauCost },
      ],
    };
    await writeEffectTable(path("truth.csv"), m, { chunkRows: 100 });
    await writeTable(
      path("truth-rows.csv"),
      truthRows(world.actions, pop, truth) as Iterable<Record<string, unknown>>,
      {
        columns: ["unit_id", "action", "tau_value", "tau_cost"],
      },
    );
    expect(readFileSync(path("truth.csv"), "utf8")).toBe(readFileSync(path("truth-rows.csv"), "utf8"));
    const include = Uint8Array.from(pop.unitIds, (_, i) => (i % 2 === 0 ? 1 : 0));
    const r = await writeEffectTable(path("half.parquet"), { ...m, include });
    expect(r.rows).toBe(350 * (world.actions.length - 1));
    // A stream of blocks of units writes the same file as the whole matrices.
    const K = world.actions.length;
    async function* blocks() {
      for (let from = 0; from < pop.n; from += 300) {
        const to = Math.min(pop.n, from + 300);
        yield {
          unitIds: pop.unitIds.slice(from, to),
          actions: m.actions,
          columns: m.columns.map((c) => ({ name: c.name, values: c.values.subarray(from * K, to * K) })),
        };
      }
    }
    await writeEffectTable(path("blocks.csv"), blocks(), { chunkRows: 64 });
    expect(readFileSync(path("blocks.csv"), "utf8")).toBe(readFileSync(path("truth-rows.csv"), "utf8"));
  });
});
