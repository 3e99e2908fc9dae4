import { Ridge } from "@cia/learners";
import { describe, expect, it } from "vitest";
import { fitSLearner } from "./s-learner.js";
import { linearWorld } from "./test-helpers/linear-world.js";
import { rowsByAction } from "./uplift-data.js";

describe("fitSLearner", () => {
  it("fits one model on [1{A = a}, x] per offer; a linear one shifts every row by the average effect", () => {
    const w = linearWorld(3000, 3, 5);
    const rows = rowsByAction(w.action, 3);
    const head = fitSLearner(
      { x: w.x, action: w.action, y: w.value, nActions: 3, rows, pairwise: null },
      () => new Ridge({ alpha: 1e-3 }),
    );
    expect(head.meta).toBe("s");
    const tau = head.predictEffect(w.x);
    for (const a of [1, 2]) {
      // tau_a(x) = a (0.5 + x0) averages a / 2 over N(0, 1) features
      expect(Math.abs(tau[a]! - a / 2)).toBeLessThan(0.15);
      for (let i = 1; i < w.x.rows; i++) expect(tau[i * 3 + a]).toBeCloseTo(tau[a]!, 9);
    }
    expect(head.toJSON().models.pair).toHaveLength(3);
  });
});
