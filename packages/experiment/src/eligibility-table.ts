import { CiaError, type DenseMatrix } from "@cia/core";
import type { RuleValue } from "./eligibility-rule.js";
import type { ExperimentErrorCode } from "./error-codes.js";

/** Categorical column as integer codes into `levels` (a negative or NaN code is missing). */
export interface CodedColumn {
  readonly codes: ArrayLike<number>;
  readonly levels: readonly string[];
}

/**
 * A column rules can read: numbers (a typed array; NaN = missing), plain values (strings,
 * booleans or numbers; null/undefined = missing), or categorical codes.
 */
export type EligibilityColumn = ArrayLike<number> | readonly (RuleValue | null | undefined)[] | CodedColumn;

/** Named columns of n units: current features and history alike (e.g. `offers_last_30d`). */
export interface EligibilityTable {
  readonly n: number;
  readonly columns: Readonly<Record<string, EligibilityColumn>>;
}

/**
 * Build a table from a feature matrix (e.g. a simulator Population: `featureNames`, `features`,
 * `categorical`), plus extra columns such as history. Categorical matrix columns become coded
 * columns, so rules compare them by level name.
 *
 * @example
 * const table = tableFromMatrix(pop.featureNames, pop.features, pop.categorical, { lifecycle: codes });
 */
export function tableFromMatrix(
  featureNames: readonly string[],
  matrix: DenseMatrix,
  categorical: Readonly<Record<string, readonly string[]>> = {},
  extra: Readonly<Record<string, EligibilityColumn>> = {},
): EligibilityTable {
  if (featureNames.length !== matrix.cols) {
    throw new CiaError<ExperimentErrorCode>(
      "shape_mismatch",
      `${featureNames.length} feature names for ${matrix.cols} columns`,
    );
  }
  const columns: Record<string, EligibilityColumn> = {};
  featureNames.forEach((name, j) => {
    const col = matrix.column(j);
    const levels = categorical[name];
    columns[name] = levels ? { codes: col, levels } : col;
  });
  for (const [name, col] of Object.entries(extra)) {
    const len = "codes" in col ? col.codes.length : col.length;
    if (len !== matrix.rows)
      throw new CiaError<ExperimentErrorCode>(
        "shape_mismatch",
        `column "${name}" has ${len} rows, not ${matrix.rows}`,
      );
    columns[name] = col;
  }
  return { n: matrix.rows, columns };
}
