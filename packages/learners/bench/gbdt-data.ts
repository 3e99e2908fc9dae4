/**
 * Loads the GBDT reference data (reference.md section 5) for the benchmark: regenerates the CSVs
 * with the exact numpy recipe when missing (gen-gbdt-data.py, /usr/bin/python3), parses them once
 * and caches the parsed values as raw float64 files beside them (bench/.data is gitignored).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { denseMatrix } from "@cia/core";
import type { DenseMatrix } from "@cia/core";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, "../../..");
export const gbdtDataDir = resolve(repoRoot, "bench/.data/gbdt");

export interface Dataset {
  x: DenseMatrix;
  y: Float64Array;
}

export function ensureCsvs(): boolean {
  const need = ["test_200k.csv", "train_100k.csv", "train_1m.csv"];
  if (need.every((f) => existsSync(resolve(gbdtDataDir, f)))) return true;
  process.stderr.write("generating the GBDT reference CSVs (about 40 s)...\n");
  const r = spawnSync("/usr/bin/python3", [resolve(here, "gen-gbdt-data.py"), gbdtDataDir], {
    stdio: "inherit",
  });
  return r.status === 0 && need.every((f) => existsSync(resolve(gbdtDataDir, f)));
}

/** Parse a numeric CSV with a header (last column = target) into x (row-major) and y. */
function parseCsv(text: string): { rows: number; cols: number; values: Float64Array } {
  const firstNl = text.indexOf("\n");
  const cols = text.slice(0, firstNl).split(",").length;
  let rows = 0;
  for (let i = firstNl + 1; i < text.length; i++) if (text.charCodeAt(i) === 10) rows++;
  if (text.charCodeAt(text.length - 1) !== 10) rows++;
  const values = new Float64Array(rows * cols);
  let k = 0;
  let start = firstNl + 1;
  for (let i = start; i <= text.length; i++) {
    const ch = i < text.length ? text.charCodeAt(i) : 10;
    if (ch === 44 || ch === 10) {
      if (i > start) values[k++] = Number(text.slice(start, i));
      start = i + 1;
    }
  }
  if (k !== rows * cols) throw new Error(`parsed ${k} values, expected ${rows * cols}`);
  return { rows, cols, values };
}

export function loadDataset(name: string): Dataset {
  const csv = resolve(gbdtDataDir, `${name}.csv`);
  const bin = resolve(gbdtDataDir, `${name}.f64`);
  let rows: number;
  let cols: number;
  let values: Float64Array;
  if (existsSync(bin)) {
    const buf = readFileSync(bin);
    const all = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
    rows = all[0]!;
    cols = all[1]!;
    values = all.slice(2);
  } else {
    ({ rows, cols, values } = parseCsv(readFileSync(csv, "utf8")));
    const out = new Float64Array(values.length + 2);
    out[0] = rows;
    out[1] = cols;
    out.set(values, 2);
    writeFileSync(bin, new Uint8Array(out.buffer));
  }
  const p = cols - 1;
  const x = new Float64Array(rows * p);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    x.set(values.subarray(i * cols, i * cols + p), i * p);
    y[i] = values[i * cols + p]!;
  }
  return { x: denseMatrix(rows, p, x), y };
}
