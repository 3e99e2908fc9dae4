import { stringify } from "csv-stringify/sync";
import { writeFileAtomic } from "./atomic-write.js";

/**
 * Write rows as CSV (header first) atomically. Numbers are written with full precision
 * (shortest round-trip form), so reading the file back gives the same doubles.
 *
 * @example
 * writeCsv("a.csv", ["unit_id", "action"], [["u1", "control"]]);
 */
export function writeCsv(path: string, columns: string[], rows: Iterable<(string | number)[]>): number {
  const chunks: string[] = [stringify([columns])];
  let n = 0;
  let batch: (string | number)[][] = [];
  for (const r of rows) {
    batch.push(r);
    n++;
    if (batch.length === 50_000) {
      chunks.push(stringify(batch));
      batch = [];
    }
  }
  if (batch.length) chunks.push(stringify(batch));
  writeFileAtomic(path, chunks.join(""));
  return n;
}
