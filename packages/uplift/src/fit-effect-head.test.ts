import { Ridge } from "@cia/learners";
import { describe, expect, it } from "vitest";
import { fitEffectHead } from "./fit-effect-head.js";
import { META_LEARNER_KINDS } from "./meta-learner-kind.js";
import { linearWorld } from "./test-helpers/linear-world.js";
import { rowsByAction } from "./uplift-data.js";

const learner = () => new Ridge({ alpha: 1e-3 });

describe("fitEffectHead", () => {
  const w = linearWorld(600, 3, 9);
  const input = {
    x: w.x,
    action: w.action,
    y: w.value,
    nActions: 3,
    rows: rowsByAction(w.action, 3),
    pairwise: new Float64Array(600 * 3).fill(0.5),
  };

  it("dispatches to the S, T, X and DR learners", () => {
    for (const meta of META_LEARNER_KINDS) {
      const head = fitEffectHead(input, { meta, learner });
      expect(head.meta).toBe(meta);
      expect(head.predictEffect(w.x, input.pairwise)).toHaveLength(600 * 3);
    }
  });

  it("rejects an action without training rows, and DR without propensities", () => {
    const empty = { ...input, rows: [input.rows[0]!, input.rows[1]!, new Int32Array(0)] };
    expect(() => fitEffectHead(empty, { meta: "t", learner })).toThrow(
      expect.objectContaining({ code: "insufficient_support" }),
    );
    expect(() => fitEffectHead({ ...input, pairwise: null }, { meta: "dr", learner })).toThrow(
      expect.objectContaining({ code: "missing_propensity" }),
    );
  });
});
