// The rows of a plain CSV scores file in one byte range, parsed in place: the work either thread of
// `readScoresCsv` does. Relative imports only (a worker loads this file on its own). Internal to
// the package.
import { ByteInterner } from "./byte-interner.js";
import { cellText, numberCell } from "./csv-text-cell.js";
import { DecimalScanner } from "./decimal-bytes.js";
import { FirstSeen } from "./first-seen.js";
import { PlainCsvBlocks } from "./plain-csv-blocks.js";
import { estimateRows, grown } from "./row-capacity.js";
import type { OnScoresRows } from "./scores-columns.js";

/** A cell's role in {@link ScoresLayout.kinds}: the unit id. */
export const ID = -1;
/** A cell's role in {@link ScoresLayout.kinds}: the action. */
export const ACTION = -2;

/** What the header says about every line: each cell's role and the number of score columns. */
export interface ScoresLayout {
  /** Per cell: {@link ID}, {@link ACTION}, or its place among the score columns. */
  kinds: Int32Array;
  /** Score columns present. */
  numbers: number;
  /** The no-offer action: a row of it sends the file to the row reader. */
  control: string;
}

/**
 * A range's rows: row r is unit `unitOf[r]` (an index into `units`, numbered in the range's order
 * of first appearance), action `actionOf[r]` (into `actions`), `values[k][r]`. The arrays may be
 * longer than `rows`.
 */
export interface ScoresPart {
  rows: number;
  unitOf: Int32Array;
  actionOf: Int32Array;
  values: Float64Array[];
  units: string[];
  /** `units[0, unitsSorted)` are in increasing order (ids sorted, as `cia score` writes them). */
  unitsSorted: number;
  actions: string[];
}

/** A part parsed in this thread: its numbering too, for {@link appendPart} to extend (never posted). */
export interface LocalScoresPart extends ScoresPart {
  unitIndex: FirstSeen;
  actionIndex: FirstSeen;
}

/**
 * The rows of `blocks` (its current block and every later one) under `layout`, or undefined as
 * soon as anything is off (a blank line, a ragged row, an empty id or action, a control row, a
 * number that is not finite): the caller's row reader then reports it. `expectBytes` sizes the
 * columns (the bytes whose rows they will hold), so a caller that appends another range's rows
 * need not grow them. `onRows` (the range that starts the file only: its numbering is final) hears
 * of each block's rows once parsed, `present` naming the score columns.
 *
 * @example
 * const part = (await blocks.next()) ? parseScoresLines(blocks, layout, blocks.size) : undefined;
 */
export async function parseScoresLines(
  blocks: PlainCsvBlocks,
  layout: ScoresLayout,
  expectBytes: number,
  onRows?: { report: OnScoresRows; present: readonly string[] },
): Promise<LocalScoresPart | undefined> {
  const { kinds, control } = layout;
  const width = kinds.length;
  const units = new FirstSeen();
  const actions = new FirstSeen();
  const actionBytes = new ByteInterner<number>();
  const dec = new DecimalScanner();
  // Sized from the first block's bytes per row, grown by doubling if that was low.
  let cap = estimateRows(blocks.buf, blocks.start, blocks.end, expectBytes);
  let unitOf: Int32Array = new Int32Array(cap);
  let actionOf: Int32Array = new Int32Array(cap);
  let values: Float64Array[] = Array.from({ length: layout.numbers }, () => new Float64Array(cap));
  let rows = 0;
  // The last unit's id bytes: a unit's rows are consecutive, so its id is decoded once.
  let lastId = new Uint8Array(64);
  let lastLen = -1;
  let lastU = -1;
  let lastSlot = -1;
  let reported = 0;
  do {
    const buf = blocks.buf;
    const end = blocks.end;
    let p = blocks.start;
    while (p < end) {
      if (rows === cap) ({ cap, unitOf, actionOf, values } = doubled(cap, unitOf, actionOf, values));
      // A blank line is skipped by the row reader but still counted in its line numbers.
      if (buf[p] === 10) return undefined;
      for (let j = 0; j < width; j++) {
        const kind = kinds[j]!;
        const last = j === width - 1;
        const s = p;
        let c: number;
        if (kind >= 0) {
          const out = values[kind]!;
          p = numberCell(dec, buf, s, out, rows);
          c = buf[p]!;
          if (!Number.isFinite(out[rows]!)) return undefined;
        } else if (kind === ID) {
          // The cell's end, its bytes' high bits and whether it repeats the last id, in one pass.
          let ascii = 0;
          let differs = 0;
          const room = lastId.length;
          c = buf[p]!;
          while (c !== 44 && c !== 10) {
            ascii |= c;
            const i = p - s;
            differs |= i < room ? c ^ lastId[i]! : 1;
            c = buf[++p]!;
          }
          const len = p - s;
          if (differs !== 0 || len !== lastLen) {
            const id = cellText(buf, s, p, ascii < 128);
            if (id === "") return undefined;
            lastU = units.indexOf(id);
            if (len > lastId.length) lastId = new Uint8Array(len * 2);
            // By hand: Buffer#copy's call into C++ costs more than an id's few bytes.
            for (let i = 0; i < len; i++) lastId[i] = buf[s + i]!;
            lastLen = len;
          }
          unitOf[rows] = lastU;
        } else {
          // Mostly the action after the last row's (a unit's rows cycle through them in order):
          // its bytes and the delimiter after them, checked in one pass.
          const next = actionBytes.endOf(buf, s, lastSlot + 1);
          if (next >= 0) {
            p = next;
            c = buf[p]!;
            lastSlot = lastSlot + 1 < actionBytes.values.length ? lastSlot + 1 : 0;
            actionOf[rows] = actionBytes.values[lastSlot]!;
            if (c !== (last ? 10 : 44)) return undefined;
            p++;
            continue;
          }
          let ascii = 0;
          c = buf[p]!;
          while (c !== 44 && c !== 10) {
            ascii |= c;
            c = buf[++p]!;
          }
          let slot = actionBytes.find(buf, s, p, lastSlot + 1);
          if (slot < 0) {
            const name = cellText(buf, s, p, ascii < 128);
            if (name === "" || name === control) return undefined;
            const k = actions.indexOf(name);
            actionBytes.remember(buf, s, p, k);
            slot = actionBytes.find(buf, s, p);
            actionOf[rows] = slot < 0 ? k : actionBytes.values[slot]!;
          } else actionOf[rows] = actionBytes.values[slot]!;
          lastSlot = slot;
        }
        // Exactly `width` cells: a comma between them, the line's end after the last.
        if (c !== (last ? 10 : 44)) return undefined;
        p++;
      }
      rows++;
    }
    if (onRows !== undefined && rows > reported) {
      onRows.report({ from: reported, to: rows, unitOf, actionOf, values, present: onRows.present });
      reported = rows;
    }
  } while (await blocks.next());
  return localPart(rows, unitOf, actionOf, values, units, actions);
}

/** The columns of a part grown to twice `cap` rows (the rows outgrew the estimate). */
function doubled(
  cap: number,
  unitOf: Int32Array,
  actionOf: Int32Array,
  values: Float64Array[],
): { cap: number; unitOf: Int32Array; actionOf: Int32Array; values: Float64Array[] } {
  const twice = cap * 2;
  return {
    cap: twice,
    unitOf: grown(unitOf, twice),
    actionOf: grown(actionOf, twice),
    values: values.map((v) => grown(v, twice)),
  };
}

function localPart(
  rows: number,
  unitOf: Int32Array,
  actionOf: Int32Array,
  values: Float64Array[],
  units: FirstSeen,
  actions: FirstSeen,
): LocalScoresPart {
  return {
    rows,
    unitOf,
    actionOf,
    values,
    units: units.keys,
    unitsSorted: units.sortedPrefix,
    actions: actions.keys,
    unitIndex: units,
    actionIndex: actions,
  };
}

/**
 * `later`'s rows appended to `first`'s (the range before it): its units and actions renumbered in
 * the order of first appearance over both ranges, as one pass over the whole file numbers them.
 * `first`'s arrays and numbering are reused (extended in place).
 *
 * @example
 * const whole = appendPart(head, tail);
 */
export function appendPart(first: LocalScoresPart, later: ScoresPart): LocalScoresPart {
  const units = first.unitIndex;
  const actions = first.actionIndex;
  const unitAt = units.indexAll(later.units, later.unitsSorted);
  const actionAt = actions.indexAll(later.actions, 0);
  const at = first.rows;
  const rows = at + later.rows;
  const roomy = <T extends Int32Array | Float64Array>(a: T): T => (a.length >= rows ? a : grown(a, rows));
  const unitOf = roomy(first.unitOf);
  const actionOf = roomy(first.actionOf);
  const values = first.values.map(roomy);
  for (let r = 0; r < later.rows; r++) {
    unitOf[at + r] = unitAt[later.unitOf[r]!]!;
    actionOf[at + r] = actionAt[later.actionOf[r]!]!;
  }
  for (let k = 0; k < values.length; k++) values[k]!.set(later.values[k]!.subarray(0, later.rows), at);
  return localPart(rows, unitOf, actionOf, values, units, actions);
}

/** A byte range of a scores file to parse, and how (a worker's job). */
export interface ScoresPartJob {
  file: string;
  from: number;
  to: number;
  layout: ScoresLayout;
}

/**
 * The rows of `job`'s byte range (lines only, no header), or undefined when the range is not plain
 * or anything in it is off (see {@link parseScoresLines}).
 *
 * @example
 * const tail = await readScoresPart({ file, from: cut, to: size, layout });
 */
export async function readScoresPart(job: ScoresPartJob): Promise<LocalScoresPart | undefined> {
  return PlainCsvBlocks.parse(
    job.file,
    async (blocks) =>
      (await blocks.next()) ? parseScoresLines(blocks, job.layout, blocks.size) : emptyPart(job.layout),
    { from: job.from, to: job.to },
  );
}

function emptyPart(layout: ScoresLayout): LocalScoresPart {
  const values = Array.from({ length: layout.numbers }, () => new Float64Array(0));
  return localPart(0, new Int32Array(0), new Int32Array(0), values, new FirstSeen(), new FirstSeen());
}
