import { once } from "node:events";
import { type DataIssue, DataValidationError } from "@cia/core";
import type { ParseResult } from "./parse-result.js";
import { type TableFormat, formatOf, rawText, readRawRows } from "./raw-rows.js";
import type { IssueLocation } from "./to-data-issues.js";
import { createAtomicFile } from "./write-file-atomic.js";

/**
 * `strict`: the first invalid row stops the stream; the reader keeps scanning (without yielding)
 * until it has `maxIssues` issues or reaches the end, then throws a `DataValidationError` listing
 * them with file, line, field path and message. `quarantine`: valid rows flow on; each invalid row
 * is written with its reasons to the rejects file, and the counts are in the summary. No row is
 * ever dropped silently.
 */
export type ReadMode = "strict" | "quarantine";

/** Options of every reader. */
export interface ReadOptions {
  /** File format; default from the extension (`.csv` is CSV, anything else JSONL). */
  format?: TableFormat | undefined;
  /** Default `strict`. */
  mode?: ReadMode | undefined;
  /** Issues kept (strict: before failing; quarantine: in the summary). Default 20. */
  maxIssues?: number | undefined;
  /** Quarantine mode's rejects file (JSONL). Default `<file>.rejects.jsonl`. */
  rejectsFile?: string | undefined;
  /** Called once with the summary when the file has been read to the end. */
  onSummary?: ((summary: ReadSummary) => void) | undefined;
}

/** What a reader saw; available as `reader.summary` once the file has been read to the end. */
export interface ReadSummary {
  file: string;
  format: TableFormat;
  mode: ReadMode;
  /** Data rows read (header and blank lines excluded). */
  rows: number;
  /** Rows that passed validation and were yielded. */
  valid: number;
  /** Rows that failed validation (quarantine: written to the rejects file). */
  rejected: number;
  /** Blank lines skipped. */
  blankLines: number;
  /** Total number of issues found. */
  issueCount: number;
  /** The first `maxIssues` issues. */
  issues: DataIssue[];
  /** Quarantine mode: where the rejected rows are. */
  rejectsFile?: string;
}

/** A validated record with the 1-based line it started on. */
export interface LineRecord<T> {
  line: number;
  record: T;
}

/**
 * A streaming reader: iterate it with `for await`; `summary` is set once the end is reached.
 *
 * @example
 * const reader = readDecisions("decisions.jsonl", { mode: "quarantine" });
 * for await (const { line, record } of reader) use(record);
 * console.log(reader.summary); // { rows, valid, rejected, rejectsFile, ... }
 */
export interface RecordReader<T> extends AsyncIterable<LineRecord<T>> {
  /** Set when the whole file has been read. */
  readonly summary: ReadSummary | undefined;
  /** The same records in batches (one per file chunk): the fastest way through a large file. */
  batches(): AsyncIterable<LineRecord<T>[]>;
  /** Read everything into memory (for small files and tests). */
  toArray(): Promise<T[]>;
}

/** Validates one raw row: `where` carries the file and line for the issues. */
export type RowValidator<T> = (raw: unknown, where: IssueLocation) => ParseResult<T>;

/** A rejected row as written to the rejects file. */
export interface RejectedRow {
  file: string;
  line: number;
  issues: DataIssue[];
  /** The row's original text. */
  raw: string;
}

/**
 * Stream any validated records out of a JSONL or CSV file (the engine behind `readDecisions`,
 * `readOutcomeEvents`, `readTable`...). `validate` runs per row; `decodeCsv` turns CSV cells into a
 * raw record for it. Memory is constant: one chunk, one row, and whatever `validate` keeps.
 *
 * @example
 * const reader = readRecords("t.jsonl", (raw, where) => safeParseRecord(mySchema, raw, where), header => cells => cells);
 */
export function readRecords<T>(
  file: string,
  validate: RowValidator<T>,
  decodeCsv: (header: readonly string[]) => (cells: readonly string[]) => unknown,
  options: ReadOptions = {},
): RecordReader<T> {
  const format = formatOf(file, options.format);
  const mode = options.mode ?? "strict";
  const maxIssues = options.maxIssues ?? 20;
  let summary: ReadSummary | undefined;

  // One batch per file chunk (JSONL) or 1024 rows (CSV): the per-row path is a plain loop.
  async function* batches(): AsyncGenerator<LineRecord<T>[]> {
    const s: ReadSummary = {
      file,
      format,
      mode,
      rows: 0,
      valid: 0,
      rejected: 0,
      blankLines: 0,
      issueCount: 0,
      issues: [],
    };
    const rejectsFile = mode === "quarantine" ? (options.rejectsFile ?? `${file}.rejects.jsonl`) : undefined;
    const rejects = rejectsFile !== undefined ? createAtomicFile(rejectsFile) : undefined;
    let failed = false; // strict mode has seen an invalid row: stop yielding, keep collecting issues
    let completed = false;
    try {
      scan: for await (const rows of readRawRows(file, format, decodeCsv, () => s.blankLines++)) {
        const out: LineRecord<T>[] = [];
        let rejected = "";
        for (const row of rows) {
          s.rows++;
          let issues = row.issues;
          if (issues === undefined) {
            const r = validate(row.value, { file, line: row.line });
            if (r.success) {
              if (failed) continue;
              s.valid++;
              out.push({ line: row.line, record: r.data });
              continue;
            }
            issues = r.issues;
          }
          s.rejected++;
          s.issueCount += issues.length;
          for (const issue of issues) if (s.issues.length < maxIssues) s.issues.push(issue);
          if (mode === "strict") {
            if (!failed && out.length > 0) yield out.splice(0);
            failed = true;
            if (s.issues.length >= maxIssues) break scan;
            continue;
          }
          const text = rawText(row).replace(/^[\r\n]+|[\r\n]+$/g, "");
          const entry: RejectedRow = { file, line: row.line, issues, raw: text };
          rejected += `${JSON.stringify(entry)}\n`;
        }
        if (rejected.length > 0 && !rejects!.stream.write(rejected)) await once(rejects!.stream, "drain");
        if (out.length > 0) yield out;
      }
      if (rejects !== undefined) {
        await rejects.commit();
        s.rejectsFile = rejectsFile!;
      }
      completed = true;
      summary = s;
      if (failed) throw new DataValidationError(s.issues, { file });
      options.onSummary?.(s);
    } finally {
      // Aborted part-way (consumer stopped, or a fatal error): a partial rejects file would look
      // complete, so none is left behind.
      if (!completed && rejects !== undefined) await rejects.abort();
    }
  }

  async function* iterate(): AsyncGenerator<LineRecord<T>> {
    for await (const batch of batches()) yield* batch;
  }

  return {
    get summary() {
      return summary;
    },
    [Symbol.asyncIterator]: iterate,
    batches,
    async toArray() {
      const out: T[] = [];
      for await (const batch of batches()) for (const { record } of batch) out.push(record);
      return out;
    },
  };
}
