import type { ExperimentTable, RawFeature } from "@cia/logging-schema";

/** One unit to decide for, as the client sent it (after {@link parseDecideBody}). */
export interface DecideRequestItem {
  unit_id: string;
  /** Every feature of the contract (null = a missing value); other keys are ignored, as in batch scoring. */
  features: Record<string, unknown>;
  /** Optional: the actions this unit may get (the no-offer action is always eligible). */
  eligible_actions?: string[] | undefined;
}

/** A problem with a request, named by the item (batch form), the field and a stable code. */
export interface RequestIssue {
  /** Index of the item in a batch request. */
  index?: number;
  /** Dotted path of the field: `unit_id`, `features.platform`, `requests`. */
  field: string;
  code: string;
  message: string;
}

/** Limits of {@link parseDecideBody}. */
export interface DecideBodySpec {
  /** The contract's feature names (plus the model's segment column, if any): each must be a key. */
  requiredFeatures: readonly string[];
  /** The model's actions (for `eligible_actions`). */
  actions: readonly string[];
  /** Largest batch. */
  maxBatch: number;
  /** Longest unit id. */
  maxUnitIdLength: number;
}

/** Either the items of a valid body or the issues found. */
export type ParsedDecideBody =
  | { ok: true; items: DecideRequestItem[]; batch: boolean }
  | { ok: false; issues: RequestIssue[] };

const MAX_ISSUES = 20;

function kind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkItem(
  raw: unknown,
  spec: DecideBodySpec,
  index: number | undefined,
  issues: RequestIssue[],
): DecideRequestItem | null {
  const at = (field: string, code: string, message: string) => {
    if (issues.length < MAX_ISSUES)
      issues.push(index === undefined ? { field, code, message } : { index, field, code, message });
  };
  if (!isPlainObject(raw)) {
    at("", "invalid_type", `expected an object { "unit_id", "features" }, got ${kind(raw)}`);
    return null;
  }
  let ok = true;
  const unitId = raw.unit_id;
  if (typeof unitId !== "string" || unitId.length === 0) {
    at(
      "unit_id",
      unitId === undefined ? "missing_field" : "invalid_type",
      `unit_id must be a non-empty string, got ${kind(unitId)}`,
    );
    ok = false;
  } else if (unitId.length > spec.maxUnitIdLength) {
    at(
      "unit_id",
      "too_long",
      `unit_id has ${unitId.length} characters, the limit is ${spec.maxUnitIdLength}`,
    );
    ok = false;
  }
  const features = raw.features;
  if (!isPlainObject(features)) {
    at(
      "features",
      features === undefined ? "missing_field" : "invalid_type",
      `features must be an object of feature values, got ${kind(features)}`,
    );
    ok = false;
  } else {
    for (const name of spec.requiredFeatures) {
      if (!Object.hasOwn(features, name)) {
        at(
          `features.${name}`,
          "missing_feature",
          `feature "${name}" is absent (send every feature of the contract; null marks a missing value)`,
        );
        ok = false;
        continue;
      }
      // The contract checks each type precisely; objects and arrays never reach it (nor the log).
      const v = features[name];
      if (v !== null && typeof v === "object") {
        at(`features.${name}`, "invalid_type", `expected a number, string, boolean or null, got ${kind(v)}`);
        ok = false;
      }
    }
  }
  let eligible: string[] | undefined;
  if (raw.eligible_actions !== undefined) {
    const e = raw.eligible_actions;
    if (!Array.isArray(e) || e.some((a) => typeof a !== "string")) {
      at(
        "eligible_actions",
        "invalid_type",
        `eligible_actions must be an array of action names, got ${kind(e)}`,
      );
      ok = false;
    } else {
      for (const a of e as string[]) {
        if (!spec.actions.includes(a)) {
          at(
            "eligible_actions",
            "unknown_action",
            `action "${a.slice(0, 40)}" is not one of [${spec.actions.join(", ")}]`,
          );
          ok = false;
        }
      }
      eligible = e as string[];
    }
  }
  if (!ok) return null;
  return {
    unit_id: unitId as string,
    features: features as Record<string, unknown>,
    eligible_actions: eligible,
  };
}

/**
 * Check a `POST /decide` body: one item `{ "unit_id", "features": {...} }` or a batch
 * `{ "requests": [item, ...] }`. Checks the shape only (ids, that every contract feature is a key,
 * eligible action names); the values are checked by the feature contract itself.
 *
 * @example
 * const r = parseDecideBody(body, { requiredFeatures: ["age"], actions: ["control", "offer"], maxBatch: 1000, maxUnitIdLength: 256 });
 * if (!r.ok) reply.code(400).send({ error: "invalid_request", issues: r.issues });
 */
export function parseDecideBody(body: unknown, spec: DecideBodySpec): ParsedDecideBody {
  const issues: RequestIssue[] = [];
  if (isPlainObject(body) && Object.hasOwn(body, "requests")) {
    const list = body.requests;
    if (!Array.isArray(list) || list.length === 0) {
      return {
        ok: false,
        issues: [
          {
            field: "requests",
            code: "invalid_type",
            message: `requests must be a non-empty array, got ${kind(list)}`,
          },
        ],
      };
    }
    if (list.length > spec.maxBatch) {
      return {
        ok: false,
        issues: [
          {
            field: "requests",
            code: "too_many",
            message: `a batch holds at most ${spec.maxBatch} requests, got ${list.length}`,
          },
        ],
      };
    }
    const items: DecideRequestItem[] = [];
    for (let i = 0; i < list.length; i++) {
      const item = checkItem(list[i], spec, i, issues);
      if (item) items.push(item);
    }
    return issues.length > 0 || items.length !== list.length
      ? { ok: false, issues }
      : { ok: true, items, batch: true };
  }
  const item = checkItem(body, spec, undefined, issues);
  return item ? { ok: true, items: [item], batch: false } : { ok: false, issues };
}

/**
 * The items as a scoring table (the form `scoreCiaModel` reads, as for a CSV in `cia score`): one
 * row per item, one raw column per required feature.
 *
 * @example
 * const table = requestTable(items, ["age", "platform"]);
 */
export function requestTable(
  items: readonly DecideRequestItem[],
  featureNames: readonly string[],
): ExperimentTable {
  const n = items.length;
  const features: Record<string, RawFeature[]> = {};
  for (const name of featureNames) {
    const col = new Array<RawFeature>(n);
    for (let i = 0; i < n; i++) col[i] = items[i]!.features[name] as RawFeature;
    features[name] = col;
  }
  return {
    file: "request",
    n,
    lines: new Int32Array(n),
    unitIds: items.map((it) => it.unit_id),
    featureNames: [...featureNames],
    features,
  };
}
