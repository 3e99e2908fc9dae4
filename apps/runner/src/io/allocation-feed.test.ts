import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRng } from "@cia/core";
import type { AllocationOptions } from "@cia/optimizer";
import { writeTableColumns } from "@cia/table-io";
import { describe, expect, it } from "vitest";
import { allocateScores } from "../commands/allocate.js";
import { tempDir } from "../test-helpers/run-cli.js";
import { AllocationFeed } from "./allocation-feed.js";
import { readScores } from "./scores-table.js";

const ACTIONS = ["a", "b", "c"];

/**
 * Scores rows of `units` units: dense (every unit every action, in one order), or not (some pairs
 * missing, some units listing their actions in another order). Scores on a coarse grid (ties),
 * some negative.
 */
function rows(seed: number, units: number, dense: boolean): string[][] {
  const rng = createRng(`feed-${seed}`);
  const grid = (lo: number, hi: number) => Math.round((lo + rng.next() * (hi - lo)) * 4) / 4;
  const out: string[][] = [];
  for (let u = 0; u < units; u++) {
    const order = !dense && rng.next() < 0.1 ? [...ACTIONS].reverse() : ACTIONS;
    for (const a of order) {
      if (!dense && rng.next() < 0.1) continue;
      const v = grid(-1, 4);
      out.push([`u${u}`, a, String(v), String(grid(-0.5, 3)), String(v - grid(0, 1))]);
    }
  }
  return out;
}

function writeCsv(file: string, table: string[][]): void {
  const header = "unit_id,action,tau_value,tau_cost,tau_value_lower";
  writeFileSync(file, `${[header, ...table.map((r) => r.join(","))].join("\n")}\n`);
}

async function feedAndLib(file: string, options: AllocationOptions) {
  const feed = new AllocationFeed({ ...options });
  const scores = await readScores(file, { control: "control", feed });
  return { fed: feed.result(scores), lib: allocateScores(scores, { ...options }) };
}

describe("AllocationFeed", () => {
  it("gives allocateScores' answer bit for bit on dense files, CSV and Parquet, under each option", async () => {
    const dir = tempDir();
    const cases: AllocationOptions[] = [
      { budget: 40 },
      { budget: 0 },
      { budget: 25, maxTreated: 30 },
      { budget: 30, minValuePerCost: 1 },
      { budget: 30, maxCostPerValue: 0.5 },
      { budget: 30, risk: "lower" },
      { budget: Number.POSITIVE_INFINITY },
    ];
    for (let seed = 0; seed < 3; seed++) {
      const table = rows(seed, 200 + seed * 37, true);
      const csv = join(dir, `dense-${seed}.csv`);
      writeCsv(csv, table);
      const parquet = join(dir, `dense-${seed}.parquet`);
      const names = ["unit_id", "action", "tau_value", "tau_cost", "tau_value_lower"];
      await writeTableColumns(
        parquet,
        names.map((name, k) => (k < 2 ? { name, type: "string" } : { name, type: "double" })),
        [
          {
            rows: table.length,
            columns: [
              table.map((r) => r[0]!),
              table.map((r) => r[1]!),
              Float64Array.from(table, (r) => Number(r[2])),
              Float64Array.from(table, (r) => Number(r[3])),
              Float64Array.from(table, (r) => Number(r[4])),
            ],
          },
        ],
      );
      for (const file of [csv, parquet])
        for (const options of cases) {
          const { fed, lib } = await feedAndLib(file, options);
          expect(fed).toBeDefined();
          expect(fed).toStrictEqual(lib);
        }
    }
  }, 60_000);

  it("leaves a file that is not dense to allocateScores", async () => {
    const dir = tempDir();
    const file = join(dir, "sparse.csv");
    writeCsv(file, rows(7, 300, false));
    const { fed } = await feedAndLib(file, { budget: 30 });
    expect(fed).toBeUndefined();
    // A file the row reader reads (a quoted cell): what the plain reader heard is dropped.
    const quoted = join(dir, "quoted.csv");
    const table = rows(8, 50, true);
    table[3]![0] = `"${table[3]![0]}"`;
    writeCsv(quoted, table);
    expect((await feedAndLib(quoted, { budget: 30 })).fed).toBeUndefined();
  });

  it("answers for a file of one unit, and leaves options allocate refuses to allocateScores", async () => {
    const dir = tempDir();
    const file = join(dir, "one.csv");
    writeCsv(file, rows(9, 1, true));
    const { fed, lib } = await feedAndLib(file, { budget: 1 });
    expect(fed).toStrictEqual(lib);
    const feed = new AllocationFeed({ budget: -1 });
    const scores = await readScores(file, { control: "control", feed });
    expect(feed.result(scores)).toBeUndefined();
  });
});
