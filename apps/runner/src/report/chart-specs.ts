import type { ChartSpec } from "./render-chart.js";

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
      color: { field: "series", type: "nominal", title: null, legend: { orient: "bottom", columns: 2 } },
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
        legend: bars.some((b) => b.group) ? { orient: "bottom" } : null,
      },
    },
  };
}
