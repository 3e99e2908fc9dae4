// Checks shared by the column writers (CSV here, Parquet in its own lazily loaded module). Internal
// to the package.
import { CiaError } from "@cia/core";
import type { TableIoErrorCode } from "./error-codes.js";
import type { ColumnChunk, ColumnSpec } from "./table-columns.js";

/** The chunks a column writer takes. */
export type Chunks = AsyncIterable<ColumnChunk> | Iterable<ColumnChunk>;

/** Throw a table-io `CiaError`. */
export function fail(code: TableIoErrorCode, message: string, details: Record<string, unknown> = {}): never {
  throw new CiaError<TableIoErrorCode>(code, message, details);
}

/** A chunk with the table's columns, each holding at least the chunk's rows, or a `shape_mismatch`. */
export function check(file: string, specs: readonly ColumnSpec[], chunk: ColumnChunk): void {
  if (chunk.columns.length !== specs.length)
    fail("shape_mismatch", `${file}: a chunk has ${chunk.columns.length} columns, the table ${specs.length}`);
  specs.forEach((s, j) => {
    const col = chunk.columns[j]!;
    if (col.length < chunk.rows)
      fail("shape_mismatch", `${file}: column '${s.name}' has ${col.length} values for ${chunk.rows} rows`, {
        column: s.name,
      });
  });
}
