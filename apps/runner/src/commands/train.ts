import { readFileSync } from "node:fs";
import { CiaError, DataValidationError } from "@cia/core";
import { parseFeatureContract, writeFileAtomic } from "@cia/logging-schema";
import { readExperimentTable } from "@cia/table-io";
import type { MetaLearnerKind } from "@cia/uplift";
import { guardPaths } from "../io/guard-paths.js";
import { printSummary } from "../io/print-summary.js";
import { terminalProgress } from "../io/progress-bar.js";
import type { BaseKind } from "@cia/model";
import { trainCiaModel } from "@cia/model";

export interface TrainCommandOptions {
  data: string;
  out: string;
  learner: MetaLearnerKind;
  base: BaseKind;
  bootstraps: number;
  propensity: "column" | "estimate";
  control: string;
  cost: boolean;
  contract?: string;
  segment?: string;
  seed: string;
}

/**
 * `cia train`: value and cost heads (cost optional) with the chosen meta-learner and base learner,
 * optional bootstraps, written as one JSON model with its feature contract.
 *
 * @example
 * await trainCommand({ data: "table.csv", out: "model.json", learner: "x", base: "gbdt", bootstraps: 0, propensity: "column", control: "control", cost: true, seed: "1" });
 */
export async function trainCommand(opts: TrainCommandOptions): Promise<void> {
  guardPaths({
    inputs: { "--data": opts.data, "--contract": opts.contract },
    outputs: { "--out": opts.out },
  });
  const require: ("action" | "value" | "cost" | "propensity")[] = ["action", "value"];
  if (opts.cost) require.push("cost");
  if (opts.propensity === "column") require.push("propensity");
  const table = await readExperimentTable(opts.data, { require }).catch((e: unknown) => {
    throw withCostHint(e);
  });
  let contract: import("@cia/logging-schema").FeatureContract | undefined;
  if (opts.contract) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(opts.contract, "utf8"));
    } catch (e) {
      throw new CiaError(
        "invalid_input",
        `${opts.contract}: cannot read the feature contract (${(e as Error).message})`,
      );
    }
    contract = parseFeatureContract(raw, { file: opts.contract });
  }
  const t0 = Date.now();
  const model = trainCiaModel(table, {
    learner: opts.learner,
    base: opts.base,
    bootstraps: opts.bootstraps,
    propensity: opts.propensity,
    control: opts.control,
    cost: opts.cost,
    seed: opts.seed,
    ...(contract ? { contract } : {}),
    ...(opts.segment ? { segment: opts.segment } : {}),
    progress: terminalProgress(),
  });
  await writeFileAtomic(opts.out, JSON.stringify(model.file));
  printSummary({
    out: opts.out,
    rows: table.n,
    actions: model.file.actions,
    learner: opts.learner,
    base: opts.base,
    bootstraps: opts.bootstraps,
    features: model.file.contract.features.length,
    contract_hash: model.file.contract_hash,
    propensity: model.uplift.propensityReport,
    seconds: (Date.now() - t0) / 1000,
  });
}

/**
 * A table without a cost column fails `train` (the cost head is on by default): say what to do
 * instead of only what is missing.
 */
function withCostHint(e: unknown): unknown {
  if (!(e instanceof DataValidationError)) return e;
  const issues = e.issues.map((i) =>
    i.code === "missing_column" && i.path[0] === "cost"
      ? {
          ...i,
          message:
            "missing column 'cost': train with --no-cost for a value-only model, or add a cost column (Hillstrom: cia import --cost-per-treated C and/or --cost-share-of-value R; logs: cia labels writes it from cost events)",
        }
      : i,
  );
  return new DataValidationError(issues);
}
