import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Write a file atomically: to a temp file beside it, then rename, so a reader never sees half a
 * file and a crash never leaves one.
 *
 * @example
 * writeFileAtomic("out/summary.json", JSON.stringify(summary));
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}
