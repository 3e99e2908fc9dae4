import type { ExperimentTable } from "@cia/logging-schema";
import type { Population } from "@cia/simulator";

/**
 * A simulator population as a scoring table (features as raw values, categoricals as their levels),
 * plus constant extra columns (the loop adds `period`).
 */
export function populationTable(p: Population, extra: Record<string, number> = {}): ExperimentTable {
  const features: Record<string, (number | string | null)[]> = {};
  const cols = p.features.cols;
  p.featureNames.forEach((f, j) => {
    const levels = p.categorical[f];
    const col: (number | string | null)[] = new Array(p.n);
    for (let i = 0; i < p.n; i++) {
      const v = p.features.data[i * cols + j]!;
      col[i] = levels ? (levels[v] ?? null) : v;
    }
    features[f] = col;
  });
  for (const [name, v] of Object.entries(extra)) features[name] = new Array(p.n).fill(v);
  return {
    file: `period ${p.period} units`,
    n: p.n,
    lines: new Int32Array(p.n),
    unitIds: [...p.unitIds],
    featureNames: [...p.featureNames, ...Object.keys(extra)],
    features,
  };
}

/** Rename a population's units (e.g. a pilot drawn for period 0 beside the loop's own period-0 units). */
export function withUnitPrefix(p: Population, prefix: string): Population {
  return { ...p, unitIds: p.unitIds.map((u) => `${prefix}${u}`) };
}
