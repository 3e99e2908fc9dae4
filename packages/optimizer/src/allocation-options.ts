import { CiaError } from "@cia/core";
import { type Candidates, checkFinite } from "./candidates.js";
import type { OptimizerErrorCode } from "./error-codes.js";

/** A cap on the candidates of one channel or one action: a treated count, a budget, or both. */
export interface ScopedCap {
  /** Maximum number of units treated through this channel / action. */
  maxTreated?: number | undefined;
  /**
   * Total budget of this channel / action: the maximum sum of tau_cost over the units treated
   * through it (a total over units, not per unit).
   */
  budget?: number | undefined;
}

/** Risk-aware valuation: allocate on a lower confidence bound of tau_value instead of its mean. */
export type RiskOption =
  /** use the candidates' `tauValueLower` column */
  | "lower"
  /** use tau_value - z * tauValueSe */
  | { z: number };

/** Options of {@link allocate}: the budget and guardrails. Every limit is optional. */
export interface AllocationOptions {
  /**
   * Total budget over all units, in the unit of tau_cost: the sum of tau_cost over the assignment
   * must stay <= budget (>= 0; Infinity = none). Not per unit: for a per-unit budget b over n
   * units pass b * n.
   */
  budget?: number | undefined;
  /** Maximum number of treated units (any action other than no offer). */
  maxTreated?: number | undefined;
  /**
   * Marginal efficiency floor R (>= 0): only move a unit along its (cost, value) hull through
   * increments worth at least R value per unit of cost. Equivalently the budget's price lambda is
   * never below R; options past that point are pruned as `below_efficiency_floor`.
   */
  minValuePerCost?: number | undefined;
  /** Prune candidates whose cost per incremental value tau_cost / tau_value exceeds this cap. */
  maxCostPerValue?: number | undefined;
  /** Per-channel caps, keyed by channel code (candidates need a `channel` column). */
  channelCaps?: Readonly<Record<number, ScopedCap>> | undefined;
  /** Per-action caps, keyed by action code (>= 1). */
  actionCaps?: Readonly<Record<number, ScopedCap>> | undefined;
  /** Allocate on a lower confidence bound of value (risk-aware mode). */
  risk?: RiskOption | undefined;
  /** Prune pairwise- and LP-dominated options before allocating (default true; never changes the LP bound). */
  pruneDominated?: boolean | undefined;
  /**
   * Multi-constraint dual search: iteration cap (default 200), relative tolerance (default 1e-10),
   * and the problem size (kept options, default 20,000) from which late iterations re-evaluate only
   * the units whose choice can change near the current multipliers (exact; a speed-up at scale).
   */
  dual?:
    | {
        maxIterations?: number | undefined;
        tolerance?: number | undefined;
        activeSetMinOptions?: number | undefined;
      }
    | undefined;
}

/** One linear resource constraint sum_i coef_i x_i <= cap of the normalized problem. */
export interface ResourceConstraint {
  /** "budget", "max_treated", "channel:3:budget", "action:2:max_treated", ... */
  name: string;
  kind: "cost" | "count";
  scope: "all" | "channel" | "action";
  /** channel or action code for scoped constraints, -1 otherwise. */
  code: number;
  cap: number;
}

/** The allocation problem after validation: the value each candidate is allocated on, and constraints. */
export interface NormalizedProblem {
  /** Value the allocator maximizes (tau_value, or its lower bound in risk-aware mode). */
  value: Float64Array;
  /** Finite constraints only (an infinite cap is dropped). */
  constraints: ResourceConstraint[];
  budget: number;
  floor: number | undefined;
  maxCostPerValue: number | undefined;
  pruneDominated: boolean;
  /** True when some constraint is scoped to a channel or action (hull pruning is then not valid). */
  scoped: boolean;
}

function checkLimit(name: string, x: number | undefined, allowInfinity: boolean): void {
  if (x === undefined) return;
  if (Number.isNaN(x) || x < 0 || (!allowInfinity && !Number.isFinite(x))) {
    throw new CiaError<OptimizerErrorCode>(
      "invalid_option",
      `${name} must be ${allowInfinity ? ">= 0 (Infinity allowed)" : "finite and >= 0"}, got ${x}`,
      {
        option: name,
        value: x,
      },
    );
  }
}

/** Validate options against the candidates and build the constraint list. */
export function normalizeProblem(c: Candidates, options: AllocationOptions): NormalizedProblem {
  // Candidates are a plain interface and may not have come through createCandidates: check again
  // (one pass) that no eligible score is NaN, so no NaN can reach the greedy or the bound.
  checkFinite("tau_value", c.tauValue, c.eligible);
  checkFinite("tau_cost", c.tauCost, c.eligible);
  checkLimit("budget", options.budget, true);
  checkLimit("maxTreated", options.maxTreated, true);
  checkLimit("minValuePerCost", options.minValuePerCost, false);
  checkLimit("maxCostPerValue", options.maxCostPerValue, true);
  const constraints: ResourceConstraint[] = [];
  const budget = options.budget ?? Number.POSITIVE_INFINITY;
  if (Number.isFinite(budget))
    constraints.push({ name: "budget", kind: "cost", scope: "all", code: -1, cap: budget });
  const maxTreated = options.maxTreated ?? Number.POSITIVE_INFINITY;
  if (Number.isFinite(maxTreated)) {
    constraints.push({ name: "max_treated", kind: "count", scope: "all", code: -1, cap: maxTreated });
  }
  let scoped = false;
  for (const [scope, caps] of [
    ["channel", options.channelCaps],
    ["action", options.actionCaps],
  ] as const) {
    if (!caps) continue;
    if (scope === "channel" && !c.channel && Object.keys(caps).length > 0) {
      throw new CiaError<OptimizerErrorCode>(
        "invalid_option",
        "channelCaps need candidates with a channel column",
      );
    }
    for (const key of Object.keys(caps).sort((a, b) => Number(a) - Number(b))) {
      const code = Number(key);
      if (!Number.isInteger(code) || code < (scope === "action" ? 1 : 0)) {
        throw new CiaError<OptimizerErrorCode>(
          "invalid_option",
          `${scope}Caps key ${key} is not a valid ${scope} code`,
        );
      }
      const cap = caps[code]!;
      checkLimit(`${scope}Caps[${code}].maxTreated`, cap.maxTreated, true);
      checkLimit(`${scope}Caps[${code}].budget`, cap.budget, true);
      if (cap.maxTreated !== undefined && Number.isFinite(cap.maxTreated)) {
        constraints.push({
          name: `${scope}:${code}:max_treated`,
          kind: "count",
          scope,
          code,
          cap: cap.maxTreated,
        });
        scoped = true;
      }
      if (cap.budget !== undefined && Number.isFinite(cap.budget)) {
        constraints.push({ name: `${scope}:${code}:budget`, kind: "cost", scope, code, cap: cap.budget });
        scoped = true;
      }
    }
  }
  let value = c.tauValue;
  const risk = options.risk;
  if (risk !== undefined) {
    const n = c.tauValue.length;
    value = new Float64Array(n);
    if (risk === "lower") {
      const lower = c.tauValueLower;
      if (!lower)
        throw new CiaError<OptimizerErrorCode>(
          "invalid_option",
          'risk "lower" needs candidates with tauValueLower',
        );
      for (let i = 0; i < n; i++) {
        const l = lower[i]!;
        if (Number.isNaN(l) && c.eligible?.[i] !== 0) {
          throw new CiaError<OptimizerErrorCode>(
            "non_finite_score",
            `tau_value_lower is missing in candidate row ${i}`,
            {
              row: i,
            },
          );
        }
        value[i] = l;
      }
    } else {
      const se = c.tauValueSe;
      if (!se)
        throw new CiaError<OptimizerErrorCode>(
          "invalid_option",
          "risk { z } needs candidates with tauValueSe",
        );
      if (!(Number.isFinite(risk.z) && risk.z >= 0)) {
        throw new CiaError<OptimizerErrorCode>(
          "invalid_option",
          `risk.z must be finite and >= 0, got ${risk.z}`,
        );
      }
      for (let i = 0; i < n; i++) value[i] = c.tauValue[i]! - risk.z * se[i]!;
    }
  }
  return {
    value,
    constraints,
    budget,
    floor: options.minValuePerCost,
    maxCostPerValue: options.maxCostPerValue,
    pruneDominated: options.pruneDominated ?? true,
    scoped,
  };
}

/** Coefficient of candidate `i` in constraint `k` (0 when out of its scope). */
export function constraintCoefficient(c: Candidates, k: ResourceConstraint, i: number): number {
  if (k.scope === "channel" && c.channel![i] !== k.code) return 0;
  if (k.scope === "action" && c.action[i] !== k.code) return 0;
  return k.kind === "cost" ? c.tauCost[i]! : 1;
}

/**
 * Fill `out[p * m + r]` with the coefficient of candidate `rows[p]` in constraint r, one tight loop
 * per constraint (no per-element dispatch on the constraint's kind and scope).
 */
export function fillCoefficients(
  c: Candidates,
  constraints: readonly ResourceConstraint[],
  rows: Int32Array,
  out: Float64Array,
): void {
  const m = constraints.length;
  const n = rows.length;
  const cost = c.tauCost;
  for (let r = 0; r < m; r++) {
    const k = constraints[r]!;
    const isCost = k.kind === "cost";
    const scopeArr = k.scope === "channel" ? c.channel! : k.scope === "action" ? c.action : undefined;
    const code = k.code;
    for (let p = 0; p < n; p++) {
      const i = rows[p]!;
      out[p * m + r] = scopeArr !== undefined && scopeArr[i] !== code ? 0 : isCost ? cost[i]! : 1;
    }
  }
}
