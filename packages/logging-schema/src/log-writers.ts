import { CiaError, DataValidationError } from "@cia/core";
import type { ConcurrentAssignment } from "./concurrent-assignment-schema.js";
import type { Decision } from "./decision-schema.js";
import type { LoggingSchemaErrorCode } from "./error-codes.js";
import type { OutcomeEvent } from "./outcome-event-schema.js";
import { type TableFormat, formatOf } from "./raw-rows.js";
import type { RealizedTreatment } from "./realized-treatment-schema.js";
import {
  type RecordCodec,
  concurrentAssignmentCodec,
  csvHeader,
  decisionCodec,
  encodeCsvRow,
  outcomeEventCodec,
  realizedTreatmentCodec,
} from "./record-codec.js";
import { batchLines, csvChunks } from "./text-chunks.js";
import { writeFileAtomic } from "./write-file-atomic.js";

/** Options of the log writers. */
export interface WriteOptions {
  /** Default from the extension (`.csv` is CSV, anything else JSONL). */
  format?: TableFormat | undefined;
  /**
   * Validate each record before writing (default true): a writer that can emit an invalid log
   * defeats the contract. The first invalid record aborts the write (`DataValidationError`, its
   * 1-based position as `line`), and no file is produced.
   */
  validate?: boolean | undefined;
  /**
   * CSV only: the `features.<name>` columns, in order. Default: the feature names of the first
   * record. A later record with a feature outside this list throws (`unknown_feature_column`)
   * rather than losing it.
   */
  featureColumns?: readonly string[] | undefined;
}

/** What a writer wrote. */
export interface WriteSummary {
  file: string;
  format: TableFormat;
  rows: number;
}

type Records<T> = AsyncIterable<T> | Iterable<T>;

async function* checked<T>(
  records: Records<T>,
  codec: RecordCodec<T>,
  file: string,
  validate: boolean,
  count: { n: number },
) {
  for await (const record of records) {
    count.n++;
    if (validate) {
      const r = codec.parse(record, { file, line: count.n });
      if (!r.success) throw new DataValidationError(r.issues, { file });
    }
    yield record;
  }
}

async function writeLog<T>(
  file: string,
  records: Records<T>,
  codec: RecordCodec<T>,
  options: WriteOptions,
): Promise<WriteSummary> {
  const format = formatOf(file, options.format);
  const count = { n: 0 };
  const valid = checked(records, codec, file, options.validate ?? true, count);
  if (format === "jsonl") {
    async function* lines() {
      for await (const r of valid) yield `${JSON.stringify(r)}\n`;
    }
    await writeFileAtomic(file, batchLines(lines()));
    return { file, format, rows: count.n };
  }
  const mapField = codec.fields.find((f) => f.kind === "map")?.name;
  async function* rows() {
    let header: string[] | undefined;
    let allowed: Set<string> | undefined;
    for await (const r of valid) {
      const rec = r as Record<string, unknown>;
      const map = mapField !== undefined ? (rec[mapField] as Record<string, unknown> | undefined) : undefined;
      if (header === undefined) {
        const keys = options.featureColumns ?? (map !== undefined ? Object.keys(map) : []);
        allowed = new Set(keys);
        header = csvHeader(codec as RecordCodec<unknown>, mapField !== undefined ? { [mapField]: keys } : {});
        yield header;
      }
      if (map !== undefined) {
        for (const key of Object.keys(map)) {
          if (!allowed!.has(key)) {
            throw new CiaError<LoggingSchemaErrorCode>(
              "unknown_feature_column",
              `${file}: record ${count.n} has feature "${key}", which is not among the CSV's feature columns [${[...allowed!].join(", ")}]; pass featureColumns or write JSONL`,
              { file, record: count.n, feature: key },
            );
          }
        }
      }
      yield encodeCsvRow(rec, header);
    }
  }
  await writeFileAtomic(file, csvChunks(rows()));
  return { file, format, rows: count.n };
}

/**
 * Write decisions to JSONL or CSV, validated, atomically (temp file + rename).
 *
 * @example
 * await writeDecisions("decisions.jsonl", decisions); // { file, format: "jsonl", rows }
 */
export function writeDecisions(
  file: string,
  records: Records<Decision>,
  options: WriteOptions = {},
): Promise<WriteSummary> {
  return writeLog(file, records, decisionCodec, options);
}

/**
 * Write outcome events to JSONL or CSV, validated, atomically.
 *
 * @example
 * await writeOutcomeEvents("outcomes.csv", events);
 */
export function writeOutcomeEvents(
  file: string,
  records: Records<OutcomeEvent>,
  options: WriteOptions = {},
): Promise<WriteSummary> {
  return writeLog(file, records, outcomeEventCodec, options);
}

/**
 * Write realized-treatment events to JSONL or CSV, validated, atomically.
 *
 * @example
 * await writeRealizedTreatments("treatments.jsonl", treatments);
 */
export function writeRealizedTreatments(
  file: string,
  records: Records<RealizedTreatment>,
  options: WriteOptions = {},
): Promise<WriteSummary> {
  return writeLog(file, records, realizedTreatmentCodec, options);
}

/**
 * Write concurrent assignments to JSONL or CSV, validated, atomically.
 *
 * @example
 * await writeConcurrentAssignments("concurrent.jsonl", assignments);
 */
export function writeConcurrentAssignments(
  file: string,
  records: Records<ConcurrentAssignment>,
  options: WriteOptions = {},
): Promise<WriteSummary> {
  return writeLog(file, records, concurrentAssignmentCodec, options);
}
