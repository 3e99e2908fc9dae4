import { test } from "vitest";
import { allocate } from "../allocate.js";
import { solveExact } from "../solve-exact.js";
import { randomInstance } from "./random-instance.js";
test("scratch", () => {
  let worst = 0;
  for (let s = 0; s < 60; s++) {
    const c = randomInstance({ units: 15, actions: 3, seed: s, negativeCostShare: s % 3 === 0 ? 0.1 : 0, channels: 2 });
    const opts = s % 4 === 0 ? { budget: 40 } : s % 4 === 1 ? { budget: 40, maxTreated: 6 } : s % 4 === 2 ? { budget: 30, minValuePerCost: 1, maxTreated: 5 } : { budget: 50, channelCaps: { 0: { maxTreated: 3 }, 1: { budget: 15 } } };
    const r = allocate(c, opts);
    const lp = solveExact(c, opts, { relaxation: true });
    const ip = solveExact(c, opts, {});
    const rel = Math.abs(r.totals.upper_bound - lp.value) / Math.max(1, lp.value);
    worst = Math.max(worst, rel);
    console.log(s, r.certificate.method, r.certificate.iterations, "ub", r.totals.upper_bound.toFixed(9), "lp", lp.value, "obj", r.totals.objective.toFixed(4), "ip", ip.value, ip.status, rel.toExponential(2), "gap", r.totals.gap.toFixed(3), "lim", r.certificate.gap_limit.toFixed(2));
  }
  console.log("worst", worst);
});
