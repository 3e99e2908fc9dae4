import { argsort } from "@cia/core";
import type { Candidates } from "./candidates.js";
import { type ResourceConstraint, constraintCoefficient, fillCoefficients } from "./allocation-options.js";
import { type LpModel, solveLp } from "./lp-solver.js";
import type { PruneResult } from "./prune-candidates.js";

/** Internal result of the multi-constraint Lagrangian allocation. */
export interface LagrangianSolution {
  choice: Int32Array;
  /** best dual value found: a proven upper bound on the LP (and integral) optimum */
  upperBound: number;
  /** cutting-plane lower bound on the dual minimum (how far the bound may still be from the LP optimum) */
  dualLowerBound: number;
  multipliers: Float64Array;
  iterations: number;
  converged: boolean;
  /** units dropped to repair the multipliers' allocation and moves made by the fill pass */
  repaired: number;
  filled: number;
  /** the best single option alone beat the repaired and filled choice (the greedy trap) */
  singleItem: boolean;
}

interface DualData {
  nUnits: number;
  m: number;
  keptStart: Int32Array;
  kept: Int32Array;
  kv: Float64Array;
  /** kept position p, constraint r -> coef[p * m + r] */
  coef: Float64Array;
  caps: Float64Array;
}

/**
 * Evaluate the Lagrangian dual L(mu) = sum_u max(0, max_j v_j - mu . a_j) + mu . b and the
 * resource usage of the maximizing choices (ties go to no offer, then to the cheaper option).
 * By weak duality every L(mu), mu >= 0, bounds the LP optimum from above.
 */
function evaluate(
  d: DualData,
  mu: Float64Array,
  usage: Float64Array,
  choice: Int32Array | undefined,
  units?: Int32Array,
): number {
  const { m, keptStart, kv, coef, caps } = d;
  const count = units ? units.length : d.nUnits;
  usage.fill(0);
  let total = 0;
  let comp = 0;
  const mu0 = mu[0]!;
  const mu1 = m > 1 ? mu[1]! : 0;
  for (let q = 0; q < count; q++) {
    const u = units ? units[q]! : q;
    const e = keptStart[u + 1]!;
    let best = 0;
    let bestP = -1;
    if (m === 2) {
      // the common case (budget + volume), unrolled
      for (let p = keptStart[u]!; p < e; p++) {
        const s = kv[p]! - mu0 * coef[2 * p]! - mu1 * coef[2 * p + 1]!;
        if (s > best) {
          best = s;
          bestP = p;
        }
      }
    } else {
      for (let p = keptStart[u]!; p < e; p++) {
        let s = kv[p]!;
        const o = p * m;
        for (let r = 0; r < m; r++) s -= mu[r]! * coef[o + r]!;
        if (s > best) {
          best = s;
          bestP = p;
        }
      }
    }
    if (choice) choice[u] = bestP;
    if (bestP >= 0) {
      const o = bestP * m;
      for (let r = 0; r < m; r++) usage[r]! += coef[o + r]!;
      const y = best - comp;
      const t = total + y;
      comp = t - total - y;
      total = t;
    }
  }
  for (let r = 0; r < m; r++) total += mu[r]! * caps[r]!;
  return total;
}

/**
 * Units whose best option is the same at every corner of the box [lo, hi] keep it everywhere in
 * the box (score differences are linear in mu), so inside the box they add a linear term:
 * sum v - mu . sum a. Returns the other ("active") units and that linear term.
 */
function splitActive(
  d: DualData,
  lo: Float64Array,
  hi: Float64Array,
): { active: Int32Array; fixedV: number; fixedA: Float64Array } {
  const { nUnits, m, keptStart, kv, coef } = d;
  const corners = 1 << m;
  const cmu = new Float64Array(corners * m);
  for (let k = 0; k < corners; k++)
    for (let r = 0; r < m; r++) cmu[k * m + r] = (k >> r) & 1 ? hi[r]! : lo[r]!;
  const active: number[] = [];
  let fixedV = 0;
  const fixedA = new Float64Array(m);
  for (let u = 0; u < nUnits; u++) {
    const e = keptStart[u + 1]!;
    let first = -2;
    let same = true;
    for (let k = 0; k < corners && same; k++) {
      let best = 0;
      let bestP = -1;
      for (let p = keptStart[u]!; p < e; p++) {
        let s = kv[p]!;
        for (let r = 0; r < m; r++) s -= cmu[k * m + r]! * coef[p * m + r]!;
        if (s > best) {
          best = s;
          bestP = p;
        }
      }
      if (first === -2) first = bestP;
      else if (bestP !== first) same = false;
    }
    if (!same) active.push(u);
    else if (first >= 0) {
      fixedV += kv[first]!;
      for (let r = 0; r < m; r++) fixedA[r]! += coef[first * m + r]!;
    }
  }
  return { active: Int32Array.from(active), fixedV, fixedA };
}

interface Primal {
  choicePos: Int32Array;
  objective: number;
  repaired: number;
  filled: number;
}

/**
 * Integral allocation from multipliers mu: each unit's best option at mu (ties to no offer), then
 * the least valuable units dropped until every cap holds, then the room filled with the options
 * of best reduced value that still fit.
 */
function recoverPrimal(d: DualData, mu: Float64Array, keptUnit: Int32Array): Primal {
  const { nUnits, m, kv, coef, caps } = d;
  const nKept = kv.length;
  const usage = new Float64Array(m);
  const choicePos = new Int32Array(nUnits);
  evaluate(d, mu, usage, choicePos);
  const reduced = new Float64Array(nKept);
  for (let p = 0; p < nKept; p++) {
    let s = kv[p]!;
    for (let r = 0; r < m; r++) s -= mu[r]! * coef[p * m + r]!;
    reduced[p] = s;
  }
  const violated = (r: number) => usage[r]! > caps[r]!;
  let repaired = 0;
  let anyViolated = false;
  for (let r = 0; r < m; r++) if (violated(r)) anyViolated = true;
  if (anyViolated) {
    // Least reduced value first: those units are closest to indifferent at these prices.
    const treated: number[] = [];
    for (let u = 0; u < nUnits; u++) if (choicePos[u]! >= 0) treated.push(u);
    const keys = Float64Array.from(treated, (u) => -reduced[choicePos[u]!]!);
    const ord = argsort(keys, { descending: true });
    // Dropping a cost-saving unit can raise another usage, so sweep until nothing changes.
    for (let sweep = 0, changed = true; changed && sweep < 4; sweep++) {
      changed = false;
      for (let q = 0; q < ord.length; q++) {
        let still = false;
        for (let r = 0; r < m; r++) if (violated(r)) still = true;
        if (!still) break;
        const u = treated[ord[q]!]!;
        const p = choicePos[u]!;
        if (p < 0) continue;
        let helps = false;
        for (let r = 0; r < m; r++) if (violated(r) && coef[p * m + r]! > 0) helps = true;
        if (!helps) continue;
        for (let r = 0; r < m; r++) usage[r]! -= coef[p * m + r]!;
        choicePos[u] = -1;
        repaired++;
        changed = true;
      }
    }
  }
  // Fill: options by decreasing reduced value, switching a unit to a more valuable option when
  // every cap still holds.
  // Only options that fit right now can be taken (the room rarely grows), so sort just those.
  // Whether switching unit's current option `cur` (-1: none) to option p gains value and keeps
  // every cap.
  const improvesAndFits = (p: number, cur: number): boolean => {
    if (cur === p || (cur >= 0 && kv[cur]! >= kv[p]!)) return false;
    for (let r = 0; r < m; r++) {
      const delta = coef[p * m + r]! - (cur >= 0 ? coef[cur * m + r]! : 0);
      if (delta > 0 && usage[r]! + delta > caps[r]!) return false;
    }
    return true;
  };
  const cand: number[] = [];
  for (let p = 0; p < nKept; p++) if (improvesAndFits(p, choicePos[keptUnit[p]!]!)) cand.push(p);
  const ord = argsort(
    Float64Array.from(cand, (p) => reduced[p]!),
    { descending: true },
  );
  let filled = 0;
  for (let q = 0; q < ord.length; q++) {
    const p = cand[ord[q]!]!;
    const u = keptUnit[p]!;
    const cur = choicePos[u]!;
    if (!improvesAndFits(p, cur)) continue;
    for (let r = 0; r < m; r++) usage[r]! += coef[p * m + r]! - (cur >= 0 ? coef[cur * m + r]! : 0);
    choicePos[u] = p;
    filled++;
  }
  let objective = 0;
  let feasible = true;
  for (let r = 0; r < m; r++) if (violated(r)) feasible = false;
  if (!feasible) {
    // Could not repair (pathological cost-saving interplay): fall back to no offer for everyone.
    choicePos.fill(-1);
    return { choicePos, objective: 0, repaired, filled };
  }
  for (let u = 0; u < nUnits; u++) if (choicePos[u]! >= 0) objective += kv[choicePos[u]!]!;
  return { choicePos, objective, repaired, filled };
}

/**
 * Several resource constraints at once: minimize the Lagrangian dual over the multipliers with
 * Kelley's cutting-plane method in a box known to hold a minimizer (the master LP is tiny and solved
 * by javascript-lp-solver), then build an integral allocation from the best multipliers: take each
 * unit's best option, drop the least valuable units until every cap holds, and fill the remaining
 * room with the options of best reduced value that still fit. The reported bound is the smallest
 * dual value evaluated, valid whether or not the search converged.
 */
export function solveLagrangian(
  c: Candidates,
  prune: PruneResult,
  v: Float64Array,
  constraints: readonly ResourceConstraint[],
  singleAllowed: (row: number) => boolean,
  options: { maxIterations: number; tolerance: number; activeSetMinOptions: number },
): LagrangianSolution {
  const nUnits = c.nUnits;
  const { keptStart, kept } = prune;
  const nKept = kept.length;
  const m = constraints.length;
  const kv = new Float64Array(nKept);
  const coef = new Float64Array(nKept * m);
  const caps = Float64Array.from(constraints, (k) => k.cap);
  for (let p = 0; p < nKept; p++) kv[p] = v[kept[p]!]!;
  fillCoefficients(c, constraints, kept, coef);
  const d: DualData = { nUnits, m, keptStart, kept, kv, coef, caps };

  // Box: past U_r no option using constraint r can score above no offer, so L only grows there.
  // Cost constraints first (an option with positive cost has non-negative coefficients everywhere);
  // count constraints may be pushed up by negative costs priced in cost constraints.
  const upper = new Float64Array(m);
  for (let pass = 0; pass < 2; pass++) {
    for (let r = 0; r < m; r++) {
      if ((constraints[r]!.kind === "cost") !== (pass === 0)) continue;
      let ub = 0;
      for (let p = 0; p < nKept; p++) {
        const a = coef[p * m + r]!;
        if (a <= 0) continue;
        let bonus = 0;
        if (pass === 1) {
          for (let s = 0; s < m; s++) {
            const b = coef[p * m + s]!;
            if (constraints[s]!.kind === "cost" && b < 0) bonus -= b * upper[s]!;
          }
        }
        const x = (kv[p]! + bonus) / a;
        if (x > ub) ub = x;
      }
      upper[r] = ub * (1 + 1e-9) + 1e-12;
    }
  }

  const usage = new Float64Array(m);
  const mu = new Float64Array(m);
  const best = new Float64Array(m);
  let ub = evaluate(d, mu, usage, undefined);
  const scale = Math.max(1, Math.abs(ub));
  const cuts: { l: number; g: Float64Array; mu: Float64Array }[] = [];
  const addCut = (l: number) =>
    cuts.push({ l, g: Float64Array.from(caps, (b, r) => b - usage[r]!), mu: mu.slice() });
  addCut(ub);
  let lb = Number.NEGATIVE_INFINITY;
  type Box = { lo: Float64Array; hi: Float64Array; active: Int32Array; fixedV: number; fixedA: Float64Array };
  let box: Box | undefined;
  let outside = 0;
  const makeBox = (center: Float64Array, rel: number): Box => {
    const lo = new Float64Array(m);
    const hi = new Float64Array(m);
    for (let r = 0; r < m; r++) {
      const w = Math.max(rel * Math.abs(center[r]!), 1e-3 * upper[r]!);
      lo[r] = Math.max(0, center[r]! - w);
      hi[r] = Math.min(upper[r]!, center[r]! + w);
    }
    return { lo, hi, ...splitActive(d, lo, hi) };
  };
  let iterations = 1;
  let converged = false;
  for (; iterations < options.maxIterations; iterations++) {
    // Master: min t s.t. t >= L_k + g_k (mu - mu_k) over the box, in y = mu / U coordinates
    // and units of `scale` so the LP solver works on numbers near 1.
    const model: LpModel = { optimize: "obj", opType: "min", constraints: {}, variables: {} };
    const tVar: Record<string, number> = { obj: 1 };
    const yVars: Record<string, number>[] = [];
    for (let r = 0; r < m; r++) {
      yVars.push({ [`box${r}`]: 1 });
      model.constraints[`box${r}`] = { max: 1 };
    }
    cuts.forEach((cut, k) => {
      let rhs = cut.l;
      for (let r = 0; r < m; r++) {
        rhs -= cut.g[r]! * cut.mu[r]!;
        if (upper[r]! > 0) yVars[r]![`cut${k}`] = (-cut.g[r]! * upper[r]!) / scale;
      }
      tVar[`cut${k}`] = 1;
      model.constraints[`cut${k}`] = { min: rhs / scale };
    });
    model.variables.t = tVar;
    for (let r = 0; r < m; r++) model.variables[`y${r}`] = yVars[r]!;
    const sol = solveLp(model, { precision: 1e-11 });
    if (!sol.feasible) break;
    lb = Math.max(lb, sol.result * scale);
    if (ub - lb <= options.tolerance * Math.max(1, Math.abs(ub))) {
      converged = true;
      break;
    }
    let same = cuts.length > 0;
    for (let r = 0; r < m; r++) {
      const y = Math.min(1, Math.max(0, sol.values[`y${r}`] ?? 0));
      mu[r] = y * upper[r]!;
      if (Math.abs(mu[r]! - cuts[cuts.length - 1]!.mu[r]!) > 1e-15 * Math.max(1, upper[r]!)) same = false;
    }
    if (same) break;
    // Near the end the iterates stay in a small box: evaluate only the units whose choice can
    // change there (exact, not an approximation), rebuilding the box when iterates leave it.
    if (
      box === undefined &&
      nKept >= options.activeSetMinOptions &&
      m <= 4 &&
      iterations >= 6 &&
      ub - lb <= 1e-3 * Math.abs(ub)
    ) {
      box = makeBox(best, 0.05);
    }
    let inBox = box !== undefined;
    if (box) for (let r = 0; r < m; r++) if (mu[r]! < box.lo[r]! || mu[r]! > box.hi[r]!) inBox = false;
    let l: number;
    if (box && inBox) {
      l = evaluate(d, mu, usage, undefined, box.active) + box.fixedV;
      for (let r = 0; r < m; r++) {
        l -= mu[r]! * box.fixedA[r]!;
        usage[r]! += box.fixedA[r]!;
      }
      outside = 0;
    } else {
      l = evaluate(d, mu, usage, undefined);
      if (box && ++outside >= 3) box = makeBox(mu, 0.1);
    }
    addCut(l);
    if (l < ub) {
      ub = l;
      best.set(mu);
    }
  }
  if (!converged && ub - lb <= options.tolerance * Math.max(1, Math.abs(ub))) converged = true;

  // Primal: the multipliers' choices, repaired and filled, from the best few dual points (the
  // rounding is a heuristic; several starts cost little and often close the gap on small problems).
  const keptUnit = new Int32Array(nKept);
  for (let u = 0; u < nUnits; u++) keptUnit.fill(u, keptStart[u]!, keptStart[u + 1]!);
  const starts = cuts
    .map((cut, k) => ({ l: cut.l, mu: cut.mu, k }))
    .sort((x, y) => x.l - y.l || x.k - y.k)
    .slice(0, nKept <= 50_000 ? 6 : 1);
  if (!starts.some((st) => st.mu.every((x, r) => x === best[r]))) starts.unshift({ l: ub, mu: best, k: -1 });
  let bestPrimal: Primal | undefined;
  for (const st of starts) {
    const pr = recoverPrimal(d, st.mu, keptUnit);
    if (bestPrimal === undefined || pr.objective > bestPrimal.objective) bestPrimal = pr;
  }
  const { choicePos, repaired, filled } = bestPrimal!;
  // The greedy trap: the most valuable single option that fits every cap alone (nobody else
  // treated) replaces the rounding when it is worth more by over 1e-12 relative. Rows in row
  // order, the caps checked only for rows worth at least the best so far; ties go to the lower
  // unit, then the lower cost, action code and row.
  let single = -1;
  let singleValue = 0;
  for (let i = 0; i < c.unit.length; i++) {
    const vi = v[i]!;
    if (!(vi > 0) || vi < singleValue || !singleAllowed(i)) continue;
    let fits = true;
    for (let r = 0; r < m; r++) if (constraintCoefficient(c, constraints[r]!, i) > caps[r]!) fits = false;
    if (!fits) continue;
    if (single >= 0 && vi === singleValue) {
      const j = single;
      const ui = c.unit[i]!;
      const uj = c.unit[j]!;
      const ci = c.tauCost[i]!;
      const cj = c.tauCost[j]!;
      const later =
        ui > uj ||
        (ui === uj &&
          (ci > cj ||
            (ci === cj && (c.action[i]! > c.action[j]! || (c.action[i] === c.action[j] && i > j)))));
      if (later) continue;
    }
    single = i;
    singleValue = vi;
  }
  const primalValue = bestPrimal!.objective;
  const singleItem = single >= 0 && singleValue > primalValue + 1e-12 * Math.max(1, Math.abs(primalValue));
  const choice = new Int32Array(nUnits);
  for (let u = 0; u < nUnits; u++) choice[u] = choicePos[u]! >= 0 ? kept[choicePos[u]!]! : -1;
  if (singleItem) {
    choice.fill(-1);
    choice[c.unit[single]!] = single;
  }
  return {
    choice,
    upperBound: ub,
    dualLowerBound: Math.min(lb, ub),
    multipliers: best,
    iterations,
    converged,
    repaired,
    filled,
    singleItem,
  };
}
