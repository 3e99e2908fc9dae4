import { createWorld } from "../src/index.js";
import { buildUnitModel } from "../src/unit-model.js";
import { computeTruth } from "../src/world-truth.js";
const w = createWorld("default");
const pop = w.sampleUnits(1_000_000, { seed: 1 });
const m = buildUnitModel(w.params, pop);
function fast(m: ReturnType<typeof buildUnitModel>, credits: Float64Array) {
  const { n, k } = m; const nk = n * k;
  const mv = new Float64Array(nk), mc = new Float64Array(nk), tvv = new Float64Array(nk);
  const p0a = m.p0, mga = m.margin, rep = m.repeats, lift = m.lift, seen = m.seenGivenDelivered, org = m.organicRedeem;
  const dr = m.deliveryRate, rInc = m.incrementalRedeem;
  for (let i = 0; i < n; i++) {
    const row = i * k; const p0 = p0a[i]!; const mg = mga[i]!;
    const v0 = mg * p0 * (1 + rep[row]!); mv[row] = v0;
    for (let a = 1; a < k; a++) {
      const u = lift[row + a]!; const s = dr * seen[row + a]!; const extra = (1 - p0) * u;
      const v1 = mg * (p0 + extra) * (1 + rep[row + a]!);
      const c1 = credits[a]! * (p0 * org[i]! + extra * rInc);
      mv[row + a] = v0 + s * (v1 - v0); tvv[row + a] = s * (v1 - v0); mc[row + a] = s * c1;
    }
  }
  return mv;
}
const credits = Float64Array.from(w.params.actions.map(a => a.credit));
for (let r = 0; r < 4; r++) {
  let c0 = process.cpuUsage(); computeTruth(w.params, m); let c = process.cpuUsage(c0); console.log("computeTruth user", c.user/1000, "sys", c.system/1000);
  c0 = process.cpuUsage(); fast(m, credits); c = process.cpuUsage(c0); console.log("fast user", c.user/1000, "sys", c.system/1000);
}
