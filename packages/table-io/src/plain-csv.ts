// Plain CSV: files with no quote and no CR anywhere, where a record is a line and a cell the text
// between commas, so DuckDB's reader and papaparse cannot disagree on cells or line numbers.
// Internal to the package.
import { open, stat } from "node:fs/promises";
import { sqlString } from "./duckdb-connection.js";

/** The header of a plain CSV (no quote, no CR and no blank line anywhere in the file), or undefined. */
export async function plainCsvHeader(file: string): Promise<string[] | undefined> {
  if (/\.gz$/i.test(file)) return undefined;
  // Only a regular file: reading a pipe (/dev/stdin, a process substitution) here would consume
  // what the row reader needs; a directory or an unreadable file is the row reader's to report.
  try {
    if (!(await stat(file)).isFile()) return undefined;
  } catch {
    return undefined;
  }
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, "r");
  } catch {
    return undefined;
  }
  try {
    // One pass of memchr-speed scans: quotes or CRs would need the row reader's line accounting.
    const buf = Buffer.allocUnsafe(1 << 22);
    let first: string | undefined;
    let previous = -1;
    let head = "";
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      const part = buf.subarray(0, bytesRead);
      if (part.indexOf(34) >= 0 || part.indexOf(13) >= 0) return undefined;
      // A blank line is skipped by the row reader but still counted in its line numbers.
      if (part.indexOf("\n\n") >= 0 || (part[0] === 10 && (previous === 10 || previous === -1)))
        return undefined;
      previous = part[bytesRead - 1]!;
      if (first === undefined) {
        head += part.toString("utf8");
        const nl = head.indexOf("\n");
        if (nl >= 0) first = head.slice(0, nl);
      }
    }
    if (first === undefined) return undefined;
    if (first.charCodeAt(0) === 0xfeff) first = first.slice(1);
    return first.split(",");
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

/** DuckDB's reader of a plain CSV with the given header, every column as text. */
export function plainCsvSource(file: string, header: readonly string[]): string {
  const cols = header.map((h) => `${sqlString(h)}: 'VARCHAR'`).join(", ");
  return `read_csv(${sqlString(file)}, header = true, delim = ',', quote = '', escape = '', auto_detect = false, strict_mode = true, null_padding = false, columns = {${cols}})`;
}
