import { writeFileSync } from "node:fs";
import { type DataIssue, DataValidationError } from "@cia/core";
import { describe, expect, it } from "vitest";
import { readAssignmentColumnar } from "./read-assignment-columnar.js";
import { tempDir } from "./test-helpers/temp-dir.js";
import { writeTableColumns } from "./write-table-columns.js";

const path = tempDir();
const actions = ["control", "a", "b"];

async function write(file: string, ids: string[], acts: string[], prob?: number[]): Promise<string> {
  await writeTableColumns(
    file,
    [
      { name: "unit_id", type: "string" },
      { name: "action", type: "string" },
      ...(prob ? [{ name: "probability", type: "double" as const }] : []),
    ],
    [{ rows: ids.length, columns: [ids, acts, ...(prob ? [Float64Array.from(prob)] : [])] }],
  );
  return file;
}

async function issues(p: Promise<unknown>): Promise<DataIssue[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DataValidationError) return e.issues;
    throw e;
  }
  throw new Error("expected issues");
}

describe("readAssignmentColumnar", () => {
  it("reads a deterministic assignment in or out of the table's order (Parquet and plain CSV)", async () => {
    for (const ext of ["parquet", "csv"]) {
      const f = await write(path(`a.${ext}`), ["u2", "u1", "u3"], ["a", "control", "b"]);
      const pi = await readAssignmentColumnar(f, ["u1", "u2", "u3"], actions);
      expect(Array.from(pi!)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    }
  });

  it("adds up a stochastic policy's probabilities", async () => {
    const f = await write(path("p.parquet"), ["u1", "u1", "u2"], ["a", "b", "control"], [0.25, 0.75, 1]);
    expect(Array.from((await readAssignmentColumnar(f, ["u1", "u2"], actions))!)).toEqual([
      0, 0.25, 0.75, 1, 0, 0,
    ]);
  });

  it("reports Parquet problems with the row and column", async () => {
    const f = await write(path("bad.parquet"), ["u1", "u9", "u1", "u2"], ["a", "a", "b", "gift"]);
    expect(
      (await issues(readAssignmentColumnar(f, ["u1", "u2", "u3"], actions))).map((i) => [i.code, i.line]),
    ).toEqual([
      ["unknown_unit", 2],
      ["duplicate_unit", 3],
      ["unknown_action", 4],
      ["missing_unit", undefined],
      ["missing_unit", undefined],
    ]);
    const p = await write(path("sum.parquet"), ["u1", "u1"], ["a", "b"], [0.5, 0.25]);
    expect((await issues(readAssignmentColumnar(p, ["u1"], actions))).map((i) => i.code)).toEqual([
      "probabilities_do_not_sum_to_one",
    ]);
  });

  it("hands a CSV with any problem or quoting to the row reader (undefined)", async () => {
    writeFileSync(path("q.csv"), 'unit_id,action\n"u1",a\n');
    writeFileSync(path("u.csv"), "unit_id,action\nu9,a\n");
    writeFileSync(path("h.csv"), "unit,action\nu1,a\n");
    for (const f of ["q.csv", "u.csv", "h.csv", "absent.csv"])
      expect([f, await readAssignmentColumnar(path(f), ["u1"], actions)]).toEqual([f, undefined]);
  });
});
