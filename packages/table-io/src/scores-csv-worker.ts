// A worker thread's side of `readScoresCsv`: one byte range of a scores file parsed and its columns
// posted back (moved, not copied). Loaded only by `import()` (its own chunk in the CLI's bundle)
// and by the worker itself. Internal to the package.
import { parentPort, workerData } from "node:worker_threads";
import { readScoresPart, type ScoresPart, type ScoresPartJob } from "./scores-csv-part.js";

/** This module's URL: what a worker imports to run {@link serveScoresPart}. */
export const scoresWorkerUrl: string = import.meta.url;

/** A worker's answer: its range's rows (null: the range is not plain or has an issue), or why it failed. */
export type ScoresPartReply = { part: ScoresPart | null } | { error: string };

/**
 * In a worker started with a {@link ScoresPartJob} as its data: parse that range and post a
 * {@link ScoresPartReply}.
 *
 * @example
 * new Worker(`import(${JSON.stringify(scoresWorkerUrl)}).then((m) => m.serveScoresPart())`, { eval: true, workerData: job });
 */
export async function serveScoresPart(): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  let reply: ScoresPartReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const local = await readScoresPart(workerData as ScoresPartJob);
    if (local === undefined) reply = { part: null };
    else {
      const { rows, unitOf, actionOf, values, units, unitsSorted, actions } = local;
      reply = { part: { rows, unitOf, actionOf, values, units, unitsSorted, actions } };
      for (const a of [unitOf, actionOf, ...values]) transfer.push(a.buffer as ArrayBuffer);
    }
  } catch (e) {
    reply = { error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply, transfer);
}
