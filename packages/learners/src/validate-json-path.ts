const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A JSON path in the `$.a.b[3]["odd key"]` notation, for messages that point into a model file.
 *
 * @example
 * formatJsonPath(["uplift", "pooled", 0, "value"]); // "$.uplift.pooled[0].value"
 */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = "$";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && IDENTIFIER.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}
