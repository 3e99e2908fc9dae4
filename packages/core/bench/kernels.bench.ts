import { measure, recordSuite } from "@cia/bench";
import type { CaseResult } from "@cia/bench";
import {
  argsort,
  createRng,
  dot,
  kendall,
  pairwiseSum,
  spearman,
  sum,
  weightedQuantile,
} from "../src/index.js";

const n = 1_000_000;
const rng = createRng("bench-core");
const x = Float64Array.from({ length: n }, () => rng.normal());
const y = Float64Array.from({ length: n }, () => rng.normal());
const w = Float64Array.from({ length: n }, () => rng.uniform(0, 2));

let naive = 0;
const cases: CaseResult[] = [];
async function add(name: string, fn: () => unknown, runs = 9): Promise<void> {
  const m = await measure(fn, { warmup: 2, runs });
  cases.push({
    name,
    median_ms: m.median_ms,
    min_ms: m.min_ms,
    max_ms: m.max_ms,
    runs: m.runs,
    metrics: { n },
  });
}

await add("naive loop sum (baseline)", () => {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  naive = s;
});
await add("sum (compensated)", () => sum(x));
await add("pairwiseSum (numpy)", () => pairwiseSum(x));
await add("dot", () => dot(x, y));
await add("weightedQuantile 3 probs", () => weightedQuantile(x, [0.1, 0.5, 0.9], w), 3);
await add("argsort", () => argsort(x), 3);
await add("spearman", () => spearman(x, y), 3);
await add("kendall", () => kendall(x, y), 3);
await add("rng.normal x 1M", () => {
  const r = createRng(1);
  for (let i = 0; i < n; i++) r.normal();
});
await add("rng.bootstrapIndices(1M)", () => createRng(2).bootstrapIndices(n));

recordSuite({
  suite: "core-kernels",
  description: "Kernels and statistics of @cia/core on 1M Float64 values (single thread).",
  cases,
  notes: [`naive sum ${naive} vs compensated ${sum(x)}`],
});
