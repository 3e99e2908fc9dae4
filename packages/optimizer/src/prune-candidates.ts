import type { Candidates } from "./candidates.js";
import { upperHullWithOrigin } from "./unit-hull.js";
import { type AllocationOptions, type NormalizedProblem, normalizeProblem } from "./allocation-options.js";

/**
 * Status codes of {@link PruneResult.status}, one per candidate row; 0 = kept.
 *
 * @example
 * const p = pruneCandidates(candidates, { maxCostPerValue: 2 });
 * const removed = p.status.filter((s) => s === PRUNE_STATUS.cost_per_value_above_cap).length;
 */
export const PRUNE_STATUS = {
  kept: 0,
  ineligible: 1,
  non_positive_value: 2,
  cost_per_value_above_cap: 3,
  dominated: 4,
  lp_dominated: 5,
  below_efficiency_floor: 6,
} as const;

/** How many candidate rows each rule removed (each row is counted once, under its first reason). */
export interface PruneCounts {
  total: number;
  kept: number;
  /** eligibility flag 0 */
  ineligible: number;
  /** tau_value <= 0 (or its lower bound, in risk-aware mode): never worth a cent */
  non_positive_value: number;
  /** tau_cost / tau_value above `maxCostPerValue` */
  cost_per_value_above_cap: number;
  /** another action of the same unit has >= value and <= cost (and the same caps apply to both) */
  dominated: number;
  /** strictly under the unit's upper concave (cost, value) hull: never in an LP optimum */
  lp_dominated: number;
  /** past the point where the unit's marginal value per cost falls below the floor R */
  below_efficiency_floor: number;
}

/**
 * Result of pruning: a status per candidate, the counts, and the kept candidates grouped by unit
 * (`kept[keptStart[u] .. keptStart[u + 1])`) in increasing cost order (ties: higher value, then
 * lower action code, then lower row first).
 */
export interface PruneResult {
  status: Uint8Array;
  counts: PruneCounts;
  keptStart: Int32Array;
  kept: Int32Array;
}

/**
 * Remove (unit, action) pairs the optimizer should never consider and count why.
 *
 * Rules, in order: ineligible; tau_value <= 0; cost per value above the cap; dominated by another
 * action of the same unit (>= value, <= cost, same scoped caps); strictly under the unit's upper
 * concave hull of (cost, value) with no offer at the origin (only when no channel/action cap is set,
 * because those make the hull argument invalid); past the marginal efficiency floor R along the hull.
 * Dominance pruning never changes the LP optimum; the integral allocation uses hull points only.
 *
 * @example
 * const p = pruneCandidates(candidates, { maxCostPerValue: 2 });
 * p.counts; // { total, kept, ineligible, non_positive_value, ... }
 */
export function pruneCandidates(candidates: Candidates, options: AllocationOptions = {}): PruneResult {
  return pruneNormalized(candidates, normalizeProblem(candidates, options));
}

/**
 * Where {@link pruneNormalized} writes for a caller that prunes a few units at a time into arrays
 * of its own (`AllocationStream`): `status` holds these candidates' rows (row i at [i]), `kept`
 * receives the kept rows from [0] on as `rowBase + i`, `keptStart` the units' offsets (unit u at
 * [u], the end at [nUnits]) as `keptBase +` the offset here.
 */
export interface PruneInto {
  status: Uint8Array;
  kept: Int32Array;
  keptStart: Int32Array;
  rowBase: number;
  keptBase: number;
}

/**
 * {@link pruneCandidates} on an already normalized problem (shared by allocate and the MILP
 * oracle); into the caller's arrays with `into` (then the result's arrays are views of them).
 */
export function pruneNormalized(c: Candidates, problem: NormalizedProblem, into?: PruneInto): PruneResult {
  const nUnits = c.nUnits;
  const rows = c.unit.length;
  const value = problem.value;
  const cost = c.tauCost;
  const status = into?.status ?? new Uint8Array(rows);
  const rowBase = into?.rowBase ?? 0;
  const keptBase = into?.keptBase ?? 0;
  const eligible = c.eligible;
  const capCpv = problem.maxCostPerValue;
  const floor = problem.floor;
  const doLp = problem.pruneDominated && !problem.scoped;
  const doHull = doLp || floor !== undefined;
  const counts: PruneCounts = {
    total: rows,
    kept: 0,
    ineligible: 0,
    non_positive_value: 0,
    cost_per_value_above_cap: 0,
    dominated: 0,
    lp_dominated: 0,
    below_efficiency_floor: 0,
  };
  // Group rows by unit (counting sort keeps row order within a unit; skipped when already grouped).
  const start = new Int32Array(nUnits + 1);
  let grouped = true;
  for (let i = 0; i < rows; i++) {
    const u = c.unit[i]!;
    start[u + 1]!++;
    if (i > 0 && u < c.unit[i - 1]!) grouped = false;
  }
  let maxK = 0;
  for (let u = 0; u < nUnits; u++) {
    const k = start[u + 1]!;
    if (k > maxK) maxK = k;
    start[u + 1] = start[u]! + k;
  }
  let order: Int32Array | undefined;
  if (!grouped) {
    order = new Int32Array(rows);
    const fill = start.slice(0, nUnits);
    for (let i = 0; i < rows; i++) order[fill[c.unit[i]!]!++] = i;
  }

  let channelScoped = false;
  const scopedActions = new Set<number>();
  for (const k of problem.constraints) {
    if (k.scope === "channel") channelScoped = true;
    if (k.scope === "action") scopedActions.add(k.code);
  }
  const action = c.action;
  const channel = c.channel;

  // Per-unit scratch: the unit's surviving rows sorted by (cost asc, value desc, action, row),
  // with their cost, value and status copied into local arrays for the sort and the hull.
  const si = new Int32Array(maxK);
  const sc = new Float64Array(maxK);
  const sv = new Float64Array(maxK);
  const st = new Uint8Array(maxK);
  const hc = new Float64Array(maxK);
  const hv = new Float64Array(maxK);
  const hpos = new Int32Array(maxK);
  const hull = new Int32Array(maxK + 1);
  const keptStart = into?.keptStart ?? new Int32Array(nUnits + 1);
  const kept = into?.kept ?? new Int32Array(rows);
  let nKept = 0;
  // Counters and status codes in locals: the loop below runs once per candidate row.
  let nIneligible = 0;
  let nNonPositive = 0;
  let nCpv = 0;
  let nDominated = 0;
  let nLpDominated = 0;
  let nBelowFloor = 0;
  const INELIGIBLE = PRUNE_STATUS.ineligible;
  const NON_POSITIVE = PRUNE_STATUS.non_positive_value;
  const CPV_CAP = PRUNE_STATUS.cost_per_value_above_cap;
  const DOMINATED = PRUNE_STATUS.dominated;
  const LP_DOMINATED = PRUNE_STATUS.lp_dominated;
  const BELOW_FLOOR = PRUNE_STATUS.below_efficiency_floor;
  for (let u = 0; u < nUnits; u++) {
    keptStart[u] = keptBase + nKept;
    let m = 0;
    const e = start[u + 1]!;
    for (let p = start[u]!; p < e; p++) {
      const i = order === undefined ? p : order[p]!;
      const vi = value[i]!;
      const ci = cost[i]!;
      if (eligible !== undefined && eligible[i] === 0) {
        status[i] = INELIGIBLE;
        nIneligible++;
      } else if (!(vi > 0)) {
        status[i] = NON_POSITIVE;
        nNonPositive++;
      } else if (capCpv !== undefined && ci > capCpv * vi) {
        status[i] = CPV_CAP;
        nCpv++;
      } else {
        // Insertion sort; K is small. Rows arrive in increasing row order within a unit, so
        // equal (cost, value, action) keeps row order.
        const ai = action[i]!;
        let q = m++;
        while (q > 0) {
          const cj = sc[q - 1]!;
          if (cj < ci) break;
          if (cj === ci) {
            const vj = sv[q - 1]!;
            if (vj > vi || (vj === vi && action[si[q - 1]!]! <= ai)) break;
          }
          sc[q] = cj;
          sv[q] = sv[q - 1]!;
          si[q] = si[q - 1]!;
          q--;
        }
        sc[q] = ci;
        sv[q] = vi;
        si[q] = i;
      }
    }
    if (m === 0) continue;
    for (let q = 0; q < m; q++) st[q] = 0;
    // Pairwise dominance: an earlier option in sort order has cost <= and value >= this one.
    if (problem.pruneDominated) {
      if (!problem.scoped) {
        let best = Number.NEGATIVE_INFINITY;
        for (let q = 0; q < m; q++) {
          if (sv[q]! <= best) st[q] = DOMINATED;
          else best = sv[q]!;
        }
      } else {
        for (let q = 0; q < m; q++) {
          const i = si[q]!;
          for (let r = 0; r < q; r++) {
            const j = si[r]!;
            if (st[r] !== 0 || sv[r]! < sv[q]!) continue;
            if (channelScoped && channel![j] !== channel![i]) continue;
            if (action[j] !== action[i] && (scopedActions.has(action[j]!) || scopedActions.has(action[i]!)))
              continue;
            st[q] = DOMINATED;
            break;
          }
        }
      }
    }
    if (doHull) {
      // Upper concave hull of the survivors plus the origin (no offer).
      let ms = 0;
      for (let q = 0; q < m; q++) {
        if (st[q] !== 0) continue;
        hc[ms] = sc[q]!;
        hv[ms] = sv[q]!;
        hpos[ms++] = q;
      }
      const h = upperHullWithOrigin(ms, hc, hv, hull);
      // Vertices up to the floor stay; later vertices are below the floor; non-vertices are
      // LP-dominated (or, with scoped caps, simply outside the floor's efficient set).
      let cut = h;
      if (floor !== undefined) {
        for (let q = 1; q < h; q++) {
          const a = hull[q - 1]!;
          const b = hull[q]!;
          const dv = hv[b]! - (a < 0 ? 0 : hv[a]!);
          const dc = hc[b]! - (a < 0 ? 0 : hc[a]!);
          if (dv < floor * dc) {
            cut = q;
            break;
          }
        }
      }
      const offStatus = doLp ? LP_DOMINATED : BELOW_FLOOR;
      let hq = hull[0]! < 0 ? 1 : 0;
      for (let x = 0; x < ms; x++) {
        if (hq < h && hull[hq] === x) {
          if (hq >= cut) st[hpos[x]!] = BELOW_FLOOR;
          hq++;
        } else {
          st[hpos[x]!] = offStatus;
        }
      }
    }
    for (let q = 0; q < m; q++) {
      const i = si[q]!;
      const sq = st[q]!;
      status[i] = sq;
      if (sq === 0) kept[nKept++] = rowBase + i;
      else if (sq === DOMINATED) nDominated++;
      else if (sq === LP_DOMINATED) nLpDominated++;
      else nBelowFloor++;
    }
  }
  keptStart[nUnits] = keptBase + nKept;
  counts.kept = nKept;
  counts.ineligible = nIneligible;
  counts.non_positive_value = nNonPositive;
  counts.cost_per_value_above_cap = nCpv;
  counts.dominated = nDominated;
  counts.lp_dominated = nLpDominated;
  counts.below_efficiency_floor = nBelowFloor;
  return { status, counts, keptStart, kept: kept.subarray(0, nKept) };
}
