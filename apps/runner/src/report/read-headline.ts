/**
 * The headline numbers of a report.html, by their path in report.json's `headline`
 * ("perUnit.value.lower" -> the exact number, null when not finite): the contract between the page
 * and report.json, which `headlineHtml` writes as `data-headline` / `data-value` attributes.
 *
 * @example
 * readHeadlineNumbers(html).get("perUnit.value.estimate"); // 0.923...
 */
export function readHeadlineNumbers(html: string): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const m of html.matchAll(/data-headline="([^"]+)" data-value="([^"]*)"/g))
    out.set(m[1]!, m[2] === "" ? null : Number(m[2]));
  return out;
}
