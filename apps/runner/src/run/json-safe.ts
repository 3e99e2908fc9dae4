/**
 * A value as JSON allows it: typed arrays as plain arrays, non-finite numbers as null (report.json).
 *
 * @example
 * JSON.stringify(jsonSafe({ a: Float64Array.of(1, Number.NaN) })); // {"a":[1,null]}
 */
export function jsonSafe(x: unknown): unknown {
  return JSON.parse(
    JSON.stringify(x, (_k, v) =>
      ArrayBuffer.isView(v)
        ? Array.from(v as unknown as ArrayLike<number>)
        : typeof v === "number" && !Number.isFinite(v)
          ? null
          : v,
    ),
  );
}
