import { z } from "zod";

/** Largest feature count and node count a model file may declare (far above any real model). */
const MAX_INDEX = 2 ** 31 - 1;

function describe(x: unknown): string {
  return typeof x === "number" ? String(x) : (JSON.stringify(x) ?? String(x));
}

/**
 * A JSON array of integers in [min, max], checked in one loop (model files hold hundreds of
 * thousands of node entries; a per-element zod schema would cost ten times more).
 */
function intArray(min: number, max: number) {
  return z
    .custom<number[]>((v) => Array.isArray(v), { message: "expected an array" })
    .superRefine((v, ctx) => {
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (!(typeof x === "number" && Number.isInteger(x) && x >= min && x <= max)) {
          ctx.addIssue({
            code: "custom",
            path: [i],
            message: `expected an integer in ${min}..${max}, got ${describe(x)}`,
          });
          return;
        }
      }
    });
}

/** A JSON array of finite numbers (or null where `nullable`), checked in one loop. */
function finiteArray<N extends boolean = false>(nullable?: N) {
  return z
    .custom<N extends true ? (number | null)[] : number[]>((v) => Array.isArray(v), {
      message: "expected an array",
    })
    .superRefine((v, ctx) => {
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (!((typeof x === "number" && Number.isFinite(x)) || (nullable && x === null))) {
          ctx.addIssue({
            code: "custom",
            path: [i],
            message: `expected a finite number${nullable ? " or null" : ""}, got ${describe(x)}`,
          });
          return;
        }
      }
    });
}

/**
 * The JSON of a fitted histogram gradient-boosting model (`HistGradientBoostingModel.toJSON`):
 * strict (no unknown fields), every number finite, every index an integer in its domain. The
 * tree shape itself (children in range, acyclic, reachable) is checked by `validateTreeStructure`.
 *
 * @example
 * const r = gbdtModelJsonSchema.safeParse(JSON.parse(text));
 */
export const gbdtModelJsonSchema = z.strictObject({
  kind: z.literal("gbdt"),
  version: z.literal(1),
  loss: z.enum(["squared_error", "logistic", "poisson", "tweedie"]),
  tweediePower: z.number(),
  nFeatures: z.int().min(1).max(MAX_INDEX),
  baseline: z.number(),
  treeRoots: intArray(0, MAX_INDEX),
  feature: intArray(-1, MAX_INDEX),
  /** null encodes +Infinity (the last bin: every non-missing value goes left). */
  threshold: finiteArray(true),
  binThreshold: intArray(-1, 255),
  missingLeft: intArray(0, 1),
  left: intArray(-1, MAX_INDEX),
  right: intArray(-1, MAX_INDEX),
  value: finiteArray(),
  catIndex: intArray(-1, MAX_INDEX),
  catBitsets: intArray(0, 2 ** 32 - 1),
  categories: z.array(z.union([finiteArray(), z.null()])),
  missingBin: z.int().min(1).max(255),
  /** A NaN loss is written as null by JSON.stringify; informational only. */
  validationLoss: z.array(z.number().nullable()).optional(),
});

/**
 * The JSON of a fitted linear model (`LinearModel.toJSON`, ridge or logistic regression): strict,
 * finite intercept and coefficients.
 *
 * @example
 * linearModelJsonSchema.parse({ kind: "ridge", version: 1, intercept: 0.5, coef: [1, -2] });
 */
export const linearModelJsonSchema = z.strictObject({
  kind: z.enum(["ridge", "logistic"]),
  version: z.literal(1),
  intercept: z.number(),
  coef: finiteArray(),
  nIter: z.int().min(0).optional(),
});
