import { safeParseConcurrentAssignment, safeParseDecision } from "@cia/logging-schema";
import { describe, expect, it } from "vitest";
import { assignProgram } from "./assign-program.js";
import { concurrentAssignmentRecords } from "./concurrent-assignments.js";
import { experimentPlan } from "./experiment-plan.js";
import { uniformDesign } from "./uniform-design.js";
import { decisionRecords } from "./decision-records.js";
import { warmStartDesign } from "./warm-start-design.js";

describe("decisionRecords", () => {
  const unitIds = ["u1", "u2", "u3", "u4"];
  const design = warmStartDesign({
    actions: ["control", "offer_5", "offer_10"],
    temperature: 1,
    epsilon: 0.1,
  });
  const score = [0, 1, 2, 0, -1, 3, 0, 0, 0, 0, 2, 2];
  const a = assignProgram({
    program: "winback",
    salt: "2026-q1",
    design,
    unitIds,
    context: { score },
    eligible: [1, 1, 0, 1],
    holdout: [0, 0, 0, 1],
  });

  it("writes valid @cia/logging-schema Decision records with the exact propensity", () => {
    const records = decisionRecords(a, {
      unitIds,
      decisionTime: new Date(Date.UTC(2026, 0, 5, 9)),
      surface: "push",
      policyId: "explore",
      policyVersion: "1",
      includeHoldout: true,
      features: (i) => ({ score_offer_5: score[i * 3 + 1]!, region: "north" }),
    });
    expect(records.map((r) => r.unit_id)).toEqual(["u1", "u2", "u4"]);
    for (const r of records) {
      const parsed = safeParseDecision(r);
      expect(parsed.success, JSON.stringify(parsed)).toBe(true);
      expect(r.propensity).toBe(r.action_probabilities![r.action]);
      expect(r.decision_time).toBe("2026-01-05T09:00:00.000Z");
    }
    const [r1, r2, held] = records;
    expect(r1!.design).toBe("warm_start");
    expect(r1!.salt).toBe("2026-q1");
    expect(r1!.bucket).toBe(a.bucket[0]);
    expect(r1!.action).toBe(design.actions[a.action[0]!]);
    expect(r1!.decision_id).toBe("winback:u1:2026-01-05T09:00:00.000Z");
    expect(r2!.features).toEqual({ score_offer_5: -1, region: "north" });
    expect(held!.design).toBe("holdout");
    expect(held!.action).toBe("control");
    expect(held!.propensity).toBe(1);
  });

  it("skips held-out units unless asked, and checks lengths", () => {
    const base = {
      unitIds,
      decisionTime: "2026-01-05T09:00:00Z",
      surface: "push",
      policyId: "e",
      policyVersion: "1",
    };
    expect(decisionRecords(a, base)).toHaveLength(2);
    expect(() => decisionRecords(a, { ...base, unitIds: ["u1"] })).toThrow(/unitIds/);
    const custom = decisionRecords(a, { ...base, decisionId: (i, u) => `d-${i}-${u}` });
    expect(custom[0]!.decision_id).toBe("d-0-u1");
  });
});

describe("concurrentAssignmentRecords", () => {
  it("logs every program's assignments as valid records that join the decisions", () => {
    const unitIds = Array.from({ length: 200 }, (_, i) => `u${i}`);
    const plan = experimentPlan({
      layers: [
        { name: "a", salt: "x", slots: [{ program: "winback", share: 1 }] },
        { name: "b", salt: "y", slots: [{ program: "loyalty", share: 0.5 }] },
      ],
    });
    const r = plan.route(unitIds);
    const design = uniformDesign({ actions: ["control", "offer"] });
    const winback = assignProgram({
      program: "winback",
      salt: "w",
      design,
      unitIds,
      inProgram: plan.programMask(r, "winback"),
    });
    const loyalty = assignProgram({
      program: "loyalty",
      salt: "l",
      design,
      unitIds,
      inProgram: plan.programMask(r, "loyalty"),
    });
    const time = "2026-01-05T09:00:00Z";
    const records = concurrentAssignmentRecords([winback, loyalty], {
      unitIds,
      decisionTime: time,
      endTime: "2026-01-12T09:00:00Z",
    });
    expect(records).toHaveLength(winback.counts.assigned + loyalty.counts.assigned);
    for (const c of records) expect(safeParseConcurrentAssignment(c).success).toBe(true);
    const decisions = decisionRecords(loyalty, {
      unitIds,
      decisionTime: time,
      surface: "email",
      policyId: "p",
      policyVersion: "1",
    });
    const ids = new Set(
      records.filter((c) => c.program === "loyalty").map((c) => `${c.decision_id}/${c.action}`),
    );
    for (const d of decisions) expect(ids.has(`${d.decision_id}/${d.action}`)).toBe(true);
    expect(() => concurrentAssignmentRecords([winback], { unitIds: ["u1"], decisionTime: time })).toThrow(
      /units/,
    );
  });
});
