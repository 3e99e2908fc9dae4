import { CiaError } from "@cia/core";
import { checkActions } from "./check-actions.js";
import type { Design, DesignContext } from "./design.js";
import type { ExperimentErrorCode } from "./error-codes.js";

/**
 * Stratified exploration: one action distribution per stratum (e.g. per lifecycle regime: new,
 * active, dormant, lesson 11), chosen by `context.stratum[i]`, a code indexing `strata`.
 *
 * @example
 * const d = stratifiedDesign({
 *   actions: ["control", "credit_5"],
 *   strata: ["new", "active", "dormant"],
 *   probabilities: { new: [0.5, 0.5], active: [0.8, 0.2], dormant: [0.3, 0.7] },
 * });
 * d.probabilities({ n: 1, stratum: [2] }); // [0.3, 0.7]
 */
export function stratifiedDesign(options: {
  actions: readonly string[];
  strata: readonly string[];
  probabilities: Readonly<Record<string, readonly number[]>>;
}): Design {
  const actions = Object.freeze(checkActions(options.actions));
  const k = actions.length;
  const strata = [...options.strata];
  if (strata.length === 0)
    throw new CiaError<ExperimentErrorCode>(
      "invalid_design",
      "a stratified design needs at least one stratum",
    );
  if (new Set(strata).size !== strata.length)
    throw new CiaError<ExperimentErrorCode>("invalid_design", "stratum names must be unique");
  const table = new Float64Array(strata.length * k);
  let minProbability = 1;
  strata.forEach((s, j) => {
    const p = options.probabilities[s];
    if (!p || p.length !== k) {
      throw new CiaError<ExperimentErrorCode>("invalid_design", `stratum "${s}" needs ${k} probabilities`, {
        stratum: s,
        probabilities: p,
      });
    }
    let total = 0;
    for (let a = 0; a < k; a++) {
      const v = p[a]!;
      if (!(v >= 0 && v <= 1))
        throw new CiaError<ExperimentErrorCode>(
          "invalid_design",
          `stratum "${s}" action ${a}: ${v} not in [0, 1]`,
        );
      table[j * k + a] = v;
      total += v;
      minProbability = Math.min(minProbability, v);
    }
    if (Math.abs(total - 1) > 1e-9) {
      throw new CiaError<ExperimentErrorCode>(
        "invalid_design",
        `stratum "${s}" probabilities sum to ${total}, not 1`,
        {
          stratum: s,
        },
      );
    }
  });
  const json = {
    kind: "stratified" as const,
    actions: [...actions],
    strata: [...strata],
    probabilities: Object.fromEntries(strata.map((s) => [s, [...options.probabilities[s]!]])),
  };
  return Object.freeze({
    kind: "stratified" as const,
    actions,
    minProbability,
    probabilities(context: DesignContext, out = new Float64Array(context.n * k)): Float64Array {
      const stratum = context.stratum;
      if (!stratum || stratum.length < context.n) {
        throw new CiaError<ExperimentErrorCode>(
          "missing_stratum",
          "a stratified design needs context.stratum for every unit",
        );
      }
      for (let i = 0; i < context.n; i++) {
        const j = stratum[i]!;
        if (!(Number.isInteger(j) && j >= 0 && j < strata.length)) {
          throw new CiaError<ExperimentErrorCode>(
            "invalid_stratum",
            `unit ${i} has stratum code ${j}; expected 0..${strata.length - 1}`,
            {
              unit: i,
              stratum: j,
            },
          );
        }
        out.set(table.subarray(j * k, j * k + k), i * k);
      }
      return out;
    },
    toJSON: () => json,
  });
}
