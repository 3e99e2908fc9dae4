import { type DenseMatrix, denseMatrix } from "@cia/core";
import { HistGradientBoosting } from "@cia/learners";
import type { UpliftOptions } from "../src/index.js";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** Read a (gzipped) CSV with a header into columns of strings (quoted fields with commas handled). */
export function readCsv(path: string): { header: string[]; rows: string[][] } {
  const raw = readFileSync(path);
  const text = path.endsWith(".gz") ? gunzipSync(raw).toString("utf8") : raw.toString("utf8");
  const rows: string[][] = [];
  let field = "";
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      field = "";
      rows.push(row);
      row = [];
    } else field += c;
  }
  if (field.length > 0 || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const header = rows.shift()!;
  return { header, rows };
}

export function column(csv: { header: string[]; rows: string[][] }, name: string): string[] {
  const j = csv.header.indexOf(name);
  if (j < 0) throw new Error(`no column ${name}`);
  return csv.rows.map((r) => r[j]!);
}

export function numColumn(csv: { header: string[]; rows: string[][] }, name: string): Float64Array {
  return Float64Array.from(column(csv, name), Number);
}

/** Rows whose `split` column is `name` ("train" / "test"). */
export function splitRows(csv: { header: string[]; rows: string[][] }, name: string): number[] {
  return column(csv, "split")
    .map((s, i) => (s === name ? i : -1))
    .filter((i) => i >= 0);
}

/** The n x p matrix of `columns` (one array per feature) at `rows`. */
export function featureMatrix(columns: readonly ArrayLike<number>[], rows: readonly number[]): DenseMatrix {
  const p = columns.length;
  const m = denseMatrix(rows.length, p);
  rows.forEach((i, q) => {
    for (let j = 0; j < p; j++) m.data[q * p + j] = columns[j]![i]!;
  });
  return m;
}

/** CausalML 0.17's base learner in the benchmarks: sklearn HGB defaults, 100 rounds, no early stopping. */
export const causalmlHgb = (): HistGradientBoosting =>
  new HistGradientBoosting({
    maxIter: 100,
    learningRate: 0.1,
    maxLeafNodes: 31,
    earlyStopping: false,
    seed: 0,
  });

/** One benchmarked configuration: our name, the CausalML learner it is compared with, the options. */
export type Variant = { name: string; ref: string; opts: Omit<UpliftOptions, "value"> };

/** The meta-learner configurations of the CausalML comparisons (synthetic modes, IHDP). */
export const CAUSALML_VARIANTS: Variant[] = [
  { name: "S", ref: "S", opts: { learner: "s" } },
  { name: "T", ref: "T", opts: { learner: "t" } },
  { name: "X", ref: "X", opts: { learner: "x" } },
  { name: "X-drstack", ref: "X", opts: { learner: "x", combine: "dr-stack" } },
  { name: "X-drselect", ref: "X", opts: { learner: "x", combine: "dr-select" } },
  {
    name: "X-drselect-holdout",
    ref: "X",
    opts: { learner: "x", combine: "dr-select", stackSplit: "holdout" },
  },
  { name: "DR", ref: "DR", opts: { learner: "dr" } },
  { name: "DR-cf", ref: "DR", opts: { learner: "dr", drScheme: "cross-fit", crossFitFolds: 3 } },
];
