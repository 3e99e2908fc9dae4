import type { Decision } from "@cia/logging-schema";
import { describe, expect, it } from "vitest";
import { loggedActionProbabilities } from "./exploration-log.js";
import { explorationSupport } from "./exploration-support.js";

const decision = (unit: string, action: string, p: number, probs?: Record<string, number>): Decision => ({
  schema_version: 1,
  decision_id: `d-${unit}`,
  unit_id: unit,
  program: "winback",
  surface: "app",
  policy_id: "x",
  policy_version: "1",
  decision_time: "2026-01-05T00:00:00.000Z",
  eligible_actions: ["control", "credit_5", "credit_10"],
  action,
  propensity: p,
  design: probs ? "policy" : "uniform",
  ...(probs ? { action_probabilities: probs } : {}),
});

describe("loggedActionProbabilities and explorationSupport", () => {
  const actions = ["control", "credit_5", "credit_10"];
  // Rows from three designs: a uniform experiment, a deployed policy with exploration, a greedy one.
  const decisions = [
    decision("a", "credit_5", 1 / 3, { control: 1 / 3, credit_5: 1 / 3, credit_10: 1 / 3 }),
    decision("b", "credit_10", 0.9, { control: 0.05, credit_5: 0.05, credit_10: 0.9 }),
    decision("c", "control", 1, { control: 1 }),
  ];

  it("rebuilds each row's own logging distribution, whichever design logged it", () => {
    const p = loggedActionProbabilities(decisions, ["c", "a", "b"], actions);
    expect(Array.from(p.subarray(0, 3))).toEqual([1, 0, 0]);
    expect(p[4]).toBeCloseTo(1 / 3, 12);
    expect(Array.from(p.subarray(6, 9))).toEqual([0.05, 0.05, 0.9]);
    // Without action_probabilities only the logged action's propensity is known.
    const q = loggedActionProbabilities([decision("z", "credit_5", 0.5)], ["z"], actions);
    expect(q[1]).toBe(0.5);
    expect(Number.isNaN(q[0]!)).toBe(true);
    expect(() => loggedActionProbabilities(decisions, ["a", "nope"], actions)).toThrow(/no decision record/);
  });

  it("says which actions lack exploration", () => {
    const p = loggedActionProbabilities(decisions, ["a", "b", "c"], actions);
    const s = explorationSupport(p, actions, { floor: 0.01 });
    // Row c (a deterministic decision) gives credit_5 and credit_10 no chance.
    expect(s.lacking).toEqual(["credit_5", "credit_10"]);
    expect(s.supportsAnyPolicy).toBe(false);
    expect(s.actions[0]!.minProbability).toBeCloseTo(0.05, 12);
    const explored = explorationSupport(p.subarray(0, 6), actions, { floor: 0.01 });
    expect(explored.supportsAnyPolicy).toBe(true);
    expect(explored.lacking).toEqual([]);
  });
});
