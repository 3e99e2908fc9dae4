import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AllocationOptions } from "./allocation-options.js";
import type { AllocationResult } from "./allocation-result.js";
import { allocate } from "./allocate.js";
import { AllocationStream } from "./allocation-stream.js";
import { candidatesFromMatrix } from "./candidates-from-matrix.js";

// Scores on a 1/8 grid (exact sums, frequent ties), a few near-collinear costs (k/3 on value 3 x
// cost: the hull's tolerance and the slope clamp), negative costs (start vertices) and zeros.
const grid = (lo: number, hi: number) => fc.integer({ min: lo * 8, max: hi * 8 }).map((x) => x / 8);
const cellArb = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(grid(-3, 20), grid(0, 12)) },
  { weight: 1, arbitrary: fc.tuple(grid(0, 10), grid(-3, 0)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 9 }).map((k) => [k, k / 3] as [number, number]) },
  { weight: 1, arbitrary: fc.constant([0, 0] as [number, number]) },
);

interface Instance {
  n: number;
  k: number;
  tv: number[];
  tc: number[];
  lower: number[];
  eligible: number[];
  /** Units per pushed chunk (summing to n; zeros allowed). */
  chunks: number[];
}

const instanceArb: fc.Arbitrary<Instance> = fc
  .record({ n: fc.integer({ min: 0, max: 24 }), k: fc.integer({ min: 1, max: 5 }) })
  .chain(({ n, k }) =>
    fc.record({
      n: fc.constant(n),
      k: fc.constant(k),
      cells: fc.array(fc.tuple(cellArb, grid(-2, 2), fc.integer({ min: 0, max: 5 })), {
        minLength: n * k,
        maxLength: n * k,
      }),
      cuts: fc.array(fc.integer({ min: 0, max: n }), { maxLength: 5 }),
    }),
  )
  .map(({ n, k, cells, cuts }) => {
    // Column 0 of each unit is the no-offer arm: zeros, never eligible.
    const tv: number[] = [];
    const tc: number[] = [];
    const lower: number[] = [];
    const eligible: number[] = [];
    cells.forEach(([[v, c], dl, e], i) => {
      const col0 = i % k === 0;
      tv.push(col0 ? 0 : v);
      tc.push(col0 ? 0 : c);
      lower.push(col0 ? 0 : v - Math.abs(dl));
      eligible.push(col0 || e === 0 ? 0 : 1);
    });
    const at = [0, ...cuts.sort((a, b) => a - b), n];
    const chunks = at.slice(1).map((x, i) => x - at[i]!);
    return { n, k, tv, tc, lower, eligible, chunks };
  });

const optionsArb: fc.Arbitrary<AllocationOptions> = fc.record(
  {
    budget: fc.oneof(grid(0, 60), fc.constant(Number.POSITIVE_INFINITY)),
    maxTreated: fc.integer({ min: 0, max: 15 }),
    minValuePerCost: grid(0, 3),
    maxCostPerValue: grid(0, 4),
    actionCaps: fc.record({ 2: fc.record({ maxTreated: fc.integer({ min: 0, max: 6 }) }) }),
    risk: fc.constant("lower" as const),
  },
  { requiredKeys: [] },
);

/** The stream's answer on `inst`, its chunks pushed in order (without column 0). */
function streamed(inst: Instance, options: AllocationOptions, withEligible: boolean): AllocationResult {
  const { n, k, chunks } = inst;
  const s = new AllocationStream(
    { nActions: k, eligible: withEligible, tauValueLower: true, expectUnits: n >> 1 },
    options,
  );
  let u0 = 0;
  for (const units of chunks) {
    const pick = (xs: number[]) => {
      const out: number[] = [];
      for (let u = u0; u < u0 + units; u++) for (let a = 1; a < k; a++) out.push(xs[u * k + a]!);
      return out;
    };
    s.push({
      units,
      tauValue: pick(inst.tv),
      tauCost: pick(inst.tc),
      eligible: withEligible ? pick(inst.eligible) : undefined,
      tauValueLower: pick(inst.lower),
    });
    u0 += units;
  }
  return s.allocate();
}

/**
 * The stream's answer with its scores read in place: chunks are stretches of one growing column
 * per score (as a reader's), the columns replaced by bigger copies before chunk `regrowAt`.
 */
function streamedInPlace(inst: Instance, options: AllocationOptions, regrowAt: number): AllocationResult {
  const { n, k, chunks } = inst;
  const w = k - 1;
  const s = new AllocationStream(
    { nActions: k, eligible: true, tauValueLower: true, inPlace: true },
    options,
  );
  const column = (xs: number[]) => {
    const out = new Float64Array(n * w + 2);
    for (let u = 0; u < n; u++) for (let a = 1; a < k; a++) out[u * w + a - 1] = xs[u * k + a]!;
    return out;
  };
  let cols = [column(inst.tv), column(inst.tc), column(inst.lower)];
  const eligible = column(inst.eligible);
  let r0 = 0;
  chunks.forEach((units, i) => {
    if (i === regrowAt)
      cols = cols.map((c) => {
        const bigger = new Float64Array(c.length * 2 + 8);
        bigger.set(c);
        return bigger;
      });
    const r1 = r0 + units * w;
    s.push({
      units,
      tauValue: cols[0]!.subarray(r0, r1),
      tauCost: cols[1]!.subarray(r0, r1),
      eligible: eligible.subarray(r0, r1),
      tauValueLower: cols[2]!.subarray(r0, r1),
    });
    r0 = r1;
  });
  return s.allocate();
}

function whole(inst: Instance, options: AllocationOptions, withEligible: boolean): AllocationResult {
  const c = candidatesFromMatrix({
    nUnits: inst.n,
    nActions: inst.k,
    tauValue: inst.tv,
    tauCost: inst.tc,
    eligible: withEligible ? inst.eligible : undefined,
    tauValueLower: inst.lower,
  });
  return allocate(c, options);
}

/** The outcome as data: the result, or the error's code and message. */
function outcome(run: () => AllocationResult): unknown {
  try {
    return run();
  } catch (e) {
    return { error: (e as { code?: string }).code, message: (e as Error).message };
  }
}

describe("AllocationStream", () => {
  it("equals allocate on the whole matrix bit for bit, however the units are chunked", () => {
    fc.assert(
      fc.property(instanceArb, optionsArb, fc.boolean(), (inst, options, withEligible) => {
        // toStrictEqual compares numbers with Object.is: -0, NaN and every bit of a double count.
        expect(outcome(() => streamed(inst, options, withEligible))).toStrictEqual(
          outcome(() => whole(inst, options, withEligible)),
        );
      }),
      { numRuns: 400, seed: 20261207 },
    );
  });

  it("equals allocate on a budget-only problem with many units and uneven chunks", () => {
    fc.assert(
      fc.property(instanceArb, grid(0, 40), (inst, budget) => {
        const options = { budget };
        expect(streamed(inst, options, true)).toStrictEqual(whole(inst, options, true));
      }),
      { numRuns: 300, seed: 21 },
    );
  });

  it("reads the scores in place as they were pushed, whether or not the caller's columns are regrown", () => {
    fc.assert(
      fc.property(instanceArb, optionsArb, fc.integer({ min: 0, max: 6 }), (inst, options, regrowAt) => {
        expect(outcome(() => streamedInPlace(inst, options, regrowAt))).toStrictEqual(
          outcome(() => whole(inst, options, true)),
        );
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it("equals allocate on real-valued scores: per-action budgets, no dominance pruning, optional columns, in place or not", () => {
    const real = fc.double({ min: -5, max: 30, noNaN: true });
    const realOptions: fc.Arbitrary<AllocationOptions> = fc.record(
      {
        budget: fc.oneof(fc.double({ min: 0, max: 80, noNaN: true }), fc.constant(Number.POSITIVE_INFINITY)),
        maxTreated: fc.oneof(fc.integer({ min: 0, max: 15 }), fc.constant(Number.POSITIVE_INFINITY)),
        minValuePerCost: fc.double({ min: 0, max: 3, noNaN: true }),
        maxCostPerValue: fc.double({ min: 0, max: 4, noNaN: true }),
        actionCaps: fc.record(
          {
            1: fc.record({ budget: fc.double({ min: 0, max: 20, noNaN: true }) }),
            // An infinite cap is no constraint (and no scope): the budget-only path again.
            2: fc.record({ budget: fc.constant(Number.POSITIVE_INFINITY) }),
          },
          { requiredKeys: [] },
        ),
        risk: fc.constant("lower" as const),
        pruneDominated: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    const caseArb = fc
      .record({ n: fc.integer({ min: 0, max: 30 }), k: fc.integer({ min: 1, max: 6 }) })
      .chain(({ n, k }) => {
        const cells = <T>(arb: fc.Arbitrary<T>) => fc.array(arb, { minLength: n * k, maxLength: n * k });
        return fc.record({
          n: fc.constant(n),
          k: fc.constant(k),
          tv: cells(real),
          tc: cells(fc.oneof(real, fc.constant(0))),
          gap: cells(fc.double({ min: 0, max: 3, noNaN: true })),
          off: cells(fc.integer({ min: 0, max: 4 })),
          cuts: fc.array(fc.integer({ min: 0, max: n }), { maxLength: 6 }),
          withEligible: fc.boolean(),
          withLower: fc.boolean(),
          inPlace: fc.boolean(),
          // Where the caller's columns start in their buffer (not at 0: never read in place).
          offset: fc.integer({ min: 0, max: 2 }),
        });
      });
    fc.assert(
      fc.property(caseArb, realOptions, (c, options) => {
        const { n, k } = c;
        const w = k - 1;
        const tv = c.tv.map((v, i) => (i % k === 0 ? 0 : v));
        const tc = c.tc.map((v, i) => (i % k === 0 ? 0 : v));
        const lower = tv.map((v, i) => v - c.gap[i]!);
        const eligible = c.off.map((e, i) => (i % k === 0 || e === 0 ? 0 : 1));
        const column = (xs: number[]) => {
          const out = new Float64Array(c.offset + n * w);
          for (let u = 0; u < n; u++)
            for (let a = 1; a < k; a++) out[c.offset + u * w + a - 1] = xs[u * k + a]!;
          return out.subarray(c.offset);
        };
        const [cv, cc, cl, ce] = [column(tv), column(tc), column(lower), column(eligible)];
        const streamedAll = () => {
          const s = new AllocationStream(
            {
              nActions: k,
              eligible: c.withEligible,
              tauValueLower: c.withLower,
              inPlace: c.inPlace,
              expectUnits: n,
            },
            options,
          );
          const at = [0, ...[...c.cuts].sort((x, y) => x - y), n];
          for (let q = 1; q < at.length; q++) {
            const r0 = at[q - 1]! * w;
            const r1 = at[q]! * w;
            s.push({
              units: at[q]! - at[q - 1]!,
              tauValue: cv!.subarray(r0, r1),
              tauCost: cc!.subarray(r0, r1),
              eligible: c.withEligible ? ce!.subarray(r0, r1) : undefined,
              tauValueLower: c.withLower ? cl!.subarray(r0, r1) : undefined,
            });
          }
          return s.allocate();
        };
        const wholeAll = () =>
          allocate(
            candidatesFromMatrix({
              nUnits: n,
              nActions: k,
              tauValue: tv,
              tauCost: tc,
              eligible: c.withEligible ? eligible : undefined,
              tauValueLower: c.withLower ? lower : undefined,
            }),
            options,
          );
        expect(outcome(streamedAll)).toStrictEqual(outcome(wholeAll));
      }),
      { numRuns: 400, seed: 424242 },
    );
  });

  it("gives the same answer when asked again (the solver's work leaves the stream's state as it was)", () => {
    // Budget-only problems often: their hull increments are the stream's own.
    const budgetOnly = grid(0, 40).map((budget): AllocationOptions => ({ budget }));
    fc.assert(
      fc.property(instanceArb, fc.oneof(optionsArb, budgetOnly), (inst, options) => {
        const s = new AllocationStream({ nActions: inst.k, eligible: true, tauValueLower: true }, options);
        const pick = (xs: number[]) => xs.filter((_, i) => i % inst.k !== 0);
        s.push({
          units: inst.n,
          tauValue: pick(inst.tv),
          tauCost: pick(inst.tc),
          eligible: pick(inst.eligible),
          tauValueLower: pick(inst.lower),
        });
        const first = outcome(() => s.allocate());
        expect(outcome(() => s.allocate())).toStrictEqual(first);
        expect(first).toStrictEqual(outcome(() => whole(inst, options, true)));
      }),
      { numRuns: 200, seed: 8 },
    );
  });

  it("rejects a non-finite eligible score with allocate's error and row numbers", () => {
    const inst: Instance = {
      n: 2,
      k: 3,
      tv: [0, 1, Number.NaN, 0, 2, 3],
      tc: [0, 1, 1, 0, Number.POSITIVE_INFINITY, 1],
      lower: [0, 0, 0, 0, 0, 0],
      eligible: [0, 1, 1, 0, 1, 1],
      chunks: [1, 1],
    };
    const got = outcome(() => streamed(inst, { budget: 1 }, true));
    expect(got).toStrictEqual(outcome(() => whole(inst, { budget: 1 }, true)));
    expect(got).toMatchObject({ error: "non_finite_score" });
  });

  it("checks the options and the chunks' shape up front", () => {
    expect(() => new AllocationStream({ nActions: 0 })).toThrow(/nActions/);
    for (const expectUnits of [-1, 2.5, Number.NaN])
      expect(() => new AllocationStream({ nActions: 4, expectUnits })).toThrow(
        /expectUnits must be a non-negative integer/,
      );
    expect(() => new AllocationStream({ nActions: 2 }, { budget: -1 })).toThrow(/budget/);
    // Before any score is in: so a bad option is named even when the scores are bad too (the
    // JSDoc's one exception to "the same errors").
    const bad: Instance = {
      n: 1,
      k: 2,
      tv: [0, Number.NaN],
      tc: [0, 1],
      lower: [0, 0],
      eligible: [0, 1],
      chunks: [1],
    };
    expect(outcome(() => whole(bad, { budget: -1 }, false))).toMatchObject({ error: "non_finite_score" });
    expect(outcome(() => streamed(bad, { budget: -1 }, false))).toMatchObject({ error: "invalid_option" });
    expect(() => new AllocationStream({ nActions: 2 }, { risk: "lower" })).toThrow(/tauValueLower/);
    const s = new AllocationStream({ nActions: 3 });
    expect(() => s.push({ units: 1, tauValue: [1], tauCost: [1, 2] })).toThrow(/units x \(K - 1\) = 2/);
    expect(() => s.push({ units: 1, tauValue: [1, 2], tauCost: [1, 2], eligible: [1, 1] })).toThrow(
      /eligible not expected/,
    );
    s.push({ units: 1, tauValue: [3, 5], tauCost: [1, 3] });
    expect(s.allocate().action).toStrictEqual(new Int32Array([2]));
    expect(() => s.push({ units: 0, tauValue: [], tauCost: [] })).toThrow(/after allocate/);
  });
});
