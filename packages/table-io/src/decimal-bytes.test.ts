import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecimalScanner } from "./decimal-bytes.js";

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const d = new DecimalScanner();

/** What the scanner says of `text` followed by a comma: the value when it read all of it, else undefined. */
function read(text: string): number | undefined {
  const buf = Buffer.from(`${text},`, "latin1");
  const x = d.scan(buf, 0);
  if (Number.isNaN(x) || d.end !== text.length) return undefined;
  return x;
}

/** The rule the scanner must agree with: the grammar, then Number(). */
function rule(text: string): number | undefined {
  return DECIMAL.test(text) ? Number(text) : undefined;
}

describe("DecimalScanner", () => {
  it("reads what Number() reads, bit for bit, on doubles printed in full", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = String(x);
        expect(Object.is(read(text), rule(text))).toBe(true);
      }),
      { numRuns: 20000, seed: 21 },
    );
  });

  it("reads 16-19 digit decimals near the scale of scores and propensities exactly", () => {
    const arb = fc.tuple(
      fc.constantFrom("", "-", "+"),
      fc.stringMatching(/^[1-9]\d{15,18}$/),
      fc.integer({ min: 0, max: 19 }),
      fc.option(fc.integer({ min: -30, max: 30 }), { nil: undefined }),
    );
    fc.assert(
      fc.property(arb, ([sign, digits, point, exp]) => {
        const text = `${sign}${digits.slice(0, point)}.${digits.slice(point)}${exp === undefined ? "" : `e${exp}`}`;
        expect(Object.is(read(text), rule(text))).toBe(true);
      }),
      { numRuns: 20000, seed: 7 },
    );
  });

  it("agrees with the grammar and Number() on short strings of the relevant alphabet", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[-+.eE0-9x ]{0,8}$/), (text) => {
        expect(Object.is(read(text), rule(text))).toBe(true);
      }),
      { numRuns: 20000, seed: 3 },
    );
  });

  it("handles the edges: signs, zeros, exponents, long and tied inputs", () => {
    for (const text of [
      "0",
      "-0",
      "+0.0e5",
      ".5",
      "5.",
      "007",
      "1e22",
      "1e23",
      "123456789012345678901234",
      "0.1000000000000000055511151231257827",
      "9007199254740993",
      "9007199254740992.5",
      "2.2250738585072014e-308",
      "1.7976931348623157e308",
      "1e-400",
      "4.9e-324",
    ])
      expect(Object.is(read(text), Number(text))).toBe(true);
    for (const text of ["", ".", "+", "-.", "e5", "1e", "1e+", "Infinity", "NaN", "0x10"])
      expect(read(text)).toBeUndefined();
  });

  it("stops at the first byte that cannot continue the number", () => {
    const buf = Buffer.from("12.5x,7");
    expect(d.scan(buf, 0)).toBe(12.5);
    expect(d.end).toBe(4);
    expect(d.scan(buf, 6)).toBe(7);
    expect(d.end).toBe(7);
  });

  it("scanTo stores the value in place and returns the end, or -1 and NaN", () => {
    const out = new Float64Array(3);
    const buf = Buffer.from("-2.5e1,x,0.1");
    expect(d.scanTo(buf, 0, out, 1)).toBe(6);
    expect(out[1]).toBe(-25);
    expect(d.scanTo(buf, 7, out, 0)).toBe(-1);
    expect(out[0]).toBeNaN();
    expect(d.scanTo(buf, 9, out, 2)).toBe(12);
    expect(out[2]).toBe(0.1);
  });

  it("rounds decimals next to a tie (a midpoint between two doubles, cut to 16-19 digits) as Number() does", () => {
    // Midpoints of random doubles, exact in decimal (BigInt), then truncated and bumped at the last
    // digit, or whole: the inputs nearest to a rounding boundary that 16-19 digits can write.
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 52n) - 1n }),
        fc.integer({ min: -75, max: 63 }),
        (frac, e) => {
          const E = e - 53;
          const mid = 2n * ((1n << 52n) | frac) + 1n;
          const digits = E >= 0 ? (mid << BigInt(E)).toString() : (mid * 5n ** BigInt(-E)).toString();
          const shift = E >= 0 ? 0 : -E;
          // Whole when the midpoint has at most 19 digits (an exact tie: an integer near 2^60).
          for (const len of [16, 17, 18, 19, digits.length]) {
            if (len > 19) continue;
            const head = BigInt(digits.slice(0, len));
            const exp = digits.length - len - shift;
            for (const h of [head, head + 1n]) {
              const text = `${h}e${exp}`;
              expect(Object.is(read(text), Number(text)), text).toBe(true);
            }
          }
        },
      ),
      { numRuns: 3000, seed: 11 },
    );
  });
});
