import { createWorld, inactivityHeuristic, deterministicPolicy } from "../src/index.js";
const w = createWorld(process.argv[2] ?? "default");
const K = w.actions.length;
const pop = w.sampleUnits(50000, { seed: 1 });
const tr = w.truth(pop);
const n = pop.n;
const h = inactivityHeuristic(pop, { minDaysInactive: 30, action: 3 });
const pv = w.policyValue(pop, deterministicPolicy(h, K));
const or = w.oracle(pop, pv.incrementalCost * n);
const seg = (name: string, f: (i: number) => boolean) => {
  let c = 0,
    v10 = 0,
    c10 = 0,
    p0 = 0,
    orc = 0,
    orv = 0,
    orn = 0,
    neg = 0,
    v = 0;
  for (let i = 0; i < n; i++)
    if (f(i)) {
      c++;
      v10 += tr.tauValue[i * K + 3]!;
      c10 += tr.tauCost[i * K + 3]!;
      p0 += tr.meanValue[i * K]!;
      const a = or.assignment[i]!;
      if (a > 0) {
        orn++;
        orc += tr.tauCost[i * K + a]!;
        orv += tr.tauValue[i * K + a]!;
      }
      if (tr.tauValue[i * K + 3]! < 0) neg++;
    }
  console.log(
    `${name.padEnd(14)} n ${c} tauV10 ${(v10 / c).toFixed(2)} tauC10 ${(c10 / c).toFixed(2)} base ${(p0 / c).toFixed(2)} neg ${(neg / c).toFixed(2)} | oracle treated ${orn} spend ${orc.toFixed(0)} value ${orv.toFixed(0)}`,
  );
};
const lc = pop.lifecycle,
  d = pop.daysInactive;
seg("new", (i) => lc[i] === 0);
seg("active", (i) => lc[i] === 1);
seg("dormant", (i) => lc[i] === 2);
seg("dorm28-45", (i) => lc[i] === 2 && d[i]! < 45);
seg("dorm45-90", (i) => lc[i] === 2 && d[i]! >= 45 && d[i]! < 90);
seg("dorm90-180", (i) => lc[i] === 2 && d[i]! >= 90 && d[i]! < 180);
seg("dorm180+", (i) => lc[i] === 2 && d[i]! >= 180);
const x = pop.features.data,
  p = pop.features.cols;
seg("sens<.4", (i) => x[i * p + 4]! < 0.4);
seg("sens.4-.7", (i) => x[i * p + 4]! >= 0.4 && x[i * p + 4]! < 0.7);
seg("sens>.7", (i) => x[i * p + 4]! >= 0.7);
console.log("heur V", pv.incrementalValue * n, "C", pv.incrementalCost * n, "oracle", or.value);
