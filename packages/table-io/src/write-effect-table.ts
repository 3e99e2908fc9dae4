import { CiaError } from "@cia/core";
import type { TableIoErrorCode } from "./error-codes.js";
import type { ColumnChunk, ColumnSpec } from "./table-columns.js";
import { type WriteTableColumnsOptions, writeTableColumns } from "./write-table-columns.js";
import type { TableFileFormat } from "./table-file-format.js";

/** What {@link writeEffectTable} writes: n x K row-major matrices over units and actions. */
export interface EffectMatrices {
  unitIds: readonly string[];
  /** All K action names, the no-offer action at index 0 (it gets no rows). */
  actions: readonly string[];
  /** Output columns after `unit_id, action`, each an n x K row-major array. */
  columns: readonly { name: string; values: ArrayLike<number> }[];
  /** Units to write (1) or leave out (0); default every unit. */
  include?: ArrayLike<number> | undefined;
}

type Parts = AsyncIterable<EffectMatrices> | Iterable<EffectMatrices>;

function isParts(m: EffectMatrices | Parts): m is Parts {
  return !("unitIds" in m);
}

/**
 * Write effects (scores, the simulator's truth) in the file contract's long form, one row per unit
 * and non-control action (`unit_id, action, <columns>`, units in order, actions 1..K-1), straight
 * from n x K arrays, in chunks, with no object per row: Parquet or CSV by the name (CSV byte for
 * byte as `writeTable` writes the same rows), atomically. `m` is one set of matrices or a stream of
 * them (consecutive blocks of units, as chunked scoring produces them; the first block's actions
 * and column names are the file's), so the whole table never has to be in memory.
 *
 * @example
 * await writeEffectTable("scores.parquet", { unitIds: ["u1"], actions: ["control", "offer"], columns: [{ name: "tau_value", values: Float64Array.of(0, 1.5) }] });
 */
export async function writeEffectTable(
  file: string,
  m: EffectMatrices | Parts,
  options: WriteTableColumnsOptions & { chunkRows?: number } = {},
): Promise<{ file: string; format: TableFileFormat; rows: number }> {
  const parts: Parts = isParts(m) ? m : [m];
  const it: AsyncIterator<EffectMatrices> | Iterator<EffectMatrices> =
    Symbol.asyncIterator in parts ? parts[Symbol.asyncIterator]() : parts[Symbol.iterator]();
  const first = await it.next();
  if (first.done)
    throw new CiaError<TableIoErrorCode>(
      "invalid_option",
      `${file}: no effects to write (an empty stream of blocks)`,
    );
  const head = first.value;
  const specs: ColumnSpec[] = [
    { name: "unit_id", type: "string" },
    { name: "action", type: "category", levels: head.actions },
    ...head.columns.map((c) => ({ name: c.name, type: "double" as const })),
  ];
  const chunkRows = options.chunkRows ?? 1 << 16;
  async function* all(): AsyncGenerator<ColumnChunk> {
    let part: EffectMatrices = head;
    for (;;) {
      yield* blockChunks(part, chunkRows);
      const next = await it.next();
      if (next.done) return;
      part = next.value;
    }
  }
  return writeTableColumns(file, specs, all(), options);
}

function* blockChunks(m: EffectMatrices, chunkRows: number): Generator<ColumnChunk> {
  const K = m.actions.length;
  const A = K - 1;
  const n = m.unitIds.length;
  const unitsPerChunk = Math.max(1, Math.floor(chunkRows / Math.max(1, A)));
  for (let from = 0; from < n; from += unitsPerChunk) {
    const to = Math.min(n, from + unitsPerChunk);
    let rows = 0;
    for (let i = from; i < to; i++) if (m.include === undefined || m.include[i]) rows += A;
    const ids = new Array<string>(rows);
    const action = new Int32Array(rows);
    const cols = m.columns.map(() => new Float64Array(rows));
    let r = 0;
    for (let i = from; i < to; i++) {
      if (m.include !== undefined && !m.include[i]) continue;
      const id = m.unitIds[i]!;
      for (let a = 1; a < K; a++, r++) {
        ids[r] = id;
        action[r] = a;
        for (let c = 0; c < cols.length; c++) cols[c]![r] = m.columns[c]!.values[i * K + a]!;
      }
    }
    yield { rows, columns: [ids, action, ...cols] };
  }
}
