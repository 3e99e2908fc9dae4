import Papa from "papaparse";

type Source<T> = AsyncIterable<T> | Iterable<T>;

/** About 64 KB per chunk, so the file stream is not driven one small write per record. */
const CHUNK = 65536;

/** Join lines into ~64 KB strings for {@link writeFileAtomic}. Internal to the package. */
export async function* batchLines(lines: Source<string>): AsyncGenerator<string> {
  let buf = "";
  for await (const line of lines) {
    buf += line;
    if (buf.length >= CHUNK) {
      yield buf;
      buf = "";
    }
  }
  if (buf.length > 0) yield buf;
}

/**
 * One CSV row as text, without its line end: papaparse's encoder (RFC 4180: a cell is quoted when it
 * holds a comma, a double quote, a line break or a byte-order mark, or starts or ends with a space;
 * quotes are doubled). Internal to the package.
 */
export function csvRow(cells: readonly string[]): string {
  return Papa.unparse([cells as string[]], { newline: "\n" });
}

/**
 * Rows of cells as CSV text ("\n" after every row, the last included) in ~64 KB chunks, encoded as
 * {@link csvRow} does, a thousand rows per papaparse call. Internal to the package.
 */
export async function* csvChunks(rows: Source<readonly string[]>): AsyncGenerator<string> {
  let batch: string[][] = [];
  const flush = () => {
    const text = `${Papa.unparse(batch, { newline: "\n" })}\n`;
    batch = [];
    return text;
  };
  let buf = "";
  for await (const row of rows) {
    batch.push(row as string[]);
    if (batch.length === 1024) {
      buf += flush();
      if (buf.length >= CHUNK) {
        yield buf;
        buf = "";
      }
    }
  }
  if (batch.length > 0) buf += flush();
  if (buf.length > 0) yield buf;
}
