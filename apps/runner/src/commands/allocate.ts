import { tableFileFormat, writeTableColumns } from "@cia/table-io";
import { allocate, allocationSummary, candidatesFromMatrix } from "@cia/optimizer";
import type { AllocationOptions, AllocationResult } from "@cia/optimizer";
import { CiaError } from "@cia/core";
import { guardPaths } from "../io/guard-paths.js";
import { printSummary } from "../io/print-summary.js";
import { usageError } from "../io/usage-error.js";
import type { ScoresTable } from "../io/scores-table.js";
import { readScores } from "../io/scores-table.js";
import { AllocationFeed } from "../io/allocation-feed.js";
import type { ExplorationFlags } from "../loop/allocate-with-exploration.js";
import type { WarehouseFlags } from "./warehouse-commands.js";

/** With --explore or --decisions-out the shipped assignment explores (issue 19: `../loop/allocate-with-exploration.ts`). */
export interface AllocateCommandOptions extends ExplorationFlags, WarehouseFlags {
  scores: string;
  budget: number;
  maxTreated?: number;
  minValuePerCost?: number;
  maxCostPerValue?: number;
  riskZ?: number;
  control: string;
  /** Logged holdout table (propensity, value, cost) for the DR check of true spend. */
  holdout?: string;
  /** Scores of the holdout's units by the same model. */
  holdoutScores?: string;
  /** Hand the optimizer the budget whose DR-estimated true spend meets --budget. */
  calibrateSpend?: boolean;
  spendCriterion?: "point" | "interval" | "upper";
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

/** Largest |tau_value| or |tau_cost| accepted: past 1e15 a double no longer holds cents. */
const MAX_SCORE = 1e15;

/** What the warnings need to know of tau_cost: its largest magnitude and its negative pairs. */
export interface CostStats {
  maxCost: number;
  negative: number;
}

/** {@link CostStats} of a tau_cost array (NaN pairs count for neither). */
function costStats(tauCost: Float64Array): CostStats {
  let maxCost = 0;
  let negative = 0;
  for (let i = 0; i < tauCost.length; i++) {
    const x = tauCost[i]!;
    if (Math.abs(x) > maxCost) maxCost = Math.abs(x);
    if (x < 0) negative++;
  }
  return { maxCost, negative };
}

/**
 * Refuse scores whose totals leave the float range (finite cells such as -1e308 that add up to
 * -Infinity): any allocation's value and spend are sums of these cells, so the sum of their
 * magnitudes must be finite. Names the unit and action where the running sum overflows.
 */
function finiteTotals(scores: ScoresTable): void {
  const k = scores.actions.length;
  for (const [field, xs] of [
    ["tau_value", scores.tauValue],
    ["tau_cost", scores.tauCost],
  ] as const) {
    let sum = 0;
    for (let i = 0; i < xs.length; i++) {
      // NaN marks a pair that is not a candidate.
      if (Number.isNaN(xs[i]!)) continue;
      sum += Math.abs(xs[i]!);
      // Beyond MAX_SCORE percentages of the budget overflow too.
      if (!Number.isFinite(sum) || Math.abs(xs[i]!) > MAX_SCORE)
        throw new CiaError(
          "invalid_input",
          `${scores.file}: unit '${scores.unitIds[Math.floor(i / k)]}', action '${scores.actions[i % k]}': ${field}: ${xs[i]} is beyond what can be summed (|score| at most ${MAX_SCORE}, totals finite): check the scores or rescale the units`,
        );
    }
  }
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
  // --engine: the allocation as SQL where the scores live (@cia/warehouse).
  if (opts.engine !== undefined)
    return (await import("./warehouse-commands.js")).warehouseAllocateCommand(opts);
  if (opts.table !== undefined || opts.dsn !== undefined)
    throw usageError("--table and --dsn need --engine duckdb|postgres");
  if (opts.scores === undefined) throw usageError("required option '--scores <file>' not specified");
  guardPaths({
    inputs: { "--scores": opts.scores, "--holdout": opts.holdout, "--holdout-scores": opts.holdoutScores },
    outputs: { "--out": opts.out, "--decisions-out": opts.decisionsOut },
  });
  if ((opts.holdout === undefined) !== (opts.holdoutScores === undefined))
    throw usageError("--holdout and --holdout-scores go together (a logged holdout table and its scores)");
  if (opts.calibrateSpend && opts.holdout === undefined)
    throw usageError(
      "--calibrate-spend needs --holdout TABLE and --holdout-scores FILE to estimate the true spend",
    );
  const options: AllocationOptions = { budget: opts.budget };
  if (opts.maxTreated !== undefined) options.maxTreated = opts.maxTreated;
  if (opts.minValuePerCost !== undefined) options.minValuePerCost = opts.minValuePerCost;
  if (opts.maxCostPerValue !== undefined) options.maxCostPerValue = opts.maxCostPerValue;
  if (opts.riskZ !== undefined) options.risk = "lower";
  // The plain allocation starts on each unit's scores as soon as they are read (the same answer
  // as allocateScores after the read); a spend check or exploration needs all the scores first.
  const feed =
    opts.holdout === undefined && opts.explore === undefined && opts.decisionsOut === undefined
      ? new AllocationFeed({ ...options })
      : undefined;
  const scores = await readScores(opts.scores, { control: opts.control, feed });
  finiteTotals(scores);
  // Computed once: the warnings and the summary both report them.
  const stats = costStats(scores.tauCost);
  if (opts.riskZ !== undefined && !scores.tauValueLower)
    throw new (await import("@cia/core")).CiaError(
      "invalid_input",
      `${opts.scores}: --risk-z needs a tau_value_lower column (train with --bootstraps)`,
    );
  let spend: import("./spend-check.js").SpendCheck | undefined;
  if (opts.holdout !== undefined && opts.holdoutScores !== undefined) {
    const r = await (await import("./spend-check.js")).spendCheck(
      scores,
      { ...options, budget: opts.budget },
      {
        holdout: opts.holdout,
        holdoutScores: opts.holdoutScores,
        control: opts.control,
        calibrate: opts.calibrateSpend === true,
        criterion: opts.spendCriterion,
      },
    );
    spend = r.check;
    if (opts.calibrateSpend) options.budget = r.handedBudget;
  }
  if (opts.explore !== undefined || opts.decisionsOut !== undefined)
    return (await import("../loop/allocate-with-exploration.js")).allocateWithExploration(
      scores,
      options,
      opts,
      {
        spend_check: spend ?? null,
      },
    );
  const { result, actions } = feed?.result(scores) ?? allocateScores(scores, options);
  actions[0] = opts.control;
  // Columns straight from the result (no object per unit): Parquet by the name, else CSV.
  await writeTableColumns(
    opts.out,
    [
      { name: "unit_id", type: "string" },
      { name: "action", type: "category", levels: actions },
    ],
    [{ rows: scores.unitIds.length, columns: [scores.unitIds, result.action] }],
    { format: tableFileFormat(opts.out) === "parquet" ? "parquet" : "csv" },
  );
  const s = allocationSummary(result);
  const perAction: Record<string, number> = {};
  // Counted in an array, listed in order of first appearance (as before).
  const counts = new Float64Array(actions.length);
  const order: number[] = [];
  for (let i = 0; i < result.action.length; i++)
    if (counts[result.action[i]!]!++ === 0) order.push(result.action[i]!);
  for (const k of order) perAction[actions[k]!] = counts[k]!;
  const warnings = allocationWarnings(scores, result, options.budget ?? opts.budget, stats);
  if (spend) warnings.push(...spendWarnings(spend, opts.budget));
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  printSummary({
    ...s,
    out: opts.out,
    relative_gap: result.totals.relative_gap,
    method: result.certificate.method,
    pruned: result.prune,
    actions: perAction,
    budget_binds: budgetBinds(result, options.budget ?? opts.budget),
    budget_requested: opts.budget,
    spend_check: spend ?? null,
    negative_cost_pairs: stats.negative,
    warnings,
  });
}

/**
 * True when the budget limits the allocation: its multiplier is positive or it is (nearly) spent.
 *
 * @example
 * if (!budgetBinds(result, 100)) console.warn("the budget of 100 does not bind");
 */
export function budgetBinds(result: AllocationResult, budget: number): boolean {
  const row = result.constraints.find((c) => c.kind === "cost");
  if (row === undefined) return false;
  return row.multiplier > 0 || row.used >= budget * (1 - 1e-6);
}

/**
 * What a careful user must hear about an allocation that is technically fine: a budget that
 * cannot bind (zero or near-zero costs: every unit with a positive value is treated whatever the
 * budget), and negative cost estimates (which the allocator counts as money freed, so `--budget 0`
 * still treats units).
 *
 * @example
 * for (const w of allocationWarnings(scores, result, 100)) process.stderr.write(`warning: ${w}\n`);
 */
export function allocationWarnings(
  scores: ScoresTable,
  result: AllocationResult,
  budget: number,
  { maxCost, negative }: CostStats = costStats(scores.tauCost),
): string[] {
  const out: string[] = [];
  const spend = result.totals.spend;
  if (!budgetBinds(result, budget) && result.totals.treated > 0) {
    const why =
      maxCost === 0
        ? `tau_cost is 0 for every pair (scores of a model trained with --no-cost?), so no budget can limit anything; cap the count with --max-treated, or train with a cost column`
        : `the allocation spends only ${round(spend)} of it (${round((100 * spend) / Math.max(budget, Number.MIN_VALUE))}%)${spend < 0.01 * budget ? ": costs are near zero" : ""}; lower --budget or cap the count with --max-treated`;
    out.push(
      `the budget of ${budget} does not bind: ${result.totals.treated} of ${result.totals.units} units treated; ${why}`,
    );
  }
  if (negative > 0)
    out.push(
      `${negative} of ${scores.tauCost.length} scored pairs have tau_cost < 0 (the model estimates the offer saves money); the allocator counts them as budget freed (spend ${round(spend)}), so check the cost head before trusting the spend`,
    );
  return out;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** What the DR check of true spend says about the budget (see `spendCheck`). */
function spendWarnings(c: import("./spend-check.js").SpendCheck, budget: number): string[] {
  const e = c.estimated_true_spend;
  const fmt = (x: number) => round(x).toLocaleString("en-US");
  const at = `DR estimates the true spend at ${fmt(e.estimate)} [${fmt(e.lower)}, ${fmt(e.upper)}] (${Math.round(100 * c.level)}% interval, ${c.holdout_units} holdout units) against the budget of ${fmt(budget)}`;
  if (!c.calibrated)
    return c.spend_by_criterion > budget * 1.002
      ? [
          `${at}, above it (${c.criterion} criterion): pass --calibrate-spend to hand the optimizer a budget whose estimated true spend meets ${fmt(budget)}`,
        ]
      : [];
  // Small holdouts move in steps of one unit's cost: within 2% of the budget is met.
  return c.converged || Math.abs(c.spend_by_criterion / budget - 1) <= 0.02
    ? []
    : [
        `${at}: the calibration did not meet the budget in ${c.iterations} iterations (a small or noisy holdout?); the handed budget is the last step's`,
      ];
}
