import { z } from "zod";
import { schemaVersionField } from "./common-fields.js";

const featureName = z.string().min(1);

/**
 * What to do when a numeric feature is missing (null, undefined or NaN): refuse (`error`), impute a
 * stored constant, impute the stored training mean, or pass NaN through (`nan`, for learners that
 * handle missing values themselves).
 *
 * @example
 * numericMissingPolicySchema.parse({ policy: "impute_mean", mean: 12.5 });
 */
export const numericMissingPolicySchema = z.discriminatedUnion("policy", [
  z.strictObject({ policy: z.literal("error") }),
  z.strictObject({ policy: z.literal("impute_constant"), value: z.number() }),
  z.strictObject({ policy: z.literal("impute_mean"), mean: z.number() }),
  z.strictObject({ policy: z.literal("nan") }),
]);

/**
 * Missing categorical value: refuse, impute a level, or NaN in every encoded column.
 *
 * @example
 * categoricalMissingPolicySchema.parse({ policy: "impute_constant", value: "DE" });
 */
export const categoricalMissingPolicySchema = z.discriminatedUnion("policy", [
  z.strictObject({ policy: z.literal("error") }),
  z.strictObject({ policy: z.literal("impute_constant"), value: z.string() }),
  z.strictObject({ policy: z.literal("nan") }),
]);

/**
 * Missing boolean value: refuse, impute a constant, or NaN.
 *
 * @example
 * booleanMissingPolicySchema.parse({ policy: "impute_constant", value: false });
 */
export const booleanMissingPolicySchema = z.discriminatedUnion("policy", [
  z.strictObject({ policy: z.literal("error") }),
  z.strictObject({ policy: z.literal("impute_constant"), value: z.boolean() }),
  z.strictObject({ policy: z.literal("nan") }),
]);

/**
 * One step of a numeric transformation, applied in order after imputation and the range check:
 * `identity`, `log1p` (needs values > -1), `clip` to [min, max], `standardize` with the stored
 * training `mean` and `sd` ((x - mean) / sd).
 *
 * @example
 * featureTransformSchema.parse({ kind: "standardize", mean: 3.2, sd: 1.1 });
 */
export const featureTransformSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("identity") }),
  z.strictObject({ kind: z.literal("log1p") }),
  z.strictObject({ kind: z.literal("clip"), min: z.number(), max: z.number() }),
  z.strictObject({ kind: z.literal("standardize"), mean: z.number(), sd: z.number().positive() }),
]);

/** One of {@link featureTransformSchema}'s values. */
export type FeatureTransform = z.infer<typeof featureTransformSchema>;

/**
 * A numeric feature: allowed range, what to do outside it, missing policy, transforms.
 *
 * @example
 * numericFeatureSchema.parse({ name: "age", type: "numeric", min: 0, on_out_of_range: "clip",
 *   missing: { policy: "nan" }, transforms: [] });
 */
export const numericFeatureSchema = z.strictObject({
  name: featureName,
  type: z.literal("numeric"),
  min: z.number().optional().describe("Smallest allowed raw value."),
  max: z.number().optional().describe("Largest allowed raw value."),
  on_out_of_range: z
    .enum(["error", "clip"])
    .describe("error: report the value as an issue; clip: clamp it into [min, max] (counted)."),
  missing: numericMissingPolicySchema,
  transforms: z.array(featureTransformSchema).describe("Applied in order; [] is identity."),
});

/**
 * A categorical feature with its ordered levels. `one_hot` encodes one column per level
 * (`name=level`, 1 for the row's level, 0 elsewhere); `code` encodes one column holding the
 * level's index in `levels` (0-based, as a float). Unseen levels are refused (`error`) or treated as
 * missing (`as_missing`).
 *
 * @example
 * categoricalFeatureSchema.parse({ name: "country", type: "categorical", levels: ["DE", "FR"],
 *   encoding: "code", on_unseen: "as_missing", missing: { policy: "nan" } });
 */
export const categoricalFeatureSchema = z.strictObject({
  name: featureName,
  type: z.literal("categorical"),
  levels: z.array(z.string()).min(1),
  encoding: z.enum(["one_hot", "code"]),
  on_unseen: z.enum(["error", "as_missing"]),
  missing: categoricalMissingPolicySchema,
});

/**
 * A boolean feature, encoded 0/1 (accepts true/false, 0/1 and "true"/"false").
 *
 * @example
 * booleanFeatureSchema.parse({ name: "is_member", type: "boolean", missing: { policy: "error" } });
 */
export const booleanFeatureSchema = z.strictObject({
  name: featureName,
  type: z.literal("boolean"),
  missing: booleanMissingPolicySchema,
});

/**
 * One feature of a contract, discriminated on `type`.
 *
 * @example
 * featureSpecSchema.parse({ name: "vip", type: "boolean", missing: { policy: "error" } });
 */
export const featureSpecSchema = z.discriminatedUnion("type", [
  numericFeatureSchema,
  categoricalFeatureSchema,
  booleanFeatureSchema,
]);

/** One of {@link featureSpecSchema}'s values. */
export type FeatureSpec = z.infer<typeof featureSpecSchema>;
/** A numeric feature spec. */
export type NumericFeatureSpec = z.infer<typeof numericFeatureSchema>;
/** A categorical feature spec. */
export type CategoricalFeatureSpec = z.infer<typeof categoricalFeatureSchema>;
/** A boolean feature spec. */
export type BooleanFeatureSpec = z.infer<typeof booleanFeatureSchema>;

/**
 * A feature contract (lesson 18): the ordered features a model was trained on, how each is typed,
 * checked, imputed and transformed. The same contract and the same function
 * ({@link applyFeatureContract}) turn rows into the model's matrix at training and at serving time.
 * `hash`, when present, must equal {@link featureContractHash} of the contract (checked by
 * {@link parseFeatureContract}).
 *
 * Rules beyond types: feature names are unique (`duplicate_feature`); levels are unique
 * (`duplicate_level`); `min <= max` (`invalid_range`); an imputed categorical constant is one of the
 * levels (`unknown_level`).
 *
 * @example
 * featureContractSchema.parse({ schema_version: 1, features: [
 *   { name: "tenure_days", type: "numeric", min: 0, on_out_of_range: "clip",
 *     missing: { policy: "impute_mean", mean: 120 }, transforms: [{ kind: "log1p" }] },
 *   { name: "country", type: "categorical", levels: ["DE", "FR"], encoding: "one_hot",
 *     on_unseen: "error", missing: { policy: "error" } },
 * ] });
 */
export const featureContractSchema = z
  .strictObject({
    schema_version: schemaVersionField,
    name: z.string().min(1).optional().describe("Human name of the contract (not part of the hash)."),
    features: z.array(featureSpecSchema).min(1).describe("Ordered features; the order is the column order."),
    hash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional()
      .describe("sha256 of the canonical JSON of { schema_version, features }."),
  })
  .superRefine((c, ctx) => {
    const names = new Set<string>();
    c.features.forEach((f, i) => {
      if (names.has(f.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["features", i, "name"],
          message: `feature "${f.name}" appears twice`,
          params: { code: "duplicate_feature" },
        });
      }
      names.add(f.name);
      if (f.type === "numeric" && f.min !== undefined && f.max !== undefined && f.min > f.max) {
        ctx.addIssue({
          code: "custom",
          path: ["features", i, "max"],
          message: `max ${f.max} is below min ${f.min}`,
          params: { code: "invalid_range" },
        });
      }
      if (f.type === "categorical") {
        const levels = new Set<string>();
        f.levels.forEach((l, j) => {
          if (levels.has(l)) {
            ctx.addIssue({
              code: "custom",
              path: ["features", i, "levels", j],
              message: `level "${l}" appears twice`,
              params: { code: "duplicate_level" },
            });
          }
          levels.add(l);
        });
        if (f.missing.policy === "impute_constant" && !levels.has(f.missing.value)) {
          ctx.addIssue({
            code: "custom",
            path: ["features", i, "missing", "value"],
            message: `imputed level "${f.missing.value}" is not one of the levels`,
            params: { code: "unknown_level" },
          });
        }
      }
    });
  });

/** A validated feature contract. */
export type FeatureContract = z.infer<typeof featureContractSchema>;
