import { writeFileSync } from "node:fs";
import { safeReadExperimentTable as rowReader } from "@cia/logging-schema";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readExperimentCsv } from "./read-experiment-csv.js";
import { type ReadExperimentTableOptions, safeReadExperimentTable } from "./read-experiment-table.js";
import { tempDir } from "./test-helpers/temp-dir.js";

const path = tempDir();

/** A plain cell: no comma, quote or line break (anything else goes). */
const plain = (s: string) => !/[,"\r\n]/.test(s);
const text = fc.string({ maxLength: 6, unit: "binary" }).filter(plain);

const feature = fc.oneof(
  fc.constantFrom("", "NA", "nan", " null ", "NULL", "0", "-0", "-1.5e3", " pad ", "1e400", "Infinity"),
  fc.constantFrom("0x10", ".5", "5.", "1e", "é", "\u00a0x\u00a0", " 7 ", "+3", "1_0", "android", "ios"),
  text,
  fc.double().map(String),
  fc.integer({ min: -1000, max: 100000 }).map(String),
);
const reserved = {
  action: fc.oneof(
    { arbitrary: fc.constantFrom("control", "a", "b", " a"), weight: 30 },
    { arbitrary: fc.constantFrom("é", ""), weight: 1 },
  ),
  propensity: fc.oneof(
    { arbitrary: fc.constantFrom("0.5", "1", "0.25", " 0.125 ", "1e-1", ".5"), weight: 60 },
    { arbitrary: fc.double({ min: 1e-12, max: 1, noNaN: true }).map(String), weight: 60 },
    { arbitrary: fc.constantFrom("0", "1.5", "NA", "", "1e-320"), weight: 3 },
  ),
  value: fc.oneof(
    { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map(String), weight: 100 },
    { arbitrary: fc.constantFrom(" 3 ", "-0", "12", "2.5e-3"), weight: 20 },
    { arbitrary: fc.constantFrom("1e400", "0x10", "NA", ""), weight: 3 },
  ),
  cost: fc.oneof(
    { arbitrary: fc.constantFrom("0", "2", " 1.5", "-0", "3e2"), weight: 100 },
    { arbitrary: fc.constantFrom("-1", "x"), weight: 3 },
  ),
};
const id = fc.oneof(
  { arbitrary: fc.stringMatching(/^u[0-9]{1,4}$/), weight: 8 },
  { arbitrary: fc.stringMatching(/^[ a-z0-9é\u00a0]{1,4}$/), weight: 2 },
);

/** Columns (unit_id somewhere), rows of cells in that order, and which reader options to use. */
const table = fc
  .record({
    others: fc.shuffledSubarray(["action", "propensity", "value", "cost", "f", "g", "h"]),
    at: fc.nat(),
    ids: fc.uniqueArray(id, { minLength: 1, maxLength: 12 }),
    seed: fc.array(fc.tuple(...Object.values(reserved), feature, feature, feature), {
      minLength: 12,
      maxLength: 12,
    }),
    // Reader options, mostly ones the table meets (a contract of its own features reversed, a
    // required column it has), at times ones it does not.
    options: fc.record({
      known: fc.boolean(),
      contract: fc.constantFrom("none", "own", "other"),
      require: fc.constantFrom("none", "own", "value"),
    }),
  })
  .map(({ others, at, ids, seed, options: o }) => {
    const header = [...others];
    header.splice(at % (others.length + 1), 0, "unit_id");
    const names = ["action", "propensity", "value", "cost", "f", "g", "h"];
    const rows = ids.map((u, i) => header.map((h) => (h === "unit_id" ? u : seed[i]![names.indexOf(h)]!)));
    const own = others.filter((h) => ["f", "g", "h"].includes(h));
    const has = others.filter((h): h is "action" | "value" => h === "action" || h === "value");
    const options: ReadExperimentTableOptions = {};
    if (o.known) options.knownActions = ["control", "a", "b"];
    if (o.contract !== "none") options.features = o.contract === "own" ? own.reverse() : ["g", "f"];
    if (o.require !== "none") options.require = o.require === "own" ? has : ["value"];
    return { header, rows, options };
  });

const csvOf = (header: string[], rows: string[][], end = "\n") =>
  [header, ...rows].map((r) => r.join(",")).join(end) + end;

describe("readExperimentCsv", () => {
  it("equals the row reader on random plain tables, or hands the file to it (property)", async () => {
    let k = 0;
    const seen = { bytes: 0, fellBack: 0, valid: 0 };
    await fc.assert(
      fc.asyncProperty(table, async ({ header, rows, options }) => {
        const file = path(`t${k++}.csv`);
        writeFileSync(file, csvOf(header, rows));
        const bytes = await readExperimentCsv(file, options);
        const row = await rowReader(file, { ...options, format: "csv" });
        seen[bytes ? "bytes" : "fellBack"]++;
        if (row.success) seen.valid++;
        // Whatever it accepts, the row reader accepts and reads the same way (lines included).
        if (bytes) expect(row).toEqual({ success: true, data: bytes });
        // The public reader gives the row reader's answer either way (its issues when there are).
        expect(await safeReadExperimentTable(file, options)).toEqual(row);
      }),
      { numRuns: 300, seed: 21 },
    );
    // Every valid plain table is read from its bytes; both paths ran.
    expect(seen.bytes).toBe(seen.valid);
    expect(seen.bytes).toBeGreaterThan(60);
    expect(seen.fellBack).toBeGreaterThan(30);
  });

  it("hands anything unusual to the row reader, which reports the same issues with their lines", async () => {
    const header = ["unit_id", "action", "propensity", "value", "x"];
    const rows = [
      ["u1", "a", "0.5", "1.5", "ios"],
      ["u2", "b", "0.25", "0", "7"],
      ["u3", "a", "1", "-2", "NA"],
    ];
    const variants: Record<string, string> = {
      crlf: csvOf(header, rows, "\r\n"),
      quoted: csvOf(header, [...rows, ["u4", "a", "0.5", "1", '"x,y"']]),
      blank: csvOf(header, rows).replace("\nu2", "\n\nu2"),
      leadingBlank: `\n${csvOf(header, rows)}`,
      ragged: csvOf(header, [...rows, ["u4", "a", "0.5"]]),
      longRow: csvOf(header, [...rows, ["u4", "a", "0.5", "1", "x", "extra"]]),
      duplicate: csvOf(header, [...rows, ["u1", "a", "0.5", "1", "x"]]),
      badPropensity: csvOf(header, [...rows, ["u4", "a", "0", "1", "x"]]),
      emptyId: csvOf(header, [...rows, [" ", "a", "0.5", "1", "x"]]),
      headerOnly: csvOf(header, []),
      duplicateColumn: csvOf(
        [...header, "x"],
        rows.map((r) => [...r, "1"]),
      ),
    };
    for (const [name, body] of Object.entries(variants)) {
      const file = path(`${name}.csv`);
      writeFileSync(file, body);
      expect(await readExperimentCsv(file, {}), name).toBeUndefined();
      expect(await safeReadExperimentTable(file), name).toEqual(await rowReader(file));
    }
    // The cases that are issues say so, with the row reader's lines.
    const dup = await safeReadExperimentTable(path("duplicate.csv"));
    expect(dup.success ? [] : dup.issues.map((i) => [i.code, i.line])).toEqual([["duplicate_unit", 5]]);
    // A BOM and a missing final newline are fine.
    const file = path("bom.csv");
    writeFileSync(file, `\ufeff${csvOf(header, rows).trimEnd()}`);
    const t = await readExperimentCsv(file, { require: ["action"] });
    expect(t).toBeDefined();
    expect({ success: true, data: t }).toEqual(await rowReader(file, { require: ["action"] }));
    expect(Array.from(t!.lines)).toEqual([2, 3, 4]);
    expect(t!.features.x).toEqual(["ios", 7, null]);
  });
});
