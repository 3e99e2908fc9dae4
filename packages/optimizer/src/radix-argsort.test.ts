import { createRng } from "@cia/core";
import { describe, expect, it } from "vitest";
import { radixArgsortDescending } from "./radix-argsort.js";

function reference(keys: Float64Array): number[] {
  return Array.from(keys, (_, i) => i).sort((a, b) => {
    const x = keys[a]! === 0 ? 0 : keys[a]!;
    const y = keys[b]! === 0 ? 0 : keys[b]!;
    return x === y ? a - b : y - x;
  });
}

describe("radixArgsortDescending", () => {
  it("matches a stable descending comparator sort, ties in index order", () => {
    const rng = createRng(7);
    for (let rep = 0; rep < 20; rep++) {
      // both paths: comparison sort below 2,048 keys, radix passes above
      const n = rep % 2 === 0 ? 1 + rng.int(2000) : 2048 + rng.int(10000);
      const keys = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const pick = rng.next();
        keys[i] =
          pick < 0.2
            ? rng.int(5) // many ties
            : pick < 0.3
              ? -rng.exponential(1) * 1e6
              : pick < 0.35
                ? rng.next() < 0.5
                  ? -0
                  : 0
                : pick < 0.37
                  ? Number.POSITIVE_INFINITY
                  : rng.normal(0, 1) * 10 ** rng.int(12);
      }
      expect(Array.from(radixArgsortDescending(keys))).toEqual(reference(keys));
    }
  });

  it("sorts a prefix of the keys and handles n = 0", () => {
    expect(Array.from(radixArgsortDescending(new Float64Array([1, 3, 2, 9]), 3))).toEqual([1, 2, 0]);
    expect(radixArgsortDescending(new Float64Array(0)).length).toBe(0);
  });
});
