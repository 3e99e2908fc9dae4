import type { Interval } from "@cia/core";
import type { Headline } from "../run/headline.js";
import { escapeHtml as esc } from "./escape-html.js";
import { formatAmount } from "./format-amount.js";

/**
 * The headline block of report.html: what to do, for whom, and the DR estimates with intervals
 * (per unit and in total, against no offer and paired against the baseline), ROI, and a verdict
 * in words. Every number carries `data-headline="<path in report.json's headline>"` and
 * `data-value="<the exact number>"`, so a test can check the page against report.json.
 *
 * @example
 * section.html = headlineHtml(result.headline);
 */
export function headlineHtml(h: Headline): string {
  const vu = h.valueUnit;
  const cu = h.costUnit;
  const num = (path: string, x: number, unit: string) =>
    `<span data-headline="${esc(path)}" data-value="${Number.isFinite(x) ? x : ""}">${esc(formatAmount(x, unit))}</span>`;
  const card = (label: string, path: string, x: Interval | null, unit: string, note = "") =>
    x
      ? `<div class="card"><div class="k">${esc(label)}</div><div class="v">${num(`${path}.estimate`, x.estimate, unit)}</div><div class="i">${Math.round(h.level * 100)}% interval ${num(`${path}.lower`, x.lower, unit)} to ${num(`${path}.upper`, x.upper, unit)}${note ? `<br>${esc(note)}` : ""}</div></div>`
      : `<div class="card"><div class="k">${esc(label)}</div><div class="v">n/a</div><div class="i">${esc(note || "not defined: incremental cost is not positive")}</div></div>`;
  const whom = h.forWhom
    .map((w) => `${esc(w.action)} to ${esc(pct(w.share))} (${w.units.toLocaleString("en-US")} units)`)
    .join(", ");
  const verdict = h.beatsBaselineWithConfidence
    ? `<p class="verdict yes">Beats the baseline (${esc(h.baseline)}) with confidence: the ${Math.round(h.level * 100)}% interval of the paired value difference is above 0.</p>`
    : h.recommended === h.baseline
      ? `<p class="verdict no">Keep the baseline (${esc(h.baseline)}): no candidate beat it with confidence on the logged data.</p>`
      : `<p class="verdict no">Not distinguishable from the baseline (${esc(h.baseline)}) at ${Math.round(h.level * 100)}%: the interval of the paired value difference contains 0. Treat the ranking as unproven.</p>`;
  return `<div class="headline">
<p class="do">Do: ${esc(h.recommended)}</p>
<p class="whom">${esc(h.rule)}.</p>
<p class="whom">For whom: ${whom || "nobody"}; no offer to the other ${esc(pct(1 - h.treatedShare))} of the ${h.assignedUnits.toLocaleString("en-US")} assigned units (assignment.csv).</p>
<div class="cards">
${card("Incremental value per unit (vs no offer)", "perUnit.value", h.perUnit.value, vu)}
${card("Incremental cost per unit (vs no offer)", "perUnit.cost", h.perUnit.cost, cu)}
${card("ROI: incremental value per unit of cost", "roi", h.roi, "")}
${card(`Value vs baseline per unit (paired)`, "vsBaseline.value", h.vsBaseline.value, vu, `baseline: ${h.baseline}`)}
${card(`Cost vs baseline per unit (paired)`, "vsBaseline.cost", h.vsBaseline.cost, cu)}
${card(`Total incremental value, ${h.assignedUnits.toLocaleString("en-US")} units`, "total.value", h.total.value, vu)}
${card(`Total incremental cost, ${h.assignedUnits.toLocaleString("en-US")} units`, "total.cost", h.total.cost, cu)}
${card("Total value vs baseline", "total.vsBaselineValue", h.total.vsBaselineValue, vu)}
</div>
${verdict}
<p class="how">Estimated off-policy by ${esc(h.estimator)} (${esc(h.interval)} intervals at ${Math.round(h.level * 100)}%, so the lower end is a one-sided ${Math.round(((1 + h.level) / 2) * 100)}% bound) on the ${esc(h.evaluatedOn)}. Totals are the per-unit estimates times the assigned units. Value and cost are in the data's units${h.valueUnit ? ` (${esc(h.valueUnit)})` : ""}.</p>
</div>`;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
}
