import { type ResourceConstraint, fillCoefficients } from "./allocation-options.js";
import type { AllocationResult, CertificateReport, ConstraintReport } from "./allocation-result.js";
import type { Candidates } from "./candidates.js";
import type { PruneCounts } from "./prune-candidates.js";

/** Turn per-unit chosen rows into an {@link AllocationResult} with compensated totals. */
export function finishAllocation(
  c: Candidates,
  v: Float64Array,
  choice: Int32Array,
  info: {
    budget: number;
    lambda: number;
    /** NaN: the allocation is optimal, the bound is its own objective */
    upperBound: number;
    constraints: readonly ResourceConstraint[];
    reports: ConstraintReport[];
    prune: PruneCounts;
    certificate: CertificateReport;
  },
): AllocationResult {
  const n = c.nUnits;
  const action = new Int32Array(n);
  let treated = 0;
  // Neumaier sums: totals over millions of units should not drift.
  let spend = 0;
  let spendC = 0;
  let value = 0;
  let valueC = 0;
  let obj = 0;
  let objC = 0;
  const m = info.constraints.length;
  const used = new Float64Array(m);
  const chosen = new Int32Array(n);
  let nChosen = 0;
  for (let u = 0; u < n; u++) {
    const i = choice[u]!;
    if (i < 0) continue;
    action[u] = c.action[i]!;
    treated++;
    const x = c.tauCost[i]!;
    let t = spend + x;
    spendC += Math.abs(spend) >= Math.abs(x) ? spend - t + x : x - t + spend;
    spend = t;
    const y = c.tauValue[i]!;
    t = value + y;
    valueC += Math.abs(value) >= Math.abs(y) ? value - t + y : y - t + value;
    value = t;
    const z = v[i]!;
    t = obj + z;
    objC += Math.abs(obj) >= Math.abs(z) ? obj - t + z : z - t + obj;
    obj = t;
    chosen[nChosen++] = i;
  }
  if (m > 0) {
    const rows = chosen.subarray(0, nChosen);
    const coef = new Float64Array(nChosen * m);
    fillCoefficients(c, info.constraints, rows, coef);
    for (let p = 0; p < nChosen; p++) for (let r = 0; r < m; r++) used[r]! += coef[p * m + r]!;
  }
  const objective = obj + objC;
  const upper = Number.isNaN(info.upperBound) ? objective : Math.max(info.upperBound, objective);
  const gap = Math.max(0, upper - objective);
  info.reports.forEach((rep, r) => {
    rep.used = used[r]!;
  });
  return {
    action,
    candidate: choice,
    totals: {
      units: n,
      treated,
      spend: spend + spendC,
      value: value + valueC,
      budget: info.budget,
      lambda: info.lambda,
      objective,
      upper_bound: upper,
      gap,
      relative_gap: upper > 0 ? gap / upper : 0,
    },
    constraints: info.reports,
    prune: info.prune,
    certificate: info.certificate,
  };
}
