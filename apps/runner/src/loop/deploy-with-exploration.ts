import { bucketMap, drawExploredAction, explorationBudget } from "@cia/experiment";
import type { ExplorationSettings } from "@cia/experiment";
import type { Decision, FeatureValue } from "@cia/logging-schema";
import { allocate, candidatesFromMatrix } from "@cia/optimizer";
import type { AllocationOptions } from "@cia/optimizer";

/**
 * Default share of exploration of a deployed policy: 2.5% of the mass, spread over the eligible
 * actions (0.5% each of 5). Random offers are what exploration pays for: at 5% they took 14% of
 * the default world's budget and cost the loop 8% of its value in period 0.
 */
export const DEFAULT_EXPLORE = 0.025;

/**
 * Default minimum probability of no offer where an offer is recommended (`cia loop
 * --control-floor`): exploring "no offer" is free, it keeps the importance weights of the
 * baseline at most 20, and the budget it frees goes to the next units in line.
 */
export const DEFAULT_CONTROL_FLOOR = 0.05;

/**
 * The control floor when none is given: the default, except with `--explore 0` and no floor,
 * which ships the deterministic allocation (no free exploration of no offer either).
 */
export function defaultControlFloor(explore: number, floor: number): number {
  return explore === 0 && floor === 0 ? 0 : DEFAULT_CONTROL_FLOOR;
}

/** What {@link deployWithExploration} decides on. */
export interface DeploymentInput {
  readonly unitIds: readonly string[];
  readonly k: number;
  /** Predicted incremental value and cost, n x K (column 0 = no offer = 0). */
  readonly tauValue: Float64Array;
  readonly tauCost: Float64Array;
  readonly eligible?: Uint8Array | undefined;
  readonly tauValueLower?: Float64Array | undefined;
  /** Total budget on expected predicted incremental cost of the shipped, explored policy. */
  readonly budget: number;
  readonly settings: ExplorationSettings;
  /** Guardrails and risk passed to the optimizer (its budget is the handed one). */
  readonly allocation?: Omit<AllocationOptions, "budget"> | undefined;
}

/** The shipped stochastic policy and its deterministic draws. */
export interface Deployment {
  /** The optimizer's allocation at the handed budget (what the policy recommends). */
  readonly recommended: Int32Array;
  /** The shipped distribution, n x K. */
  readonly probabilities: Float64Array;
  /** Drawn action and its exact propensity per unit (murmur3 of salt and unit id). */
  readonly action: Int32Array;
  readonly propensity: Float64Array;
  readonly handedBudget: number;
  /** Expected predicted cost of the mixture (<= budget when feasible) and its exploration part. */
  readonly expectedCost: number;
  readonly explorationCost: number;
  readonly feasible: boolean;
  readonly minPropensity: number;
}

/**
 * Deploy with exploration (issue 19): the optimizer's allocation solved at a reduced budget
 * (`explorationBudget`: the mixture's expected predicted cost meets the budget), mixed with
 * epsilon exploration over each unit's eligible actions (`explorationDistribution`), and each
 * unit's action drawn deterministically from its id and the salt (`drawExploredAction`), with the
 * exact propensity to log.
 *
 * @example
 * const d = deployWithExploration({ unitIds, k, tauValue, tauCost, budget: 5000, settings: { epsilon: 0.1, salt: "p1" } });
 * d.propensity[0]; // probability of d.action[0] under d.probabilities
 */
export function deployWithExploration(input: DeploymentInput): Deployment {
  const { unitIds, k, tauValue, tauCost, settings } = input;
  const n = unitIds.length;
  const candidates = candidatesFromMatrix({
    nUnits: n,
    nActions: k,
    tauValue,
    tauCost,
    eligible: input.eligible,
    tauValueLower: input.tauValueLower,
  });
  const b = explorationBudget({
    n,
    k,
    predictedCost: tauCost,
    eligible: input.eligible,
    budget: input.budget,
    settings,
    allocate: (h) => allocate(candidates, { ...input.allocation, budget: h }).action,
  });
  const action = new Int32Array(n);
  const propensity = new Float64Array(n);
  let minPropensity = 1;
  for (let i = 0; i < n; i++) {
    // Log what the hash realizes: each row quantized to its bucket map (exact dyadic probabilities),
    // so the logged distribution and the logged propensity agree to the last bit.
    const row = b.probabilities.subarray(i * k, (i + 1) * k);
    row.set(bucketMap(row).probabilities);
    const d = drawExploredAction(unitIds[i]!, settings.salt, row);
    action[i] = d.action;
    propensity[i] = d.propensity;
    if (d.propensity < minPropensity) minPropensity = d.propensity;
  }
  return {
    recommended: b.recommended,
    probabilities: b.probabilities,
    action,
    propensity,
    handedBudget: b.handedBudget,
    expectedCost: b.expectedCost,
    explorationCost: b.explorationCost,
    feasible: b.feasible,
    minPropensity,
  };
}

/** Fields of the Decision records of a deployment. */
export interface DeploymentRecordOptions {
  readonly actions: readonly string[];
  readonly policyId: string;
  readonly modelVersion: string;
  readonly salt: string;
  readonly program?: string | undefined;
  readonly surface?: string | undefined;
  /** ISO time per unit or for all. */
  readonly decisionTime: string | ((i: number) => string);
  readonly decisionId?: ((i: number) => string) | undefined;
  readonly features?: ((i: number) => Record<string, FeatureValue>) | undefined;
  /** Actions eligible for unit i (default: all). */
  readonly eligibleActions?: ((i: number) => string[]) | undefined;
}

/**
 * The deployment as logging-schema Decision records: the taken action, its propensity, the whole
 * distribution, the policy id, the model version (as `policy_version`) and the salt, so the next
 * cycle's learning and off-policy evaluation are valid by construction.
 *
 * @example
 * const recs = deploymentDecisions(unitIds, d, { actions, policyId: "cia", modelVersion: "m3", salt: "p3", decisionTime: now });
 */
export function deploymentDecisions(
  unitIds: readonly string[],
  d: Pick<Deployment, "action" | "propensity" | "probabilities">,
  o: DeploymentRecordOptions,
): Decision[] {
  const k = o.actions.length;
  return unitIds.map((unit_id, i) => {
    // The schema lets a distribution name only eligible actions (an ineligible one has probability 0).
    const eligible = o.eligibleActions ? o.eligibleActions(i) : [...o.actions];
    const probs: Record<string, number> = {};
    for (let a = 0; a < k; a++)
      if (eligible.includes(o.actions[a]!)) probs[o.actions[a]!] = d.probabilities[i * k + a]!;
    const rec: Decision = {
      schema_version: 1,
      decision_id: o.decisionId ? o.decisionId(i) : `d-${unit_id}`,
      unit_id,
      program: o.program ?? "winback",
      surface: o.surface ?? "app",
      policy_id: o.policyId,
      policy_version: o.modelVersion,
      decision_time: typeof o.decisionTime === "string" ? o.decisionTime : o.decisionTime(i),
      eligible_actions: eligible,
      action: o.actions[d.action[i]!]!,
      propensity: d.propensity[i]!,
      action_probabilities: probs,
      design: "policy",
      salt: o.salt,
    };
    if (o.features) rec.features = o.features(i);
    return rec;
  });
}
