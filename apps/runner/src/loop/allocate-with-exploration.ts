import { writeDecisions, writeTable } from "@cia/logging-schema";
import type { AllocationOptions } from "@cia/optimizer";
import { printSummary } from "../io/print-summary.js";
import type { ScoresTable } from "../io/scores-table.js";
import { usageError } from "../io/usage-error.js";
import {
  DEFAULT_EXPLORE,
  defaultControlFloor,
  deployWithExploration,
  deploymentDecisions,
} from "./deploy-with-exploration.js";

/** The `cia allocate` flags of a deployed policy with exploration (issue 19). */
export interface ExplorationFlags {
  /** Exploration share epsilon in [0, 1] (default 0.025 once --decisions-out is given). */
  explore?: number;
  /** Minimum probability of every eligible action (default epsilon / K). */
  floor?: number;
  /** Minimum probability of no offer where an offer is recommended (default 0.05; 0 with --explore 0). */
  controlFloor?: number;
  /** Salt of the deterministic draws (default: the policy id). */
  salt?: string;
  /** Write the shipped decisions (logging schema, with propensities) here. */
  decisionsOut?: string;
  policyId?: string;
  modelVersion?: string;
  /** Decision time written on the records (default: now). */
  decisionTime?: string;
}

/**
 * `cia allocate --explore EPS [--floor F] [--salt S] --decisions-out FILE`: the shipped assignment is
 * the optimizer's allocation mixed with exploration, budget-safe in expectation (the allocation is
 * solved at the reduced budget at which the mixture's expected predicted cost meets `--budget`),
 * each unit's action drawn from its id and the salt. Writes `unit_id, action, propensity,
 * recommended` and, with --decisions-out, one logging-schema Decision per unit (taken action, its
 * propensity, the whole distribution, policy id and model version).
 *
 * @example
 * await allocateWithExploration(scores, { budget: 5000 }, { explore: 0.05, decisionsOut: "decisions.jsonl", out: "assignment.csv", control: "control" });
 */
export async function allocateWithExploration(
  scores: ScoresTable,
  options: AllocationOptions,
  flags: ExplorationFlags & { out: string; control: string; budget: number },
  extra: Record<string, unknown> = {},
): Promise<void> {
  const n = scores.unitIds.length;
  const A = scores.actions.length;
  const k = A + 1;
  const actions = [flags.control, ...scores.actions];
  const explore = flags.explore ?? DEFAULT_EXPLORE;
  if (!(explore >= 0 && explore <= 1)) throw usageError(`--explore must be in [0, 1], got ${explore}`);
  const floor = flags.floor ?? explore / k;
  const controlFloor = flags.controlFloor ?? defaultControlFloor(explore, floor);
  if (!(controlFloor >= 0 && controlFloor <= 1))
    throw usageError(`--control-floor must be in [0, 1], got ${controlFloor}`);
  const tauValue = new Float64Array(n * k);
  const tauCost = new Float64Array(n * k);
  const eligible = new Uint8Array(n * k);
  const lower = scores.tauValueLower && options.risk === "lower" ? new Float64Array(n * k) : undefined;
  let maxEligible = 1;
  for (let i = 0; i < n; i++) {
    eligible[i * k] = 1;
    let m = 1;
    for (let a = 0; a < A; a++) {
      const s = i * A + a;
      const d = i * k + a + 1;
      if (Number.isNaN(scores.tauValue[s]!)) continue;
      eligible[d] = 1;
      m++;
      tauValue[d] = scores.tauValue[s]!;
      tauCost[d] = scores.tauCost[s]!;
      if (lower) lower[d] = scores.tauValueLower![s]!;
    }
    if (m > maxEligible) maxEligible = m;
  }
  if (floor * maxEligible > 1)
    throw usageError(
      `--floor ${floor} x ${maxEligible} eligible actions exceeds 1 (use at most ${1 / maxEligible})`,
    );
  const policyId = flags.policyId ?? "cia-allocate";
  const salt = flags.salt ?? policyId;
  const { budget: _b, ...guardrails } = options;
  const d = deployWithExploration({
    unitIds: scores.unitIds,
    k,
    tauValue,
    tauCost,
    eligible,
    tauValueLower: lower,
    budget: options.budget ?? flags.budget,
    settings: { epsilon: explore, floor, controlFloor, salt },
    allocation: guardrails,
  });
  await writeTable(
    flags.out,
    Array.from(scores.unitIds, (unit_id, i) => ({
      unit_id,
      action: actions[d.action[i]!]!,
      propensity: d.propensity[i]!,
      recommended: actions[d.recommended[i]!]!,
    })),
    { columns: ["unit_id", "action", "propensity", "recommended"], format: "csv" },
  );
  const time = flags.decisionTime ?? new Date().toISOString();
  if (flags.decisionsOut) {
    const records = deploymentDecisions(scores.unitIds, d, {
      actions,
      policyId,
      modelVersion: flags.modelVersion ?? "unversioned",
      salt,
      decisionTime: time,
      eligibleActions: (i) => actions.filter((_, a) => eligible[i * k + a] === 1),
    });
    await writeDecisions(flags.decisionsOut, records);
  }
  const perAction: Record<string, number> = {};
  for (const a of d.action) perAction[actions[a]!] = (perAction[actions[a]!] ?? 0) + 1;
  const warnings: string[] = [];
  if (explore === 0 && floor === 0 && controlFloor === 0)
    warnings.push(
      "--explore 0: the shipped decisions are deterministic (propensity 1); these logs will not support off-policy evaluation of any other policy",
    );
  if (!d.feasible)
    warnings.push(
      `exploration alone is predicted to cost ${d.explorationCost.toFixed(2)} > budget ${flags.budget}: lower --explore or raise --budget`,
    );
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  printSummary({
    out: flags.out,
    decisions_out: flags.decisionsOut ?? null,
    units: n,
    budget_requested: flags.budget,
    budget: options.budget ?? flags.budget,
    handed_budget: d.handedBudget,
    expected_cost: d.expectedCost,
    exploration_cost: d.explorationCost,
    explore,
    floor,
    control_floor: controlFloor,
    salt,
    policy_id: policyId,
    min_propensity: d.minPropensity,
    actions: perAction,
    ope_supported: explore > 0 || floor > 0,
    ...extra,
    warnings,
  });
}
