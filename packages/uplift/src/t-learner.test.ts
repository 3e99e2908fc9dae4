import { Ridge } from "@cia/learners";
import { describe, expect, it } from "vitest";
import { valuesAt } from "./meta-learner-shared.js";
import { fitTLearner } from "./t-learner.js";
import { linearWorld } from "./test-helpers/linear-world.js";
import { rowsByAction } from "./uplift-data.js";

const ridge = () => new Ridge({ alpha: 1e-3 });

describe("fitTLearner", () => {
  it("fits one outcome model per arm, and its effect is mu_a - mu_0 exactly", () => {
    const w = linearWorld(900, 3, 4);
    const rows = rowsByAction(w.action, 3);
    const head = fitTLearner(
      { x: w.x, action: w.action, y: w.value, nActions: 3, rows, pairwise: null },
      ridge,
    );
    expect(head.meta).toBe("t");
    const tau = head.predictEffect(w.x);
    const mu = (arm: number) =>
      ridge().fit(w.x.selectRows(rows[arm]!), valuesAt(w.value, rows[arm]!)).predict(w.x);
    const mu0 = mu(0);
    for (const a of [1, 2]) {
      const mua = mu(a);
      for (let i = 0; i < w.x.rows; i++) expect(tau[i * 3 + a]).toBe(mua[i]! - mu0[i]!);
    }
    for (let i = 0; i < w.x.rows; i++) expect(tau[i * 3]).toBe(0);
  });
});
