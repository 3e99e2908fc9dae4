import type { DataIssue } from "@cia/core";
import type { z } from "zod";

/** Where a record came from, stamped on each issue. */
export interface IssueLocation {
  /** File the record was read from. */
  file?: string | undefined;
  /** 1-based line of the record in that file. */
  line?: number | undefined;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return value.length > 40 ? `"${value.slice(0, 37)}..."` : `"${value}"`;
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

function locate(issue: DataIssue, where: IssueLocation): DataIssue {
  if (where.line !== undefined) issue.line = where.line;
  if (where.file !== undefined) issue.file = where.file;
  return issue;
}

/**
 * Turn zod issues into {@link DataIssue}s with stable CIA codes and exact paths (the field path
 * within the record; `line`/`file` say where the record is).
 *
 * Codes: `missing_field` (required field absent), `not_finite` (NaN/Infinity where a number is
 * required), `invalid_type`, `propensity_out_of_range`, `out_of_range` (other numeric bounds),
 * `too_short` / `too_long`, `invalid_time` (not ISO 8601 with offset), `invalid_format`,
 * `invalid_value` (not one of the allowed values), `unsupported_schema_version`, `unknown_field`
 * (one issue per unrecognized key, at that key's path), and the custom codes of the record rules
 * (e.g. `action_not_eligible`).
 *
 * @example
 * const r = decisionSchema.safeParse(raw);
 * if (!r.success) zodIssuesToDataIssues(r.error.issues, raw, { file: "d.jsonl", line: 7 });
 */
export function zodIssuesToDataIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  where: IssueLocation = {},
): DataIssue[] {
  const out: DataIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    const field = path.join(".") || "record";
    const value = valueAt(input, issue.path);
    switch (issue.code) {
      case "unrecognized_keys":
        for (const key of issue.keys) {
          out.push(
            locate(
              {
                code: "unknown_field",
                path: [...path, key],
                message: `unknown field "${key}" (not part of the schema; check the spelling)`,
              },
              where,
            ),
          );
        }
        continue;
      case "invalid_type": {
        let code = "invalid_type";
        let message = `${field}: expected ${issue.expected}, got ${describe(value)}`;
        if (value === undefined) {
          code = "missing_field";
          message = `required field ${field} is missing`;
        } else if (typeof value === "number" && !Number.isFinite(value)) {
          code = "not_finite";
          message = `${field} must be a finite number, got ${value}`;
        }
        out.push(locate({ code, path, message }, where));
        continue;
      }
      case "too_small":
      case "too_big": {
        const last = path[path.length - 1];
        const numeric = issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint";
        let code: string;
        if (numeric) code = last === "propensity" ? "propensity_out_of_range" : "out_of_range";
        else code = issue.code === "too_small" ? "too_short" : "too_long";
        const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
        const op = issue.code === "too_small" ? (issue.inclusive ? ">=" : ">") : issue.inclusive ? "<=" : "<";
        const what = numeric ? `${field} must be ${op} ${bound}` : `${field} must have length ${op} ${bound}`;
        const message =
          last === "propensity"
            ? `propensity must be in (0, 1], got ${describe(value)}`
            : `${what}, got ${describe(value)}`;
        out.push(locate({ code, path, message }, where));
        continue;
      }
      case "invalid_format": {
        const isTime = issue.format === "datetime";
        out.push(
          locate(
            {
              code: isTime ? "invalid_time" : "invalid_format",
              path,
              message: isTime
                ? `${field} must be an ISO 8601 date-time with an offset (e.g. 2026-01-31T12:00:00Z), got ${describe(value)}`
                : `${field} has an invalid format (${issue.format}), got ${describe(value)}`,
            },
            where,
          ),
        );
        continue;
      }
      case "invalid_value": {
        const isVersion = path.length === 1 && path[0] === "schema_version";
        out.push(
          locate(
            {
              code: isVersion ? "unsupported_schema_version" : "invalid_value",
              path,
              message: isVersion
                ? `schema_version ${describe(value)} is not supported (this reader understands ${issue.values.join(", ")})`
                : `${field} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${describe(value)}`,
            },
            where,
          ),
        );
        continue;
      }
      case "invalid_union": {
        // Discriminated unions report a bad discriminator here; plain unions list each branch.
        const note = (issue as { note?: string }).note;
        if (typeof value === "number" && !Number.isFinite(value)) {
          out.push(
            locate(
              { code: "not_finite", path, message: `${field} must be a finite number, got ${value}` },
              where,
            ),
          );
          continue;
        }
        const message =
          value === undefined
            ? `required field ${field} is missing`
            : note
              ? `${field}: ${note}, got ${describe(value)}`
              : `${field} has an unexpected type, got ${describe(value)}`;
        out.push(
          locate({ code: value === undefined ? "missing_field" : "invalid_type", path, message }, where),
        );
        continue;
      }
      case "custom": {
        const code = typeof issue.params?.code === "string" ? issue.params.code : "invalid";
        out.push(locate({ code, path, message: issue.message }, where));
        continue;
      }
      default:
        out.push(locate({ code: issue.code, path, message: `${field}: ${issue.message}` }, where));
    }
  }
  return out;
}
