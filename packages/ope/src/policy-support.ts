import { assertSupport, findSupportViolations } from "./check-support.js";
import type { SupportInputs, SupportViolation } from "./check-support.js";
import { constantPolicy } from "./policy-matrix.js";

/** The support findings of one evaluation, and which comparisons they allow. */
export interface PolicySupport {
  readonly target: SupportViolation[];
  readonly baseline?: SupportViolation[] | undefined;
  readonly control: SupportViolation[];
  /** No offer for everyone, n x K (the baseline's matrix when the baseline is "control"). */
  readonly controlMatrix: Float64Array;
  /** Incremental value and cost are estimated: no weights are needed, or no offer has support. */
  readonly withIncremental: boolean;
  readonly notes: string[];
}

/**
 * Check that the target, the baseline and no offer for everyone have logging support. With
 * `enforce`, a target or baseline violation throws `CiaError("support_violation")` (target
 * first); a control violation only drops the incremental comparison, with a note.
 *
 * @example
 * const support = checkPolicySupport(inputs, target, baseline, { needsWeights: true, mode: "error" });
 * if (!support.withIncremental) console.warn(support.notes[0]);
 */
export function checkPolicySupport(
  inputs: Omit<SupportInputs, "target">,
  target: Float64Array,
  baseline: { readonly matrix: Float64Array; readonly isControl: boolean } | undefined,
  options: { readonly needsWeights: boolean; readonly mode: "error" | "report" },
): PolicySupport {
  const { k, action } = inputs;
  const n = action.length;
  const enforce = options.needsWeights && options.mode === "error";
  const notes: string[] = [];
  const targetViolations = findSupportViolations({ ...inputs, target });
  if (enforce) assertSupport({ ...inputs, target }, "target");
  let baselineViolations: SupportViolation[] | undefined;
  if (baseline !== undefined) {
    baselineViolations = findSupportViolations({ ...inputs, target: baseline.matrix });
    if (enforce) assertSupport({ ...inputs, target: baseline.matrix }, "baseline");
  }
  const controlMatrix = baseline?.isControl ? baseline.matrix : constantPolicy(n, k, 0);
  const controlViolations = findSupportViolations({ ...inputs, target: controlMatrix });
  const withIncremental = !options.needsWeights || controlViolations.length === 0;
  if (!withIncremental)
    notes.push(
      `no offer (action 0) lacks logging support on ${controlViolations[0]!.rows} rows (${controlViolations[0]!.kind}), ` +
        "so incremental value, incremental cost and CPIV are not estimated",
    );
  if (targetViolations.length > 0 && options.mode === "report")
    notes.push(
      "the target policy has support violations (see diagnostics.supportViolations): weighted estimates are biased",
    );
  return {
    target: targetViolations,
    baseline: baselineViolations,
    control: controlViolations,
    controlMatrix,
    withIncremental,
    notes,
  };
}
