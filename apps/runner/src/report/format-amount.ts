/**
 * A number for the report's prose and headline: 3 significant digits, trailing zeros kept ("1.90"),
 * thousands separated above 1,000 ("27,300"), the unit before it when it is a currency symbol
 * ("$1.23") and after it otherwise ("1.23 pts").
 *
 * @example
 * formatAmount(1234.5, "$"); // "$1,230"
 * formatAmount(1.9, "$"); // "$1.90"
 * formatAmount(-0.01234, ""); // "-0.0123"
 */
export function formatAmount(x: number, unit = ""): string {
  if (!Number.isFinite(x)) return "n/a";
  const a = Math.abs(x);
  const rounded = Number(a.toPrecision(3));
  const body =
    rounded >= 1000 ? rounded.toLocaleString("en-US", { maximumFractionDigits: 0 }) : a.toPrecision(3);
  const sign = x < 0 && rounded !== 0 ? "-" : "";
  if (unit === "") return `${sign}${body}`;
  return /^[$€£¥]$/.test(unit) ? `${sign}${unit}${body}` : `${sign}${body} ${unit}`;
}
