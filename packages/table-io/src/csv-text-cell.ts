// Internal to the package.
import { asciiString } from "./ascii-string.js";
import type { DecimalScanner } from "./decimal-bytes.js";

/** The CSV readers' number rule on a cell's text: a decimal once trimmed, else NaN (no hex, no `Infinity`). */
export const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** True when a cell's edge byte needs no trim: printable ASCII, not a space. */
function solid(c: number): boolean {
  return c > 32 && c < 127;
}

/**
 * A cell's text `buf[s, e)`, trimmed as the row readers trim (`String#trim`, only when an edge byte
 * could be a space); `ascii` says every byte is below 128 (the fast decoder then).
 *
 * @example
 * cellText(Buffer.from(" a ,b"), 0, 3, true); // "a"
 */
export function cellText(buf: Buffer, s: number, e: number, ascii: boolean): string {
  const text = rawCellText(buf, s, e, ascii);
  return e > s && solid(buf[s]!) && solid(buf[e - 1]!) ? text : text.trim();
}

/**
 * A cell's text `buf[s, e)` exactly as it is (UTF-8; `ascii`: every byte is below 128).
 *
 * @example
 * rawCellText(Buffer.from(" a ,b"), 0, 3, true); // " a "
 */
export function rawCellText(buf: Buffer, s: number, e: number, ascii: boolean): string {
  return ascii ? asciiString(buf, s, e) : buf.toString("utf8", s, e);
}

/**
 * A number cell that is not a bare decimal (spaces around it, or no number at all): the value of
 * its trimmed text under {@link DECIMAL}, else NaN.
 *
 * @example
 * numberOfText(Buffer.from(" 2.5 ,"), 0, 5); // 2.5
 */
export function numberOfText(buf: Buffer, s: number, e: number): number {
  const t = cellText(buf, s, e, false);
  return DECIMAL.test(t) ? Number(t) : Number.NaN;
}

/**
 * The number cell starting at `buf[s]` into `out[at]` (NaN when it is not one): a bare decimal as
 * scanned, anything else by its trimmed text. Returns where the cell ends (its comma or newline).
 *
 * @example
 * numberCell(new DecimalScanner(), Buffer.from(" 2.5 ,x\n"), 0, out, 0); // 5, out[0] === 2.5
 */
export function numberCell(
  dec: DecimalScanner,
  buf: Buffer,
  s: number,
  out: Float64Array,
  at: number,
): number {
  let p = dec.scanTo(buf, s, out, at);
  let c = p < 0 ? 0 : buf[p]!;
  if (c !== 44 && c !== 10) {
    // Not a bare decimal (spaces around it, or no number): the trimmed text decides.
    p = s;
    c = buf[p]!;
    while (c !== 44 && c !== 10) c = buf[++p]!;
    out[at] = numberOfText(buf, s, p);
  }
  return p;
}
