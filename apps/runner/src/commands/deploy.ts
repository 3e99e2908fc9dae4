import { join } from "node:path";
import { readExperimentTable, writeTable } from "@cia/logging-schema";
import { loadCiaModel } from "@cia/model";
import { deployPolicy, POLICY_MANIFEST_FILE } from "@cia/serve";
import { guardPaths } from "../io/guard-paths.js";
import { printSummary } from "../io/print-summary.js";

export interface DeployCommandOptions {
  model: string;
  table: string;
  budget: number;
  out: string;
  assignment?: string;
  explore: number;
  floor: number;
  salt?: string;
  policyId: string;
  policyVersion: string;
  modelVersion?: string;
  program?: string;
  surface: string;
  actions?: string;
  dailyBudget?: number;
  hardStop: boolean;
  pacingEta: number;
  pacingScale?: number;
  lambdaMax?: number;
  maxCostPerValue?: number;
  minValuePerCost?: number;
  riskLower?: boolean;
}

/**
 * `cia deploy`: the batch step of an online policy. Scores the units with the model (the feature
 * contract refuses bad rows, as in `cia score`), solves the budget multiplier lambda under the
 * budget and guardrails, writes the policy bundle `cia serve` loads (atomically: the manifest is
 * renamed into place last), and writes the batch assignment under the served rule (same lambda,
 * guardrails, exploration and deterministic draws), so batch and online can be compared.
 *
 * @example
 * await deployCommand({ model: "model.json", table: "units.csv", budget: 5000, out: "deploy", explore: 0.05, floor: 0, policyId: "winback", policyVersion: "1", surface: "api", hardStop: true, pacingEta: 0 });
 */
export async function deployCommand(opts: DeployCommandOptions): Promise<void> {
  const assignment = opts.assignment ?? join(opts.out, "assignment.csv");
  guardPaths({
    inputs: { "--model": opts.model, "--table": opts.table },
    // The bundle's manifest goes in --out too: an input named out/policy.json would be replaced.
    outputs: { "--assignment": assignment, "--out (policy.json)": join(opts.out, POLICY_MANIFEST_FILE) },
    dirs: { "--out": opts.out },
  });
  const model = loadCiaModel(opts.model);
  const names = model.file.contract.features.map((f) => f.name);
  const seg = model.file.segment?.column;
  const table = await readExperimentTable(opts.table, { features: seg ? [...names, seg] : names });
  const { manifest, decisions: d } = await deployPolicy({
    modelPath: opts.model,
    table,
    budget: opts.budget,
    out: opts.out,
    policyId: opts.policyId,
    policyVersion: opts.policyVersion,
    modelVersion: opts.modelVersion,
    program: opts.program,
    surface: opts.surface,
    actions: opts.actions
      ?.split(",")
      .map((a) => a.trim())
      .filter((a) => a.length > 0),
    epsilon: opts.explore,
    floor: opts.floor,
    salt: opts.salt,
    maxCostPerValue: opts.maxCostPerValue,
    minValuePerCost: opts.minValuePerCost,
    riskLower: opts.riskLower,
    dailyBudget: opts.hardStop ? (opts.dailyBudget ?? opts.budget) : null,
    pacingEta: opts.pacingEta,
    pacingScale: opts.pacingScale,
    lambdaMax: opts.lambdaMax,
  });
  const actions = manifest.actions;
  const k = actions.length;
  const perAction: Record<string, number> = {};
  let expectedSpend = 0;
  for (let i = 0; i < d.n; i++) {
    const a = actions[d.action[i]!]!;
    perAction[a] = (perAction[a] ?? 0) + 1;
    if (d.tauCost)
      for (let j = 0; j < k; j++) expectedSpend += d.probabilities[i * k + j]! * d.tauCost[i * k + j]!;
  }
  const rows = function* () {
    for (let i = 0; i < d.n; i++)
      yield {
        unit_id: table.unitIds[i]!,
        action: actions[d.action[i]!]!,
        propensity: d.propensity[i]!,
        recommended: actions[d.recommended[i]!]!,
      };
  };
  await writeTable(assignment, rows(), {
    columns: ["unit_id", "action", "propensity", "recommended"],
    format: "csv",
  });
  printSummary({
    out: opts.out,
    assignment,
    policy_id: manifest.policy_id,
    model_version: manifest.model_version,
    lambda: manifest.lambda,
    units: d.n,
    budget: manifest.budget.total,
    predicted_spend: manifest.budget.predicted_spend,
    expected_spend_with_exploration: expectedSpend,
    daily_budget: manifest.budget.daily,
    exploration: manifest.exploration,
    actions: perAction,
  });
}
