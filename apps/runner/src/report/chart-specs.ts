import type { ChartSpec } from "./render-chart.js";

/** Legends below the plot, one entry a line, never truncated (vega's default cuts labels at 160 px). */
const LEGEND = {
  orient: "bottom",
  direction: "vertical",
  labelLimit: 0,
  symbolLimit: 0,
  symbolOpacity: 1,
} as const;

/** A point of a curve in a named series. */
export interface SeriesPoint {
  series: string;
  x: number;
  y: number;
}

/**
 * Lines of several series (gain curves, frontiers, pacing paths).
 *
 * @example
 * lineChart(points, { x: "cumulative incremental cost", y: "cumulative incremental value" });
 */
export function lineChart(
  points: SeriesPoint[],
  axes: { x: string; y: string },
  options: { points?: boolean } = {},
): ChartSpec {
  return {
    data: { values: points },
    mark: { type: "line", point: options.points ?? false, strokeWidth: 2 },
    encoding: {
      x: { field: "x", type: "quantitative", title: axes.x },
      y: { field: "y", type: "quantitative", title: axes.y },
      color: { field: "series", type: "nominal", title: null, legend: LEGEND },
    },
  };
}

/** One calibration bin: mean predicted effect, realized (IPW) effect with interval, and the truth. */
export interface CalibrationPoint {
  bin: number;
  predicted: number;
  realized: number;
  lower: number;
  upper: number;
  truth?: number;
}

/**
 * Predicted against realized uplift per bin with intervals, the truth per bin, and the diagonal.
 *
 * @example
 * calibrationChart(bins, "value");
 */
export function calibrationChart(bins: CalibrationPoint[], head: string): ChartSpec {
  const lo = Math.min(...bins.flatMap((b) => [b.predicted, b.lower, b.truth ?? b.predicted]));
  const hi = Math.max(...bins.flatMap((b) => [b.predicted, b.upper, b.truth ?? b.predicted]));
  return {
    layer: [
      {
        data: {
          values: [
            { x: lo, y: lo },
            { x: hi, y: hi },
          ],
        },
        mark: { type: "line", strokeDash: [4, 4], color: "#999" },
        encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
      },
      {
        data: { values: bins },
        mark: { type: "rule", color: "#4c78a8" },
        encoding: {
          x: { field: "predicted", type: "quantitative", title: `predicted ${head} uplift (bin mean)` },
          y: { field: "lower", type: "quantitative", title: `realized ${head} uplift` },
          y2: { field: "upper" },
        },
      },
      {
        data: { values: bins },
        mark: { type: "point", filled: true, color: "#4c78a8", size: 50 },
        encoding: {
          x: { field: "predicted", type: "quantitative" },
          y: { field: "realized", type: "quantitative" },
        },
      },
      {
        data: { values: bins.filter((b) => b.truth !== undefined) },
        mark: { type: "point", shape: "diamond", color: "#e45756", size: 45 },
        encoding: {
          x: { field: "predicted", type: "quantitative" },
          y: { field: "truth", type: "quantitative" },
        },
      },
    ],
  };
}

/** One estimate of a policy's value by one estimator, with its interval and the true value. */
export interface EstimatePoint {
  policy: string;
  estimator: string;
  estimate: number;
  lower: number;
  upper: number;
  truth: number;
}

/**
 * OPE estimates with intervals per policy and estimator, against the simulator's truth (red ticks).
 *
 * @example
 * opeChart(points, "incremental value per unit");
 */
export function opeChart(points: EstimatePoint[], measure: string): ChartSpec {
  return {
    data: { values: points },
    facet: {
      row: { field: "policy", type: "nominal", title: null, header: { labelAngle: 0, labelAlign: "left" } },
    },
    spec: {
      width: 420,
      height: 70,
      layer: [
        {
          mark: { type: "rule" },
          encoding: {
            y: { field: "estimator", type: "nominal", title: null },
            x: { field: "lower", type: "quantitative", title: measure },
            x2: { field: "upper" },
          },
        },
        {
          mark: { type: "point", filled: true, size: 45 },
          encoding: {
            y: { field: "estimator", type: "nominal" },
            x: { field: "estimate", type: "quantitative" },
          },
        },
        {
          mark: { type: "tick", color: "#e45756", thickness: 2, size: 60 },
          encoding: { x: { field: "truth", type: "quantitative" } },
        },
      ],
    },
    resolve: { scale: { x: "shared" } },
  };
}

/**
 * Grouped bars (e.g. true value of each policy), with an optional error interval.
 *
 * @example
 * barChart([{ label: "optimizer", value: 12 }], "true incremental value per unit");
 */
export function barChart(
  bars: { label: string; value: number; group?: string }[],
  measure: string,
): ChartSpec {
  return {
    data: { values: bars },
    mark: "bar",
    encoding: {
      y: { field: "label", type: "nominal", title: null, sort: null },
      x: { field: "value", type: "quantitative", title: measure },
      color: {
        field: "group",
        type: "nominal",
        title: null,
        legend: bars.some((b) => b.group) ? LEGEND : null,
      },
    },
  };
}

/** A policy's estimated incremental cost and value per unit, with intervals on both. */
export interface SpendPoint {
  policy: string;
  cost: number;
  costLower: number;
  costUpper: number;
  value: number;
  valueLower: number;
  valueUpper: number;
  /** The recommended policy (the operating point), drawn larger and labelled. */
  recommended?: boolean;
}

/**
 * Value for spend: every policy at (incremental cost, incremental value) per unit with interval
 * bars in both directions, an optional frontier line (a rule across budgets), the budget as a
 * vertical rule and the operating point (the recommended policy) circled and labelled. A bar of
 * value alone flatters the policies that spend most; this view does not.
 *
 * @example
 * valueForSpendChart(points, { frontier, budget: 0.78, units: { value: "$", cost: "$" } });
 */
export function valueForSpendChart(
  points: SpendPoint[],
  options: {
    frontier?: { x: number; y: number; series: string }[];
    budget?: number;
    xTitle?: string;
    yTitle?: string;
    /** Clip the cost axis to this range (a zoom on the policies near the budget). */
    xDomain?: [number, number];
    /** Every policy name, so colors and shapes match across charts that show a subset. */
    policies?: string[];
  } = {},
): ChartSpec {
  const domain = options.policies ? { scale: { domain: options.policies } } : {};
  const scale = options.xDomain ? { domain: options.xDomain, clamp: true, nice: false } : {};
  const x = {
    field: "cost",
    type: "quantitative",
    title: options.xTitle ?? "incremental cost per unit",
    ...(options.xDomain ? { scale } : {}),
  };
  const y = { field: "value", type: "quantitative", title: options.yTitle ?? "incremental value per unit" };
  const layers: Record<string, unknown>[] = [];
  if (options.frontier?.length)
    layers.push({
      data: { values: options.frontier },
      mark: { type: "line", point: { color: "#777", size: 30 }, strokeDash: [5, 3], color: "#888" },
      encoding: {
        x: { field: "x", type: "quantitative", title: x.title },
        y: { field: "y", type: "quantitative", title: y.title },
        detail: { field: "series" },
      },
    });
  if (options.budget !== undefined)
    layers.push({
      data: { values: [{ budget: options.budget, label: "budget" }] },
      layer: [
        {
          mark: { type: "rule", color: "#e45756", strokeDash: [2, 2] },
          encoding: { x: { field: "budget", type: "quantitative" } },
        },
        {
          mark: { type: "text", color: "#e45756", align: "left", dx: 4, dy: -4, baseline: "top" },
          encoding: {
            x: { field: "budget", type: "quantitative" },
            y: { value: 0 },
            text: { field: "label" },
          },
        },
      ],
    });
  layers.push(
    {
      data: { values: points },
      mark: { type: "rule", strokeWidth: 1.2 },
      encoding: {
        x: { field: "costLower", type: "quantitative", title: x.title },
        x2: { field: "costUpper" },
        y,
        color: { field: "policy", type: "nominal", title: null, legend: LEGEND },
      },
    },
    {
      data: { values: points },
      mark: { type: "rule", strokeWidth: 1.2 },
      encoding: {
        x,
        y: { field: "valueLower", type: "quantitative", title: y.title },
        y2: { field: "valueUpper" },
        color: { field: "policy", type: "nominal" },
      },
    },
    {
      data: { values: points },
      mark: { type: "point", filled: true, size: 80, opacity: 1 },
      encoding: {
        x,
        y,
        color: { field: "policy", type: "nominal", title: null, legend: LEGEND, ...domain },
        shape: { field: "policy", type: "nominal", title: null, legend: LEGEND, ...domain },
      },
    },
    {
      data: { values: points.filter((p) => p.recommended) },
      layer: [
        {
          mark: { type: "point", size: 420, strokeWidth: 2.5, color: "#111", filled: false },
          encoding: { x, y },
        },
        {
          mark: { type: "text", align: "left", dx: 14, dy: -18, fontWeight: "bold" },
          encoding: { x, y, text: { value: "operating point (recommended)" } },
        },
      ],
    },
  );
  return { layer: layers };
}

/** One offer's Qini curve (share targeted, cumulative incremental value). */
export interface QiniPoint {
  offer: string;
  fraction: number;
  qini: number;
}

/**
 * Qini curves per offer with the random-targeting diagonal of each (dashed).
 *
 * @example
 * qiniChart(points);
 */
export function qiniChart(points: QiniPoint[], valueTitle = "cumulative incremental value"): ChartSpec {
  const offers = [...new Set(points.map((p) => p.offer))];
  const random: QiniPoint[] = [];
  for (const o of offers) {
    const pts = points.filter((p) => p.offer === o);
    const last = pts[pts.length - 1]!;
    random.push({ offer: o, fraction: 0, qini: 0 }, { offer: o, fraction: 1, qini: last.qini });
  }
  const x = {
    field: "fraction",
    type: "quantitative",
    title: "share of the offer's holdout rows targeted (model order)",
  };
  const y = { field: "qini", type: "quantitative", title: valueTitle };
  return {
    layer: [
      {
        data: { values: points },
        mark: { type: "line", strokeWidth: 2 },
        encoding: { x, y, color: { field: "offer", type: "nominal", title: null, legend: LEGEND } },
      },
      {
        data: { values: random },
        mark: { type: "line", strokeDash: [4, 4], strokeWidth: 1 },
        encoding: { x, y, color: { field: "offer", type: "nominal" }, detail: { field: "offer" } },
      },
    ],
  };
}
