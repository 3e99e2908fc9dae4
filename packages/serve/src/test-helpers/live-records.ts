import { readFileSync } from "node:fs";
import { type Decision, parseDecision } from "@cia/logging-schema";

/**
 * The records of a decisions-log file that is still open, each line parsed strictly: its text up
 * to the first NUL, since in `fsync` mode the current file is zero-filled ahead of its records
 * (a closed file has no zeros and is read with `readDecisions`). Throws on a line that is not a
 * whole valid decision.
 *
 * @example
 * liveRecords(log.currentFile).map((d) => d.decision_id);
 */
export function liveRecords(file: string): Decision[] {
  const text = readFileSync(file, "utf8");
  const end = text.indexOf("\0");
  const lines = (end < 0 ? text : text.slice(0, end)).split("\n");
  if (lines.pop() !== "") throw new Error(`${file}: the records do not end with a newline`);
  return lines.map((l, i) => parseDecision(JSON.parse(l), { file, line: i + 1 }));
}
