import { CiaError } from "@cia/core";
import type { ExperimentTableRow } from "@cia/logging-schema";
import type { ExperimentLog, Population } from "./world-types.js";
import type { SimulatorErrorCode } from "./error-codes.js";

/** The experiment table's row form is @cia/logging-schema's (one name, one type); re-exported here. */
export type { ExperimentTableRow };

export interface ExperimentTableOptions {
  /**
   * Which value label fills the `value` column: the learning-horizon value (default) or the short
   * proxy window (lesson 1). Only one goes in, because every extra column would be read as a feature.
   */
  value?: "horizon" | "short" | undefined;
  /** Add the feature columns (default true). */
  features?: boolean | undefined;
}

/**
 * The column names of {@link experimentTableRows}, in order.
 *
 * @example
 * experimentTableColumns(pop); // ["unit_id", "action", "propensity", "value", "cost", "tenure_days", ...]
 */
export function experimentTableColumns(
  population: Population,
  options: ExperimentTableOptions = {},
): string[] {
  const cols = ["unit_id", "action", "propensity", "value", "cost"];
  if (options.features !== false) cols.push(...population.featureNames);
  return cols;
}

/**
 * Rows of the experiment table (architecture.md) for a log: categorical features are written as
 * their level strings, numbers as numbers. Lazy, so a million rows stream without a million objects
 * alive at once; `Array.from(...)` when an array is wanted.
 *
 * @example
 * const log = world.log(pop, uniformDesign(world.actions.length), { seed: 2 });
 * for (const row of experimentTableRows(pop, log)) csv.write(row);
 */
export function* experimentTableRows(
  population: Population,
  log: ExperimentLog,
  options: ExperimentTableOptions = {},
): Generator<ExperimentTableRow> {
  if (log.n !== population.n) {
    throw new CiaError<SimulatorErrorCode>(
      "shape_mismatch",
      `log has ${log.n} units, population ${population.n}`,
    );
  }
  const withFeatures = options.features !== false;
  const valueCol = options.value === "short" ? log.valueShort : log.value;
  const names = population.featureNames;
  const p = population.features.cols;
  const x = population.features.data;
  const levels = names.map((name) => population.categorical[name]);
  for (let i = 0; i < population.n; i++) {
    const row: ExperimentTableRow = {
      unit_id: population.unitIds[i]!,
      action: log.actions[log.action[i]!]!.name,
      propensity: log.propensity[i]!,
      value: valueCol[i]!,
      cost: log.cost[i]!,
    };
    if (withFeatures) {
      for (let j = 0; j < p; j++) {
        const v = x[i * p + j]!;
        const lv = levels[j];
        row[names[j]!] = lv === undefined ? v : lv[v]!;
      }
    }
    yield row;
  }
}
