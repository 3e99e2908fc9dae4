import { CiaError } from "@cia/core";
import type { ComparisonOp, EligibilityRule, RuleExpr, RuleValue } from "./eligibility-rule.js";
import type { CodedColumn, EligibilityColumn, EligibilityTable } from "./eligibility-table.js";
import type { ExperimentErrorCode } from "./error-codes.js";

/** Per-rule exclusion counts. */
export interface RuleCount {
  readonly name: string;
  /** Units failing this rule (a unit failing several rules counts under each). */
  readonly failed: number;
  /** Units whose first failing rule (in rule order) is this one: these counts sum to the excluded. */
  readonly firstFailed: number;
  /** Units failing only this rule: how many would become eligible if the rule were dropped. */
  readonly onlyFailed: number;
}

/** Eligibility of every unit, with who was excluded by which rule. */
export interface EligibilityResult {
  readonly n: number;
  /** 1 = eligible (passes every rule). */
  readonly eligible: Uint8Array;
  readonly nEligible: number;
  readonly nExcluded: number;
  /** Index of the first failing rule per unit, -1 when eligible. */
  readonly firstFailing: Int32Array;
  readonly rules: readonly RuleCount[];
}

function isCoded(c: EligibilityColumn): c is CodedColumn {
  return typeof c === "object" && c !== null && "codes" in c && "levels" in c;
}

function isNumericArray(c: EligibilityColumn): c is ArrayLike<number> {
  return ArrayBuffer.isView(c);
}

function compare(op: ComparisonOp, x: number | string | boolean, v: RuleValue): boolean {
  switch (op) {
    case "==":
      return x === v;
    case "!=":
      return x !== v;
    case "<":
      return (x as number) < (v as number);
    case "<=":
      return (x as number) <= (v as number);
    case ">":
      return (x as number) > (v as number);
    case ">=":
      return (x as number) >= (v as number);
  }
}

const ORDERED = new Set<ComparisonOp>(["<", "<=", ">", ">="]);

function column(table: EligibilityTable, feature: string): EligibilityColumn {
  const c = table.columns[feature];
  if (c === undefined) {
    throw new CiaError<ExperimentErrorCode>(
      "unknown_feature",
      `eligibility rule reads "${feature}", which is not a column`,
      {
        feature,
        columns: Object.keys(table.columns),
      },
    );
  }
  const len = isCoded(c) ? c.codes.length : c.length;
  if (len !== table.n)
    throw new CiaError<ExperimentErrorCode>(
      "shape_mismatch",
      `column "${feature}" has ${len} rows, not ${table.n}`,
    );
  return c;
}

// Each expression is evaluated into a whole-table mask (one pass per leaf over a typed array),
// which keeps the hot loops free of per-unit closures and allocation.
function evalExpr(e: RuleExpr, table: EligibilityTable): Uint8Array {
  const n = table.n;
  if ("all" in e || "any" in e) {
    const isAll = "all" in e;
    const list = isAll ? e.all : e.any;
    const out = new Uint8Array(n).fill(isAll ? 1 : 0);
    for (const sub of list) {
      const m = evalExpr(sub, table);
      if (isAll) for (let i = 0; i < n; i++) out[i] = out[i]! & m[i]!;
      else for (let i = 0; i < n; i++) out[i] = out[i]! | m[i]!;
    }
    return out;
  }
  if ("not" in e) {
    const m = evalExpr(e.not, table);
    for (let i = 0; i < n; i++) m[i] = 1 - m[i]!;
    return m;
  }
  const col = column(table, e.feature);
  const out = new Uint8Array(n);
  if ("missing" in e) {
    const want = e.missing ? 1 : 0;
    for (let i = 0; i < n; i++) {
      let miss: boolean;
      if (isCoded(col)) {
        const c = col.codes[i]!;
        miss = !(c >= 0 && c < col.levels.length);
      } else {
        const x = (col as ArrayLike<unknown>)[i];
        miss = x === null || x === undefined || (typeof x === "number" && Number.isNaN(x));
      }
      out[i] = (miss ? 1 : 0) === want ? 1 : 0;
    }
    return out;
  }
  if (isCoded(col)) {
    // Compare by level: translate the literal(s) to a lookup over codes once.
    const hit = new Uint8Array(col.levels.length);
    let negate = false;
    if ("op" in e) {
      if (e.op !== "==" && e.op !== "!=") {
        throw new CiaError<ExperimentErrorCode>(
          "rule_type_mismatch",
          `"${e.feature}" is categorical; op ${e.op} needs a number`,
          {
            feature: e.feature,
          },
        );
      }
      for (let j = 0; j < col.levels.length; j++) hit[j] = col.levels[j] === e.value ? 1 : 0;
      negate = e.op === "!=";
    } else {
      const set = new Set<RuleValue>("in" in e ? e.in : e.notIn);
      for (let j = 0; j < col.levels.length; j++) hit[j] = set.has(col.levels[j]!) ? 1 : 0;
      negate = "notIn" in e;
    }
    const L = col.levels.length;
    for (let i = 0; i < n; i++) {
      const c = col.codes[i]!;
      if (!(c >= 0 && c < L)) continue; // missing never passes
      out[i] = negate ? 1 - hit[c]! : hit[c]!;
    }
    return out;
  }
  if (isNumericArray(col)) {
    const num = (v: RuleValue): number => {
      if (typeof v === "boolean") return v ? 1 : 0;
      if (typeof v === "number") return v;
      throw new CiaError<ExperimentErrorCode>(
        "rule_type_mismatch",
        `"${e.feature}" is numeric; cannot compare with "${v}"`,
        {
          feature: e.feature,
        },
      );
    };
    if ("op" in e) {
      const v = num(e.value);
      const op = e.op;
      for (let i = 0; i < n; i++) {
        const x = col[i]!;
        if (Number.isNaN(x)) continue;
        out[i] = compare(op, x, v) ? 1 : 0;
      }
    } else {
      const set = new Set<number>(("in" in e ? e.in : e.notIn).map(num));
      const negate = "notIn" in e;
      for (let i = 0; i < n; i++) {
        const x = col[i]!;
        if (Number.isNaN(x)) continue;
        out[i] = set.has(x) !== negate ? 1 : 0;
      }
    }
    return out;
  }
  const values = col as readonly (RuleValue | null | undefined)[];
  if ("op" in e) {
    const ordered = ORDERED.has(e.op);
    for (let i = 0; i < n; i++) {
      const x = values[i];
      if (x === null || x === undefined || (typeof x === "number" && Number.isNaN(x))) continue;
      if (ordered && typeof x !== "number") {
        throw new CiaError<ExperimentErrorCode>(
          "rule_type_mismatch",
          `"${e.feature}" row ${i} is ${JSON.stringify(x)}; op ${e.op} needs a number`,
          {
            feature: e.feature,
            row: i,
          },
        );
      }
      out[i] = compare(e.op, x, e.value) ? 1 : 0;
    }
  } else {
    const set = new Set<RuleValue>("in" in e ? e.in : e.notIn);
    const negate = "notIn" in e;
    for (let i = 0; i < n; i++) {
      const x = values[i];
      if (x === null || x === undefined || (typeof x === "number" && Number.isNaN(x))) continue;
      out[i] = set.has(x) !== negate ? 1 : 0;
    }
  }
  return out;
}

/**
 * Evaluate named eligibility rules on a table. A unit is eligible when it passes every rule; a
 * missing value never satisfies a comparison or membership test (so "x != 3" excludes missing x;
 * write `{ any: [{ feature: "x", missing: true }, ...] }` to let missing through).
 *
 * Reports per rule how many units fail it, how many fail it first (in rule order: these sum to
 * the excluded count) and how many fail it alone (the gain from dropping it).
 *
 * @example
 * const r = evaluateEligibility(
 *   [{ name: "dormant", when: { feature: "days_inactive", op: ">=", value: 30 } },
 *    { name: "not_fraud", when: { feature: "risk", in: ["low", "medium"] } }],
 *   { n: 3, columns: { days_inactive: new Float64Array([40, 10, 90]), risk: ["low", "low", "high"] } },
 * );
 * r.eligible; // Uint8Array [1, 0, 0]
 */
export function evaluateEligibility(
  rules: readonly EligibilityRule[],
  table: EligibilityTable,
): EligibilityResult {
  const n = table.n;
  const names = new Set<string>();
  for (const r of rules) {
    if (names.has(r.name))
      throw new CiaError<ExperimentErrorCode>("duplicate_rule_name", `rule name "${r.name}" is used twice`);
    names.add(r.name);
  }
  const masks = rules.map((r) => evalExpr(r.when, table));
  const eligible = new Uint8Array(n);
  const firstFailing = new Int32Array(n);
  const failCount = new Int32Array(n);
  const lastFail = new Int32Array(n);
  const failed = new Array<number>(rules.length).fill(0);
  const firstFailed = new Array<number>(rules.length).fill(0);
  const onlyFailed = new Array<number>(rules.length).fill(0);
  let nEligible = 0;
  for (let i = 0; i < n; i++) {
    let first = -1;
    let count = 0;
    for (let r = 0; r < masks.length; r++) {
      if (masks[r]![i] === 0) {
        failed[r]!++;
        if (first < 0) first = r;
        count++;
        lastFail[i] = r;
      }
    }
    firstFailing[i] = first;
    failCount[i] = count;
    if (first < 0) {
      eligible[i] = 1;
      nEligible++;
    } else {
      firstFailed[first]!++;
      if (count === 1) onlyFailed[lastFail[i]!]!++;
    }
  }
  return {
    n,
    eligible,
    nEligible,
    nExcluded: n - nEligible,
    firstFailing,
    rules: rules.map((r, j) => ({
      name: r.name,
      failed: failed[j]!,
      firstFailed: firstFailed[j]!,
      onlyFailed: onlyFailed[j]!,
    })),
  };
}
