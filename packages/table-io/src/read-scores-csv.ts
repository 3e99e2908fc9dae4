// Internal to the package.
import { ByteInterner } from "./byte-interner.js";
import { cellText, numberCell } from "./csv-text-cell.js";
import { DecimalScanner } from "./decimal-bytes.js";
import { FirstSeen } from "./first-seen.js";
import { PlainCsvBlocks } from "./plain-csv-blocks.js";
import { estimateRows, grown } from "./row-capacity.js";
import { scatterScores } from "./scatter-scores.js";
import { scoresFromArrays } from "./scores-from-arrays.js";
import { SCORE_COLUMNS, type ScoresColumns } from "./scores-columns.js";

const ID = -1;
const ACTION = -2;

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
  return PlainCsvBlocks.parse(file, (blocks) => parse(file, blocks, control));
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
  let cap = estimateRows(blocks.buf, blocks.start, blocks.end, blocks.size);
  let unitOf = new Int32Array(cap);
  let actionOf = new Int32Array(cap);
  let values = present.map(() => new Float64Array(cap));
  let rows = 0;
  // The last unit's id bytes: a unit's rows are consecutive, so its id is decoded once.
  let lastId = new Uint8Array(64);
  let lastLen = -1;
  let lastU = -1;
  let lastSlot = -1;
  do {
    const buf = blocks.buf;
    const end = blocks.end;
    let p = blocks.start;
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
