import { z } from "zod";
import { concurrentAssignmentSchema } from "./concurrent-assignment-schema.js";
import { decisionSchema } from "./decision-schema.js";
import { featureContractSchema } from "./feature-contract-schema.js";
import { outcomeEventSchema } from "./outcome-event-schema.js";
import { realizedTreatmentSchema } from "./realized-treatment-schema.js";
import { SCHEMA_VERSION } from "./schema-version.js";

const SCHEMAS = {
  decision: {
    schema: decisionSchema,
    title: "CIA decision",
    description: "One logged decision of the counterfactual log.",
  },
  "realized-treatment": {
    schema: realizedTreatmentSchema,
    title: "CIA realized treatment",
    description: "A delivered / seen / redeemed event for a decision (non-compliance).",
  },
  "outcome-event": {
    schema: outcomeEventSchema,
    title: "CIA outcome event",
    description: "A value or cost amount for a unit at a time, optionally attributed to a decision.",
  },
  "concurrent-assignment": {
    schema: concurrentAssignmentSchema,
    title: "CIA concurrent assignment",
    description: "Another program's decision active for the unit over an interval (interference).",
  },
  "feature-contract": {
    schema: featureContractSchema,
    title: "CIA feature contract",
    description:
      "Ordered features with types, ranges, missing policies and transforms, shared by training and serving.",
  },
} as const;

/**
 * The JSON Schema (draft 2020-12) of every record type, keyed by file stem (`decision`,
 * `realized-treatment`, `outcome-event`, `concurrent-assignment`, `feature-contract`), generated
 * with `z.toJSONSchema` so other languages and warehouses validate the same logs. Types, formats,
 * ranges, enums and unknown-field refusal are expressed; the cross-field rules (chosen action
 * among the eligible ones, probabilities summing to 1, time order...) cannot be, and are listed in
 * each schema's `description`. `pnpm --filter @cia/logging-schema run schemas` writes them to
 * `schemas/*.schema.json`; a test fails when those files are out of date.
 *
 * @example
 * const { decision } = jsonSchemas(); // { $schema, $id, title, type: "object", properties, ... }
 */
export function jsonSchemas(): Record<keyof typeof SCHEMAS, Record<string, unknown>> {
  const out = {} as Record<keyof typeof SCHEMAS, Record<string, unknown>>;
  for (const [name, { schema, title, description }] of Object.entries(SCHEMAS) as [
    keyof typeof SCHEMAS,
    (typeof SCHEMAS)[keyof typeof SCHEMAS],
  ][]) {
    const generated = z.toJSONSchema(schema, { target: "draft-2020-12", unrepresentable: "throw" }) as Record<
      string,
      unknown
    >;
    const { $schema, ...rest } = generated;
    out[name] = {
      $schema,
      $id: `urn:cia:logging-schema:v${SCHEMA_VERSION}:${name}`,
      title,
      description: `${description} ${RULES[name]}`.trim(),
      ...rest,
    };
  }
  return out;
}

const RULES: Record<keyof typeof SCHEMAS, string> = {
  decision:
    "Rules beyond this schema (checked by @cia/logging-schema): eligible_actions has no duplicates; action is among eligible_actions; action_probabilities names only eligible actions, sums to 1 within 1e-6 and gives action the probability `propensity`; feature_ref requires feature_contract_hash; decision_id is unique across the log.",
  "realized-treatment":
    "Rules beyond this schema: decision_id names a logged decision of the same unit_id; time is not before its decision_time.",
  "outcome-event":
    "Rules beyond this schema: cost_definition only on cost events; event_id unique; a decision_id names a logged decision of the same unit_id.",
  "concurrent-assignment": "Rules beyond this schema: end_time is not before start_time.",
  "feature-contract":
    "Rules beyond this schema: feature names unique; levels unique; min <= max; an imputed categorical value is one of the levels; hash equals sha256 of the canonical JSON of { schema_version, features }.",
};

/**
 * The committed files: `<name>.schema.json` -> pretty-printed JSON with a final newline. Used by the
 * `schemas` script to write them and by the test that fails when they are out of date.
 *
 * @example
 * for (const [file, text] of Object.entries(jsonSchemaFiles())) writeFileSync(`schemas/${file}`, text);
 */
export function jsonSchemaFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    files[`${name}.schema.json`] = `${JSON.stringify(schema, null, 2)}\n`;
  }
  return files;
}
