import { createReadStream, existsSync, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import { DataValidationError } from "@cia/core";
import { parse } from "csv-parse";

/** One raw record with its 1-based source line. Values stay strings for CSV, JSON values for JSONL. */
export interface RawRecord {
  line: number;
  values: Record<string, unknown>;
}

/**
 * Stream the records of a CSV or JSONL file (optionally gzipped), in constant memory. The format
 * comes from the extension (`.jsonl`/`.ndjson` vs anything else = CSV). A malformed line is a data
 * issue naming the file and line, never a stack trace.
 *
 * @example
 * for await (const { line, values } of readRecords("table.csv")) console.log(line, values.unit_id);
 */
export async function* readRecords(file: string): AsyncGenerator<RawRecord> {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new DataValidationError([{ code: "file_not_found", path: [], message: `no such file: ${file}` }], {
      file,
    });
  }
  const gz = file.endsWith(".gz");
  const base = gz ? file.slice(0, -3) : file;
  const raw = createReadStream(file);
  const input = gz ? raw.pipe(createGunzip()) : raw;
  if (base.endsWith(".jsonl") || base.endsWith(".ndjson")) {
    let line = 0;
    for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
      line++;
      if (text.trim() === "") continue;
      let values: unknown;
      try {
        values = JSON.parse(text);
      } catch (e) {
        throw new DataValidationError(
          [{ code: "invalid_json", path: [], line, message: `not valid JSON (${(e as Error).message})` }],
          { file },
        );
      }
      if (typeof values !== "object" || values === null || Array.isArray(values)) {
        throw new DataValidationError(
          [{ code: "invalid_json", path: [], line, message: "each line must be a JSON object" }],
          { file },
        );
      }
      yield { line, values: values as Record<string, unknown> };
    }
    return;
  }
  const parser = input.pipe(
    parse({ columns: true, info: true, skip_empty_lines: true, bom: true, trim: false }),
  );
  try {
    for await (const rec of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      yield { line: rec.info.lines, values: rec.record };
    }
  } catch (e) {
    const err = e as { code?: string; lines?: number; message: string };
    if (err.code?.startsWith("CSV_")) {
      throw new DataValidationError(
        [{ code: "invalid_csv", path: [], line: err.lines ?? 0, message: err.message }],
        { file },
      );
    }
    throw e;
  }
}
