import { writeFileSync } from "node:fs";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CsvBatch, readCsvRecords } from "./csv-records.js";
import { tempDir } from "./test-helpers/fixtures.js";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

async function readAll(file: string, readSize?: number): Promise<CsvBatch[]> {
  const out: CsvBatch[] = [];
  for await (const b of readCsvRecords(file, readSize)) out.push(b);
  return out;
}

describe("readCsvRecords", () => {
  it("keeps cells, line numbers and multi-byte characters right across 64 KiB reads", async () => {
    // ~3 MB: multi-line quoted cells and 3-byte characters fall on chunk boundaries somewhere.
    const rows = ["id,note,city"];
    const expected: { line: number; cells: string[] }[] = [];
    let line = 2;
    for (let i = 0; i < 20_000; i++) {
      const note = i % 7 === 0 ? `first ${i}\nsecond "${i}"` : `€uro ${"ä".repeat(i % 50)} ${i}`;
      const city = i % 11 === 0 ? "Zürich, CH" : "東京";
      rows.push(`${i},"${note.replaceAll('"', '""')}","${city}"`);
      expected.push({ line, cells: [String(i), note, city] });
      line += i % 7 === 0 ? 2 : 1;
      if (i % 997 === 0) {
        rows.push(""); // a blank line
        line += 1;
      }
    }
    const file = tmp.path("big.csv");
    writeFileSync(file, `\ufeff${rows.join("\r\n")}\r\n`);
    const batches = await readAll(file);
    expect(batches.length).toBeGreaterThan(2);
    const records = batches.flatMap((b) => b.records);
    expect(records[0]).toEqual({ cells: ["id", "note", "city"], line: 1 });
    expect(records.slice(1)).toEqual(expected);
    expect(batches.reduce((s, b) => s + b.blankLines, 0)).toBe(21);
  });

  it("stops at a quoting error with the line it starts on, after the good records", async () => {
    const file = tmp.path("q.csv");
    writeFileSync(file, 'a,b\n1,2\n"x\ny",3\n4,"unterminated\n5,6\n');
    const batches = await readAll(file);
    expect(batches.flatMap((b) => b.records.map((r) => [r.line, ...r.cells]))).toEqual([
      [1, "a", "b"],
      [2, "1", "2"],
      [3, "x\ny", "3"],
    ]);
    expect(batches.at(-1)!.syntaxError).toMatchObject({ line: 5 });
  });

  it("reads a file without a final line break, and lone CR line ends", async () => {
    const file = tmp.path("cr.csv");
    writeFileSync(file, 'a,b\r1,"p\rq"\r\r2,3');
    const batches = await readAll(file);
    expect(batches.flatMap((b) => b.records.map((r) => [r.line, ...r.cells]))).toEqual([
      [1, "a", "b"],
      [2, "1", "p\rq"],
      [5, "2", "3"],
    ]);
    expect(batches.reduce((s, b) => s + b.blankLines, 0)).toBe(1);
  });

  it("property: any cells, written as RFC 4180 CSV, read back equal whatever the read size", async () => {
    const cell = fc.string({
      unit: fc.constantFrom("a", "é", "東", ",", '"', "\n", "\r\n", " ", "1"),
      maxLength: 6,
    });
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 4 })
          .chain((w) =>
            fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 12 }),
          ),
        fc.constantFrom("\n", "\r\n"),
        fc.integer({ min: 1, max: 40 }),
        async (rows, eol, readSize) => {
          // a record of one empty cell would read as a blank line: give such rows a marker
          const data = rows.map((r) => (r.length === 1 && r[0] === "" ? ["x"] : r));
          const quote = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);
          const file = tmp.path("p.csv");
          writeFileSync(file, data.map((r) => r.map(quote).join(",")).join(eol) + eol);
          const records = (await readAll(file, readSize)).flatMap((b) => b.records);
          expect(records.map((r) => r.cells)).toEqual(data);
          let line = 1;
          records.forEach((r, i) => {
            expect(r.line).toBe(line);
            line += 1 + data[i]!.join("").split(/\r\n|\n/).length - 1;
          });
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });
});
