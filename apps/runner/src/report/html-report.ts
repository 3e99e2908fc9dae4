import { escapeHtml as esc } from "./escape-html.js";

/** One section of the report: a title, an optional explanation, chart SVGs and tables. */
export interface ReportSection {
  title: string;
  intro?: string;
  /** Trusted HTML built by the report (escaped where it holds data), placed after the intro. */
  html?: string;
  /** Plain-language points shown as a list (caveats, assumptions). */
  bullets?: string[];
  charts?: { title: string; svg: string; caption?: string }[];
  tables?: { title?: string; columns: string[]; rows: (string | number | null)[][] }[];
}

function cell(v: string | number | null): string {
  if (v === null) return "";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a >= 1e6 || a < 1e-3)
      ? v.toExponential(3)
      : Number(v.toPrecision(5)).toLocaleString("en-US", { maximumFractionDigits: 4 });
  }
  return esc(v);
}

/**
 * A self-contained HTML page (inline CSS and SVG, no scripts, no external requests) from sections.
 *
 * @example
 * writeFileAtomic("report.html", htmlReport("CIA run", [{ title: "Policies", tables: [...] }]));
 */
export function htmlReport(
  title: string,
  sections: ReportSection[],
  meta: Record<string, string | number> = {},
): string {
  const metaRows = Object.entries(meta)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${cell(v)}</td></tr>`)
    .join("");
  const body = sections
    .map((s) => {
      const charts = (s.charts ?? [])
        .map(
          (c) =>
            `<figure><figcaption>${esc(c.title)}</figcaption>${c.svg}${c.caption ? `<p class="cap">${esc(c.caption)}</p>` : ""}</figure>`,
        )
        .join("");
      const tables = (s.tables ?? [])
        .map(
          (t) =>
            `${t.title ? `<h3>${esc(t.title)}</h3>` : ""}<div class="table-wrap"><table><thead><tr>${t.columns.map((c) => `<th>${esc(c)}</th>`).join("")}</tr></thead><tbody>${t.rows
              .map(
                (r) =>
                  `<tr>${r.map((v) => `<td${typeof v === "string" ? ' class="t"' : ""}>${cell(v)}</td>`).join("")}</tr>`,
              )
              .join("")}</tbody></table></div>`,
        )
        .join("");
      const bullets = s.bullets?.length
        ? `<ul>${s.bullets.map((b) => `<li>${esc(b)}</li>`).join("")}</ul>`
        : "";
      return `<section><h2>${esc(s.title)}</h2>${s.intro ? `<p>${esc(s.intro)}</p>` : ""}${s.html ?? ""}${bullets}${charts ? `<div class="charts">${charts}</div>` : ""}${tables}</section>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#1d2330;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:1px solid #dde2ea;padding-bottom:.3rem;margin-top:2.2rem}
table{border-collapse:collapse;margin:.6rem 0 1rem;font-variant-numeric:tabular-nums}
th,td{border:1px solid #dde2ea;padding:.25rem .55rem;text-align:right}th{background:#f4f6f9}td:first-child,th:first-child{text-align:left}
.charts{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:0;border:1px solid #eef1f5;padding:.5rem;border-radius:6px}
figcaption{font-weight:600;margin-bottom:.3rem}.cap{color:#5a6375;max-width:520px;margin:.3rem 0 0}.meta th{text-align:left}
.table-wrap{overflow-x:auto}td.t{text-align:left;min-width:7em}td.t+td.t{min-width:13em}table{font-size:13px}
.headline{border:2px solid #2f6fb0;border-radius:10px;padding:1rem 1.2rem;background:#f5f9fe;margin-top:1rem}
.headline .do{font-size:1.35rem;font-weight:700;margin:.1rem 0 .4rem}.headline .whom{font-size:1.05rem;margin:.2rem 0 .8rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(230px,1fr));gap:.7rem}
.card{background:#fff;border:1px solid #d5deea;border-radius:8px;padding:.55rem .75rem}
.card .k{color:#5a6375;font-size:.85rem}.card .v{font-size:1.3rem;font-weight:700;font-variant-numeric:tabular-nums}
.card .i{color:#5a6375;font-size:.85rem;font-variant-numeric:tabular-nums}
.verdict{margin:.8rem 0 0;font-weight:600}.verdict.no{color:#a4441a}.verdict.yes{color:#1d6b3a}
.how{color:#5a6375;font-size:.9rem;margin:.5rem 0 0}
.caveats li{margin:.25rem 0}.assume{border-left:4px solid #c77700;background:#fff8ec;padding:.5rem .8rem;margin:.8rem 0 0;font-weight:600}
</style></head><body>
<h1>${esc(title)}</h1>
${body}
<section><h2>Run details</h2><table class="meta">${metaRows}</table></section>
</body></html>
`;
}
