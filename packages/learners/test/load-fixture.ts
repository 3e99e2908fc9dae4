import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { denseMatrix } from "@cia/core";
import type { DenseMatrix } from "@cia/core";

const dir = resolve(dirname(fileURLToPath(import.meta.url)), "fixtures");

export interface SklearnFixture {
  columns: Record<string, Float64Array>;
  nTrain: number;
  nTest: number;
  // biome-ignore lint/suspicious/noExplicitAny: parsed reference JSON, shape documented in fixtures/README.md
  reference: Record<string, any>;
}

let cached: SklearnFixture | undefined;

/** The committed sklearn fixture (see fixtures/README.md). */
export function sklearnFixture(): SklearnFixture {
  if (cached) return cached;
  const lines = readFileSync(resolve(dir, "sklearn-data.csv"), "utf8").trim().split("\n");
  const header = lines[0]!.split(",");
  const columns: Record<string, Float64Array> = {};
  for (const h of header) columns[h] = new Float64Array(lines.length - 1);
  for (let i = 1; i < lines.length; i++) {
    const parts = lines[i]!.split(",");
    header.forEach((h, j) => {
      columns[h]![i - 1] = Number(parts[j]);
    });
  }
  const reference = JSON.parse(readFileSync(resolve(dir, "sklearn-reference.json"), "utf8"));
  cached = { columns, nTrain: reference.n_train, nTest: reference.n_test, reference };
  return cached;
}

/** Rows [from, to) of the named columns as a row-major matrix. */
export function matrixOf(fx: SklearnFixture, names: string[], from: number, to: number): DenseMatrix {
  const m = denseMatrix(to - from, names.length);
  for (let i = from; i < to; i++) {
    for (let j = 0; j < names.length; j++) m.set(i - from, j, fx.columns[names[j]!]![i]!);
  }
  return m;
}
