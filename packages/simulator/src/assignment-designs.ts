import { CiaError } from "@cia/core";
import type { AssignmentDesign, PolicyMatrix } from "./world-types.js";
import type { SimulatorErrorCode } from "./error-codes.js";

/**
 * Uniform randomization over all K actions (control included), or over `weights` (normalized) when
 * given: the design of a randomized experiment.
 *
 * @example
 * const log = world.log(pop, uniformDesign(world.actions.length), { seed: 1 });
 * const skewed = uniformDesign(5, [0.4, 0.15, 0.15, 0.15, 0.15]); // 40% control
 */
export function uniformDesign(k: number, weights?: ArrayLike<number>): AssignmentDesign {
  if (!Number.isInteger(k) || k < 1)
    throw new CiaError<SimulatorErrorCode>("invalid_option", `k must be a positive integer, got ${k}`);
  const probs = new Float64Array(k);
  if (weights === undefined) probs.fill(1 / k);
  else {
    if (weights.length !== k)
      throw new CiaError<SimulatorErrorCode>(
        "shape_mismatch",
        `weights has ${weights.length} entries, expected ${k}`,
      );
    let total = 0;
    for (let a = 0; a < k; a++) {
      const w = weights[a]!;
      if (!(w >= 0))
        throw new CiaError<SimulatorErrorCode>("invalid_option", `weights[${a}] = ${w} is not >= 0`);
      total += w;
    }
    if (!(total > 0))
      throw new CiaError<SimulatorErrorCode>("invalid_option", "weights must have a positive sum");
    for (let a = 0; a < k; a++) probs[a] = weights[a]! / total;
  }
  return (_unit, _pop, out) => {
    out.set(probs);
  };
}

/**
 * The n x K policy matrix of a deterministic policy (probability 1 on `actions[i]`).
 *
 * @example
 * const pi = deterministicPolicy(oracle.assignment, world.actions.length);
 * world.policyValue(pop, pi);
 */
export function deterministicPolicy(actions: ArrayLike<number>, k: number): PolicyMatrix {
  const n = actions.length;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const a = actions[i]!;
    if (!Number.isInteger(a) || a < 0 || a >= k) {
      throw new CiaError<SimulatorErrorCode>(
        "invalid_action",
        `unit ${i}: action index ${a} is not in [0, ${k})`,
        {
          unit: i,
          action: a,
        },
      );
    }
    out[i * k + a] = 1;
  }
  return out;
}

/**
 * Mix a policy with uniform exploration: (1 - epsilon) policy + epsilon / K, so every action keeps
 * positive propensity (an epsilon-greedy logging design).
 *
 * @example
 * const logging = epsilonGreedy(deterministicPolicy(heuristic, 5), 5, 0.2);
 * world.log(pop, logging, { seed: 3 });
 */
export function epsilonGreedy(policy: PolicyMatrix, k: number, epsilon: number): PolicyMatrix {
  if (!(epsilon >= 0 && epsilon <= 1))
    throw new CiaError<SimulatorErrorCode>("invalid_option", `epsilon must be in [0, 1], got ${epsilon}`);
  if (policy.length % k !== 0)
    throw new CiaError<SimulatorErrorCode>(
      "shape_mismatch",
      `policy length ${policy.length} is not a multiple of K = ${k}`,
    );
  const out = new Float64Array(policy.length);
  const floor = epsilon / k;
  for (let j = 0; j < policy.length; j++) out[j] = (1 - epsilon) * policy[j]! + floor;
  return out;
}

/**
 * An assignment design that reads a policy matrix (n x K) row by row; `World.log` also accepts the
 * matrix itself, this wrapper is for code that composes designs.
 *
 * @example
 * world.log(pop, policyDesign(pi, world.actions.length), { seed: 1 });
 */
export function policyDesign(policy: PolicyMatrix, k: number): AssignmentDesign {
  return (unit, _pop, out) => {
    out.set(policy.subarray(unit * k, (unit + 1) * k));
  };
}
