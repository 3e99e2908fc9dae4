import { argsort } from "@cia/core";
import type { PruneResult } from "./prune-candidates.js";
import { upperHullWithOrigin } from "./unit-hull.js";

/** The LP's fractional unit: moved `fraction` of the way from one hull vertex to the next. */
export interface FractionalUnit {
  unit: number;
  /** candidate row of the vertex the unit leaves (-1 = no offer) */
  fromRow: number;
  /** candidate row of the vertex the unit moves towards */
  toRow: number;
  fraction: number;
}

/**
 * The best single option that fits alone: every other unit at its start vertex (no offer, or its
 * free / cost-saving option), `unit` moved to candidate row `row`. It guards the greedy against the
 * classic trap (one big option that fits alone beats the small efficient ones the greedy took).
 */
export interface SingleItem {
  unit: number;
  row: number;
  /** value over the unit's start vertex */
  gain: number;
  /** the allocation's value: the start vertices' value plus `gain` (plain sum; an estimate) */
  value: number;
  /** per unit, the chosen row of that allocation */
  choice: Int32Array;
}

/**
 * The rows the single-item rule may pick (`a` and `v` must be set for them): every option of the
 * problem, i.e. the kept rows plus the LP-dominated ones when no efficiency floor is set (an
 * option under the hull can still be the best one that fits alone), with every row's unit and action.
 */
export interface SingleItemRows {
  allowed: (row: number) => boolean;
  unit: Int32Array;
  action: Int32Array;
}

/** Internal result of the single-constraint hull greedy. */
export interface SingleConstraintSolution {
  /** per unit, the chosen candidate row (-1 = no offer) of the integral allocation */
  choice: Int32Array;
  /** LP optimum of the allocated value (the proven upper bound) */
  lpValue: number;
  /** the constraint's shadow price: slope of the first increment not fully taken (0 if slack) */
  multiplier: number;
  fractional: FractionalUnit[];
  increments: number;
  /** hull slopes lowered by the clamp (then `lpValue` is also checked against the dual value) */
  clamped: number;
  /** the best single option that fits (only when the constraint binds and some option gains value) */
  single: SingleItem | undefined;
}

/** Increment e comes before f in the greedy order: higher slope, then lower index (unit order). */
function before(e: number, f: number, slope: Float64Array): boolean {
  const se = slope[e]!;
  const sf = slope[f]!;
  return se > sf || (se === sf && e < f);
}

/**
 * Position (in `idx` after partial reordering) of the increment where the greedy order first
 * overflows `room`, or -1 when everything fits: a weighted quickselect, O(n) expected, so the LP
 * never sorts the increments it takes whole. On return idx[0..pos) are exactly the increments
 * before it in the greedy order.
 */
export function selectBreak(
  idx: Int32Array,
  n: number,
  slope: Float64Array,
  da: Float64Array,
  room: number,
): number {
  let lo = 0;
  let hi = n - 1;
  let acc = 0;
  let bounded = false;
  while (lo <= hi) {
    // Median of three as pivot, moved to hi.
    const mid = lo + ((hi - lo) >> 1);
    let a = idx[lo]!;
    let b = idx[mid]!;
    const c = idx[hi]!;
    if (before(b, a, slope)) {
      const t = a;
      a = b;
      b = t;
    }
    let pe = b;
    if (before(c, b, slope)) pe = before(c, a, slope) ? a : c;
    const pp = pe === idx[lo] ? lo : pe === idx[mid] ? mid : hi;
    idx[pp] = idx[hi]!;
    idx[hi] = pe;
    let store = lo;
    let w = 0;
    const sp = slope[pe]!;
    for (let i = lo; i < hi; i++) {
      const e = idx[i]!;
      const se = slope[e]!;
      if (se > sp || (se === sp && e < pe)) {
        idx[i] = idx[store]!;
        idx[store++] = e;
        w += da[e]!;
      }
    }
    idx[hi] = idx[store]!;
    idx[store] = pe;
    // One association order for every sum, so acc never drifts above room by a rounding.
    const withLeft = acc + w;
    const withPivot = withLeft + da[pe]!;
    if (withLeft > room) {
      hi = store - 1;
      bounded = true;
    } else if (withPivot > room) {
      return store;
    } else {
      acc = withPivot;
      lo = store + 1;
    }
  }
  // Everything left of a pivot that overflowed fits after all (sums in another order can differ in
  // the last bit): that pivot, now at position lo, is the break.
  return bounded ? lo : -1;
}

/** Reorder list[0..n) so that its first k entries are the k first in greedy order (quickselect). */
function partitionTopK(list: Int32Array, n: number, k: number, slope: Float64Array): void {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = lo + ((hi - lo) >> 1);
    const pe = list[mid]!;
    list[mid] = list[hi]!;
    list[hi] = pe;
    let store = lo;
    for (let i = lo; i < hi; i++) {
      const e = list[i]!;
      if (before(e, pe, slope)) {
        list[i] = list[store]!;
        list[store++] = e;
      }
    }
    list[hi] = list[store]!;
    list[store] = pe;
    if (store === k || store === k - 1) return;
    if (store > k) hi = store - 1;
    else lo = store + 1;
  }
}

/** Hull increments of every unit (stored unit by unit in hull order) and each unit's start vertex. */
export interface Increments {
  nInc: number;
  incUnit: Int32Array;
  /** candidate row of the vertex reached */
  incTo: Int32Array;
  /** candidate row of the vertex left (-1 = no offer) */
  incFrom: Int32Array;
  incDa: Float64Array;
  incDv: Float64Array;
  /**
   * value per unit of resource, dv / da (> 0), clamped to be non-increasing along each unit's hull
   * (slope = min(dv / da, the unit's previous slope)): near-collinear steps can come out a rounding
   * step steeper than the step before them, and a unit must take its steps in hull order.
   */
  slope: Float64Array;
  /** how many slopes the clamp lowered (0 on inputs without near-collinear hull points) */
  clamped: number;
  /** per unit, the start vertex's row (-1 = no offer): a free or cost-saving option, if any */
  choice: Int32Array;
  baseSpent: number;
  baseValue: number;
}

/**
 * Where {@link buildIncrements} writes for a caller that builds a few units at a time into arrays of
 * its own (`AllocationStream`): the increment columns from [0] on, `choice` for these units (unit u
 * at [u]); each increment's unit as `unitBase + u`.
 */
export type IncrementsInto = Pick<
  Increments,
  "incUnit" | "incTo" | "incFrom" | "incDa" | "incDv" | "slope" | "choice"
> & { unitBase: number };

/**
 * Each unit's upper concave hull of (a, v) with no offer at the origin, as increments between
 * consecutive vertices. `a` is indexed by candidate row; kept rows of a unit must be sorted by `a`
 * when `sortedByA` (the budget case), otherwise they are sorted here. With `into`, into the
 * caller's arrays (the result's arrays are then views of them).
 */
export function buildIncrements(
  nUnits: number,
  prune: PruneResult,
  a: Float64Array,
  v: Float64Array,
  sortedByA: boolean,
  into?: IncrementsInto,
): Increments {
  const { keptStart, kept } = prune;
  const nKept = into === undefined ? kept.length : 0;
  const unitBase = into?.unitBase ?? 0;
  let maxK = 0;
  for (let u = 0; u < nUnits; u++) maxK = Math.max(maxK, keptStart[u + 1]! - keptStart[u]!);
  const rows = new Int32Array(maxK);
  const la = new Float64Array(maxK);
  const lv = new Float64Array(maxK);
  const hull = new Int32Array(maxK + 1);
  const choice = (into?.choice ?? new Int32Array(nUnits)).fill(-1);
  // Increments, stored unit by unit in hull order.
  const incUnit = into?.incUnit ?? new Int32Array(nKept);
  const incTo = into?.incTo ?? new Int32Array(nKept);
  const incFrom = into?.incFrom ?? new Int32Array(nKept);
  const incDa = into?.incDa ?? new Float64Array(nKept);
  const incDv = into?.incDv ?? new Float64Array(nKept);
  const slope = into?.slope ?? new Float64Array(nKept);
  let nInc = 0;
  let clamped = 0;
  let baseSpent = 0;
  let baseValue = 0;
  for (let u = 0; u < nUnits; u++) {
    const s = keptStart[u]!;
    const m = keptStart[u + 1]! - s;
    if (m === 0) continue;
    for (let q = 0; q < m; q++) {
      const i = kept[s + q]!;
      const ai = a[i]!;
      const vi = v[i]!;
      let p = q;
      if (!sortedByA) {
        while (p > 0 && (la[p - 1]! > ai || (la[p - 1] === ai && lv[p - 1]! < vi))) {
          la[p] = la[p - 1]!;
          lv[p] = lv[p - 1]!;
          rows[p] = rows[p - 1]!;
          p--;
        }
      }
      la[p] = ai;
      lv[p] = vi;
      rows[p] = i;
    }
    const h = upperHullWithOrigin(m, la, lv, hull);
    const base = hull[0]!;
    if (base >= 0) {
      choice[u] = rows[base]!;
      baseSpent += la[base]!;
      baseValue += lv[base]!;
    }
    let prev = Number.POSITIVE_INFINITY;
    for (let q = 1; q < h; q++) {
      const from = hull[q - 1]!;
      const to = hull[q]!;
      const da = la[to]! - (from < 0 ? 0 : la[from]!);
      const dv = lv[to]! - (from < 0 ? 0 : lv[from]!);
      incUnit[nInc] = unitBase + u;
      incTo[nInc] = rows[to]!;
      incFrom[nInc] = from < 0 ? -1 : rows[from]!;
      incDa[nInc] = da;
      incDv[nInc] = dv;
      let s = dv / da;
      if (s > prev) {
        s = prev;
        clamped++;
      }
      slope[nInc] = s;
      prev = s;
      nInc++;
    }
  }
  return { nInc, incUnit, incTo, incFrom, incDa, incDv, slope, clamped, choice, baseSpent, baseValue };
}

/**
 * Exact LP optimum and a skip-and-fill integral allocation of the multiple-choice knapsack with one
 * resource constraint sum a_i x_i <= cap (Sinha and Zoltners 1979): each unit's upper concave hull
 * of (a, v) with no offer at the origin, every unit starting at its leftmost vertex (free and
 * cost-saving options first), then hull increments by decreasing v per a. The LP takes them until
 * the cap binds, splitting at most one unit; the integral pass rounds that unit down and keeps
 * taking later increments that still fit (a unit whose increment was skipped stays where it is).
 *
 * The increments taken whole are found by weighted selection, not sorting; only the few that can
 * still fit after the break (increment <= remaining room) are sorted, for the fill pass. The result
 * equals a full sort by (slope desc, unit asc, hull order).
 *
 * `a` is indexed by candidate row; rows of a unit in `prune.kept` must be sorted by `a` when
 * `sortedByA` is true (the budget case: kept rows are in cost order), otherwise they are sorted here.
 */
export function solveSingleConstraint(
  nUnits: number,
  prune: PruneResult,
  a: Float64Array,
  v: Float64Array,
  cap: number,
  sortedByA: boolean,
  singleRows: SingleItemRows,
  /** The increments {@link buildIncrements} gives on these arguments, if already built (`choice` is then written to). */
  increments?: Increments,
): SingleConstraintSolution {
  const { nInc, incUnit, incTo, incFrom, incDa, incDv, slope, clamped, choice, baseSpent, baseValue } =
    increments ?? buildIncrements(nUnits, prune, a, v, sortedByA);
  const idx = new Int32Array(nInc);
  for (let e = 0; e < nInc; e++) idx[e] = e;
  // Sums of the same steps in different orders differ in the last bits; a budget set to exactly
  // some allocation's spend must still admit it, so the cap gets a few ulps of slack (relative
  // 2e-15: no real budget notices, and exact inputs are unaffected).
  const capTol = cap + 8 * Number.EPSILON * (Math.abs(cap) + Math.abs(baseSpent));
  const pb = selectBreak(idx, nInc, slope, incDa, capTol - baseSpent);
  const nTaken = pb < 0 ? nInc : pb;
  const taken = new Uint8Array(nInc);
  // Totals over the taken set with Kahan sums (spend must not drift past the cap).
  let spent = baseSpent;
  let spentC = 0;
  let value = baseValue;
  let valueC = 0;
  for (let q = 0; q < nTaken; q++) {
    const e = idx[q]!;
    taken[e] = 1;
    let y = incDa[e]! - spentC;
    let t = spent + y;
    spentC = t - spent - y;
    spent = t;
    y = incDv[e]! - valueC;
    t = value + y;
    valueC = t - value - y;
    value = t;
  }
  let lpValue = value;
  let multiplier = 0;
  const fractional: FractionalUnit[] = [];
  const breakUnit = pb < 0 ? -1 : incUnit[idx[pb]!]!;
  if (pb >= 0) {
    const e = idx[pb]!;
    const fraction = Math.min(1, Math.max(0, cap - spent) / incDa[e]!);
    lpValue = value + fraction * incDv[e]!;
    multiplier = slope[e]!;
    if (fraction > 0) fractional.push({ unit: breakUnit, fromRow: incFrom[e]!, toRow: incTo[e]!, fraction });
  }
  // The best single option that fits with every other unit at its start vertex (read before the
  // integral pass moves units): largest gain over the unit's start vertex, ties to the lower unit,
  // then to the earlier kept row (lower cost).
  let single: SingleItem | undefined;
  if (pb >= 0) {
    const { allowed, unit, action } = singleRows;
    const room0 = capTol - baseSpent;
    let bestGain = 0;
    let bu = -1;
    let bi = -1;
    for (let i = 0; i < unit.length; i++) {
      const u = unit[i]!;
      const b = choice[u]!;
      const gain = v[i]! - (b < 0 ? 0 : v[b]!);
      if (gain < bestGain || !(gain > 0) || !allowed(i) || !(a[i]! - (b < 0 ? 0 : a[b]!) <= room0)) continue;
      if (
        gain > bestGain ||
        u < bu ||
        (u === bu &&
          (a[i]! < a[bi]! ||
            (a[i] === a[bi] && (action[i]! < action[bi]! || (action[i] === action[bi] && i < bi)))))
      ) {
        bestGain = gain;
        bu = u;
        bi = i;
      }
    }
    if (bu >= 0) {
      const alt = choice.slice();
      alt[bu] = bi;
      single = { unit: bu, row: bi, gain: bestGain, value: baseValue + bestGain, choice: alt };
    }
  }
  // Integral allocation: the taken increments, then skip-and-fill over the increments that can
  // still fit (step <= remaining room; the room only shrinks). A unit's increment is only taken
  // right after its previous one, which has a higher slope and so was decided earlier.
  let room = capTol - spent;
  let list = new Int32Array(64);
  let nList = 0;
  let e = 0;
  while (e < nInc) {
    const u = incUnit[e]!;
    let q = e;
    while (q < nInc && incUnit[q] === u && taken[q] === 1) {
      choice[u] = incTo[q]!;
      q++;
    }
    for (; q < nInc && incUnit[q] === u; q++) {
      // The break increment itself stays a candidate: it only fits when the selection's sums
      // overflowed the room by a rounding, and the fill pass checks with compensated sums.
      if (pb < 0 || incDa[q]! > room) continue;
      if (nList === list.length) {
        const grown = new Int32Array(list.length * 2);
        grown.set(list);
        list = grown;
      }
      list[nList++] = q;
    }
    e = q;
  }
  // Decide them in greedy order chunk by chunk: select the next best few by quickselect, sort
  // those, and drop what no longer fits; usually the room is gone after the first chunk.
  const CHUNK = 4096;
  while (nList > 0) {
    let minDa = Number.POSITIVE_INFINITY;
    for (let q = 0; q < nList; q++) minDa = Math.min(minDa, incDa[list[q]!]!);
    if (room < minDa) break;
    const k = Math.min(CHUNK, nList);
    if (k < nList) partitionTopK(list, nList, k, slope);
    const keys = new Float64Array(k);
    // radix sort is stable: feed the chunk in index order so equal slopes keep unit order
    const chunk = list.slice(0, k).sort();
    for (let q = 0; q < k; q++) keys[q] = slope[chunk[q]!]!;
    const ord = argsort(keys.subarray(0, k), { descending: true });
    for (let p = 0; p < k; p++) {
      const x = chunk[ord[p]!]!;
      const u = incUnit[x]!;
      if (x > 0 && incUnit[x - 1] === u && taken[x - 1] !== 1) continue;
      const da = incDa[x]!;
      if (spent + da <= capTol) {
        const y = da - spentC;
        const t = spent + y;
        spentC = t - spent - y;
        spent = t;
        taken[x] = 1;
        choice[u] = incTo[x]!;
      }
    }
    room = capTol - spent;
    let w = 0;
    for (let q = k; q < nList; q++) {
      const x = list[q]!;
      if (incDa[x]! <= room) list[w++] = x;
    }
    nList = w;
  }
  if (clamped > 0 && pb >= 0) {
    // The clamp may order a step a rounding step too late, and the greedy's LP value could then
    // fall short of the true LP optimum by as much; the Lagrangian dual at the same price bounds
    // it from above whatever the order: L = mu cap + sum_u max(0, max_i v_i - mu a_i).
    const { keptStart, kept } = prune;
    let dual = multiplier * cap;
    let comp = 0;
    for (let u = 0; u < nUnits; u++) {
      let best = 0;
      for (let p = keptStart[u]!; p < keptStart[u + 1]!; p++) {
        const i = kept[p]!;
        const sc = v[i]! - multiplier * a[i]!;
        if (sc > best) best = sc;
      }
      const y = best - comp;
      const t = dual + y;
      comp = t - dual - y;
      dual = t;
    }
    lpValue = Math.max(lpValue, dual);
  }
  return { choice, lpValue, multiplier, fractional, increments: nInc, clamped, single };
}
