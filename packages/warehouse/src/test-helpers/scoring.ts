import { createRng, denseMatrix } from "@cia/core";
import { HistGradientBoosting, type HistGradientBoostingModel } from "@cia/learners";
import type { LoadColumn } from "../engine.js";

/** Features with missing values (NaN), a model fitted on them, and the table holding them. */
export function scoringFixture(
  loss: "squared_error" | "logistic",
  n = 3000,
): {
  model: HistGradientBoostingModel;
  columns: LoadColumn[];
  x: ReturnType<typeof denseMatrix>;
} {
  const rng = createRng(loss === "logistic" ? 3 : 4);
  const m = 4;
  const x = denseMatrix(n, m);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) x.data[i * m + j] = rng.next() < 0.05 ? Number.NaN : rng.normal();
    const s = (x.data[i * m] || 0) * 1.5 - (x.data[i * m + 1] || 0) + 0.5 * (x.data[i * m + 2] || 0) ** 2;
    y[i] = loss === "logistic" ? (rng.next() < 1 / (1 + Math.exp(-s)) ? 1 : 0) : s + rng.normal(0, 0.3);
  }
  const model = new HistGradientBoosting({ loss, maxIter: 30, learningRate: 0.2, maxLeafNodes: 15 }).fit(
    x,
    y,
  );
  const columns: LoadColumn[] = [
    { name: "unit_id", type: "bigint", values: Float64Array.from({ length: n }, (_, i) => i * 3 + 1) },
  ];
  for (let j = 0; j < m; j++)
    columns.push({
      name: `x${j}`,
      type: "double",
      values: Float64Array.from({ length: n }, (_, i) => x.data[i * m + j]!),
    });
  return { model, columns, x };
}
