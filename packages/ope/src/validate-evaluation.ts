import type { OpeIssue } from "./error-codes.js";
import type { EvaluatePolicyOptions, OpeData } from "./evaluate-policy-types.js";
import { ESTIMATOR_NAMES } from "./types.js";
import type { EstimatorInputs, EstimatorName } from "./types.js";
import { validateEstimatorInputs } from "./validate-inputs.js";

/** What {@link evaluationIssues} checks besides the raw data and options. */
export interface EvaluationContext {
  /** The treatment the evaluation runs on (realized when given, else assigned) and its propensity. */
  readonly action: Int32Array;
  readonly propensity: Float64Array;
  readonly realized: boolean;
  readonly estimators: readonly EstimatorName[];
  /** Some estimator reads the reward model. */
  readonly needsModel: boolean;
}

/**
 * Every problem with the inputs of {@link evaluatePolicy}, found up front so they are reported at
 * once: unknown estimators, an incomplete realized treatment, the value head's estimator inputs,
 * the cost head and its reward model, the baseline matrix, the population size. Paths name the
 * evaluation's fields (`value`, `cost`, `baseline`), not the estimator's (`reward`, `target`);
 * an issue reported for both heads is kept once.
 *
 * @example
 * const issues = evaluationIssues(data, options, context);
 * if (issues.length > 0) throw new DataValidationError(issues);
 */
export function evaluationIssues(
  data: OpeData,
  options: EvaluatePolicyOptions,
  context: EvaluationContext,
): OpeIssue[] {
  const { k } = data;
  const { action, propensity, realized, needsModel } = context;
  const n = action.length;
  const issues: OpeIssue[] = [];
  for (const e of context.estimators)
    if (!ESTIMATOR_NAMES.includes(e))
      issues.push({
        code: "unknown_estimator",
        path: ["estimators"],
        message: `unknown estimator "${e}"; use one of ${ESTIMATOR_NAMES.join(", ")}`,
      });
  if ((data.realizedAction === undefined) !== (data.realizedPropensity === undefined))
    issues.push({
      code: "incomplete_realized_treatment",
      path: [data.realizedAction === undefined ? "realizedAction" : "realizedPropensity"],
      message: "give both realizedAction and realizedPropensity to evaluate on realized treatment",
    });
  if (realized && data.action.length !== n)
    issues.push(
      shapeMismatch(["realizedAction"], `realizedAction has ${n} entries, action has ${data.action.length}`),
    );
  const base: EstimatorInputs = {
    k,
    action,
    propensity,
    reward: data.value,
    target: options.target,
    qHat: options.qHat?.value,
  };
  issues.push(...validateEstimatorInputs(base, { requireQHat: needsModel }).map((i) => prefix(i, "value")));
  if (data.cost !== undefined) issues.push(...costIssues(data.cost, options, n, k, needsModel));
  if (options.baseline !== undefined && options.baseline !== "control")
    issues.push(
      ...validateEstimatorInputs({ ...base, target: options.baseline, qHat: undefined }).map((i) =>
        rename(i, "target", "baseline"),
      ),
    );
  if (options.populationSize !== undefined && !(options.populationSize > 0))
    issues.push({
      code: "invalid_population_size",
      path: ["populationSize"],
      message: `populationSize must be > 0, got ${options.populationSize}`,
    });
  return dedupe(issues);
}

/** The cost head: its length, its first non-finite entry, its reward model. */
function costIssues(
  cost: Float64Array,
  options: EvaluatePolicyOptions,
  n: number,
  k: number,
  needsModel: boolean,
): OpeIssue[] {
  const issues: OpeIssue[] = [];
  if (cost.length !== n)
    issues.push(shapeMismatch(["cost"], `cost has ${cost.length} entries, action has ${n}`));
  else
    for (let i = 0; i < n; i++)
      if (!Number.isFinite(cost[i]!)) {
        issues.push({
          code: "non_finite",
          path: ["row", i, "cost"],
          message: `cost ${cost[i]} is not a finite number`,
        });
        break;
      }
  const qCost = options.qHat?.cost;
  if (needsModel && qCost === undefined)
    issues.push({
      code: "missing_q_hat",
      path: ["qHat", "cost"],
      message: "model-based estimators need qHat.cost (n x K) to evaluate the cost head",
    });
  else if (qCost !== undefined && qCost.length !== n * k)
    issues.push(shapeMismatch(["qHat", "cost"], `qHat.cost has ${qCost.length} entries, expected ${n * k}`));
  return issues;
}

function shapeMismatch(path: string[], message: string): OpeIssue {
  return { code: "shape_mismatch", path, message };
}

function prefix(issue: OpeIssue, head: string): OpeIssue {
  return issue.path[0] === "reward"
    ? { ...issue, path: [head, ...issue.path.slice(1)] }
    : rename(issue, "reward", head);
}

function rename(issue: OpeIssue, from: string, to: string): OpeIssue {
  return {
    ...issue,
    path: issue.path.map((p) => (p === from ? to : p)),
    message: issue.message.replace(from, to),
  };
}

function dedupe(issues: OpeIssue[]): OpeIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.code}:${i.path.join(".")}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
