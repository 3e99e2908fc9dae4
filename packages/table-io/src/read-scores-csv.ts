// Internal to the package.
import { asciiString } from "./ascii-string.js";
import { ByteInterner } from "./byte-interner.js";
import { DecimalScanner } from "./decimal-bytes.js";
import { FirstSeen } from "./first-seen.js";
import { NotPlain, PlainCsvBlocks } from "./plain-csv-blocks.js";
import { scatterScores } from "./scatter-scores.js";
import { scoresFromArrays } from "./scores-from-arrays.js";
import { SCORE_COLUMNS, type ScoresColumns } from "./scores-columns.js";

/** The CSV readers' number rule on a cell's text: a decimal once trimmed, else NaN (no hex, no `Infinity`). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const ID = -1;
const ACTION = -2;

/** True when a cell's edge byte needs no trim: printable ASCII, not a space. */
function solid(c: number): boolean {
  return c > 32 && c < 127;
}

/** A cell's text, trimmed as the row reader trims (only when an edge byte could be a space). */
function cellText(buf: Buffer, s: number, e: number, ascii: boolean): string {
  const text = ascii ? asciiString(buf, s, e) : buf.toString("utf8", s, e);
  return e > s && solid(buf[s]!) && solid(buf[e - 1]!) ? text : text.trim();
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
 * @example
 * const s = (await readScoresCsv("scores.csv", "control")) ?? (await rowReader("scores.csv"));
 */
export async function readScoresCsv(file: string, control: string): Promise<ScoresColumns | undefined> {
  const blocks = await PlainCsvBlocks.open(file);
  if (blocks === undefined) return undefined;
  try {
    return await parse(file, blocks, control);
  } catch (e) {
    if (e instanceof NotPlain) return undefined;
    throw e;
  } finally {
    await blocks.close();
  }
}

async function parse(
  file: string,
  blocks: PlainCsvBlocks,
  control: string,
): Promise<ScoresColumns | undefined> {
  if (!(await blocks.next())) return undefined;
  const header = blocks.header();
  const allowed = new Set<string>(["unit_id", "action", ...SCORE_COLUMNS]);
  if (new Set(header).size !== header.length || header.some((h) => !allowed.has(h))) return undefined;
  if (!["unit_id", "action", "tau_value", "tau_cost"].every((c) => header.includes(c))) return undefined;
  const present = SCORE_COLUMNS.filter((c) => header.includes(c));
  // Each column's role: ID, ACTION, or its place among the numbers.
  const kinds = Int32Array.from(header, (h) =>
    h === "unit_id" ? ID : h === "action" ? ACTION : present.indexOf(h as (typeof present)[number]),
  );
  const width = kinds.length;
  const units = new FirstSeen();
  const actions = new FirstSeen();
  const actionBytes = new ByteInterner<number>();
  const dec = new DecimalScanner();
  // Sized from the first block's bytes per row, grown by doubling if that was low.
  let cap = 0;
  let unitOf = new Int32Array(0);
  let actionOf = new Int32Array(0);
  let values: Float64Array[] = [];
  let rows = 0;
  // The last unit's id bytes: a unit's rows are consecutive, so its id is decoded once.
  let lastId = new Uint8Array(64);
  let lastLen = -1;
  let lastU = -1;
  let lastSlot = -1;
  let firstBlock = true;
  do {
    const buf = blocks.buf;
    const end = blocks.end;
    let p = blocks.start;
    if (firstBlock) {
      const lines = countLines(buf, p, end);
      const perRow = lines > 0 ? Math.max(1, (end - p) / lines) : 64;
      cap = Math.ceil((blocks.size / perRow) * 1.02) + 16;
      unitOf = new Int32Array(cap);
      actionOf = new Int32Array(cap);
      values = present.map(() => new Float64Array(cap));
      firstBlock = false;
    }
    while (p < end) {
      if (rows === cap) {
        cap *= 2;
        unitOf = grown(unitOf, cap);
        actionOf = grown(actionOf, cap);
        values = values.map((v) => grown(v, cap));
      }
      // A blank line is skipped by the row reader but still counted in its line numbers.
      if (buf[p] === 10) return undefined;
      for (let j = 0; j < width; j++) {
        const kind = kinds[j]!;
        const last = j === width - 1;
        const s = p;
        let c: number;
        if (kind >= 0) {
          const out = values[kind]!;
          p = dec.scanTo(buf, s, out, rows);
          c = p < 0 ? 0 : buf[p]!;
          if (c !== 44 && c !== 10) {
            // Not a bare decimal (spaces around it, or no number): the trimmed text decides.
            p = s;
            c = buf[p]!;
            while (c !== 44 && c !== 10) c = buf[++p]!;
            const t = cellText(buf, s, p, false);
            out[rows] = DECIMAL.test(t) ? Number(t) : Number.NaN;
          }
          if (!Number.isFinite(out[rows]!)) return undefined;
        } else {
          let ascii = 0;
          c = buf[p]!;
          while (c !== 44 && c !== 10) {
            ascii |= c;
            c = buf[++p]!;
          }
          const len = p - s;
          if (kind === ID) {
            let i = 0;
            if (len === lastLen) while (i < len && lastId[i] === buf[s + i]) i++;
            if (i !== len || len !== lastLen) {
              const id = cellText(buf, s, p, ascii < 128);
              if (id === "") return undefined;
              lastU = units.indexOf(id);
              if (len > lastId.length) lastId = new Uint8Array(len * 2);
              // By hand: Buffer#copy's call into C++ costs more than an id's few bytes.
              for (i = 0; i < len; i++) lastId[i] = buf[s + i]!;
              lastLen = len;
            }
            unitOf[rows] = lastU;
          } else {
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
        }
        // Exactly `width` cells: a comma between them, the line's end after the last.
        if (c !== (last ? 10 : 44)) return undefined;
        p++;
      }
      rows++;
    }
  } while (await blocks.next());
  if (rows === 0) return undefined;
  let clean = true;
  const arrays = scatterScores(
    rows,
    unitOf,
    actionOf,
    values,
    units.keys,
    actions.keys,
    control,
    () => {
      clean = false;
    },
    () => true,
  );
  if (!clean) return undefined;
  return scoresFromArrays(file, units.keys, actions.keys, present, arrays);
}

function countLines(buf: Buffer, s: number, e: number): number {
  let n = 0;
  for (let p = buf.indexOf(10, s); p >= 0 && p < e; p = buf.indexOf(10, p + 1)) n++;
  return n;
}

function grown<T extends Int32Array | Float64Array>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}
