import type { ExperimentTable } from "@cia/logging-schema";
import type { BaselineConfig } from "../config/run-config-schema.js";
import { usageError } from "../io/usage-error.js";

/** A baseline policy: a name, its rule in words, and its actions on any table with the rule's column. */
export interface BaselineRule {
  name: string;
  rule: string;
  actionsOn(table: ExperimentTable): Int32Array;
}

/**
 * The config's baseline as a policy: "no-offer" (nobody treated), `{ action }` (everyone gets it),
 * or `{ action, when: { column, atLeast | atMost | equals } }` (the heuristic, e.g. "inactive for
 * 30 days -> offer X"). A unit whose rule column is missing gets no offer.
 *
 * @example
 * baselineRule({ action: "ten_off", when: { column: "days_inactive", atLeast: 30 } }, actions, "cia.config.json");
 */
export function baselineRule(
  config: BaselineConfig | undefined,
  actions: readonly string[],
  file: string,
): BaselineRule {
  if (config === undefined || config === "no-offer")
    return { name: "no offer", rule: "nobody gets an offer", actionsOn: (t) => new Int32Array(t.n) };
  const a = actions.indexOf(config.action);
  if (a < 0)
    throw usageError(`${file}: baseline.action: '${config.action}' is not an action (${actions.join(", ")})`);
  const w = config.when;
  if (!w) {
    return {
      name: config.name ?? `everyone gets ${config.action}`,
      rule: `everyone gets ${config.action}`,
      actionsOn: (t) => new Int32Array(t.n).fill(a),
    };
  }
  const conds = [
    w.atLeast !== undefined ? `${w.column} >= ${w.atLeast}` : "",
    w.atMost !== undefined ? `${w.column} <= ${w.atMost}` : "",
    w.equals !== undefined ? `${w.column} = ${w.equals}` : "",
  ].filter(Boolean);
  if (conds.length === 0)
    throw usageError(`${file}: baseline.when needs atLeast, atMost or equals (e.g. "atLeast": 30)`);
  const rule = `${conds.join(" and ")} -> ${config.action}`;
  return {
    name: config.name ?? "baseline",
    rule,
    actionsOn: (t) => {
      const col = t.features[w.column];
      if (!col)
        throw usageError(
          `${file}: baseline.when.column: no column '${w.column}' in ${t.file} (the baseline rule reads it; columns: ${t.featureNames.join(", ")})`,
        );
      return Int32Array.from(col, (v) => {
        if (v === null) return 0;
        if (w.equals !== undefined && String(v) !== String(w.equals)) return 0;
        if (w.atLeast !== undefined && !(typeof v === "number" && v >= w.atLeast)) return 0;
        if (w.atMost !== undefined && !(typeof v === "number" && v <= w.atMost)) return 0;
        return a;
      });
    },
  };
}
