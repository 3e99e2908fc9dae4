/**
 * A column of a table being written: numbers (`double`, NaN written as `NaN` in CSV, as a NaN double
 * in Parquet), text (`string`, null is an empty CSV cell and a Parquet null), or a `category` held as
 * integer codes into `levels` (a Parquet dictionary column; its level names in CSV).
 *
 * @example
 * const spec: ColumnSpec[] = [{ name: "unit_id", type: "string" }, { name: "action", type: "category", levels: ["a", "b"] }, { name: "tau_value", type: "double" }];
 */
export type ColumnSpec =
  | { name: string; type: "double" }
  | { name: string; type: "string" }
  | { name: string; type: "category"; levels: readonly string[] };

/** One column's values in a {@link ColumnChunk}: by spec type, doubles, codes into the levels, or strings. */
export type ColumnValues = Float64Array | Int32Array | Uint8Array | Uint16Array | readonly (string | null)[];

/**
 * A run of `rows` rows of a table, column by column (each array at least `rows` long; extra entries
 * are ignored), in the order of the writer's {@link ColumnSpec}s. The unit a writer streams: memory
 * is bounded by one chunk, not the file.
 *
 * @example
 * const chunk: ColumnChunk = { rows: 2, columns: [["u1", "u2"], new Uint8Array([0, 1]), new Float64Array([0.5, 1.5])] };
 */
export interface ColumnChunk {
  rows: number;
  columns: readonly ColumnValues[];
}
