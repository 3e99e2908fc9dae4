import { CiaError } from "@cia/core";
import { assignmentBuckets } from "./assignment-hash.js";
import { actionForBucket, fillBucketMap } from "./bucket-map.js";
import type { Design, DesignContext } from "./design.js";
import type { ExperimentErrorCode } from "./error-codes.js";

/** Why a unit did or did not get an arm of the program. */
export const ASSIGNMENT_STATUS = { assigned: 0, ineligible: 1, notInProgram: 2, holdout: 3 } as const;

/** The result of running one program's design over a set of units. */
export interface ProgramAssignment {
  readonly program: string;
  readonly salt: string;
  readonly design: Design;
  readonly n: number;
  readonly k: number;
  /** ASSIGNMENT_STATUS code per unit. */
  readonly status: Uint8Array;
  /** Assigned action index, or -1 when the unit is not assigned (any status but `assigned`). */
  readonly action: Int32Array;
  /** Exact probability of the assigned action (NaN when not assigned). */
  readonly propensity: Float64Array;
  /** The unit's 32-bit assignment bucket (computed for every unit). */
  readonly bucket: Uint32Array;
  /**
   * The realized action distribution, n x K row-major: the design's distribution quantized to the
   * 2^32 buckets (each entry within 2^-32 of the design). Rows of units not assigned are 0,
   * except held-out units, whose row puts probability 1 on no-offer.
   */
  readonly probabilities: Float64Array;
  /** Counts by status. */
  readonly counts: { assigned: number; ineligible: number; notInProgram: number; holdout: number };
}

/**
 * Assign units to a program's arms by hash: bucket = MurmurHash3(salt, program, unit id) in
 * [0, 2^32), then the action whose quantized cumulative-probability interval holds the bucket.
 * The realized propensity is therefore exactly the logged one (a bucket is uniform on 2^32 values
 * and each action owns `p * 2^32` of them), and the same unit gets the same arm on every run and
 * machine as long as salt, program and its design probabilities do not change.
 *
 * Units outside `eligible` (mask from `evaluateEligibility`), outside `inProgram` (mask from
 * `experimentPlan(...).programMask`) or in `holdout` are not assigned (action -1).
 *
 * @example
 * const a = assignProgram({ program: "winback", salt: "2026-q1", design: uniformDesign({ actions }),
 *   unitIds, context: { n: unitIds.length } });
 * a.action[0]; a.propensity[0]; // arm index and its probability
 */
export function assignProgram(options: {
  program: string;
  salt: string;
  design: Design;
  unitIds: readonly string[];
  context?: Omit<DesignContext, "n"> | undefined;
  eligible?: ArrayLike<number> | undefined;
  inProgram?: ArrayLike<number> | undefined;
  holdout?: ArrayLike<number> | undefined;
}): ProgramAssignment {
  const { program, salt, design, unitIds } = options;
  const n = unitIds.length;
  const k = design.actions.length;
  for (const [name, mask] of [
    ["eligible", options.eligible],
    ["inProgram", options.inProgram],
    ["holdout", options.holdout],
  ] as const) {
    if (mask && mask.length !== n) {
      throw new CiaError<ExperimentErrorCode>(
        "shape_mismatch",
        `${name} has ${mask.length} entries for ${n} units`,
        { name },
      );
    }
  }
  const bucket = assignmentBuckets(salt, program, unitIds);
  const designP = design.probabilities({ ...options.context, n });
  const status = new Uint8Array(n);
  const action = new Int32Array(n);
  const propensity = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    action[i] = -1;
    propensity[i] = Number.NaN;
  }
  const probabilities = new Float64Array(n * k);
  const counts = { assigned: 0, ineligible: 0, notInProgram: 0, holdout: 0 };
  const thresholds = new Float64Array(k);
  const exact = new Float64Array(k);
  const lastRow = new Float64Array(k);
  let hasMap = false;
  for (let i = 0; i < n; i++) {
    if (options.holdout?.[i]) {
      status[i] = ASSIGNMENT_STATUS.holdout;
      probabilities[i * k] = 1;
      counts.holdout++;
      continue;
    }
    if (options.inProgram && !options.inProgram[i]) {
      status[i] = ASSIGNMENT_STATUS.notInProgram;
      counts.notInProgram++;
      continue;
    }
    if (options.eligible && !options.eligible[i]) {
      status[i] = ASSIGNMENT_STATUS.ineligible;
      counts.ineligible++;
      continue;
    }
    const o = i * k;
    // Uniform and stratified designs repeat the same row: quantize only when the row changes.
    let same = hasMap;
    for (let a = 0; same && a < k; a++) same = designP[o + a] === lastRow[a];
    if (!same) {
      fillBucketMap(designP, o, k, thresholds, exact);
      for (let a = 0; a < k; a++) lastRow[a] = designP[o + a]!;
      hasMap = true;
    }
    const a = actionForBucket(thresholds, bucket[i]!);
    action[i] = a;
    propensity[i] = exact[a]!;
    for (let j = 0; j < k; j++) probabilities[o + j] = exact[j]!;
    counts.assigned++;
  }
  return Object.freeze({
    program,
    salt,
    design,
    n,
    k,
    status,
    action,
    propensity,
    bucket,
    probabilities,
    counts,
  });
}
