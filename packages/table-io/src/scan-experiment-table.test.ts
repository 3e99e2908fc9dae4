import { DataValidationError } from "@cia/core";
import { writeTable } from "@cia/logging-schema";
import { describe, expect, it } from "vitest";
import { readExperimentTable } from "./read-experiment-table.js";
import { scanExperimentTable } from "./scan-experiment-table.js";
import { tempDir } from "./test-helpers/temp-dir.js";
import { writeEffectTable } from "./write-effect-table.js";
import { writeTableColumns } from "./write-table-columns.js";

const path = tempDir();

async function table(file: string, n: number, bad?: number): Promise<string> {
  const ids = Array.from({ length: n }, (_, i) => `u${i}`);
  await writeTableColumns(
    file,
    [
      { name: "unit_id", type: "string" },
      { name: "action", type: "category", levels: ["control", "a", "b"] },
      { name: "propensity", type: "double" },
      { name: "value", type: "double" },
      { name: "x", type: "double" },
    ],
    [
      {
        rows: n,
        columns: [
          ids,
          Int32Array.from(ids, (_, i) => (i < 3000 ? i % 2 : i % 3)),
          Float64Array.from(ids, (_, i) => (i === bad ? 2 : 0.5)),
          Float64Array.from(ids, (_, i) => i),
          Float64Array.from(ids, (_, i) => i / 2),
        ],
      },
    ],
  );
  return file;
}

describe("scanExperimentTable", () => {
  it("yields the whole table in chunks with stable action indices and row numbers", async () => {
    const file = await table(path("t.parquet"), 5000);
    const whole = await readExperimentTable(file);
    const chunks = [];
    for await (const c of scanExperimentTable(file, { chunkRows: 1234 })) chunks.push(c);
    expect(chunks.map((c) => c.n)).toEqual([1234, 1234, 1234, 1234, 64]);
    expect(chunks[0]!.actionNames).toEqual(["control", "a"]);
    expect(chunks.at(-1)!.actionNames).toEqual(whole.actionNames);
    expect(chunks.flatMap((c) => Array.from(c.action!))).toEqual(Array.from(whole.action!));
    expect(chunks.flatMap((c) => Array.from(c.lines))).toEqual(Array.from(whole.lines));
    expect(chunks.flatMap((c) => c.features.x!)).toEqual(whole.features.x);
    expect(chunks.flatMap((c) => c.unitIds)).toEqual(whole.unitIds);
  });

  it("keeps streaming while the consumer writes Parquet between chunks (chunked scoring)", async () => {
    const file = await table(path("s.parquet"), 5000);
    async function* blocks() {
      for await (const c of scanExperimentTable(file, { chunkRows: 1000 }))
        yield {
          unitIds: c.unitIds,
          actions: ["control", "a"],
          columns: [{ name: "x2", values: Float64Array.from({ length: c.n * 2 }, (_, j) => j) }],
        };
    }
    const r = await writeEffectTable(path("out.parquet"), blocks());
    expect(r.rows).toBe(5000);
  });

  it("throws at the first chunk with an issue, naming its row", async () => {
    const file = await table(path("bad.parquet"), 5000, 3100);
    const seen: number[] = [];
    const run = async () => {
      for await (const c of scanExperimentTable(file, { chunkRows: 1000 })) seen.push(c.n);
    };
    await expect(run()).rejects.toSatisfy(
      (e: unknown) => e instanceof DataValidationError && e.issues[0]!.line === 3101,
    );
    expect(seen).toEqual([1000, 1000, 1000]);
  });

  it("chunks CSV tables read by @cia/logging-schema, and refuses a bad chunk size", async () => {
    const file = path("t.csv");
    await writeTable(file, [
      { unit_id: "u1", action: "control", value: 1 },
      { unit_id: "u2", action: "a", value: 2 },
      { unit_id: "u3", action: "a", value: 3 },
    ]);
    const ns: number[][] = [];
    for await (const c of scanExperimentTable(file, { chunkRows: 2 })) ns.push(Array.from(c.lines));
    expect(ns).toEqual([[2, 3], [4]]);
    await expect(scanExperimentTable(file, { chunkRows: 0 }).next()).rejects.toThrow("chunkRows");
  });
});
