import { formatIssues } from "@cia/core";
import { createWorld } from "@cia/simulator";
import { describe, expect, it } from "vitest";
import {
  type EligibilityRule,
  parseEligibilityRules,
  safeParseEligibilityRules,
} from "./eligibility-rule.js";
import { tableFromMatrix } from "./eligibility-table.js";
import { evaluateEligibility } from "./evaluate-eligibility.js";

const table = {
  n: 6,
  columns: {
    days_inactive: Float64Array.from([40, 10, 90, Number.NaN, 35, 31]),
    risk: ["low", "low", "high", "medium", null, "low"],
    opted_in: [true, true, true, false, true, true],
    platform: { codes: Int32Array.from([0, 1, 2, 0, -1, 1]), levels: ["ios", "android", "web"] },
    offers_last_30d: Float64Array.from([0, 1, 3, 0, 0, 2]),
  },
};

const rules: EligibilityRule[] = [
  { name: "dormant", when: { feature: "days_inactive", op: ">=", value: 30 } },
  { name: "low_risk", when: { feature: "risk", in: ["low", "medium"] } },
  {
    name: "reachable",
    when: {
      all: [
        { feature: "opted_in", op: "==", value: true },
        { not: { feature: "platform", op: "==", value: "web" } },
      ],
    },
  },
  { name: "not_fatigued", when: { feature: "offers_last_30d", op: "<", value: 2 } },
];

describe("evaluateEligibility", () => {
  it("evaluates named rules and counts exclusions by first, any and only failing rule", () => {
    const r = evaluateEligibility(rules, table);
    // unit 0: eligible; 1: fails dormant; 2: fails low_risk, reachable, not_fatigued;
    // 3: days missing -> fails dormant, and not opted in -> fails reachable; 4: risk missing -> fails low_risk
    // (platform missing: "not == web" passes since the inner comparison fails); 5: fails not_fatigued.
    expect(Array.from(r.eligible)).toEqual([1, 0, 0, 0, 0, 0]);
    expect(Array.from(r.firstFailing)).toEqual([-1, 0, 1, 0, 1, 3]);
    expect(r.nEligible).toBe(1);
    expect(r.nExcluded).toBe(5);
    expect(r.rules).toEqual([
      { name: "dormant", failed: 2, firstFailed: 2, onlyFailed: 1 },
      { name: "low_risk", failed: 2, firstFailed: 2, onlyFailed: 1 },
      { name: "reachable", failed: 2, firstFailed: 0, onlyFailed: 0 },
      { name: "not_fatigued", failed: 2, firstFailed: 1, onlyFailed: 1 },
    ]);
    expect(r.rules.reduce((s, x) => s + x.firstFailed, 0)).toBe(r.nExcluded);
  });

  it("supports any / notIn / missing tests and never lets missing satisfy a comparison", () => {
    const r = evaluateEligibility(
      [
        {
          name: "a",
          when: {
            any: [
              { feature: "days_inactive", missing: true },
              { feature: "days_inactive", op: ">", value: 50 },
            ],
          },
        },
        { name: "b", when: { feature: "platform", notIn: ["android"] } },
      ],
      table,
    );
    expect(Array.from(r.eligible)).toEqual([0, 0, 1, 1, 0, 0]);
    const ne = evaluateEligibility(
      [{ name: "ne", when: { feature: "days_inactive", op: "!=", value: 10 } }],
      table,
    );
    expect(Array.from(ne.eligible)).toEqual([1, 0, 1, 0, 1, 1]);
  });

  it("refuses unknown columns and type mismatches", () => {
    expect(() =>
      evaluateEligibility([{ name: "x", when: { feature: "nope", op: ">", value: 1 } }], table),
    ).toThrow(/not a column/);
    expect(() =>
      evaluateEligibility([{ name: "x", when: { feature: "platform", op: ">", value: 1 } }], table),
    ).toThrow(/categorical/);
    expect(() =>
      evaluateEligibility([{ name: "x", when: { feature: "days_inactive", op: "==", value: "a" } }], table),
    ).toThrow(/numeric/);
    expect(() =>
      evaluateEligibility([{ name: "x", when: { feature: "risk", op: ">", value: 1 } }], table),
    ).toThrow(/needs a number/);
  });

  it("runs on a simulator population (lifecycle as a categorical, history as an extra column)", () => {
    const world = createWorld("default");
    const pop = world.sampleUnits(3000, { seed: 4 });
    const history = Float64Array.from({ length: pop.n }, (_, i) => i % 4);
    const t = tableFromMatrix(pop.featureNames, pop.features, pop.categorical, { offers_last_30d: history });
    const r = evaluateEligibility(
      [
        { name: "not_new", when: { feature: "lifecycle", in: ["active", "dormant"] } },
        { name: "fatigue", when: { feature: "offers_last_30d", op: "<=", value: 2 } },
      ],
      t,
    );
    let notNew = 0;
    for (let i = 0; i < pop.n; i++) {
      const want = pop.lifecycle[i] !== 0 && history[i]! <= 2 ? 1 : 0;
      expect(r.eligible[i]).toBe(want);
      if (pop.lifecycle[i] === 0) notNew++;
    }
    expect(r.rules[0]!.failed).toBe(notNew);
    expect(r.rules[1]!.failed).toBe(pop.n / 4);
  });
});

describe("parseEligibilityRules", () => {
  it("accepts valid JSON rules", () => {
    expect(parseEligibilityRules(JSON.parse(JSON.stringify(rules)))).toEqual(rules);
  });

  it("reports every problem with its path", () => {
    const r = safeParseEligibilityRules([
      { name: "a", when: { feature: "x", op: "~", value: 1 } },
      { name: "a", when: { feature: "x", in: [] } },
      { name: "", when: { all: [{ feature: "x", op: ">", value: "s" }, { bogus: 1 }] } },
      { name: "d", when: { not: { feature: "x", missing: "yes" } }, extra: 1 },
    ]);
    expect(r.success).toBe(false);
    if (r.success) return;
    const codes = r.issues.map((i) => `${i.code}@${i.path.join(".")}`);
    expect(codes).toEqual([
      "unknown_op@0.when.op",
      "duplicate_rule_name@1.name",
      "invalid_value@1.when.in",
      "invalid_rule@2.name",
      "invalid_value@2.when.all.0.value",
      "invalid_rule@2.when.all.1.feature",
      "unknown_key@3.extra",
      "invalid_value@3.when.not.missing",
    ]);
    expect(formatIssues(r.issues)).toContain("[unknown_op]");
    expect(() => parseEligibilityRules({}, { file: "rules.json" })).toThrow(/rules.json/);
  });
});
