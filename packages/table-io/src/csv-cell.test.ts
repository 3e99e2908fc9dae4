import Papa from "papaparse";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvCell } from "./csv-cell.js";

describe("csvCell", () => {
  it("quotes exactly as papaparse's unparse does (property)", () => {
    const text = fc.oneof(fc.string(), fc.stringMatching(/^[ ,"\r\n\ufeffab]{0,6}$/));
    fc.assert(
      fc.property(text, (s) => {
        expect(csvCell(s)).toBe(Papa.unparse([[s]], { newline: "\n" }));
      }),
      { numRuns: 500, seed: 1 },
    );
  });

  it("leaves plain cells alone", () => {
    expect(csvCell("u001")).toBe("u001");
    expect(csvCell('a "b"')).toBe('"a ""b"""');
  });
});
