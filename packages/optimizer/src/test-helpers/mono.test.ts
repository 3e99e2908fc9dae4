import { it } from "vitest";
import { allocate } from "../allocate.js";
import { randomInstance } from "./random-instance.js";
it("mono", () => {
  let viol = 0, total = 0, worst = 0;
  for (let s = 0; s < 200; s++) {
    const c = randomInstance({ units: 20, actions: 3, seed: s });
    let prev = -1;
    for (let b = 0; b < 80; b += 4) {
      const r = allocate(c, { budget: b, maxTreated: 7 });
      total++;
      if (r.totals.value < prev - 1e-9) { viol++; worst = Math.max(worst, prev - r.totals.value); }
      prev = r.totals.value;
    }
  }
  console.log("violations", viol, "of", total, "worst", worst);
});
