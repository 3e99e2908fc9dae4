import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteInterner } from "./byte-interner.js";

describe("ByteInterner", () => {
  it("finds exactly the cells it remembered, whatever their hashes share (property)", () => {
    const cell = fc.stringMatching(/^[ab]{0,5}$/);
    fc.assert(
      fc.property(
        fc.array(cell, { maxLength: 30 }),
        fc.array(cell, { maxLength: 30 }),
        fc.nat(20),
        (put, ask, from) => {
          const seen = new ByteInterner<string>();
          for (const s of put) {
            const b = Buffer.from(`,${s},`);
            if (seen.find(b, 1, b.length - 1, from) < 0) seen.remember(b, 1, b.length - 1, s);
          }
          const kept = [...new Set(put)].slice(0, 16);
          for (const s of [...put, ...ask]) {
            const b = Buffer.from(`x${s}`);
            const k = seen.find(b, 1, b.length, from);
            expect(k < 0 ? undefined : seen.values[k]).toBe(kept.includes(s) ? s : undefined);
          }
        },
      ),
      { numRuns: 500, seed: 5 },
    );
  });
});
