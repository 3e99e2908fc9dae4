/**
 * The summary line every command prints to stdout: one line of JSON (scripts read it; progress
 * goes to stderr). Its own file so commands and the CLI entry do not import each other.
 *
 * @example
 * printSummary({ out: "scores.csv", rows: 1200 });
 */
export function printSummary(summary: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}
