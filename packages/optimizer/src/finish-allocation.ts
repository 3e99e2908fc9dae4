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
  // Compensated sums: totals over millions of units should not drift.
  const spend = new RunningSum();
  const value = new RunningSum();
  const obj = new RunningSum();
  const m = info.constraints.length;
  const used = new Float64Array(m);
  const chosen = new Int32Array(n);
  let nChosen = 0;
  for (let u = 0; u < n; u++) {
    const i = choice[u]!;
    if (i < 0) continue;
    action[u] = c.action[i]!;
    treated++;
    spend.add(c.tauCost[i]!);
    value.add(c.tauValue[i]!);
    obj.add(v[i]!);
    chosen[nChosen++] = i;
  }
  if (m > 0) {
    const rows = chosen.subarray(0, nChosen);
    const coef = new Float64Array(nChosen * m);
    fillCoefficients(c, info.constraints, rows, coef);
    for (let p = 0; p < nChosen; p++) for (let r = 0; r < m; r++) used[r]! += coef[p * m + r]!;
  }
  const objective = obj.total();
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
      spend: spend.total(),
      value: value.total(),
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

/** Neumaier's compensated running sum (the algorithm of @cia/core's `sum`), one term at a time. */
class RunningSum {
  private s = 0;
  private c = 0;
  add(x: number): void {
    const t = this.s + x;
    this.c += Math.abs(this.s) >= Math.abs(x) ? this.s - t + x : x - t + this.s;
    this.s = t;
  }
  total(): number {
    return this.s + this.c;
  }
}
