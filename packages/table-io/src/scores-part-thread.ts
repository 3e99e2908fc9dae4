// A byte range of a scores file parsed on a worker thread, so the two halves of a big file parse on
// two cores. Internal to the package.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { readScoresPart, type ScoresPart, type ScoresPartJob } from "./scores-csv-part.js";
import type { ScoresPartReply } from "./scores-csv-worker.js";

/** A range being parsed elsewhere: its rows when done, and a way to stop it. */
export interface ScoresPartTask {
  /** The range's rows, or undefined (not plain, or an issue in it). */
  result: Promise<ScoresPart | undefined>;
  /** Stop the worker (its answer is no longer needed). */
  cancel(): void;
  /** True once the answer came from a worker (false: parsed in this thread after all). */
  fromWorker(): boolean;
}

/**
 * `job` parsed on a worker thread. The answer is the same as {@link readScoresPart}'s in this thread,
 * which is also what runs when a worker cannot start or fails (no worker threads, TypeScript
 * sources without tsx), so a worker only ever changes the time taken.
 *
 * @example
 * const tail = scoresPartInWorker({ file, from: cut, to: size, layout });
 * const head = await readScoresPart({ file, from: 0, to: cut, layout });
 * const rows = appendPart(head!, (await tail.result)!);
 */
export function scoresPartInWorker(job: ScoresPartJob): ScoresPartTask {
  let worker: Worker | undefined;
  let cancelled = false;
  let answered = false;
  const result = (async (): Promise<ScoresPart | undefined> => {
    let code: string;
    try {
      const { scoresWorkerUrl } = await import("./scores-csv-worker.js");
      code = bootstrap(scoresWorkerUrl);
    } catch {
      return readScoresPart(job);
    }
    if (cancelled) return undefined;
    const reply = await new Promise<ScoresPartReply | undefined>((resolve) => {
      const w = new Worker(code, { eval: true, workerData: job });
      worker = w;
      // Never what keeps the process alive: the caller awaits the answer it needs.
      w.unref();
      w.once("message", (r: ScoresPartReply) => resolve(r));
      w.once("error", () => resolve(undefined));
      w.once("exit", () => resolve(undefined));
    });
    if (cancelled) return undefined;
    if (reply === undefined || "error" in reply) return readScoresPart(job);
    answered = true;
    return reply.part ?? undefined;
  })();
  return {
    result,
    cancel() {
      cancelled = true;
      void worker?.terminate();
    },
    fromWorker: () => answered,
  };
}

/**
 * The worker's script: import the worker module and serve. From TypeScript sources (tests, tsx,
 * which a worker does not inherit) it first registers tsx's loader, when tsx can be found.
 */
function bootstrap(url: string): string {
  const serve = `import(${JSON.stringify(url)}).then((m) => m.serveScoresPart())`;
  if (!url.endsWith(".ts")) return serve;
  const api = join(dirname(createRequire(url).resolve("tsx/package.json")), "dist/esm/api/index.mjs");
  if (!existsSync(api)) throw new Error("no tsx for a worker on TypeScript sources");
  return `import(${JSON.stringify(pathToFileURL(api).href)}).then((a) => a.register()).then(() => ${serve})`;
}
