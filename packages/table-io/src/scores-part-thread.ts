// Ranges of a scores file parsed on a worker thread while this thread parses others, so a big file
// parses on two cores when two are free, and on one, with little lost, when the other is busy.
// Internal to the package.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { claimedFront, closeClaims } from "./range-claims.js";
import { readScoresPart, type ScoresPart } from "./scores-csv-part.js";
import type { ScoresRangeReply, ScoresRangesJob } from "./scores-csv-worker.js";

/** Ranges being parsed by a worker (see {@link scoresRangesInWorker}). */
export interface ScoresRangesTask {
  /**
   * Once this thread claims no more ranges: the rows of every range the worker claimed (from
   * {@link claimedFront} to the last), by index; undefined when one is not plain or has an issue.
   * A range the worker claimed but did not answer (it failed) is parsed in this thread.
   */
  collect(): Promise<Map<number, ScoresPart> | undefined>;
  /** Stop the worker (its answers are no longer needed). */
  cancel(): void;
  /** How many ranges the worker answered. */
  answered(): number;
}

/**
 * A worker that claims ranges of `job` from the back (see `serveScoresRanges`) while the caller
 * claims from the front. The answer never depends on the worker: when it cannot start (no worker
 * threads, TypeScript sources without tsx) or fails, the caller parses what it did not.
 *
 * @example
 * const tail = scoresRangesInWorker({ file, cuts, claims, layout });
 * // ... parse ranges from the front with claimFront(claims) ...
 * const parts = await tail.collect();
 */
export function scoresRangesInWorker(job: ScoresRangesJob): ScoresRangesTask {
  const parts = new Map<number, ScoresPart>();
  let failed = false;
  let stopped = false;
  let worker: Worker | undefined;
  let wake: (() => void) | undefined;
  const count = job.cuts.length - 1;
  const start = async (): Promise<void> => {
    let code: string;
    try {
      const { scoresWorkerUrl } = await import("./scores-csv-worker.js");
      code = bootstrap(scoresWorkerUrl);
    } catch {
      stopped = true;
      return;
    }
    if (stopped) return;
    const w = new Worker(code, { eval: true, workerData: job });
    worker = w;
    // Never what keeps the process alive: the caller awaits the answers it needs.
    w.unref();
    w.on("message", (r: ScoresRangeReply) => {
      if ("error" in r) stopped = true;
      else if (r.part === null) {
        failed = true;
        // The file goes to the row reader: this thread need not parse on.
        closeClaims(job.claims);
      } else parts.set(r.index, r.part);
      wake?.();
    });
    const end = (): void => {
      stopped = true;
      wake?.();
    };
    w.once("error", end);
    w.once("exit", end);
  };
  const started = start();
  return {
    async collect() {
      await started;
      const from = claimedFront(job.claims);
      const missing = () => {
        for (let k = from; k < count; k++) if (!parts.has(k)) return true;
        return false;
      };
      while (!failed && !stopped && missing()) await new Promise<void>((r) => (wake = r));
      if (failed) return undefined;
      // Claimed but never answered (the worker failed): parsed here.
      for (let k = from; k < count; k++) {
        if (parts.has(k)) continue;
        const local = await readScoresPart({ ...job, from: job.cuts[k]!, to: job.cuts[k + 1]! });
        if (local === undefined) return undefined;
        parts.set(k, local);
      }
      return parts;
    },
    cancel() {
      stopped = true;
      void worker?.terminate();
    },
    answered: () => parts.size,
  };
}

/**
 * The worker's script: import the worker module and serve. From TypeScript sources (tests, tsx,
 * which a worker does not inherit) it first registers tsx's loader, when tsx can be found.
 */
function bootstrap(url: string): string {
  const serve = `import(${JSON.stringify(url)}).then((m) => m.serveScoresRanges())`;
  if (!url.endsWith(".ts")) return serve;
  const api = join(dirname(createRequire(url).resolve("tsx/package.json")), "dist/esm/api/index.mjs");
  if (!existsSync(api)) throw new Error("no tsx for a worker on TypeScript sources");
  return `import(${JSON.stringify(pathToFileURL(api).href)}).then((a) => a.register()).then(() => ${serve})`;
}
