/**
 * How long-running library code reports progress without knowing about terminals: the CLI
 * passes a reporter that draws a bar; libraries default to `noopProgress`.
 *
 * @example
 * function fitAll(models: Model[], progress: ProgressReporter = noopProgress) {
 *   progress.start("fitting", models.length);
 *   for (const m of models) { m.fit(); progress.advance(); }
 *   progress.finish();
 * }
 */
export interface ProgressReporter {
  start(label: string, total?: number): void;
  advance(by?: number): void;
  finish(): void;
}

/** A reporter that does nothing (the default for every library function). */
export const noopProgress: ProgressReporter = Object.freeze({
  start() {},
  advance() {},
  finish() {},
});
