import {
  type AllocationOptions,
  type AllocationResult,
  type Candidates,
  type ConstraintReport,
  PRUNE_STATUS,
  allocate,
  pruneCandidates,
} from "@cia/optimizer";
import { expect } from "vitest";
import type { SqlEngine } from "../engine.js";
import type { WarehouseAllocateOptions } from "../warehouse-allocate.js";
import { warehouseAllocate } from "../warehouse-allocate.js";
import { candidateColumns } from "../load-candidates.js";
import { compareAllocations, randomCandidates } from "./instances.js";

/**
 * The in-process allocation and the warehouse one of candidates already loaded as table `scores`.
 */
export async function bothAllocations(
  engine: SqlEngine,
  cand: Candidates,
  options: AllocationOptions,
  warehouse: WarehouseAllocateOptions = {},
): Promise<{ expected: AllocationResult; got: AllocationResult }> {
  const expected = allocate(cand, options);
  const got = await warehouseAllocate(
    engine,
    { table: "scores", columns: candidateColumns(cand), nUnits: cand.nUnits },
    options,
    warehouse,
  );
  return { expected, got };
}

/** The options of a {@link ScopedCase} on its candidates. */
export function scopedProblem(c: ScopedCase): {
  cand: Candidates;
  options: AllocationOptions;
  label: string;
} {
  const cand = randomCandidates(c.inst);
  let total = 0;
  for (const x of cand.tauCost) total += Math.max(0, x);
  return { cand, options: c.options(total / c.inst.actions, cand.nUnits), label: c.name };
}

/** A channel / action cap instance: the candidates and the options, shares of the total positive cost. */
export interface ScopedCase {
  name: string;
  inst: Parameters<typeof randomCandidates>[0];
  /** options from the total positive cost per action `s` and the unit count `n` */
  options: (s: number, n: number) => AllocationOptions;
}

/** The instances shared by the DuckDB and PostgreSQL suites (every scoped path: one cap alone, with others, under a floor). */
export const SCOPED_CASES: ScopedCase[] = [
  {
    name: "one channel's volume cap alone",
    inst: { units: 900, actions: 4, seed: 61, channels: 3 },
    options: (_s, n) => ({ channelCaps: { 1: { maxTreated: Math.round(n * 0.15) } } }),
  },
  {
    name: "one channel's budget alone (cost-saving options)",
    inst: { units: 900, actions: 4, seed: 62, channels: 3, negativeCostShare: 0.08 },
    options: (s) => ({ channelCaps: { 2: { budget: s * 0.1 } } }),
  },
  {
    name: "one action's volume cap alone (ineligible rows)",
    inst: { units: 800, actions: 4, seed: 63, ineligibleShare: 0.1 },
    options: (_s, n) => ({ actionCaps: { 3: { maxTreated: Math.round(n * 0.1) } } }),
  },
  {
    name: "one action's budget alone under an efficiency floor",
    inst: { units: 800, actions: 4, seed: 64, negativeCostShare: 0.05 },
    options: (s) => ({ actionCaps: { 4: { budget: s * 0.02 } }, minValuePerCost: 1.5 }),
  },
  {
    name: "budget and one channel's volume cap",
    inst: { units: 900, actions: 4, seed: 65, channels: 2 },
    options: (s, n) => ({ budget: s * 0.25, channelCaps: { 0: { maxTreated: Math.round(n * 0.1) } } }),
  },
  {
    name: "budget, volume cap and an action's budget (integer ties)",
    inst: { units: 800, actions: 3, seed: 66, integer: true },
    options: (s, n) => ({
      budget: s * 0.3,
      maxTreated: Math.round(n * 0.4),
      actionCaps: { 2: { budget: s * 0.05 } },
    }),
  },
  {
    name: "every channel capped, count and budget, cost-saving options",
    inst: { units: 900, actions: 5, seed: 67, channels: 3, negativeCostShare: 0.1 },
    options: (s, n) => ({
      channelCaps: {
        0: { maxTreated: Math.round(n * 0.2) },
        1: { budget: s * 0.2 },
        2: { maxTreated: Math.round(n * 0.1), budget: s * 0.15 },
      },
    }),
  },
  {
    name: "channel and action caps with the budget under an efficiency floor",
    inst: { units: 800, actions: 4, seed: 68, channels: 2, negativeCostShare: 0.05 },
    options: (s, n) => ({
      budget: s * 0.4,
      minValuePerCost: 2,
      channelCaps: { 1: { maxTreated: Math.round(n * 0.2) } },
      actionCaps: { 1: { maxTreated: Math.round(n * 0.15) } },
    }),
  },
  {
    name: "an action cap with risk lower, and infinite caps that are no limit",
    inst: { units: 700, actions: 4, seed: 69, withLower: true, channels: 2 },
    options: (s) => ({
      risk: "lower",
      budget: s * 0.3,
      actionCaps: { 2: { maxTreated: 40 }, 3: { budget: Number.POSITIVE_INFINITY } },
      channelCaps: { 0: {} },
    }),
  },
];

/**
 * Instances where the best single option beats the greedy (found by a search): one channel's
 * budget alone, and the budget with a channel's volume cap.
 */
export function scopedTraps(): { cand: Candidates; options: AllocationOptions; label: string }[] {
  const out: { cand: Candidates; options: AllocationOptions; label: string }[] = [];
  for (const [seed, j] of [
    [3, 0],
    [4, 0],
    [4, 2],
    [11, 0],
  ] as const) {
    const cand = randomCandidates({ units: 4 + (seed % 5), actions: 3, seed, channels: 2 });
    let total = 0;
    for (const x of cand.tauCost) total += Math.max(0, x);
    const options: AllocationOptions =
      j === 0
        ? { channelCaps: { 0: { budget: total * 0.06 } } }
        : { budget: total * 0.05, channelCaps: { 1: { maxTreated: 1 } } };
    out.push({ cand, options, label: `trap seed ${seed} case ${j}` });
  }
  return out;
}

/**
 * Four limits (budget, volume cap, a channel's count, a channel's budget) on `units` units, with
 * the in-process dual loop unboxed (`activeSetMinOptions: Infinity`): the instance of the
 * `dualSums: "ordered"` tests.
 */
export function orderedSumsProblem(units: number): { cand: Candidates; options: AllocationOptions } {
  const cand = randomCandidates({ units, actions: 4, seed: 71, channels: 3, negativeCostShare: 0.03 });
  let total = 0;
  for (const x of cand.tauCost) total += Math.max(0, x);
  const options: AllocationOptions = {
    budget: total * 0.05,
    maxTreated: Math.round(units * 0.3),
    channelCaps: { 0: { maxTreated: Math.round(units * 0.1) }, 2: { budget: total * 0.02 } },
    dual: { activeSetMinOptions: Number.POSITIVE_INFINITY },
  };
  return { cand, options };
}

/** The sweep's small instances: every combination of scoped caps on tiny problems (ties, traps). */
export function scopedSweep(
  seeds: readonly number[],
): { cand: Candidates; options: AllocationOptions; seed: number }[] {
  return seeds.map((seed) => {
    const actions = 2 + (seed % 4);
    const cand = randomCandidates({
      units: 10 + (seed % 7) * 4,
      actions,
      seed,
      integer: seed % 3 === 0,
      negativeCostShare: seed % 5 === 0 ? 0.2 : 0,
      ineligibleShare: 0.05,
      channels: 2 + (seed % 2),
    });
    let total = 0;
    for (const x of cand.tauCost) total += Math.max(0, x);
    const share = [0.02, 0.08, 0.2, 0.5][seed % 4]!;
    const k = 1 + (seed % 5);
    const kinds: AllocationOptions[] = [
      { channelCaps: { [seed % 2]: { maxTreated: k } } },
      { channelCaps: { [seed % 2]: { budget: total * share } } },
      { actionCaps: { [1 + (seed % actions)]: { maxTreated: k } } },
      { actionCaps: { [1 + (seed % actions)]: { budget: total * share } } },
      { budget: total * share, channelCaps: { 0: { maxTreated: k } } },
      { maxTreated: k + 2, actionCaps: { 1: { budget: total * share * 0.5 } } },
      {
        budget: total * share * 2,
        channelCaps: { 0: { maxTreated: k }, 1: { budget: total * share } },
        actionCaps: { 2: { maxTreated: k } },
      },
      { channelCaps: { 1: { maxTreated: k } }, minValuePerCost: 1 },
    ];
    return { cand, options: kinds[seed % kinds.length]!, seed };
  });
}

/** A constraint report's coefficient of candidate row i (its name says the scope: "channel:2:budget"). */
function coefficient(c: Candidates, k: ConstraintReport, i: number): number {
  const [scope, code] = k.name.split(":");
  if (scope === "channel" && c.channel![i] !== Number(code)) return 0;
  if (scope === "action" && c.action[i] !== Number(code)) return 0;
  return k.kind === "cost" ? c.tauCost[i]! : 1;
}

/**
 * The Lagrangian dual L(mu) = mu . caps + sum_u max(0, max_i v_i - mu . a_i) over the kept options
 * of the in-process pruning (plain sums: a check, not a reference).
 */
export function dualAt(
  c: Candidates,
  options: AllocationOptions,
  reports: readonly ConstraintReport[],
  mu: readonly number[],
): number {
  const status = pruneCandidates(c, options).status;
  const risk = options.risk;
  const value = (i: number) =>
    risk === undefined
      ? c.tauValue[i]!
      : risk === "lower"
        ? c.tauValueLower![i]!
        : c.tauValue[i]! - risk.z * c.tauValueSe![i]!;
  const best = new Float64Array(c.nUnits);
  for (let i = 0; i < c.unit.length; i++) {
    if (status[i] !== PRUNE_STATUS.kept) continue;
    let sc = value(i);
    reports.forEach((k, r) => {
      sc -= mu[r]! * coefficient(c, k, i);
    });
    if (sc > best[c.unit[i]!]!) best[c.unit[i]!] = sc;
  }
  let total = 0;
  for (const b of best) total += b;
  reports.forEach((k, r) => {
    total += mu[r]! * k.cap;
  });
  return total;
}

/**
 * Expect the warehouse allocation to equal the in-process one: totals within 1e-9 relative, the
 * same actions, rows, prune counts, certificate (iterations, fractions and dual lower bound to 1e-9 aside:
 * the cutting planes may stop an iteration apart at the same bound), constraint use and multipliers.
 * A count cap makes the dual flat where its use equals the cap, so the Lagrangian's multipliers are
 * then not unique: where they differ, both must give the same dual value (the bound) to 1e-9.
 * Returns the largest absolute difference of the totals.
 */
export function expectSameAllocation(
  expected: AllocationResult,
  got: AllocationResult,
  label: string,
  problem?: { cand: Candidates; options: AllocationOptions },
): number {
  const cmp = compareAllocations(expected, got);
  expect(cmp.worst, `${label} ${JSON.stringify(cmp.diff)}`).toBeLessThanOrEqual(1e-9);
  expect(cmp.actionsDiffer, label).toBe(0);
  expect(cmp.candidatesDiffer, label).toBe(0);
  expect(got.prune, label).toEqual(expected.prune);
  const { dual_lower_bound: dg, iterations: ig, converged: cg, fractional: fg, ...restGot } = got.certificate;
  const {
    dual_lower_bound: de,
    iterations: ie,
    converged: ce,
    fractional: fe,
    ...restExpected
  } = expected.certificate;
  expect(restGot, label).toEqual(restExpected);
  // the LP's fractional unit: the same move, its share to 1e-9 (the room is an engine sum)
  expect(
    fg.map(({ fraction: _, ...f }) => f),
    label,
  ).toEqual(fe.map(({ fraction: _, ...f }) => f));
  fg.forEach((f, i) => {
    expect(Math.abs(f.fraction - fe[i]!.fraction), `${label} fraction`).toBeLessThanOrEqual(1e-9);
  });
  expect(cg, label).toBe(ce);
  expect(Math.abs(ig - ie), label).toBeLessThanOrEqual(expected.certificate.method === "lagrangian" ? 3 : 0);
  expect(Math.abs(dg - de), label).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(de)));
  expect(got.constraints.length, label).toBe(expected.constraints.length);
  let sameMu = true;
  got.constraints.forEach((r, i) => {
    const e = expected.constraints[i]!;
    expect(r.name, label).toBe(e.name);
    expect(Math.abs(r.used - e.used), `${label} ${r.name} used`).toBeLessThanOrEqual(
      1e-9 * Math.max(1, r.cap),
    );
    if (Math.abs(r.multiplier - e.multiplier) > 1e-9 * Math.max(1, e.multiplier)) sameMu = false;
  });
  if (!sameMu) {
    expect(expected.certificate.method, `${label} multipliers`).toBe("lagrangian");
    expect(problem, `${label}: multipliers differ`).toBeDefined();
    const { cand, options } = problem!;
    const le = dualAt(
      cand,
      options,
      expected.constraints,
      expected.constraints.map((k) => k.multiplier),
    );
    const lg = dualAt(
      cand,
      options,
      got.constraints,
      got.constraints.map((k) => k.multiplier),
    );
    const scale = Math.max(1, Math.abs(expected.totals.upper_bound));
    expect(Math.abs(le - lg) / scale, `${label} dual at the multipliers`).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(lg - got.totals.upper_bound) / scale, `${label} dual = bound`).toBeLessThanOrEqual(1e-9);
  }
  return Math.max(...Object.values(cmp.diff));
}
