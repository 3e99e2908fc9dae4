import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCertainlyValidDecision } from "./decision-fast-path.js";
import { decisionSchema } from "./decision-schema.js";
import { safeParseDecision } from "./parse-records.js";
import { decisionArb, validDecision } from "./test-helpers/fixtures.js";
import { zodIssuesToDataIssues } from "./to-data-issues.js";

const FIELDS = [
  "schema_version",
  "decision_id",
  "unit_id",
  "program",
  "surface",
  "policy_id",
  "policy_version",
  "decision_time",
  "eligible_actions",
  "action",
  "propensity",
  "action_probabilities",
  "design",
  "salt",
  "bucket",
  "features",
  "feature_ref",
  "feature_contract_hash",
  "extra_field",
];

// Values near every boundary the schema draws, plus arbitrary JSON-ish values.
const edgeValue = fc.oneof(
  fc.constantFrom<unknown>(
    "",
    "x",
    0,
    -0,
    -1,
    1,
    1.0000001,
    0.25,
    2 ** 53,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    null,
    undefined,
    true,
    [],
    ["control", "control"],
    ["credit_5"],
    {},
    { control: 1 },
    { control: 0.75, credit_5: 0.25 },
    { "": 1 },
    { a: [1] },
    { a: Number.NaN },
    "2026-01-01T00:00:00Z",
    "2026-02-30T00:00:00Z",
    "2026-01-01T00:00:00",
    "2026-01-01T24:00:00Z",
    "2026-01-01T00:00:00.123456+05:30",
    "uniform",
    "credit_5",
    "a".repeat(64),
    "A".repeat(64),
  ),
  fc.anything(),
);

const mutatedDecision = fc
  .tuple(
    decisionArb,
    fc.array(fc.tuple(fc.constantFrom(...FIELDS), edgeValue, fc.boolean()), { maxLength: 3 }),
  )
  .map(([d, edits]) => {
    const out: Record<string, unknown> = { ...d };
    for (const [field, value, remove] of edits) {
      if (remove) delete out[field];
      else out[field] = value;
    }
    return out;
  });

describe("decision fast path", () => {
  it("accepts the hand-made and generated valid decisions (so good rows skip zod)", () => {
    expect(isCertainlyValidDecision(validDecision())).toBe(true);
    fc.assert(
      fc.property(decisionArb, (d) => isCertainlyValidDecision(d) && decisionSchema.safeParse(d).success),
      { numRuns: 500, seed: 11 },
    );
  });

  it("never accepts what zod refuses, and agrees with zod's data (generated good and bad rows)", () => {
    fc.assert(
      fc.property(mutatedDecision, (raw) => {
        const z = decisionSchema.safeParse(raw);
        if (isCertainlyValidDecision(raw)) {
          expect(z.success).toBe(true);
          expect(z.data).toEqual(raw);
        }
        // safeParseDecision (fast path + fallback) gives exactly zod's verdict and issues.
        const ours = safeParseDecision(raw, { line: 4 });
        expect(ours.success).toBe(z.success);
        if (!ours.success && !z.success)
          expect(ours.issues).toEqual(zodIssuesToDataIssues(z.error.issues, raw, { line: 4 }));
      }),
      { numRuns: 2000, seed: 12 },
    );
  });

  it("falls back to zod for prototype-polluting keys", () => {
    const raw = JSON.parse(
      '{"schema_version":1,"decision_id":"d","unit_id":"u","program":"p","surface":"s","policy_id":"x","policy_version":"1","decision_time":"2026-01-01T00:00:00Z","eligible_actions":["a"],"action":"a","propensity":1,"design":"greedy","features":{"__proto__":1}}',
    );
    expect(isCertainlyValidDecision(raw)).toBe(false);
  });
});

const CROSS_FIELD_CODES = [
  "duplicate_action",
  "action_not_eligible",
  "probabilities_do_not_sum_to_one",
  "propensity_mismatch",
  "missing_feature_contract_hash",
];

describe("property: generated logs", () => {
  it("valid generated decisions parse, and survive a JSON round trip unchanged", () => {
    fc.assert(
      fc.property(decisionArb, (d) => {
        const r = safeParseDecision(JSON.parse(JSON.stringify(d)));
        expect(r.success).toBe(true);
        if (r.success) expect(r.data).toEqual(d);
      }),
      { numRuns: 300, seed: 13 },
    );
  });

  // Each corruption makes exactly one field invalid; the issue must be at that field's path.
  const corruptions: [string, (d: Record<string, unknown>) => (string | number)[]][] = [
    [
      "schema_version",
      (d) => {
        d.schema_version = 2;
        return ["schema_version"];
      },
    ],
    [
      "decision_id",
      (d) => {
        d.decision_id = "";
        return ["decision_id"];
      },
    ],
    [
      "unit_id",
      (d) => {
        d.unit_id = 42;
        return ["unit_id"];
      },
    ],
    [
      "program",
      (d) => {
        delete d.program;
        return ["program"];
      },
    ],
    [
      "decision_time",
      (d) => {
        d.decision_time = "2026-13-01T00:00:00Z";
        return ["decision_time"];
      },
    ],
    [
      "propensity=0",
      (d) => {
        d.propensity = 0;
        return ["propensity"];
      },
    ],
    [
      "propensity>1",
      (d) => {
        d.propensity = 1.25;
        return ["propensity"];
      },
    ],
    [
      "propensity NaN",
      (d) => {
        d.propensity = Number.NaN;
        return ["propensity"];
      },
    ],
    [
      "action",
      (d) => {
        d.action = "__not_eligible__";
        return ["action"];
      },
    ],
    [
      "design",
      (d) => {
        d.design = "random";
        return ["design"];
      },
    ],
    [
      "bucket",
      (d) => {
        d.bucket = -1;
        return ["bucket"];
      },
    ],
    [
      "salt",
      (d) => {
        d.salt = "";
        return ["salt"];
      },
    ],
    [
      "unknown key",
      (d) => {
        d.propensty = 0.5;
        return ["propensty"];
      },
    ],
    [
      "feature value",
      (d) => {
        d.features = { ...(d.features as object), f_bad: { nested: 1 } };
        return ["features", "f_bad"];
      },
    ],
    [
      "probabilities",
      (d) => {
        const acts = d.eligible_actions as string[];
        d.action_probabilities = Object.fromEntries(acts.map((a) => [a, 0.9 / acts.length]));
        d.propensity = 0.9 / acts.length;
        return ["action_probabilities"];
      },
    ],
  ];

  it.each(corruptions)("corrupting %s is reported at its path", (_name, corrupt) => {
    fc.assert(
      fc.property(decisionArb, (d) => {
        const raw: Record<string, unknown> = JSON.parse(JSON.stringify(d));
        const path = corrupt(raw);
        const r = safeParseDecision(raw);
        expect(r.success).toBe(false);
        if (r.success) return;
        expect(r.issues.map((i) => i.path)).toContainEqual(path);
        // Other issues may only be consequences through a cross-field rule (e.g. a corrupted
        // propensity also disagrees with action_probabilities), never a field-level error elsewhere.
        for (const issue of r.issues) {
          if (issue.path.slice(0, path.length).join("/") === path.join("/")) continue;
          expect(CROSS_FIELD_CODES).toContain(issue.code);
        }
      }),
      { numRuns: 100, seed: 14 },
    );
  });
});
