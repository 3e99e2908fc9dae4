// A decimal number read straight from CSV bytes, with the value `Number()` gives for the same text
// (correctly rounded), and no string made. Internal to the package.

/** 10^0 .. 10^22: every one exactly a double (5^22 < 2^53), the range of the exact fast paths. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Veltkamp's splitter for doubles (2^27 + 1). */
const SPLIT = 134217729;
/**
 * 10^-k for k = 0 .. 22 as double-doubles `HI[k] + LO[k]` accurate to about 2^-106: HI the
 * correctly rounded quotient 1 / 10^k, LO the rest, (1 - HI * 10^k) / 10^k, from the exact
 * product error of HI * 10^k.
 */
const NEG_POW10_HI = POW10.map((d) => 1 / d);
const NEG_POW10_LO = POW10.map((d, k) => {
  const P = NEG_POW10_HI[k]!;
  const m = P * d;
  // 1 - m is exact (m is within an ulp of 1), and P * d = m + e exactly.
  return (1 - m - productError(P, d, m)) / d;
});

/** The exact error of the product `a * b` (which rounded to `p`): Dekker's algorithm (JS has no fma). */
function productError(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * Reads the decimal number that starts at `buf[p]` and ends at the first byte that cannot continue
 * it, under the CSV readers' grammar `[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?` (no spaces, no hex, no
 * `Infinity`). `scan` returns the value and sets `end` to the first byte after it; a byte string
 * that does not start with that grammar gives NaN (and an `end` the caller must not use). The caller
 * checks that `end` is a delimiter: "1.5x" reads as 1.5 up to the `x`.
 *
 * The value is the correctly rounded double of the decimal, what `Number()` of the same text gives:
 * with at most 15 significant digits and a power of ten up to 22 by one exact operation (Clinger's
 * fast path); with 16 to 19 digits (a double printed in full has 17) by a double-double quotient
 * or product accurate to about 2^-100, kept only when no rounding boundary lies within its error
 * bound; anything else (20+ digits, far exponents, the rare near-tie) by `Number()` of the text.
 *
 * @example
 * const d = new DecimalScanner();
 * d.scan(Buffer.from("0.25,x"), 0); // 0.25, d.end === 4
 */
export class DecimalScanner {
  /** Where the last {@link scan} stopped: the first byte after the number. */
  end = 0;

  private readonly one = new Float64Array(1);
  private view: DataView | undefined;
  private viewOf: Uint8Array | undefined;

  scan(buf: Uint8Array, start: number): number {
    const end = this.scanTo(buf, start, this.one, 0);
    if (end < 0) return Number.NaN;
    this.end = end;
    return this.one[0]!;
  }

  /**
   * {@link scan} into `out[at]`: returns the end (the first byte after the number), or -1 when the
   * bytes do not start with a number (`out[at]` is then NaN). The parsers' form: a double stored
   * straight into a typed array is never boxed, where a returned one costs a heap number per cell.
   *
   * @example
   * const out = new Float64Array(1);
   * new DecimalScanner().scanTo(Buffer.from("0.25,x"), 0, out, 0); // 4, out[0] === 0.25
   */
  scanTo(buf: Uint8Array, start: number, out: Float64Array, at: number): number {
    if (buf !== this.viewOf) {
      this.viewOf = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const view = this.view!;
    const n = buf.length;
    let p = start;
    let c = p < n ? buf[p]! : 0;
    let negative = false;
    if (c === 45 || c === 43) {
      negative = c === 45;
      p++;
      c = p < n ? buf[p]! : 0;
    }
    // hi: the first 15 significant digits; lo: the next up to 4; past 19 the text decides.
    let hi = 0;
    let lo = 0;
    let digits = 0;
    let seen = 0;
    let scale = 0;
    for (let part = 0; part < 2; part++) {
      if (part === 1) {
        if (c !== 46) break;
        p++;
        c = p < n ? buf[p]! : 0;
      }
      const from = p;
      // Leading zeros are not significant (in the fraction they still scale).
      if (digits === 0)
        while (c === 48) {
          p++;
          c = p < n ? buf[p]! : 0;
        }
      // Four digits per step while they fit in hi: bytes 0x30-0x39 are exactly those whose high
      // nibble is 3 both before and after adding 6.
      while (digits <= 11 && p + 4 <= n) {
        const w = view.getUint32(p, true);
        if ((w & 0xf0f0f0f0) !== 0x30303030 || ((w + 0x06060606) & 0xf0f0f0f0) !== 0x30303030) break;
        const t = w & 0x0f0f0f0f;
        const two = (t * 10 + (t >>> 8)) & 0x00ff00ff;
        hi = hi * 10000 + ((two * 100 + (two >>> 16)) & 0xffff);
        digits += 4;
        p += 4;
      }
      c = p < n ? buf[p]! : 0;
      while (c >= 48 && c <= 57) {
        if (digits < 15) hi = hi * 10 + (c - 48);
        else if (digits < 19) lo = lo * 10 + (c - 48);
        digits++;
        p++;
        c = p < n ? buf[p]! : 0;
      }
      seen += p - from;
      if (part === 1) scale -= p - from;
    }
    if (seen === 0) return this.none(out, at);
    if (c === 101 || c === 69) {
      let q = p + 1;
      let d = q < n ? buf[q]! : 0;
      let expNegative = false;
      if (d === 45 || d === 43) {
        expNegative = d === 45;
        q++;
        d = q < n ? buf[q]! : 0;
      }
      let exp = 0;
      let expDigits = 0;
      while (d >= 48 && d <= 57) {
        if (exp < 100000) exp = exp * 10 + (d - 48);
        expDigits++;
        q++;
        d = q < n ? buf[q]! : 0;
      }
      // "1e" or "1e+" is not a number under the grammar (Number() says NaN too).
      if (expDigits === 0) return this.none(out, at);
      scale += expNegative ? -exp : exp;
      p = q;
    }
    // The text (sign included) decides what the fast paths cannot.
    let x: number;
    if (digits === 0) x = 0;
    else if (digits > 19 || scale > 22 || scale < -22) x = Number.NaN;
    else if (digits <= 15) x = scale >= 0 ? hi * POW10[scale]! : hi / POW10[-scale]!;
    else x = this.wide(hi, lo, digits - 15, scale);
    out[at] = Number.isNaN(x) ? this.text(buf, start, p) : negative ? -x : x;
    return p;
  }

  private none(out: Float64Array, at: number): number {
    out[at] = Number.NaN;
    return -1;
  }

  /** The slow, always right way: `Number()` of the text (plain ASCII by the grammar, sign included). */
  private text(buf: Uint8Array, start: number, end: number): number {
    return Number(String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]));
  }

  /**
   * `(hi * 10^k + lo) * 10^scale` for 16-19 significant digits, correctly rounded, or NaN when the
   * double-double result lies too near a rounding boundary to decide (then the text decides).
   */
  private wide(hi: number, lo: number, k: number, scale: number): number {
    // The mantissa exactly as h + l: hi * 10^k = p + pe and p + lo = s + se exactly; pe and se are
    // integers below 2^11 (the mantissa is below 10^19 < 2^64), so their sum is exact too.
    const b = POW10[k]!;
    const p = hi * b;
    const pe = productError(hi, b, p);
    const s = p + lo;
    const v = s - p;
    const se = p - (s - v) + (lo - v);
    const t = se + pe;
    const h = s + t;
    const l = t - (h - s);
    let rh: number;
    let rl: number;
    if (scale === 0) return h;
    if (scale < 0) {
      // Times 10^scale as the double-double P + p (no division): h * P exactly as m + me, plus the
      // cross terms h * p and l * P (l * p is below 2^-106 of the result).
      const P = NEG_POW10_HI[-scale]!;
      const m = h * P;
      const me = productError(h, P, m) + (h * NEG_POW10_LO[-scale]! + l * P);
      rh = m + me;
      rl = me - (rh - m);
    } else {
      const d = POW10[scale]!;
      const m = h * d;
      const me = productError(h, d, m) + l * d;
      rh = m + me;
      rl = me - (rh - m);
    }
    // rh + rl is within 2^-100 |rh| of the exact value: if both ends of that interval round to rh,
    // so does the exact value (rounding is monotonic).
    const bound = Math.abs(rh) * 7.888609052210118e-31; // 2^-100
    if (rh + (rl + bound) !== rh || rh + (rl - bound) !== rh) return Number.NaN;
    return rh;
  }
}
