import { readFileSync } from "node:fs";
import { CiaError } from "@cia/core";
import type { ExperimentTable } from "@cia/logging-schema";
import { loadCiaModel } from "@cia/model";
import { type TableDecisions, decideTable, solvePolicyLambda } from "./decision-rule.js";
import type { ServeErrorCode } from "./error-codes.js";
import { type PolicyBundle, loadPolicyBundle } from "./load-policy-bundle.js";
import type { PolicyManifest } from "./policy-manifest.js";
import { writePolicyBundle } from "./write-policy-bundle.js";

/** Options of {@link deployPolicy}. */
export interface DeployPolicyOptions {
  /** The model file `cia train` wrote. */
  modelPath: string;
  /** The units to solve lambda on (read with the model's features, e.g. by `readExperimentTable`). */
  table: ExperimentTable;
  /** Total budget over the table's units (the sum of tau_cost of the assignment). */
  budget: number;
  /** Bundle directory. */
  out: string;
  policyId?: string | undefined;
  policyVersion?: string | undefined;
  modelVersion?: string | undefined;
  program?: string | undefined;
  surface?: string | undefined;
  /** Actions the policy may choose (default all of the model's; no offer is always included). */
  actions?: readonly string[] | undefined;
  /** Exploration share in [0, 1] (default 0), per-action floor (default 0), salt (default the policy id). */
  epsilon?: number | undefined;
  floor?: number | undefined;
  salt?: string | undefined;
  maxCostPerValue?: number | undefined;
  minValuePerCost?: number | undefined;
  riskLower?: boolean | undefined;
  /** Today's budget of the live guard (default `budget`; null: no hard stop). */
  dailyBudget?: number | null | undefined;
  /** Lambda controller: step eta (default 0: fixed lambda), scale (default daily budget / 24), cap. */
  pacingEta?: number | undefined;
  pacingScale?: number | undefined;
  lambdaMax?: number | undefined;
  createdAt?: string | undefined;
}

/** What {@link deployPolicy} wrote and decided. */
export interface DeployedPolicy {
  manifest: PolicyManifest;
  /** The bundle as `cia serve` will load it. */
  bundle: PolicyBundle;
  /** The batch assignment under the served rule (same lambda, guardrails, exploration and draws). */
  decisions: TableDecisions;
}

function optionError(message: string) {
  return new CiaError<ServeErrorCode>("invalid_option", message);
}

/**
 * The batch step of a deployed policy (`cia deploy`): score the units with the model (refusing
 * feature-contract violations), solve the budget multiplier lambda with the guardrails
 * ({@link solvePolicyLambda}), write the policy bundle atomically, load it back exactly as the
 * server will, and decide every unit with the served rule, so the batch assignment and the online
 * decisions can be compared unit by unit.
 *
 * @example
 * const { manifest, decisions } = await deployPolicy({ modelPath: "model.json", table, budget: 5000, out: "deploy", epsilon: 0.05 });
 */
export async function deployPolicy(o: DeployPolicyOptions): Promise<DeployedPolicy> {
  const modelText = readFileSync(o.modelPath, "utf8");
  const model = loadCiaModel(o.modelPath);
  const actions = model.file.actions;
  const enabledNames = o.actions ? [actions[0]!, ...o.actions.filter((a) => a !== actions[0])] : [...actions];
  const enabled = new Uint8Array(actions.length);
  for (const a of enabledNames) {
    const k = actions.indexOf(a);
    if (k < 0)
      throw optionError(`--actions: '${a}' is not one of the model's actions [${actions.join(", ")}]`);
    enabled[k] = 1;
  }
  const epsilon = o.epsilon ?? 0;
  const floor = o.floor ?? 0;
  if (!(epsilon >= 0 && epsilon <= 1)) throw optionError(`--explore must be in [0, 1], got ${epsilon}`);
  const m = enabledNames.length;
  if (!(floor >= 0 && floor * m <= 1))
    throw optionError(`--floor must be in [0, 1/${m}] for ${m} actions, got ${floor}`);
  if (!(Number.isFinite(o.budget) && o.budget >= 0))
    throw optionError(`--budget must be finite and >= 0, got ${o.budget}`);
  const guardrails = {
    max_cost_per_value: o.maxCostPerValue ?? null,
    min_value_per_cost: o.minValuePerCost ?? null,
    risk_lower: o.riskLower ?? false,
  };
  if (guardrails.risk_lower && model.file.settings.bootstraps < 2)
    throw optionError("--risk-lower needs a model trained with --bootstraps >= 2");
  const { lambda, allocation } = solvePolicyLambda({ model, enabled, guardrails }, o.table, o.budget);
  const policyId = o.policyId ?? "cia-policy";
  const daily = o.dailyBudget === undefined ? o.budget : o.dailyBudget;
  const manifest = await writePolicyBundle(o.out, {
    modelText,
    contract: model.file.contract,
    manifest: {
      policy_id: policyId,
      policy_version: o.policyVersion ?? "1",
      model_version: o.modelVersion,
      created_at: o.createdAt,
      program: o.program ?? policyId,
      surface: o.surface ?? "api",
      actions: [...actions],
      enabled_actions: enabledNames,
      lambda,
      guardrails,
      exploration: { epsilon, floor, salt: o.salt ?? policyId },
      budget: {
        total: o.budget,
        daily,
        units: o.table.n,
        predicted_spend: allocation.totals.spend,
        predicted_value: allocation.totals.value,
      },
      pacing: {
        eta: o.pacingEta ?? 0,
        scale: o.pacingScale ?? Math.max(1e-9, (daily ?? o.budget) / 24 || 1),
        lambda_max: o.lambdaMax ?? null,
      },
    },
  });
  const bundle = loadPolicyBundle(o.out);
  const decisions = decideTable(
    {
      model: bundle.model,
      enabled: bundle.enabled,
      guardrails: manifest.guardrails,
      exploration: manifest.exploration,
    },
    o.table,
    { lambda: manifest.lambda },
  );
  return { manifest, bundle, decisions };
}
