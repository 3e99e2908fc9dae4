import { writeTable } from "@cia/logging-schema";
import { allocate, allocationSummary, candidatesFromMatrix } from "@cia/optimizer";
import type { AllocationOptions, AllocationResult } from "@cia/optimizer";
import { guardPaths } from "../io/guard-paths.js";
import { printSummary } from "../io/print-summary.js";
import type { ScoresTable } from "../io/scores-table.js";
import { readScores } from "../io/scores-table.js";

export interface AllocateCommandOptions {
  scores: string;
  budget: number;
  maxTreated?: number;
  minValuePerCost?: number;
  maxCostPerValue?: number;
  riskZ?: number;
  control: string;
  out: string;
}

/**
 * Allocate on a scores table: pivot to the optimizer's n x K layout (column 0 = no offer; a
 * missing (unit, action) pair is ineligible), solve, and return the result with action names.
 *
 * @example
 * const { result, actions } = allocateScores(scores, { budget: 1000 });
 */
export function allocateScores(
  scores: ScoresTable,
  options: AllocationOptions,
): { result: AllocationResult; actions: string[] } {
  const n = scores.unitIds.length;
  const A = scores.actions.length;
  const K = A + 1;
  const tv = new Float64Array(n * K);
  const tc = new Float64Array(n * K);
  const eligible = new Uint8Array(n * K);
  const lower = scores.tauValueLower ? new Float64Array(n * K) : undefined;
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < A; a++) {
      const s = i * A + a;
      const d = i * K + a + 1;
      const ok = !Number.isNaN(scores.tauValue[s]!);
      eligible[d] = ok ? 1 : 0;
      tv[d] = ok ? scores.tauValue[s]! : 0;
      tc[d] = ok ? scores.tauCost[s]! : 0;
      if (lower) lower[d] = ok ? scores.tauValueLower![s]! : 0;
    }
  }
  const candidates = candidatesFromMatrix({
    nUnits: n,
    nActions: K,
    tauValue: tv,
    tauCost: tc,
    eligible,
    tauValueLower: lower,
  });
  return { result: allocate(candidates, options), actions: ["control", ...scores.actions] };
}

/**
 * `cia allocate`: at most one action per unit (no offer included) maximizing the sum of tau_value
 * under the budget on the sum of tau_cost and the guardrails; writes `unit_id, action` for every
 * unit and prints the file contract's summary with the proven upper bound.
 *
 * @example
 * await allocateCommand({ scores: "scores.csv", budget: 5000, control: "control", out: "assignment.csv" });
 */
export async function allocateCommand(opts: AllocateCommandOptions): Promise<void> {
  guardPaths({ inputs: { "--scores": opts.scores }, outputs: { "--out": opts.out } });
  const scores = await readScores(opts.scores, { control: opts.control });
  const options: AllocationOptions = { budget: opts.budget };
  if (opts.maxTreated !== undefined) options.maxTreated = opts.maxTreated;
  if (opts.minValuePerCost !== undefined) options.minValuePerCost = opts.minValuePerCost;
  if (opts.maxCostPerValue !== undefined) options.maxCostPerValue = opts.maxCostPerValue;
  if (opts.riskZ !== undefined) {
    if (!scores.tauValueLower)
      throw new (await import("@cia/core")).CiaError(
        "invalid_input",
        `${opts.scores}: --risk-z needs a tau_value_lower column (train with --bootstraps)`,
      );
    options.risk = "lower";
  }
  const { result, actions } = allocateScores(scores, options);
  actions[0] = opts.control;
  const rows = function* () {
    for (let i = 0; i < scores.unitIds.length; i++)
      yield { unit_id: scores.unitIds[i]!, action: actions[result.action[i]!]! };
  };
  await writeTable(opts.out, rows(), { columns: ["unit_id", "action"], format: "csv" });
  const s = allocationSummary(result);
  const perAction: Record<string, number> = {};
  for (const a of result.action) perAction[actions[a]!] = (perAction[actions[a]!] ?? 0) + 1;
  printSummary({
    ...s,
    out: opts.out,
    relative_gap: result.totals.relative_gap,
    method: result.certificate.method,
    pruned: result.prune,
    actions: perAction,
  });
}
