import { z } from "zod";

const finiteNonNegative = z.number().min(0).refine(Number.isFinite, "must be finite");

/**
 * The manifest of a policy bundle (`policy.json`), the one file `cia deploy` writes last and
 * `cia serve` reads first. It pins the model file by name and sha256 (the model file name carries
 * the hash, so a new deploy never overwrites the file an older manifest points at), and holds
 * what the batch step decided: the budget multiplier lambda, the guardrails, the exploration
 * settings and the live budget guard's settings.
 *
 * @example
 * policyManifestSchema.parse(JSON.parse(readFileSync("deploy/policy.json", "utf8")));
 */
export const policyManifestSchema = z.strictObject({
  format: z.literal("cia-policy"),
  version: z.literal(1),
  policy_id: z.string().min(1),
  policy_version: z.string().min(1),
  model_version: z.string().min(1),
  created_at: z.iso.datetime({ offset: true }),
  /** Logged as the decisions' `program` and `surface`. */
  program: z.string().min(1),
  surface: z.string().min(1),
  model: z.strictObject({
    file: z.string().regex(/^[A-Za-z0-9._-]+$/, "a plain file name inside the bundle"),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  /** The feature contract file (a copy of the model's contract) and its content hash. */
  contract: z.strictObject({
    file: z.string().regex(/^[A-Za-z0-9._-]+$/),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  /** The model's actions, index 0 = no offer. */
  actions: z.array(z.string().min(1)).min(1),
  /** The actions this policy may choose (always includes the no-offer action). */
  enabled_actions: z.array(z.string().min(1)).min(1),
  /** The budget multiplier solved in batch: score = tau_value - lambda * tau_cost. */
  lambda: finiteNonNegative,
  guardrails: z.strictObject({
    max_cost_per_value: z.number().min(0).nullable(),
    min_value_per_cost: finiteNonNegative.nullable(),
    /** Allocate on the bootstrap lower bound of tau_value (needs a model trained with --bootstraps). */
    risk_lower: z.boolean(),
  }),
  exploration: z.strictObject({
    epsilon: z.number().min(0).max(1),
    floor: z.number().min(0).max(1),
    salt: z.string().min(1),
  }),
  budget: z.strictObject({
    /** The batch budget lambda was solved for (total over the batch's units). */
    total: finiteNonNegative,
    /** Today's budget for the live guard (null: no hard stop). */
    daily: finiteNonNegative.nullable(),
    /** What the batch solve saw: units, predicted spend and value of the deterministic rule. */
    units: z.int().min(0),
    predicted_spend: z.number(),
    predicted_value: z.number(),
  }),
  /** The lambda controller of the live guard (eta 0 = lambda stays at the batch value). */
  pacing: z.strictObject({
    eta: finiteNonNegative,
    scale: z.number().positive(),
    lambda_max: z.number().positive().nullable(),
  }),
});

/** A validated policy manifest (see {@link policyManifestSchema}). */
export type PolicyManifest = z.infer<typeof policyManifestSchema>;

/** The manifest's file name inside a bundle directory. */
export const POLICY_MANIFEST_FILE = "policy.json";
