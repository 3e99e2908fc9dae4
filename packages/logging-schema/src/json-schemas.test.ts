import { readFileSync, readdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { jsonSchemaFiles, jsonSchemas } from "./json-schemas.js";

const schemasDir = resolve(dirname(fileURLToPath(import.meta.url)), "../schemas");

describe("JSON Schema export", () => {
  it("committed schemas/*.schema.json are up to date (run `pnpm --filter @cia/logging-schema run schemas`)", () => {
    const expected = jsonSchemaFiles();
    const committed = readdirSync(schemasDir)
      .filter((f) => f.endsWith(".schema.json"))
      .sort();
    expect(committed).toEqual(Object.keys(expected).sort());
    for (const [name, text] of Object.entries(expected)) {
      expect(readFileSync(resolve(schemasDir, name), "utf8"), `${name} is stale`).toBe(text);
    }
  });

  it("expresses required fields, ranges, enums and unknown-field refusal", () => {
    const { decision, "outcome-event": outcome } = jsonSchemas();
    expect(decision.additionalProperties).toBe(false);
    expect(decision.required).toEqual(
      expect.arrayContaining([
        "schema_version",
        "decision_id",
        "unit_id",
        "eligible_actions",
        "action",
        "propensity",
        "design",
      ]),
    );
    const props = decision.properties as Record<string, Record<string, unknown>>;
    expect(props.propensity).toMatchObject({ type: "number", exclusiveMinimum: 0, maximum: 1 });
    expect(props.decision_time).toMatchObject({ type: "string", format: "date-time" });
    expect(props.schema_version).toMatchObject({ const: 1 });
    expect((outcome.properties as Record<string, Record<string, unknown>>).kind).toMatchObject({
      enum: ["value", "cost"],
    });
    expect(String(decision.description)).toMatch(/action is among eligible_actions/);
  });
});
