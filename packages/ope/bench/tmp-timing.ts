import { createRng } from "@cia/core";
import { bootstrapMeanInterval, doublyRobust } from "../src/index.js";
const n = 1_000_000, k = 5;
const rng = createRng("bench-ope");
const action = new Int32Array(n), propensity = new Float64Array(n), reward = new Float64Array(n);
const target = new Float64Array(n * k), qHat = new Float64Array(n * k);
const row = new Float64Array(k);
for (let i = 0; i < n; i++) {
  let s = 0;
  for (let a = 0; a < k; a++) { row[a] = 0.2 + rng.next(); s += row[a]!; }
  for (let a = 0; a < k; a++) row[a]! /= s;
  const a = rng.categorical(row);
  action[i] = a; propensity[i] = row[a]!;
  let t = 0;
  for (let b = 0; b < k; b++) { const v = rng.next() ** 3; target[i * k + b] = v; t += v; qHat[i * k + b] = rng.uniform(0, 2); }
  for (let b = 0; b < k; b++) target[i * k + b]! /= t;
  reward[i] = qHat[i * k + a]! + rng.normal(0, 1);
}
const inputs = { k, action, propensity, reward, target, qHat };
const scheme = (process.argv[2] ?? "multinomial") as "multinomial" | "poisson";
const walls: number[] = [], cpus: number[] = [], drw: number[] = [];
let last: unknown;
for (let r = 0; r < 4; r++) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  const dr = doublyRobust(inputs);
  const t1 = performance.now();
  const ci = bootstrapMeanInterval(dr.rounds, { resamples: 1000, seed: 1, scheme });
  const t2 = performance.now(); const c = process.cpuUsage(c0);
  if (r > 0) { walls.push(t2 - t0); cpus.push((c.user + c.system) / 1000); drw.push(t1 - t0); }
  last = { estimate: ci.estimate, lower: ci.lower, upper: ci.upper, se: ci.se };
}
const med = (x: number[]) => [...x].sort((a, b) => a - b)[Math.floor(x.length / 2)]!;
console.log(scheme, "wall min", Math.min(...walls).toFixed(0), "med", med(walls).toFixed(0), "cpu min", Math.min(...cpus).toFixed(0), "med", med(cpus).toFixed(0), "dr-only med", med(drw).toFixed(0), JSON.stringify(last));
