import { CiaError } from "@cia/core";
import type { Design, DesignJson } from "./design.js";
import { stratifiedDesign } from "./stratified-design.js";
import { uniformDesign } from "./uniform-design.js";
import { warmStartDesign } from "./warm-start-design.js";
import type { ExperimentErrorCode } from "./error-codes.js";

/**
 * Rebuild a design from its JSON (what `design.toJSON()` wrote); validation is the builders'.
 *
 * @example
 * const again = designFromJSON(JSON.parse(JSON.stringify(design)));
 */
export function designFromJSON(json: DesignJson): Design {
  switch (json?.kind) {
    case "uniform":
      return uniformDesign({ actions: json.actions });
    case "stratified":
      return stratifiedDesign({
        actions: json.actions,
        strata: json.strata,
        probabilities: json.probabilities,
      });
    case "warm_start":
      return warmStartDesign({ actions: json.actions, temperature: json.temperature, epsilon: json.epsilon });
    default:
      throw new CiaError<ExperimentErrorCode>(
        "invalid_design",
        `unknown design kind ${JSON.stringify((json as { kind?: unknown })?.kind)}`,
      );
  }
}
