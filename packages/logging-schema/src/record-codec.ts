import { cellToJson, cellToList, cellToNumberOrString, cellToScalar, scalarToCell } from "./csv-cells.js";
import { type ConcurrentAssignment, concurrentAssignmentSchema } from "./concurrent-assignment-schema.js";
import type { Decision } from "./decision-schema.js";
import { type OutcomeEvent, outcomeEventSchema } from "./outcome-event-schema.js";
import { safeParseDecision, safeParseRecord } from "./parse-records.js";
import type { ParseResult } from "./parse-result.js";
import { type RealizedTreatment, realizedTreatmentSchema } from "./realized-treatment-schema.js";
import type { IssueLocation } from "./to-data-issues.js";

/**
 * How one field of a log record is laid out in CSV: `string` and `number` cells as themselves,
 * `list` as a JSON array (a `|`-separated list is also read), `json` as a JSON document, `map` as
 * one column per key named `<field>.<key>` (e.g. `features.tenure_days`).
 */
export type CsvFieldKind = "string" | "number" | "list" | "json" | "map";

/** A record type's validation and its CSV layout. */
export interface RecordCodec<T> {
  /** Name used in messages ("decision", "outcome event"...). */
  readonly name: string;
  /** Fields in CSV column order. */
  readonly fields: readonly { readonly name: string; readonly kind: CsvFieldKind }[];
  /** Validate one raw record. */
  parse(raw: unknown, where: IssueLocation): ParseResult<T>;
}

/** Map cells: empty is null (missing), "true"/"false" booleans, numbers numbers, the rest strings. */
function cellToFeature(cell: string): unknown {
  if (cell === "true") return true;
  if (cell === "false") return false;
  return cellToScalar(cell);
}

/**
 * A function turning one CSV row (cells in `header` order) into the raw JSON-shaped record the
 * schema validates. Empty cells of scalar fields are absent fields (so a required one is reported
 * `missing_field`); unknown columns are kept so that validation reports them (`unknown_field`)
 * rather than dropping them. The column plan is computed once per header.
 */
export function createCsvDecoder(
  header: readonly string[],
  codec: RecordCodec<unknown>,
): (cells: readonly string[]) => Record<string, unknown> {
  const plan = header.map((name) => {
    const field = codec.fields.find((f) => f.name === name);
    if (field !== undefined && field.kind !== "map") return { name, kind: field.kind, key: "" };
    const dot = name.indexOf(".");
    const map =
      dot > 0 ? codec.fields.find((f) => f.kind === "map" && f.name === name.slice(0, dot)) : undefined;
    if (map !== undefined) return { name: map.name, kind: "map" as const, key: name.slice(dot + 1) };
    return { name, kind: "unknown" as const, key: "" };
  });
  return (cells) => {
    const out: Record<string, unknown> = {};
    for (let j = 0; j < plan.length; j++) {
      const col = plan[j]!;
      const cell = cells[j] ?? "";
      switch (col.kind) {
        case "map": {
          const map = (out[col.name] ??= {}) as Record<string, unknown>;
          map[col.key] = cellToFeature(cell);
          break;
        }
        case "unknown":
          out[col.name] = cell;
          break;
        default:
          if (cell === "") break;
          if (col.kind === "string") out[col.name] = cell;
          else if (col.kind === "number") out[col.name] = cellToNumberOrString(cell);
          else if (col.kind === "list") out[col.name] = cellToList(cell);
          else out[col.name] = cellToJson(cell);
      }
    }
    return out;
  };
}

/** The CSV header for a codec, with one `<map>.<key>` column per key of each map field. */
export function csvHeader(
  codec: RecordCodec<unknown>,
  mapKeys: Readonly<Record<string, readonly string[]>>,
): string[] {
  const header: string[] = [];
  for (const f of codec.fields) {
    if (f.kind === "map") for (const key of mapKeys[f.name] ?? []) header.push(`${f.name}.${key}`);
    else header.push(f.name);
  }
  return header;
}

/** Encode a record as CSV cells in `header` order (the inverse of {@link decodeCsvRow}). */
export function encodeCsvRow(record: Record<string, unknown>, header: readonly string[]): string[] {
  const cells = new Array<string>(header.length);
  for (let j = 0; j < header.length; j++) {
    const name = header[j]!;
    const dot = name.indexOf(".");
    let value: unknown;
    if (dot > 0 && !Object.hasOwn(record, name)) {
      const map = record[name.slice(0, dot)];
      value =
        map !== null && typeof map === "object"
          ? (map as Record<string, unknown>)[name.slice(dot + 1)]
          : undefined;
    } else value = record[name];
    cells[j] = Array.isArray(value) ? JSON.stringify(value) : scalarToCell(value);
  }
  return cells;
}

/** Decisions: fast validation path, features as `features.<name>` columns. */
export const decisionCodec: RecordCodec<Decision> = {
  name: "decision",
  fields: [
    { name: "schema_version", kind: "number" },
    { name: "decision_id", kind: "string" },
    { name: "unit_id", kind: "string" },
    { name: "program", kind: "string" },
    { name: "surface", kind: "string" },
    { name: "policy_id", kind: "string" },
    { name: "policy_version", kind: "string" },
    { name: "decision_time", kind: "string" },
    { name: "eligible_actions", kind: "list" },
    { name: "action", kind: "string" },
    { name: "propensity", kind: "number" },
    { name: "action_probabilities", kind: "json" },
    { name: "design", kind: "string" },
    { name: "salt", kind: "string" },
    { name: "bucket", kind: "number" },
    { name: "feature_ref", kind: "string" },
    { name: "feature_contract_hash", kind: "string" },
    { name: "features", kind: "map" },
  ],
  parse: safeParseDecision,
};

/** Realized-treatment events. */
export const realizedTreatmentCodec: RecordCodec<RealizedTreatment> = {
  name: "realized treatment",
  fields: [
    { name: "schema_version", kind: "number" },
    { name: "decision_id", kind: "string" },
    { name: "unit_id", kind: "string" },
    { name: "event", kind: "string" },
    { name: "time", kind: "string" },
  ],
  parse: (raw, where) => safeParseRecord(realizedTreatmentSchema, raw, where),
};

/** Outcome events. */
export const outcomeEventCodec: RecordCodec<OutcomeEvent> = {
  name: "outcome event",
  fields: [
    { name: "schema_version", kind: "number" },
    { name: "event_id", kind: "string" },
    { name: "unit_id", kind: "string" },
    { name: "decision_id", kind: "string" },
    { name: "kind", kind: "string" },
    { name: "amount", kind: "number" },
    { name: "time", kind: "string" },
    { name: "cost_definition", kind: "string" },
    { name: "metric", kind: "string" },
  ],
  parse: (raw, where) => safeParseRecord(outcomeEventSchema, raw, where),
};

/** Concurrent assignments. */
export const concurrentAssignmentCodec: RecordCodec<ConcurrentAssignment> = {
  name: "concurrent assignment",
  fields: [
    { name: "schema_version", kind: "number" },
    { name: "unit_id", kind: "string" },
    { name: "program", kind: "string" },
    { name: "decision_id", kind: "string" },
    { name: "action", kind: "string" },
    { name: "start_time", kind: "string" },
    { name: "end_time", kind: "string" },
  ],
  parse: (raw, where) => safeParseRecord(concurrentAssignmentSchema, raw, where),
};
