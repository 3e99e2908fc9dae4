import type { ConcurrentAssignment } from "./concurrent-assignment-schema.js";
import type { Decision } from "./decision-schema.js";
import type { OutcomeEvent } from "./outcome-event-schema.js";
import type { ParseResult } from "./parse-result.js";
import { type ReadOptions, type RecordReader, type RowValidator, readRecords } from "./read-records.js";
import type { RealizedTreatment } from "./realized-treatment-schema.js";
import {
  type RecordCodec,
  concurrentAssignmentCodec,
  createCsvDecoder,
  decisionCodec,
  outcomeEventCodec,
  realizedTreatmentCodec,
} from "./record-codec.js";

/** Options of readers whose records carry an id that must be unique across the stream. */
export interface UniqueIdReadOptions extends ReadOptions {
  /**
   * Refuse a second record with an id already seen (`duplicate_decision_id` /
   * `duplicate_event_id` at the id's path, naming the first line). Default true. This keeps a
   * map of ids to lines, the one piece of memory that grows with the file; turn it off for files
   * too large for that, and check uniqueness elsewhere.
   */
  uniqueIds?: boolean | undefined;
}

function withUniqueIds<T>(
  codec: RecordCodec<T>,
  idOf: (record: T) => string,
  field: string,
  code: string,
): RowValidator<T> {
  const seen = new Map<string, number>();
  return (raw, where) => {
    const r: ParseResult<T> = codec.parse(raw, where);
    if (!r.success) return r;
    const id = idOf(r.data);
    const first = seen.get(id);
    if (first !== undefined) {
      const issue = {
        code,
        path: [field],
        message: `${field} "${id}" was already used on line ${first}; ids must be unique across the log`,
        ...(where.line !== undefined ? { line: where.line } : {}),
        ...(where.file !== undefined ? { file: where.file } : {}),
      };
      return { success: false, issues: [issue] };
    }
    seen.set(id, where.line ?? seen.size + 1);
    return r;
  };
}

function reader<T>(
  file: string,
  codec: RecordCodec<T>,
  options: UniqueIdReadOptions,
  unique?: { idOf: (record: T) => string; field: string; code: string },
): RecordReader<T> {
  // A fresh validator per iteration, so iterating the reader twice does not see its own ids.
  let validate: RowValidator<T> = (raw, where) => codec.parse(raw, where);
  const make = () => {
    if (unique !== undefined && options.uniqueIds !== false) {
      validate = withUniqueIds(codec, unique.idOf, unique.field, unique.code);
    }
  };
  const inner = readRecords<T>(
    file,
    (raw, where) => validate(raw, where),
    (header) => createCsvDecoder(header, codec as RecordCodec<unknown>),
    options,
  );
  return {
    get summary() {
      return inner.summary;
    },
    [Symbol.asyncIterator]() {
      make();
      return inner[Symbol.asyncIterator]();
    },
    batches() {
      make();
      return inner.batches();
    },
    toArray() {
      make();
      return inner.toArray();
    },
  };
}

/**
 * Stream decisions from a JSONL or CSV file, validated (every rule of `decisionSchema`, plus unique
 * `decision_id`s across the file). In CSV, `eligible_actions` is a JSON array (or `a|b|c`),
 * `action_probabilities` a JSON object, and each feature a `features.<name>` column (empty = null,
 * `true`/`false` booleans, numbers numbers, else strings).
 *
 * @example
 * const reader = readDecisions("decisions.jsonl", { mode: "quarantine", rejectsFile: "rejects.jsonl" });
 * for await (const { line, record } of reader) console.log(line, record.action, record.propensity);
 * reader.summary; // { rows, valid, rejected, issues, rejectsFile, ... }
 */
export function readDecisions(file: string, options: UniqueIdReadOptions = {}): RecordReader<Decision> {
  return reader(file, decisionCodec, options, {
    idOf: (d) => d.decision_id,
    field: "decision_id",
    code: "duplicate_decision_id",
  });
}

/**
 * Stream outcome events from a JSONL or CSV file, validated, with unique `event_id`s.
 *
 * @example
 * for await (const { record } of readOutcomeEvents("outcomes.jsonl")) total += record.amount;
 */
export function readOutcomeEvents(
  file: string,
  options: UniqueIdReadOptions = {},
): RecordReader<OutcomeEvent> {
  return reader(file, outcomeEventCodec, options, {
    idOf: (e) => e.event_id,
    field: "event_id",
    code: "duplicate_event_id",
  });
}

/**
 * Stream realized-treatment events from a JSONL or CSV file, validated.
 *
 * @example
 * const treatments = await readRealizedTreatments("treatments.csv").toArray();
 */
export function readRealizedTreatments(
  file: string,
  options: ReadOptions = {},
): RecordReader<RealizedTreatment> {
  return reader(file, realizedTreatmentCodec, options);
}

/**
 * Stream concurrent assignments from a JSONL or CSV file, validated.
 *
 * @example
 * const concurrent = await readConcurrentAssignments("concurrent.jsonl").toArray();
 */
export function readConcurrentAssignments(
  file: string,
  options: ReadOptions = {},
): RecordReader<ConcurrentAssignment> {
  return reader(file, concurrentAssignmentCodec, options);
}
