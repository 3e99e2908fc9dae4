// Internal to the package.
import { stat } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import { PlainCsvBlocks } from "./plain-csv-blocks.js";
import { ACTION, appendPart, ID, parseScoresLines, type ScoresLayout } from "./scores-csv-part.js";
import { claimFront, closeClaims, claimedFront, rangeClaims } from "./range-claims.js";
import { scoresRangesInWorker } from "./scores-part-thread.js";
import { scatterScores } from "./scatter-scores.js";
import { scoresFromArrays } from "./scores-from-arrays.js";
import { type OnScoresRows, SCORE_COLUMNS, type ScoresColumns } from "./scores-columns.js";

/** From this many bytes a worker thread parses ranges too (a worker starts in ~40 ms). */
const PARALLEL_FROM = 32 << 20;
/** Bytes per range: a thread that is not given a core holds back at most one of these. */
const RANGE_BYTES = 8 << 20;

/** Options of {@link readScoresCsv} (tests). */
export interface ReadScoresCsvOptions {
  /** Bytes from which a worker thread parses ranges too (default 32 MiB). */
  parallelFrom?: number;
  /** Bytes per range (default 8 MiB). */
  rangeBytes?: number;
  /**
   * Hears of the rows as they become final, in file order (see `ScoresRows`): block by block as
   * this thread parses the ranges that start the file, then each range of the worker's as it is
   * appended. Called only for rows of the plain reader: when it gives up (undefined), drop them.
   */
  onRows?: OnScoresRows | undefined;
}

/** Where the ranges of a file split between two threads start and end, and their shared claims. */
interface Ranges {
  /** Range k is `[cuts[k], cuts[k + 1])`; range 0 holds the header. */
  cuts: number[];
  claims: Int32Array;
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
 * A big file is cut at lines into ranges of about 8 MiB: this thread parses them from the front, a
 * worker thread (see `scoresRangesInWorker`) from the back, each taking the next one as it is
 * done, so the work splits by the cores each thread actually gets (a busy machine's other core
 * costs at most one range's wait). The worker's ranges are appended in file order, their units and
 * actions renumbered after the ones before: the same answer as one pass.
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
  const ranges =
    size > 0 && size >= (options.parallelFrom ?? PARALLEL_FROM) && twoThreads()
      ? await cutRanges(file, size, options.rangeBytes ?? RANGE_BYTES).catch(() => undefined)
      : undefined;
  const onRows = options.onRows;
  if (ranges === undefined)
    return PlainCsvBlocks.parse(file, (blocks) => parse(file, blocks, control, onRows));
  // This thread starts on range 0 and claims the next from the front as its reads reach each end.
  const extend = () => {
    const k = claimFront(ranges.claims);
    return k < 0 ? undefined : ranges.cuts[k + 1];
  };
  return PlainCsvBlocks.parse(file, (blocks) => parse(file, blocks, control, onRows, ranges), {
    from: 0,
    to: ranges.cuts[1]!,
    extend,
  });
}

/**
 * Whether a worker thread is likely to get a core of its own: more than one core, and the last
 * minute's load average leaves at least half of one free (on a machine whose other cores are busy,
 * two threads of ours only share one core, and the worker's start and the merge are lost).
 * `CIA_CSV_THREADS=1` or `2` decides instead.
 */
function twoThreads(): boolean {
  const forced = process.env.CIA_CSV_THREADS;
  if (forced === "1" || forced === "2") return forced === "2";
  const cores = availableParallelism();
  return cores > 1 && loadavg()[0]! < cores - 0.5;
}

/** The file's ranges, cut at line starts; undefined when a cut finds no line start (long lines). */
async function cutRanges(file: string, size: number, bytes: number): Promise<Ranges | undefined> {
  const count = Math.max(2, Math.min(1 << 14, Math.ceil(size / bytes)));
  const cuts = [0];
  for (let k = 1; k < count; k++) {
    const at = await PlainCsvBlocks.lineStart(file, Math.max(cuts[k - 1]!, Math.floor((size * k) / count)));
    if (at === undefined) return undefined;
    cuts.push(Math.min(at, size));
  }
  cuts.push(size);
  return { cuts, claims: rangeClaims(count, 1) };
}

async function parse(
  file: string,
  blocks: PlainCsvBlocks,
  control: string,
  onRows: OnScoresRows | undefined,
  ranges?: Ranges,
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
  // The worker starts now, on another core, claiming ranges from the back.
  const tail =
    ranges === undefined
      ? undefined
      : scoresRangesInWorker({ file, cuts: ranges.cuts, claims: ranges.claims, layout });
  try {
    // Columns sized for the whole file, so the worker's rows append in place.
    const report = onRows && { report: onRows, present };
    const head = await parseScoresLines(blocks, layout, ranges?.cuts.at(-1) ?? blocks.size, report);
    if (head === undefined) return undefined;
    let all = head;
    if (tail !== undefined && ranges !== undefined) {
      const parts = await tail.collect();
      if (parts === undefined) return undefined;
      for (let k = claimedFront(ranges.claims); k < ranges.cuts.length - 1; k++) {
        const from = all.rows;
        all = appendPart(all, parts.get(k)!);
        if (onRows !== undefined && all.rows > from)
          onRows({
            from,
            to: all.rows,
            unitOf: all.unitOf,
            actionOf: all.actionOf,
            values: all.values,
            present,
          });
      }
    }
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
    // Done, or an issue found (a file that is not plain, say): nothing more to claim or parse.
    if (ranges !== undefined) closeClaims(ranges.claims);
    tail?.cancel();
  }
}
