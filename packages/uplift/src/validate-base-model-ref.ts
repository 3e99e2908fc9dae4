import type { ModelJson } from "@cia/learners";
import { z } from "zod";

/**
 * A base model's JSON inside an uplift document, checked only for being a plain object: the base
 * model loader (`loadModel` of @cia/learners) validates its content strictly. The object is passed
 * through as is, never copied, so no `__proto__` key can be turned into a prototype on the way.
 *
 * @example
 * z.strictObject({ treated: baseModelRefSchema });
 */
export const baseModelRefSchema = z.custom<ModelJson>(
  (v) => typeof v === "object" && v !== null && !Array.isArray(v),
  { message: "expected a model object" },
);

/** Own keys of a JSON object that must never appear in a model file (prototype pollution). */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);
