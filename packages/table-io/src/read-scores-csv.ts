// Internal to the package.
import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { PlainCsvBlocks } from "./plain-csv-blocks.js";
import { ACTION, appendPart, ID, parseScoresLines, type ScoresLayout } from "./scores-csv-part.js";
import { scoresPartInWorker } from "./scores-part-thread.js";
import { scatterScores } from "./scatter-scores.js";
import { scoresFromArrays } from "./scores-from-arrays.js";
import { SCORE_COLUMNS, type ScoresColumns } from "./scores-columns.js";

/** From this many bytes a file's second half is parsed on a worker thread (a worker starts in ~40 ms). */
const PARALLEL_FROM = 32 << 20;
/** The worker's share of the bytes: it starts later, this thread merges after. */
const WORKER_SHARE = 0.5;

/** Options of {@link readScoresCsv} (tests). */
export interface ReadScoresCsvOptions {
  /** Bytes from which a worker thread parses the second half (default 32 MiB). */
  parallelFrom?: number;
}

/**
 * A plain CSV scores file (see {@link PlainCsvBlocks}) parsed straight from its bytes into
 * {@link ScoresColumns}: numbers into typed arrays as the bytes are scanned, a unit's id decoded
 * once for its consecutive rows, actions matched by their bytes; no object or string per row.
 * `undefined` as soon as anything is off (not plain, a missing, unknown or repeated column, a ragged
 * row, an empty id or action, a number that is not finite, a control row, a duplicated pair, no
 * rows): the caller's row reader then reads the file and reports every issue with its exact line,
 * so this reader never needs to describe one. On every file it accepts it returns what the row
 * reader would (ids and actions trimmed, numbers under the decimal rule, correctly rounded).
 *
 * A big file is cut at a line near its middle and the second half parsed on a worker thread (see
 * `scoresPartInWorker`), its units and actions renumbered after the first half's: the same answer
 * as one pass, in about half the time on two cores.
 *
 * @example
 * const s = (await readScoresCsv("scores.csv", "control")) ?? (await rowReader("scores.csv"));
 */
export async function readScoresCsv(
  file: string,
  control: string,
  options: ReadScoresCsvOptions = {},
): Promise<ScoresColumns | undefined> {
  let size = 0;
  try {
    const s = await stat(file);
    if (s.isFile() && !/\.gz$/i.test(file)) size = s.size;
  } catch {
    // Not readable: PlainCsvBlocks says so (undefined) below.
  }
  let cut: number | undefined;
  // CIA_CSV_THREADS=1 keeps it to this thread (a machine whose other core is busy).
  const threads = process.env.CIA_CSV_THREADS === "1" ? 1 : availableParallelism();
  if (size > 0 && size >= (options.parallelFrom ?? PARALLEL_FROM) && threads > 1)
    cut = await PlainCsvBlocks.lineStart(file, Math.floor(size * (1 - WORKER_SHARE))).catch(() => undefined);
  return PlainCsvBlocks.parse(
    file,
    (blocks) => parse(file, blocks, control, cut === undefined ? undefined : { cut, size }),
    cut === undefined ? undefined : { from: 0, to: cut },
  );
}

async function parse(
  file: string,
  blocks: PlainCsvBlocks,
  control: string,
  split: { cut: number; size: number } | undefined,
): Promise<ScoresColumns | undefined> {
  if (!(await blocks.next())) return undefined;
  const header = blocks.header();
  const allowed = new Set<string>(["unit_id", "action", ...SCORE_COLUMNS]);
  if (new Set(header).size !== header.length || header.some((h) => !allowed.has(h))) return undefined;
  if (!["unit_id", "action", "tau_value", "tau_cost"].every((c) => header.includes(c))) return undefined;
  const present = SCORE_COLUMNS.filter((c) => header.includes(c));
  // Each column's role: ID, ACTION, or its place among the numbers.
  const layout: ScoresLayout = {
    kinds: Int32Array.from(header, (h) =>
      h === "unit_id" ? ID : h === "action" ? ACTION : present.indexOf(h as (typeof present)[number]),
    ),
    numbers: present.length,
    control,
  };
  // The second half starts now, on another core, while this thread parses the first.
  const tail =
    split !== undefined && split.cut < split.size
      ? scoresPartInWorker({ file, from: split.cut, to: split.size, layout })
      : undefined;
  try {
    // Columns sized for the whole file, so the second half's rows append in place.
    const head = await parseScoresLines(blocks, layout, split?.size ?? blocks.size);
    if (head === undefined) return undefined;
    const later = tail === undefined ? undefined : await tail.result;
    if (tail !== undefined && later === undefined) return undefined;
    const all = later === undefined ? head : appendPart(head, later);
    if (all.rows === 0) return undefined;
    let clean = true;
    const arrays = scatterScores(
      all.rows,
      all.unitOf,
      all.actionOf,
      all.values,
      all.units,
      all.actions,
      control,
      () => {
        clean = false;
      },
      () => true,
    );
    if (!clean) return undefined;
    return scoresFromArrays(file, all.units, all.actions, present, arrays);
  } finally {
    // An issue in the first half (or a file that is not plain): the second is not needed.
    tail?.cancel();
  }
}
