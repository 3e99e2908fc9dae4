import type { ProgressReporter } from "@cia/core";
import cliProgress from "cli-progress";

/**
 * A ProgressReporter drawing a bar on stderr (stdout carries the JSON summary). When stderr is not
 * a terminal it prints one line per step instead, so logs stay readable.
 *
 * @example
 * const progress = terminalProgress();
 * progress.start("bootstrap", 20); progress.advance(); progress.finish();
 */
export function terminalProgress(options: { quiet?: boolean } = {}): ProgressReporter {
  if (options.quiet) return { start() {}, advance() {}, finish() {} };
  if (!process.stderr.isTTY) {
    let label = "";
    let t0 = 0;
    return {
      start(l) {
        label = l;
        t0 = Date.now();
        process.stderr.write(`${label} ...\n`);
      },
      advance() {},
      finish() {
        process.stderr.write(`${label} done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      },
    };
  }
  let bar: cliProgress.SingleBar | undefined;
  let label = "";
  let t0 = 0;
  return {
    start(l, total) {
      label = l;
      t0 = Date.now();
      if (total === undefined) {
        process.stderr.write(`${label} ...\n`);
        return;
      }
      bar = new cliProgress.SingleBar(
        {
          format: `${label.padEnd(28)} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`,
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    advance(by = 1) {
      bar?.increment(by);
    },
    finish() {
      if (bar) {
        bar.stop();
        bar = undefined;
      } else process.stderr.write(`${label} done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    },
  };
}
