// Internal to the package.
import { type ExperimentTable, type RawFeature, experimentHeader, isMissingCell } from "@cia/logging-schema";
import { ByteInterner } from "./byte-interner.js";
import { DECIMAL, cellText, numberCell, rawCellText } from "./csv-text-cell.js";
import { DecimalScanner } from "./decimal-bytes.js";
import { FirstSeen } from "./first-seen.js";
import type { ExperimentChecks } from "./parquet-experiment-reader.js";
import { PlainCsvBlocks } from "./plain-csv-blocks.js";
import { estimateRows, grown } from "./row-capacity.js";

// A column's role (a feature's is its place among the features, >= 0).
const ID = -1;
const ACTION = -2;
const PROPENSITY = -3;
const VALUE = -4;
const COST = -5;
const ROLE: Record<string, number> = {
  unit_id: ID,
  action: ACTION,
  propensity: PROPENSITY,
  value: VALUE,
  cost: COST,
};

/**
 * A feature cell's value from its text, the row reader's rule: missing (see `isMissingCell`) is
 * null, a decimal that is finite a number, anything else the trimmed text.
 */
function featureOfText(text: string): RawFeature {
  if (isMissingCell(text)) return null;
  const t = text.trim();
  const x = DECIMAL.test(t) ? Number(t) : Number.NaN;
  return Number.isFinite(x) ? x : t;
}

/**
 * A feature column of `cap` cells, filled by index: small integers to start with, so the first
 * double turns it into unboxed doubles and the first string or null into plain references, each
 * once (pushing a million cells would copy the column at every growth instead).
 */
function column(cap: number): RawFeature[] {
  return new Array<RawFeature>(cap).fill(0);
}

/**
 * A plain CSV experiment (or scoring) table (see {@link PlainCsvBlocks}) parsed straight from its
 * bytes into the columnar `ExperimentTable` that @cia/logging-schema's row reader builds: reserved
 * numbers into typed arrays as the bytes are scanned, actions and category cells matched by their
 * bytes (one string per distinct value, not per row), numeric features as numbers, no record per
 * row. `undefined` as soon as anything is off (not plain, a header issue or a repeated column, a
 * blank line, a ragged row, an empty id or action, an unknown action, a reserved number that is
 * missing, not finite or out of range, a repeated unit, no rows): the caller's row reader then reads
 * the file and reports every issue with file, line and field, so this reader never describes one.
 * On every file it accepts it returns what the row reader would: the same ids (as written), actions
 * (trimmed) and indices, numbers (correctly rounded, the decimal rule), features (the missing rule,
 * numbers, trimmed text) and lines (a plain file without blank lines has row i on line i + 2).
 *
 * @example
 * const t = (await readExperimentCsv("table.csv", { require: ["action"] })) ?? (await rowReader("table.csv"));
 */
export async function readExperimentCsv(
  file: string,
  checks: ExperimentChecks,
): Promise<ExperimentTable | undefined> {
  return PlainCsvBlocks.parse(file, (blocks) => parse(file, blocks, checks));
}

async function parse(
  file: string,
  blocks: PlainCsvBlocks,
  checks: ExperimentChecks,
): Promise<ExperimentTable | undefined> {
  // A blank first line is skipped by the row reader (the header is on a later line).
  if (!(await blocks.next()) || blocks.buf[blocks.start] === 10) return undefined;
  const header = blocks.header();
  if (new Set(header).size !== header.length) return undefined;
  const { featureNames, issues } = experimentHeader(header, checks);
  if (issues.length > 0) return undefined;
  const kinds = Int32Array.from(header, (h) => ROLE[h] ?? featureNames.indexOf(h));
  const width = kinds.length;
  const has = (role: number) => kinds.includes(role);
  const known = checks.knownActions ? new Map(checks.knownActions.map((a, k) => [a, k])) : undefined;
  const actionIndex = known ?? new Map<string, number>();
  const actionBytes = new ByteInterner<number>();
  // One interner per feature: a category column's few values are decoded once each.
  const featureBytes = featureNames.map(() => new ByteInterner<RawFeature>());
  const lastSlot = new Int32Array(featureNames.length);
  const units = new FirstSeen();
  const dec = new DecimalScanner();
  const one = new Float64Array(1);
  // Sized from the first block's bytes per row, grown by doubling if that was low.
  let cap = estimateRows(blocks.buf, blocks.start, blocks.end, blocks.size);
  let action = new Int32Array(cap);
  let propensity = new Float64Array(cap);
  let value = new Float64Array(cap);
  let cost = new Float64Array(cap);
  let features = featureNames.map(() => column(cap));
  let rows = 0;
  let lastAction = -1;
  do {
    const buf = blocks.buf;
    const end = blocks.end;
    let p = blocks.start;
    while (p < end) {
      if (rows === cap) {
        cap *= 2;
        action = grown(action, cap);
        propensity = grown(propensity, cap);
        value = grown(value, cap);
        cost = grown(cost, cap);
        features = features.map((f) => f.concat(column(cap - rows)));
      }
      // A blank line is skipped by the row reader but still counted in its line numbers.
      if (buf[p] === 10) return undefined;
      for (let j = 0; j < width; j++) {
        const kind = kinds[j]!;
        const s = p;
        let c: number;
        if (kind === PROPENSITY || kind === VALUE || kind === COST) {
          const out = kind === PROPENSITY ? propensity : kind === VALUE ? value : cost;
          p = numberCell(dec, buf, s, out, rows);
          c = buf[p]!;
          const x = out[rows]!;
          if (!Number.isFinite(x)) return undefined;
          // A propensity in (0, 1] with a finite weight 1/p; a cost >= 0.
          if (kind === PROPENSITY && !(x > 0 && x <= 1 && Number.isFinite(1 / x))) return undefined;
          if (kind === COST && x < 0) return undefined;
        } else if (kind >= 0) {
          p = dec.scanTo(buf, s, one, 0);
          c = p < 0 ? 0 : buf[p]!;
          if (c === 44 || c === 10) {
            const x = one[0]!;
            // A decimal too large for a double is text to the row reader (not a finite number).
            features[kind]![rows] = Number.isFinite(x) ? x : cellText(buf, s, p, true);
          } else {
            let ascii = 0;
            p = s;
            c = buf[p]!;
            while (c !== 44 && c !== 10) {
              ascii |= c;
              c = buf[++p]!;
            }
            const seen = featureBytes[kind]!;
            const slot = seen.find(buf, s, p, lastSlot[kind]!);
            if (slot < 0) {
              const v = featureOfText(rawCellText(buf, s, p, ascii < 128));
              seen.remember(buf, s, p, v);
              features[kind]![rows] = v;
            } else {
              lastSlot[kind] = slot;
              features[kind]![rows] = seen.values[slot]!;
            }
          }
        } else {
          let ascii = 0;
          c = buf[s]!;
          while (c !== 44 && c !== 10) {
            ascii |= c;
            c = buf[++p]!;
          }
          if (kind === ID) {
            // The id as written (the row reader keeps it untrimmed), never blank, never repeated.
            const id = rawCellText(buf, s, p, ascii < 128);
            // Blank once trimmed only if it starts with a space (ASCII, or a Unicode one).
            const first = id.charCodeAt(0);
            if (p === s || ((first <= 32 || first >= 128) && id.trim() === "")) return undefined;
            if (units.indexOf(id) !== rows) return undefined;
          } else {
            const slot = actionBytes.find(buf, s, p, lastAction);
            if (slot < 0) {
              const name = cellText(buf, s, p, ascii < 128);
              if (name === "") return undefined;
              let k = actionIndex.get(name);
              if (k === undefined) {
                if (known) return undefined;
                k = actionIndex.size;
                actionIndex.set(name, k);
              }
              actionBytes.remember(buf, s, p, k);
              action[rows] = k;
            } else {
              lastAction = slot;
              action[rows] = actionBytes.values[slot]!;
            }
          }
        }
        // Exactly `width` cells: a comma between them, the line's end after the last.
        if (c !== (j === width - 1 ? 10 : 44)) return undefined;
        p++;
      }
      rows++;
    }
  } while (await blocks.next());
  if (rows === 0) return undefined;
  const toRows = <T extends Int32Array | Float64Array>(a: T): T =>
    a.length === rows ? a : (a.slice(0, rows) as T);
  const lines = new Int32Array(rows);
  for (let i = 0; i < rows; i++) lines[i] = i + 2;
  for (const f of features) f.length = rows;
  const table: ExperimentTable = {
    file,
    n: rows,
    lines,
    unitIds: units.keys,
    featureNames,
    features: Object.fromEntries(featureNames.map((f, k) => [f, features[k]!])),
  };
  if (has(ACTION)) {
    table.action = toRows(action);
    table.actionNames = [...actionIndex.keys()];
  }
  if (has(PROPENSITY)) table.propensity = toRows(propensity);
  if (has(VALUE)) table.value = toRows(value);
  if (has(COST)) table.cost = toRows(cost);
  return table;
}
