import {
  createWorld,
  uniformDesign,
  inactivityHeuristic,
  deterministicPolicy,
  worldNames,
} from "../src/index.js";
for (const name of worldNames) {
  const w = createWorld(name);
  const K = w.actions.length;
  const pop = w.sampleUnits(50000, { seed: 1 });
  const t0 = performance.now();
  const tr = w.truth(pop);
  const n = pop.n;
  const meanTv = new Float64Array(K),
    meanTc = new Float64Array(K),
    negFrac = new Float64Array(K),
    meanSh = new Float64Array(K);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < K; a++) {
      meanTv[a] += tr.tauValue[i * K + a] / n;
      meanTc[a] += tr.tauCost[i * K + a] / n;
      meanSh[a] += tr.tauValueShort[i * K + a] / n;
      if (tr.tauValue[i * K + a] < 0) negFrac[a] += 1 / n;
    }
  let base = 0;
  for (let i = 0; i < n; i++) base += tr.meanValue[i * K] / n;
  console.log(name, "base value", base.toFixed(3));
  for (let a = 1; a < K; a++)
    console.log(
      `  ${w.actions[a]!.name}: tauV ${meanTv[a]!.toFixed(3)} tauC ${meanTc[a]!.toFixed(3)} ratio ${(meanTv[a]! / meanTc[a]!).toFixed(2)} short ${meanSh[a]!.toFixed(3)} neg ${negFrac[a]!.toFixed(3)}`,
    );
  const aH = K > 5 ? 9 : 3;
  for (const days of [14, 30, 60]) {
    const h = inactivityHeuristic(pop, { minDaysInactive: days, action: aH });
    const pv = w.policyValue(pop, deterministicPolicy(h, K));
    const budget = pv.incrementalCost * n;
    const or = w.oracle(pop, budget);
    const all = w.policyValue(pop, deterministicPolicy(new Int32Array(n).fill(aH), K));
    const orAll = w.oracle(pop, all.incrementalCost * n);
    console.log(
      `  heur>=${days}: V ${(pv.incrementalValue * n).toFixed(0)} C ${budget.toFixed(0)} | oracle V ${or.value.toFixed(0)} | treat-all V ${(all.incrementalValue * n).toFixed(0)} C ${(all.incrementalCost * n).toFixed(0)} oracle@that ${orAll.value.toFixed(0)}`,
    );
  }
  const log = w.log(pop, uniformDesign(K), { seed: 2 });
  let nz = 0,
    nzs = 0,
    nzc = 0,
    tr1 = 0;
  for (let i = 0; i < n; i++) {
    if (log.value[i]! > 0) nz++;
    if (log.valueShort[i]! > 0) nzs++;
    if (log.cost[i]! > 0) nzc++;
    if (log.action[i]! > 0) tr1++;
  }
  console.log(
    `  value>0 ${(nz / n).toFixed(3)} short>0 ${(nzs / n).toFixed(3)} cost>0 among treated ${(nzc / tr1).toFixed(3)} events ${log.events.count} ms ${(performance.now() - t0).toFixed(0)}`,
  );
}
