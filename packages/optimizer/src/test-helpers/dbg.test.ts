import { it } from "vitest";
import { allocate } from "../allocate.js";
import { allocateWithLambda } from "../allocate-with-lambda.js";
import { randomInstance } from "./random-instance.js";
it("dbg", () => {
  for (let seed = 0; seed < 40; seed++) {
    const c = randomInstance({ units: 30, actions: 3, seed, negativeCostShare: seed % 2 ? 0.1 : 0 });
    const lambda = 0.3 + (seed % 7) * 0.25;
    const fixed = allocateWithLambda(c, lambda);
    const B = Math.max(0, fixed.totals.spend);
    const exact = allocate(c, { budget: B });
    if (Math.abs(exact.totals.value - fixed.totals.value) > 1e-8) {
      const e2 = allocate(c, { budget: B * (1 + 1e-12) });
      console.log("seed", seed, "B", B, fixed.totals.value, exact.totals.value, "spend", exact.totals.spend, "frac", JSON.stringify(exact.certificate.fractional), "lam", exact.totals.lambda, lambda, "with slack", e2.totals.value);
      for (let u = 0; u < c.nUnits; u++) if (fixed.action[u] !== exact.action[u]) console.log(" unit", u, fixed.action[u], exact.action[u]);
    }
  }
});
