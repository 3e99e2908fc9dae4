import { type DataIssue, DataValidationError } from "@cia/core";
import type { ExperimentIssue } from "./error-codes.js";

/** A literal a rule compares a feature with. */
export type RuleValue = number | string | boolean;

/** Comparison operators. Ordered comparisons need numeric columns; `==`/`!=` work on any. */
export type ComparisonOp = "<" | "<=" | ">" | ">=" | "==" | "!=";

/**
 * A rule expression over named feature (or history) columns:
 * - `{ feature, op, value }` comparison; a missing value (NaN, null, undefined) never passes;
 * - `{ feature, in: [...] }` / `{ feature, notIn: [...] }` set membership (missing never passes);
 * - `{ feature, missing: true | false }` test for missing values;
 * - `{ all: [...] }` (and), `{ any: [...] }` (or), `{ not: expr }`.
 */
export type RuleExpr =
  | { readonly feature: string; readonly op: ComparisonOp; readonly value: RuleValue }
  | { readonly feature: string; readonly in: readonly RuleValue[] }
  | { readonly feature: string; readonly notIn: readonly RuleValue[] }
  | { readonly feature: string; readonly missing: boolean }
  | { readonly all: readonly RuleExpr[] }
  | { readonly any: readonly RuleExpr[] }
  | { readonly not: RuleExpr };

/**
 * A named eligibility rule: a unit is eligible when every rule's `when` holds. The name is what
 * exclusion counts are reported under (lesson 16: eligibility is itself a model, so which rule
 * removes whom must be visible).
 */
export interface EligibilityRule {
  readonly name: string;
  readonly description?: string | undefined;
  readonly when: RuleExpr;
}

const OPS = new Set(["<", "<=", ">", ">=", "==", "!="]);

function isValue(v: unknown): v is RuleValue {
  return (typeof v === "number" && Number.isFinite(v)) || typeof v === "string" || typeof v === "boolean";
}

function checkExpr(e: unknown, path: (string | number)[], issues: ExperimentIssue[]): void {
  if (typeof e !== "object" || e === null || Array.isArray(e)) {
    issues.push({ code: "invalid_rule", path, message: "a rule expression must be an object" });
    return;
  }
  const o = e as Record<string, unknown>;
  const keys = Object.keys(o);
  const has = (k: string) => Object.hasOwn(o, k);
  const only = (allowed: string[]) => {
    for (const k of keys) {
      if (!allowed.includes(k)) {
        issues.push({
          code: "unknown_key",
          path: [...path, k],
          message: `unexpected key "${k}" (allowed: ${allowed.join(", ")})`,
        });
      }
    }
  };
  if (has("all") || has("any")) {
    const key = has("all") ? "all" : "any";
    only([key]);
    const list = o[key];
    if (!Array.isArray(list) || list.length === 0) {
      issues.push({
        code: "invalid_rule",
        path: [...path, key],
        message: `"${key}" must be a non-empty array of expressions`,
      });
      return;
    }
    for (let i = 0; i < list.length; i++) checkExpr(list[i], [...path, key, i], issues);
    return;
  }
  if (has("not")) {
    only(["not"]);
    checkExpr(o.not, [...path, "not"], issues);
    return;
  }
  if (typeof o.feature !== "string" || o.feature.length === 0) {
    issues.push({
      code: "invalid_rule",
      path: [...path, "feature"],
      message: 'a leaf expression needs a non-empty "feature"',
    });
    return;
  }
  if (has("op")) {
    only(["feature", "op", "value"]);
    if (typeof o.op !== "string" || !OPS.has(o.op)) {
      issues.push({
        code: "unknown_op",
        path: [...path, "op"],
        message: `op must be one of ${[...OPS].join(" ")}, got ${JSON.stringify(o.op)}`,
      });
    }
    if (!isValue(o.value)) {
      issues.push({
        code: "invalid_value",
        path: [...path, "value"],
        message: "value must be a finite number, a string or a boolean",
      });
    } else if (
      typeof o.value !== "number" &&
      (o.op === "<" || o.op === "<=" || o.op === ">" || o.op === ">=")
    ) {
      issues.push({
        code: "invalid_value",
        path: [...path, "value"],
        message: `op ${String(o.op)} needs a number`,
      });
    }
    return;
  }
  if (has("in") || has("notIn")) {
    const key = has("in") ? "in" : "notIn";
    only(["feature", key]);
    const list = o[key];
    if (!Array.isArray(list) || list.length === 0 || !list.every(isValue)) {
      issues.push({
        code: "invalid_value",
        path: [...path, key],
        message: `"${key}" must be a non-empty array of numbers, strings or booleans`,
      });
    }
    return;
  }
  if (has("missing")) {
    only(["feature", "missing"]);
    if (typeof o.missing !== "boolean") {
      issues.push({
        code: "invalid_value",
        path: [...path, "missing"],
        message: '"missing" must be true or false',
      });
    }
    return;
  }
  issues.push({
    code: "invalid_rule",
    path,
    message: 'a leaf expression needs "op"/"value", "in", "notIn" or "missing"',
  });
}

/**
 * Validate eligibility rules read from JSON, returning every issue (never throws).
 *
 * @example
 * const r = safeParseEligibilityRules(JSON.parse(text));
 * if (!r.success) console.error(formatIssues(r.issues));
 */
export function safeParseEligibilityRules(
  input: unknown,
): { success: true; data: EligibilityRule[] } | { success: false; issues: DataIssue[] } {
  const issues: ExperimentIssue[] = [];
  if (!Array.isArray(input)) {
    return {
      success: false,
      issues: [{ code: "invalid_rules", path: [], message: "eligibility rules must be an array" }],
    };
  }
  const names = new Set<string>();
  input.forEach((r, i) => {
    if (typeof r !== "object" || r === null) {
      issues.push({ code: "invalid_rule", path: [i], message: "a rule must be an object { name, when }" });
      return;
    }
    const rule = r as Record<string, unknown>;
    for (const k of Object.keys(rule)) {
      if (k !== "name" && k !== "description" && k !== "when") {
        issues.push({
          code: "unknown_key",
          path: [i, k],
          message: `unexpected key "${k}" (allowed: name, description, when)`,
        });
      }
    }
    if (typeof rule.name !== "string" || rule.name.length === 0) {
      issues.push({ code: "invalid_rule", path: [i, "name"], message: "a rule needs a non-empty name" });
    } else if (names.has(rule.name)) {
      issues.push({
        code: "duplicate_rule_name",
        path: [i, "name"],
        message: `rule name "${rule.name}" is used twice`,
      });
    } else names.add(rule.name);
    if (rule.description !== undefined && typeof rule.description !== "string") {
      issues.push({
        code: "invalid_rule",
        path: [i, "description"],
        message: "description must be a string",
      });
    }
    checkExpr(rule.when, [i, "when"], issues);
  });
  return issues.length ? { success: false, issues } : { success: true, data: input as EligibilityRule[] };
}

/**
 * Validate eligibility rules read from JSON; throws `DataValidationError` listing every issue.
 *
 * @example
 * const rules = parseEligibilityRules([{ name: "dormant", when: { feature: "days_inactive", op: ">=", value: 30 } }]);
 */
export function parseEligibilityRules(input: unknown, options: { file?: string } = {}): EligibilityRule[] {
  const r = safeParseEligibilityRules(input);
  if (!r.success)
    throw new DataValidationError(r.issues, options.file === undefined ? {} : { file: options.file });
  return r.data;
}
