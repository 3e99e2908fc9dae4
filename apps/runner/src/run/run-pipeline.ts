import type { RunConfigOverrides } from "../config/load-run-config.js";
import { resolveRunConfig } from "../config/load-run-config.js";
import type { RunConfig } from "../config/run-config-schema.js";
import { runOnData } from "./data-run.js";
import type { DataRunResult } from "./data-run-result.js";

/** Options of {@link runPipeline}. */
export interface RunPipelineOptions {
  /** Folder the config's relative paths are resolved against (default: the working directory). */
  baseDir?: string | undefined;
  /** Overrides, as the CLI flags (--budget, --out, --seed, ...). */
  overrides?: RunConfigOverrides | undefined;
  /** Show progress bars on stderr (default false: quiet in notebooks and services). */
  progress?: boolean | undefined;
}

/**
 * The whole loop on your data, from code (notebooks, services): the same config object as
 * `cia run --config` (docs/file-formats.md), validated the same way, writing the same files
 * (report.html, report.json, assignment.csv, model.json, table.csv) to `config.out`, and returning
 * what report.json holds. A bad config throws a `CiaError` whose message names the key.
 *
 * @example
 * import { runPipeline } from "@cia/runner";
 * const result = await runPipeline({
 *   data: { table: "experiment.csv" },
 *   budget: 12000,
 *   baseline: { action: "coupon_15", when: { column: "days_inactive", atLeast: 30 } },
 *   out: "out",
 * });
 * console.log(result.recommended, result.headline.perUnit.value); // { estimate, lower, upper }
 */
export async function runPipeline(
  config: RunConfig,
  options: RunPipelineOptions = {},
): Promise<DataRunResult> {
  const resolved = resolveRunConfig(config, options.baseDir ?? process.cwd(), options.overrides ?? {});
  return runOnData(resolved, { quiet: !(options.progress ?? false) });
}
