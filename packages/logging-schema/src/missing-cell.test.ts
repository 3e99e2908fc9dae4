import { describe, expect, it } from "vitest";
import { isMissingCell } from "./missing-cell.js";

describe("isMissingCell", () => {
  it("is true for empty, NA, NaN and null in any case, spaces trimmed", () => {
    for (const cell of [
      "",
      " ",
      "NA",
      "na",
      "Na",
      "NaN",
      "nan",
      "NAN",
      "null",
      "NULL",
      " Null ",
      "\tNA\u00a0",
      "\u00a0\u00a0na\u00a0",
    ])
      expect(isMissingCell(cell), JSON.stringify(cell)).toBe(true);
  });
  it("is false for numbers, words and the strings that only contain a missing word", () => {
    for (const cell of ["0", "-", "N/A", "none", "nil", "NAN1", "nullable", "banana", "Infinity", " 7 "])
      expect(isMissingCell(cell), JSON.stringify(cell)).toBe(false);
  });
});
