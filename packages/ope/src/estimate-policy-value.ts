import { directMethod } from "./direct-method.js";
import { doublyRobust } from "./doubly-robust.js";
import { ips } from "./ips.js";
import { selfNormalizedDoublyRobust } from "./self-normalized-doubly-robust.js";
import { snips } from "./snips.js";
import { switchDoublyRobust } from "./switch-doubly-robust.js";
import type { EstimatorInputs, EstimatorName, EstimatorOptions, RoundwiseEstimate } from "./types.js";

/**
 * Run one estimator by name: "dm", "ips", "snips", "dr", "sndr" or "switch-dr". `clip` applies to
 * IPS, SNIPS, DR and SNDR; `tau` to Switch-DR.
 *
 * @example
 * const dr = estimatePolicyValue("dr", { k, action, propensity, reward, target, qHat });
 * const ipsClipped = estimatePolicyValue("ips", inputs, { clip: 50 });
 */
export function estimatePolicyValue(
  estimator: EstimatorName,
  inputs: EstimatorInputs,
  options: EstimatorOptions & { validate?: boolean } = {},
): RoundwiseEstimate {
  const validate = options.validate ?? true;
  switch (estimator) {
    case "dm":
      return directMethod(inputs, { validate });
    case "ips":
      return ips(inputs, { clip: options.clip, validate });
    case "snips":
      return snips(inputs, { clip: options.clip, validate });
    case "dr":
      return doublyRobust(inputs, { clip: options.clip, validate });
    case "sndr":
      return selfNormalizedDoublyRobust(inputs, { clip: options.clip, validate });
    case "switch-dr":
      return switchDoublyRobust(inputs, { tau: options.tau, validate });
    default: {
      const never: never = estimator;
      throw new RangeError(`unknown estimator ${String(never)}`);
    }
  }
}
