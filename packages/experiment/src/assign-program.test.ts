import { createRng } from "@cia/core";
import { describe, expect, it } from "vitest";
import { ASSIGNMENT_STATUS, assignProgram } from "./assign-program.js";
import { chiSquareSf } from "./chi-square.js";
import { sampleRatioMismatch, countActions, expectedActionCounts } from "./sample-ratio-mismatch.js";
import { stratifiedDesign } from "./stratified-design.js";
import { uniformDesign } from "./uniform-design.js";
import { warmStartDesign } from "./warm-start-design.js";

const ids = (n: number) => Array.from({ length: n }, (_, i) => `u${String(i + 1).padStart(6, "0")}`);
const ACTIONS = ["control", "offer_3", "offer_5", "offer_10"];

describe("assignProgram", () => {
  it("gives the same unit the same arm on every run (golden arms for a few ids)", () => {
    const design = uniformDesign({ actions: ACTIONS });
    const a = assignProgram({ program: "winback", salt: "s1", design, unitIds: ids(3) });
    // Buckets 3258571490, 2286918774, 1747998819 (see assignment-hash.test.ts); quarter cuts at 2^30 multiples.
    expect(Array.from(a.action)).toEqual([3, 2, 1]);
    expect(Array.from(a.propensity)).toEqual([0.25, 0.25, 0.25]);
    const again = assignProgram({ program: "winback", salt: "s1", design, unitIds: ids(3) });
    expect(again.action).toEqual(a.action);
  });

  it("realizes the design: warm-start arm counts match the sum of per-unit probabilities", () => {
    const n = 40_000;
    const rng = createRng(3);
    const k = ACTIONS.length;
    const score = Float64Array.from({ length: n * k }, (_, j) => (j % k === 0 ? 0 : rng.normal(0, 1.5)));
    const design = warmStartDesign({ actions: ACTIONS, temperature: 1, epsilon: 0.05 });
    const a = assignProgram({ program: "p", salt: "s", design, unitIds: ids(n), context: { score } });
    const exact = design.probabilities({ n, score });
    // (Checked in plain loops and asserted once: an expect per element is slow.)
    let maxDev = 0;
    for (let j = 0; j < n * k; j++) maxDev = Math.max(maxDev, Math.abs(a.probabilities[j]! - exact[j]!));
    expect(maxDev).toBeLessThanOrEqual(2 ** -32);
    let badPropensity = 0;
    let minPropensity = 1;
    for (let i = 0; i < n; i++) {
      if (a.propensity[i] !== a.probabilities[i * k + a.action[i]!]) badPropensity++;
      minPropensity = Math.min(minPropensity, a.propensity[i]!);
    }
    expect(badPropensity).toBe(0);
    expect(minPropensity).toBeGreaterThanOrEqual(0.05 - 2 ** -32);
    const srm = sampleRatioMismatch({
      observed: countActions(a.action, k),
      expected: expectedActionCounts(a.probabilities, k),
    });
    expect(srm.mismatch).toBe(false);
    // Calibration of propensities: within deciles of the logged probability of offer_10, the
    // realized rate of offer_10 matches the mean probability.
    const p3 = Float64Array.from({ length: n }, (_, i) => a.probabilities[i * k + 3]!);
    const order = Array.from(p3.keys()).sort((x, y) => p3[x]! - p3[y]!);
    let chi = 0;
    for (let d = 0; d < 10; d++) {
      const idx = order.slice((d * n) / 10, ((d + 1) * n) / 10);
      const e = idx.reduce((s, i) => s + p3[i]!, 0);
      const v = idx.reduce((s, i) => s + p3[i]! * (1 - p3[i]!), 0);
      const o = idx.reduce((s, i) => s + (a.action[i] === 3 ? 1 : 0), 0);
      chi += (o - e) ** 2 / v;
    }
    expect(chiSquareSf(chi, 10)).toBeGreaterThan(0.001);
  });

  it("assigns by stratum and records why units were not assigned", () => {
    const design = stratifiedDesign({
      actions: ["control", "offer"],
      strata: ["new", "active", "dormant"],
      probabilities: { new: [0.5, 0.5], active: [1, 0], dormant: [0.2, 0.8] },
    });
    const n = 3000;
    const stratum = Uint8Array.from({ length: n }, (_, i) => i % 3);
    const eligible = Uint8Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 0 : 1));
    const holdout = Uint8Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 1 : 0));
    const a = assignProgram({
      program: "p",
      salt: "s",
      design,
      unitIds: ids(n),
      context: { stratum },
      eligible,
      holdout,
    });
    const wrong: number[] = [];
    for (let i = 0; i < n; i++) {
      let ok: boolean;
      if (holdout[i]) {
        ok = a.status[i] === ASSIGNMENT_STATUS.holdout && a.action[i] === -1 && a.probabilities[i * 2] === 1;
      } else if (!eligible[i]) {
        ok = a.status[i] === ASSIGNMENT_STATUS.ineligible && Number.isNaN(a.propensity[i]!);
      } else {
        // A probability-0 arm is never drawn: active units (stratum 1) all stay on no-offer.
        ok = a.status[i] === ASSIGNMENT_STATUS.assigned && (stratum[i] !== 1 || a.action[i] === 0);
      }
      if (!ok) wrong.push(i);
    }
    expect(wrong).toEqual([]);
    expect(a.counts.assigned + a.counts.ineligible + a.counts.holdout).toBe(n);
    expect(() => assignProgram({ program: "p", salt: "s", design, unitIds: ids(2), eligible: [1] })).toThrow(
      /eligible/,
    );
  });
});
