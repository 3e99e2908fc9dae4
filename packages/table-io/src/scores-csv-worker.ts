// A worker thread's side of `readScoresCsv`: ranges of a scores file claimed from the back, each
// parsed and its columns posted back (moved, not copied). Loaded only by `import()` (its own chunk
// in the CLI's bundle) and by the worker itself. Internal to the package.
import { parentPort, workerData } from "node:worker_threads";
import { claimBack } from "./range-claims.js";
import { readScoresPart, type ScoresLayout, type ScoresPart } from "./scores-csv-part.js";

/** This module's URL: what a worker imports to run {@link serveScoresRanges}. */
export const scoresWorkerUrl: string = import.meta.url;

/** A worker's job: the file's ranges (range k is `[cuts[k], cuts[k + 1])`), shared claims over them. */
export interface ScoresRangesJob {
  file: string;
  cuts: number[];
  /** See `rangeClaims`: shared with the thread that started the worker. */
  claims: Int32Array;
  layout: ScoresLayout;
}

/**
 * A worker's message: range `index`'s rows (`part` null: not plain, or an issue in it; the worker
 * stops then), or `error` when parsing it threw.
 */
export type ScoresRangeReply = { index: number; part: ScoresPart | null } | { index: number; error: string };

/**
 * In a worker started with a {@link ScoresRangesJob} as its data: claim ranges from the back
 * until none is left, posting a {@link ScoresRangeReply} for each.
 *
 * @example
 * new Worker(`import(${JSON.stringify(scoresWorkerUrl)}).then((m) => m.serveScoresRanges())`, { eval: true, workerData: job });
 */
export async function serveScoresRanges(): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  const { file, cuts, claims, layout } = workerData as ScoresRangesJob;
  for (let index = claimBack(claims); index >= 0; index = claimBack(claims)) {
    try {
      const local = await readScoresPart({ file, from: cuts[index]!, to: cuts[index + 1]!, layout });
      if (local === undefined) {
        port.postMessage({ index, part: null } satisfies ScoresRangeReply);
        return;
      }
      const { rows, unitOf, actionOf, values, units, unitsSorted, actions } = local;
      const part: ScoresPart = { rows, unitOf, actionOf, values, units, unitsSorted, actions };
      const transfer = [unitOf, actionOf, ...values].map((a) => a.buffer as ArrayBuffer);
      port.postMessage({ index, part } satisfies ScoresRangeReply, transfer);
    } catch (e) {
      port.postMessage({
        index,
        error: e instanceof Error ? e.message : String(e),
      } satisfies ScoresRangeReply);
      return;
    }
  }
}
