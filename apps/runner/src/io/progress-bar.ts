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

/** What {@link stageProgress} returns: move to the next named stage, then finish. */
export interface StageProgress {
  /** Start `stage` (the previous one is done). */
  next(stage: string): void;
  /** All stages done: complete the bar and release the line. */
  done(): void;
}

/**
 * A bar over a command's stages (read, check, predict, estimate, write) on stderr, drawn only when
 * stderr is a terminal (a pipe or a log gets nothing, and stdout keeps only the JSON summary). The
 * stages of score, diagnose and evaluate are single library calls, so the bar moves per stage and
 * names the one running, with the elapsed time.
 *
 * @example
 * const p = stageProgress("score", ["read units", "predict", "write scores"]);
 * p.next("read units"); ...; p.next("predict"); ...; p.done();
 */
export function stageProgress(
  title: string,
  stages: readonly string[],
  options: { enabled?: boolean } = {},
): StageProgress {
  if (!(options.enabled ?? process.stderr.isTTY)) return { next() {}, done() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${title.padEnd(10)} [{bar}] {value}/{total} {stage} | {duration_formatted}`,
      stream: process.stderr,
      // Whether to draw is decided above (`enabled`); the bar itself would stay silent off a TTY.
      noTTYOutput: true,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let step = -1;
  return {
    next(stage) {
      if (step < 0) bar.start(stages.length, 0, { stage });
      else bar.update(step + 1, { stage });
      step++;
    },
    done() {
      if (step < 0) return;
      bar.update(stages.length, { stage: "done" });
      bar.stop();
    },
  };
}
