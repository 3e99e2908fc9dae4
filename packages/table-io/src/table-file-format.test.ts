import { describe, expect, it } from "vitest";
import { tableFileFormat } from "./table-file-format.js";

describe("tableFileFormat", () => {
  it("reads the format from the name, CSV first", () => {
    expect(tableFileFormat("a.parquet")).toBe("parquet");
    expect(tableFileFormat("A.PQ")).toBe("parquet");
    expect(tableFileFormat("a.csv.gz")).toBe("csv");
    expect(tableFileFormat("a.jsonl.gz")).toBe("jsonl");
    expect(tableFileFormat("a.ndjson")).toBe("jsonl");
    expect(tableFileFormat("table")).toBe("csv");
    expect(tableFileFormat("a.csv", "parquet")).toBe("parquet");
  });
});
