import { describe, expect, it } from "vitest";
import { importanceWeights } from "./importance-weights.js";
import { tinyInputs } from "./test-helpers/tiny.js";

// Hand computation for tinyInputs (K = 2, n = 4; see test-helpers/tiny.ts):
//   w        = [0.2/0.5, 0.5/0.5, 0/0.25, 0.6/0.75] = [0.4, 1, 0, 0.8]
//   IPS      = mean(w r) = (0.4 + 0 + 0 + 2.4) / 4 = 0.7
//   SNIPS    = 0.7 / mean(w) = 0.7 / 0.55
//   DM terms = [0.2*1 + 0.8*2, 0.5*0.5 + 0.5*1, 1*1 + 0*1.5, 0.6*2 + 0.4*3] = [1.8, 0.75, 1, 2.4]
//   DR terms = DM + w (r - q(a)) = [1.8, 0.75 - 1, 1, 2.4 + 0.8] ; DR = 5.75 / 4
//   SNDR     = (5.95 + (-1 + 0.8) / 0.55) / 4
describe("importanceWeights", () => {
  it("is pi_e(a_i) / pi_b(a_i), clipped at clip", () => {
    const inputs = tinyInputs();
    expect(Array.from(importanceWeights(inputs))).toEqual([0.2 / 0.5, 1, 0, 0.6 / 0.75]);
    expect(Array.from(importanceWeights(inputs, { clip: 0.5 }))).toEqual([0.4, 0.5, 0, 0.5]);
    expect(() => importanceWeights(inputs, { clip: -1 })).toThrow(RangeError);
  });
});
