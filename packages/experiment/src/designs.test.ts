import { createRng } from "@cia/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { designFromJSON } from "./design-from-json.js";
import { stratifiedDesign } from "./stratified-design.js";
import { uniformDesign } from "./uniform-design.js";
import { warmStartDesign } from "./warm-start-design.js";

const ACTIONS = ["control", "offer_3", "offer_5", "offer_10"];

describe("uniformDesign", () => {
  it("gives every action, no-offer included, probability 1/K", () => {
    const d = uniformDesign({ actions: ACTIONS });
    expect(Array.from(d.probabilities({ n: 2 }))).toEqual(new Array(8).fill(0.25));
    expect(d.minProbability).toBe(0.25);
    expect(() => uniformDesign({ actions: ["control"] })).toThrow(/at least 2/);
    expect(() => uniformDesign({ actions: ["control", "control"] })).toThrow(/twice/);
  });
});

describe("stratifiedDesign", () => {
  const d = stratifiedDesign({
    actions: ["control", "offer"],
    strata: ["new", "active", "dormant"],
    probabilities: { new: [0.5, 0.5], active: [0.9, 0.1], dormant: [0.2, 0.8] },
  });
  it("uses each unit's stratum distribution", () => {
    expect(Array.from(d.probabilities({ n: 3, stratum: Uint8Array.from([2, 0, 1]) }))).toEqual([
      0.2, 0.8, 0.5, 0.5, 0.9, 0.1,
    ]);
    expect(d.minProbability).toBe(0.1);
  });
  it("validates strata and codes", () => {
    expect(() => d.probabilities({ n: 1 })).toThrow(/stratum/);
    expect(() => d.probabilities({ n: 1, stratum: [3] })).toThrow(/stratum code 3/);
    expect(() =>
      stratifiedDesign({ actions: ["control", "offer"], strata: ["a"], probabilities: { a: [0.5, 0.6] } }),
    ).toThrow(/sum/);
    expect(() =>
      stratifiedDesign({ actions: ["control", "offer"], strata: ["a"], probabilities: {} }),
    ).toThrow(/needs 2/);
  });
});

describe("warmStartDesign", () => {
  it("tilts toward high scores and keeps the floor", () => {
    const d = warmStartDesign({ actions: ACTIONS, temperature: 0.5, epsilon: 0.05 });
    const p = d.probabilities({ n: 1, score: [0, 3, -1, 1] });
    expect(p[1]).toBeGreaterThan(p[3]!);
    expect(p[3]).toBeGreaterThan(p[0]!);
    expect(Math.min(...p)).toBeGreaterThanOrEqual(0.05);
    expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 15);
    // softmax by hand: p_a = eps + (1 - K eps) e^{s_a/T} / sum e^{s/T}
    const e = [0, 3, -1, 1].map((s) => Math.exp(s / 0.5));
    const z = e.reduce((s, v) => s + v, 0);
    for (let a = 0; a < e.length; a++) expect(p[a]).toBeCloseTo(0.05 + 0.8 * (e[a]! / z), 14);
  });

  it("property: every probability >= epsilon, rows sum to 1, weights <= 1/epsilon", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 50, noNaN: true }),
        fc.integer({ min: 0, max: 1e6 }),
        (k, epsShare, temperature, seed) => {
          const epsilon = epsShare / k;
          const actions = ["control", ...Array.from({ length: k - 1 }, (_, i) => `a${i}`)];
          const d = warmStartDesign({ actions, temperature, epsilon });
          const rng = createRng(seed);
          const n = 20;
          const score = Float64Array.from({ length: n * k }, () => rng.normal(0, 200));
          const p = d.probabilities({ n, score });
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let a = 0; a < k; a++) {
              const v = p[i * k + a]!;
              expect(v).toBeGreaterThanOrEqual(epsilon);
              expect(1 / v).toBeLessThanOrEqual(1 / epsilon);
              s += v;
            }
            expect(Math.abs(s - 1)).toBeLessThan(1e-12);
          }
        },
      ),
      { seed: 5, numRuns: 200 },
    );
  });

  it("is uniform at epsilon = 1/K and approaches uniform at high temperature", () => {
    const u = warmStartDesign({ actions: ACTIONS, epsilon: 0.25 }).probabilities({
      n: 1,
      score: [5, 0, 0, 0],
    });
    expect(Array.from(u)).toEqual([0.25, 0.25, 0.25, 0.25]);
    const hot = warmStartDesign({ actions: ACTIONS, epsilon: 0.01, temperature: 1e9 }).probabilities({
      n: 1,
      score: [5, 0, 0, 0],
    });
    for (const v of hot) expect(v).toBeCloseTo(0.25, 8);
  });

  it("validates its configuration and scores", () => {
    expect(() => warmStartDesign({ actions: ACTIONS, epsilon: 0.3 })).toThrow(/epsilon/);
    expect(() => warmStartDesign({ actions: ACTIONS, epsilon: 0 })).toThrow(/epsilon/);
    expect(() => warmStartDesign({ actions: ACTIONS, epsilon: 0.1, temperature: 0 })).toThrow(/temperature/);
    const d = warmStartDesign({ actions: ACTIONS, epsilon: 0.1 });
    expect(() => d.probabilities({ n: 1 })).toThrow(/score/);
    expect(() => d.probabilities({ n: 1, score: [0, Number.NaN, 0, 0] })).toThrow(/NaN/);
  });
});

describe("designFromJSON", () => {
  it("round-trips every design through JSON", () => {
    const designs = [
      uniformDesign({ actions: ACTIONS }),
      stratifiedDesign({
        actions: ["control", "x"],
        strata: ["a", "b"],
        probabilities: { a: [0.3, 0.7], b: [1, 0] },
      }),
      warmStartDesign({ actions: ACTIONS, temperature: 2, epsilon: 0.02 }),
    ];
    const ctx = { n: 2, stratum: [1, 0], score: [0, 1, 2, 3, 3, 2, 1, 0] };
    for (const d of designs) {
      const again = designFromJSON(JSON.parse(JSON.stringify(d)));
      expect(again.toJSON()).toEqual(d.toJSON());
      expect(Array.from(again.probabilities(ctx))).toEqual(Array.from(d.probabilities(ctx)));
    }
    expect(() => designFromJSON({ kind: "nope" } as never)).toThrow(/unknown design/);
  });
});
