import { z } from "zod";
import { LIMITS } from "../io/limits.js";

const path = z.string().min(1, "a path (relative to the config file) is needed");

/** Where the logged data are: a ready experiment table, or decisions plus outcome events. */
const dataSchema = z
  .strictObject({
    /** A ready experiment table (CSV, CSV.gz or JSONL), one row per logged decision. */
    table: path.optional(),
    /** Logged decisions (JSONL or CSV, the decision record of docs/file-formats.md). */
    decisions: path.optional(),
    /** Outcome events (JSONL or CSV). */
    outcomes: path.optional(),
    /** Evaluation time for labels from logs (ISO 8601); default: the last decision plus the accounting horizon. */
    asOf: z.string().optional(),
    /** Column names when the table does not use the reserved ones (unit_id, action, propensity, value, cost). */
    columns: z
      .strictObject({
        unit: z.string().optional(),
        action: z.string().optional(),
        propensity: z.string().optional(),
        value: z.string().optional(),
        cost: z.string().optional(),
      })
      .optional(),
    /** The feature columns to learn from (default: every other column). */
    features: z.array(z.string().min(1)).min(1).optional(),
    /** Columns that are neither features nor reserved (kept out of the model, e.g. an outcome you did not pick). */
    ignore: z.array(z.string().min(1)).optional(),
    /**
     * How actions were logged when there is no propensity column: "uniform" means every row had
     * the same probability 1/K for each action of the catalogue (a balanced randomized test).
     */
    design: z.literal("uniform").optional(),
    /** A deterministic random subsample of this many rows (seeded): quick looks and tests. */
    sample: z.number().int().positive().max(LIMITS.sample).optional(),
  })
  .refine((d) => (d.table !== undefined) !== (d.decisions !== undefined), {
    message: "give either data.table, or data.decisions with data.outcomes",
    path: ["table"],
  })
  .refine((d) => d.decisions === undefined || d.outcomes !== undefined, {
    message: "data.decisions needs data.outcomes",
    path: ["outcomes"],
  });

/** How the cost of an offer arises when the data have no cost column (an assumption: say where it comes from). */
const costRuleSchema = z.strictObject({
  /** Cost of giving the offer at all (e.g. sending an e-mail), per treated unit. */
  perTreated: z.number().nonnegative().optional(),
  /** Cost as a share of the unit's value when treated (e.g. a 10% discount on what they spend). */
  shareOfValue: z.number().nonnegative().optional(),
  /** Where the numbers come from: printed on the report next to every cost. */
  source: z.string().optional(),
});

const actionSchema = z.strictObject({
  /** The action's name in CIA's outputs. */
  name: z.string().min(1),
  /** The value in the data's action column, when it differs from `name`. */
  logged: z.string().optional(),
  /** Face value of the offer (e.g. the credit amount): an attribute the pooled value head borrows strength through. */
  faceValue: z.number().optional(),
  channel: z.string().optional(),
  /** Cost rule for this action (overrides the top-level `cost`). */
  cost: costRuleSchema.optional(),
});

/** The baseline to beat: a named rule "column at least/at most/equal -> action", everyone gets an action, or no offer. */
const baselineSchema = z.union([
  z.literal("no-offer"),
  z.strictObject({
    name: z.string().optional(),
    action: z.string().min(1),
    when: z
      .strictObject({
        column: z.string().min(1),
        atLeast: z.number().optional(),
        atMost: z.number().optional(),
        equals: z.union([z.string(), z.number()]).optional(),
      })
      .optional(),
  }),
]);

/**
 * The `cia run --config` file (JSON). Minimum: `{ "data": { "table": "PATH" }, "budget": NUMBER,
 * "out": "DIR" }`; every path is relative to the config file, and `${CIA_DATA_DIR}` in a path is
 * the shared data folder (CIA_DATA_DIR, else ../shared/data from the working directory).
 *
 * @example
 * runConfigSchema.parse({ data: { table: "table.csv" }, budget: 500, out: "out" });
 */
export const runConfigSchema = z.strictObject({
  /** A label for the report's title. */
  name: z.string().optional(),
  data: dataSchema,
  /**
   * The action catalogue in index order, the first being no offer. Default: the actions in the
   * data, "control" first (or the first seen).
   */
  actions: z.array(actionSchema).min(2).optional(),
  /** Default cost rule for every offer (when the data have no cost column). */
  cost: costRuleSchema.optional(),
  /** Total budget on incremental cost over the units assigned (assignment.csv). */
  // Zero allocates nothing: a run with no budget is a mistake in the config, not a result.
  budget: z.number().positive(),
  guardrails: z
    .strictObject({
      /** At most this share of the assigned units gets an offer. */
      maxTreatedShare: z.number().min(0).max(1).optional(),
      /** Marginal efficiency floor: value per unit of cost. */
      minValuePerCost: z.number().nonnegative().optional(),
      /** Prune (unit, offer) pairs whose cost per incremental value exceeds this. */
      maxCostPerValue: z.number().nonnegative().optional(),
    })
    .optional(),
  horizons: z
    .strictObject({
      /** Days of outcomes that make the value label (logs only). */
      learningDays: z.number().positive(),
      /** Days of redemptions that make the cost label (logs only; default the learning horizon). */
      accountingDays: z.number().positive().optional(),
    })
    .optional(),
  baseline: baselineSchema.optional(),
  /** Units of the value and cost columns, for the report (e.g. "$"). */
  units: z.strictObject({ value: z.string().optional(), cost: z.string().optional() }).optional(),
  /** Units to assign (default: every unit of the data): a table with unit_id and the features. */
  assign: z.strictObject({ table: path }).optional(),
  model: z
    .strictObject({
      base: z.enum(["gbdt", "ridge"]).optional(),
      bootstraps: z.number().int().nonnegative().max(LIMITS.modelBootstraps).optional(),
    })
    .optional(),
  /** Share of the logged rows kept out of training for diagnostics and OPE (default 0.3). */
  holdout: z.number().gt(0).lt(1).optional(),
  /** Bootstrap resamples of the OPE intervals (default 500). */
  opeBootstraps: z.number().int().min(20).max(LIMITS.opeBootstraps).optional(),
  seed: z.union([z.string(), z.number()]).optional(),
  out: path,
});

/** A parsed config (paths as written). */
export type RunConfig = z.infer<typeof runConfigSchema>;
/** A cost rule of the config. */
export type CostRule = z.infer<typeof costRuleSchema>;
/** The baseline of the config. */
export type BaselineConfig = z.infer<typeof baselineSchema>;
