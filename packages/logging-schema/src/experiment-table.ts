/**
 * The reserved columns of the experiment table, in file order (docs/architecture.md); every other
 * column is a feature.
 */
export const EXPERIMENT_TABLE_COLUMNS = ["unit_id", "action", "propensity", "value", "cost"] as const;

/** A reserved column a reader can require (`unit_id` is always required). */
export type ExperimentTableColumn = "action" | "propensity" | "value" | "cost";

/** A feature value as read: a finite number, a category string, or null (missing). */
export type RawFeature = number | string | null;

/**
 * The experiment (or scoring) table in columns, the one in-memory form every stage reads: row i is
 * unit `unitIds[i]`, which got action `actionNames[action[i]]` with probability `propensity[i]` (the
 * literature's W and e) and produced `value[i]` and `cost[i]` (Y). Actions are indices from the
 * moment the table is read, so no stage compares names per row. Features stay raw (numbers,
 * strings, null); the feature contract turns them into a matrix, identically at training and
 * scoring time. Read one with `readExperimentTable`; the row form of the same table, as label
 * building writes it, is `ExperimentTableRow`.
 *
 * @example
 * const t = await readExperimentTable("table.csv", { require: ["action", "value"] });
 * t.actionNames![t.action![0]!]; // "control"
 */
export interface ExperimentTable {
  /** Where the rows came from (a path, or a label such as "table.csv (holdout)"), for messages. */
  file: string;
  /** Rows. */
  n: number;
  /** 1-based source line of each row, for messages (0 when the rows came from no file). */
  lines: Int32Array;
  unitIds: string[];
  /** Logged action of each row, an index into `actionNames` (absent for scoring tables). */
  action?: Int32Array;
  /**
   * Action names the indices refer to: the reader's `knownActions` when given (so indices are the
   * model's), otherwise the names in order of first appearance. Present exactly when `action` is.
   */
  actionNames?: string[];
  propensity?: Float64Array;
  value?: Float64Array;
  cost?: Float64Array;
  /** Feature columns in file order (or in the order of the reader's `features`). */
  featureNames: string[];
  /** One raw column per feature name. */
  features: Record<string, RawFeature[]>;
}
