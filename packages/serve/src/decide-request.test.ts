import { describe, expect, it } from "vitest";
import { parseDecideBody, requestTable } from "./decide-request.js";

const spec = {
  requiredFeatures: ["age", "country"],
  actions: ["control", "offer"],
  maxBatch: 3,
  maxUnitIdLength: 8,
};

describe("parseDecideBody", () => {
  it("accepts one item or a batch, ignoring extra feature keys", () => {
    const one = parseDecideBody({ unit_id: "u1", features: { age: 3, country: null, extra: 1 } }, spec);
    expect(one).toMatchObject({ ok: true, batch: false, items: [{ unit_id: "u1" }] });
    const many = parseDecideBody(
      { requests: [{ unit_id: "a", features: { age: 1, country: "DE" }, eligible_actions: ["offer"] }] },
      spec,
    );
    expect(many).toMatchObject({ ok: true, batch: true, items: [{ eligible_actions: ["offer"] }] });
  });

  it("names the item, the field and the reason of every shape problem", () => {
    const r = parseDecideBody(
      {
        requests: [
          { unit_id: "", features: { age: 1, country: "DE" } },
          { unit_id: "ok", features: { age: 1 } },
          { unit_id: "way-too-long-id", features: { age: [1], country: "DE" }, eligible_actions: ["gift"] },
        ],
      },
      spec,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.index, i.field, i.code])).toEqual([
      [0, "unit_id", "invalid_type"],
      [1, "features.country", "missing_feature"],
      [2, "unit_id", "too_long"],
      [2, "features.age", "invalid_type"],
      [2, "eligible_actions", "unknown_action"],
    ]);
    expect(parseDecideBody({ requests: [] }, spec)).toMatchObject({
      ok: false,
      issues: [{ field: "requests" }],
    });
    expect(parseDecideBody({ requests: [1, 2, 3, 4] }, spec)).toMatchObject({
      ok: false,
      issues: [{ code: "too_many" }],
    });
    expect(parseDecideBody("x", spec)).toMatchObject({ ok: false, issues: [{ code: "invalid_type" }] });
    expect(parseDecideBody({ unit_id: "u" }, spec)).toMatchObject({
      ok: false,
      issues: [{ field: "features", code: "missing_field" }],
    });
  });
});

describe("requestTable", () => {
  it("lays the items out as a scoring table, one raw column per feature", () => {
    const t = requestTable(
      [
        { unit_id: "a", features: { age: 1, country: "DE" } },
        { unit_id: "b", features: { age: null, country: "FR" } },
      ],
      ["age", "country"],
    );
    expect(t).toMatchObject({ n: 2, unitIds: ["a", "b"], featureNames: ["age", "country"] });
    expect(t.features).toEqual({ age: [1, null], country: ["DE", "FR"] });
  });
});
