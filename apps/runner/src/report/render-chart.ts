import * as vega from "vega";
import * as vl from "vega-lite";

/** A Vega-Lite spec (kept loose: vega-lite's own type is very wide). */
export type ChartSpec = Record<string, unknown>;

/**
 * Render a Vega-Lite spec to an SVG string in Node, without a browser (vega's headless view with
 * the "none" renderer). The SVG is inlined into the self-contained report.
 *
 * @example
 * const svg = await renderChart({ data: { values: [{ x: 1, y: 2 }] }, mark: "point",
 *   encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } });
 */
export async function renderChart(
  spec: ChartSpec,
  size: { width?: number; height?: number } = {},
): Promise<string> {
  const full = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: size.width ?? 460,
    height: size.height ?? 260,
    // Saturated, distinguishable category colors on every chart.
    config: { range: { category: { scheme: "tableau10" } } },
    ...spec,
  };
  const compiled = vl.compile(full as unknown as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
