import { describe, expect, it } from "vitest";
import { normalMeanInterval } from "./normal-mean-interval.js";
import { normalQuantities } from "./normal-quantities.js";
import type { HeadRounds, PolicyKey } from "./policy-quantities.js";

const rounds = new Map<PolicyKey, HeadRounds>([
  ["target", { value: Float64Array.of(3, 5, 4, 6), cost: Float64Array.of(2, 2, 3, 1) }],
  ["control", { value: Float64Array.of(1, 2, 2, 3), cost: Float64Array.of(0, 0, 0, 0) }],
]);

describe("normalQuantities", () => {
  it("gives a mean the interval of normalMeanInterval, bit for bit", () => {
    const q = normalQuantities(rounds, 0.9);
    expect(q.mean("target", "value")).toEqual(
      normalMeanInterval(rounds.get("target")!.value, { level: 0.9 }),
    );
  });
  it("pairs differences round by round and takes ratios of differences", () => {
    const q = normalQuantities(rounds, 0.95);
    const d = q.difference("target", "control", "value");
    expect(d.estimate).toBe(2.5);
    // per-round differences [2, 3, 2, 3]: sd 1/sqrt(3), se sd / 2
    expect(d.se).toBeCloseTo(Math.sqrt(1 / 3) / 2, 15);
    expect(q.ratio("target", "control", "value").estimate).toBe(2.5 / 2);
    expect(q.difference("target", "target", "cost")).toEqual({ estimate: 0, lower: 0, upper: 0, se: 0 });
  });
});
