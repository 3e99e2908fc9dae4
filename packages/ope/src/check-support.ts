import { CiaError } from "@cia/core";
import type { OpeErrorCode } from "./error-codes.js";

/** One action on which the target policy puts mass the logging policy never gave. */
export interface SupportViolation {
  readonly action: number;
  /** The action's name when names were given (index 0 is "control"). */
  readonly name: string;
  /** Rounds where the target gives this action positive probability without logging support. */
  readonly rows: number;
  /** Sum over those rounds of the target probability (expected number of units affected). */
  readonly targetMass: number;
  /** How often the action was logged at all. */
  readonly loggedCount: number;
  /**
   * "zero_propensity": the full logging distribution gives the action probability 0 on those rows;
   * "never_logged": no full distribution was given and the action never appears in the log.
   */
  readonly kind: "zero_propensity" | "never_logged";
}

/** What the support check reads. */
export interface SupportInputs {
  readonly k: number;
  /** Logged (or realized) actions. */
  readonly action: Int32Array;
  /** Target policy, n x K. */
  readonly target: Float64Array;
  /** The logging policy's full distribution, n x K, when known (exact check). */
  readonly loggingProbabilities?: Float64Array | undefined;
  readonly actionNames?: readonly string[] | undefined;
}

function actionName(names: readonly string[] | undefined, a: number): string {
  return names?.[a] ?? (a === 0 ? "control" : `action ${a}`);
}

/**
 * Find where the target policy needs data the log cannot have: IPS and DR are unbiased only if
 * pi_b(a|x) > 0 wherever pi_e(a|x) > 0. With the full logging distribution the check is exact per
 * row; without it, an action that the target uses but that was never logged is flagged (zero
 * logged propensities themselves are rejected by input validation).
 *
 * @example
 * findSupportViolations({ k: 3, action, target, loggingProbabilities });
 * // [{ action: 2, name: "action 2", rows: 40, targetMass: 40, loggedCount: 0, kind: "zero_propensity" }]
 */
export function findSupportViolations(inputs: SupportInputs): SupportViolation[] {
  const { k, action, target, loggingProbabilities, actionNames } = inputs;
  const n = action.length;
  const logged = new Float64Array(k);
  for (let i = 0; i < n; i++) logged[action[i]!]!++;
  const rows = new Float64Array(k);
  const mass = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < k; a++) {
      const t = target[i * k + a]!;
      if (!(t > 0)) continue;
      const unsupported = loggingProbabilities ? !(loggingProbabilities[i * k + a]! > 0) : logged[a] === 0;
      if (unsupported) {
        rows[a]!++;
        mass[a]! += t;
      }
    }
  }
  const out: SupportViolation[] = [];
  for (let a = 0; a < k; a++) {
    if (rows[a]! > 0)
      out.push({
        action: a,
        name: actionName(actionNames, a),
        rows: rows[a]!,
        targetMass: mass[a]!,
        loggedCount: logged[a]!,
        kind: loggingProbabilities ? "zero_propensity" : "never_logged",
      });
  }
  return out;
}

/**
 * Throwing variant of {@link findSupportViolations}: a `CiaError` with code
 * `"support_violation"` whose message names every action and its counts, and whose details carry
 * the violations (and `policy`, the label of the policy checked).
 *
 * @example
 * try { assertSupport({ k, action, target }, "target") } catch (e) { e.details.violations }
 */
export function assertSupport(inputs: SupportInputs, policy = "target"): void {
  const violations = findSupportViolations(inputs);
  if (violations.length === 0) return;
  const parts = violations.map((v) =>
    v.kind === "zero_propensity"
      ? `${v.name} (index ${v.action}) on ${v.rows} rows where its logging probability is 0 (target mass ${round(v.targetMass)}; logged ${v.loggedCount} times)`
      : `${v.name} (index ${v.action}) on ${v.rows} rows although it was never logged (target mass ${round(v.targetMass)})`,
  );
  throw new CiaError<OpeErrorCode>(
    "support_violation",
    `the ${policy} policy puts probability on actions the logging policy never takes: ${parts.join("; ")}. ` +
      "IPS, SNIPS and DR are biased there; restrict the policy to logged actions, log with more exploration, or use DM.",
    { policy, violations },
  );
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
