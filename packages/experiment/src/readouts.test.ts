import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { createRng } from "@cia/core";
import { describe, expect, it } from "vitest";
import { averageEffects } from "./average-effects.js";
import { hajekMean } from "./hajek-mean.js";
import { countActions, sampleRatioMismatch } from "./sample-ratio-mismatch.js";

describe("hajekMean", () => {
  it("is sum(Y/pi) / sum(1/pi) with the linearization standard error", () => {
    const y = [1, 2, 3, 10];
    const p = [0.5, 0.25, 0.5, 0.1];
    const w = p.map((v) => 1 / v);
    const sw = w.reduce((s, v) => s + v, 0);
    const mu = y.reduce((s, v, i) => s + w[i]! * v, 0) / sw;
    const se = Math.sqrt(y.reduce((s, v, i) => s + (w[i]! * (v - mu)) ** 2, 0)) / sw;
    const m = hajekMean(y, p);
    expect(m.estimate).toBeCloseTo(mu, 14);
    expect(m.se).toBeCloseTo(se, 14);
    expect(m.upper - m.estimate).toBeCloseTo(1.959963984540054 * se, 12);
    expect(m.effectiveSampleSize).toBeCloseTo(sw ** 2 / w.reduce((s, v) => s + v * v, 0), 12);
    // With a constant propensity it is the plain mean.
    expect(hajekMean(y, [0.3, 0.3, 0.3, 0.3]).estimate).toBeCloseTo(4, 14);
  });

  it("supports masks and target-policy weights, and validates inputs", () => {
    const y = [1, 2, 3];
    const p = [0.5, 0.5, 0.25];
    expect(hajekMean(y, p, { mask: [0, 1, 1] }).estimate).toBeCloseTo((2 * 2 + 3 * 4) / 6, 14);
    expect(hajekMean(y, p, { target: [1, 0, 0] }).estimate).toBe(1);
    expect(() => hajekMean(y, [0.5, 0, 1])).toThrow(/propensity/);
    expect(() => hajekMean(y, [0.5, 0.5])).toThrow(/rows/);
    expect(() => hajekMean([1], [0.5], { mask: [0] })).toThrow(/no rows/);
    // NaN propensities mark rows that were not assigned: skipped without a mask.
    expect(hajekMean([1, 99], [0.5, Number.NaN]).estimate).toBe(1);
  });
});

describe("averageEffects", () => {
  it("reduces to the difference in means with constant propensities, and reads cost and CPI", () => {
    const action = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, -1]);
    const propensity = Float64Array.from([
      1 / 3,
      1 / 3,
      1 / 3,
      1 / 3,
      1 / 3,
      1 / 3,
      1 / 3,
      1 / 3,
      Number.NaN,
    ]);
    const value = Float64Array.from([1, 2, 3, 4, 6, 8, 0, 2, 1000]);
    const cost = Float64Array.from([0, 0, 0, 1, 2, 3, 1, 1, 1000]);
    const [e1, e2] = averageEffects({ action, propensity, value, cost, actions: ["control", "a", "b"] });
    expect(e1!.value.estimate).toBeCloseTo(6 - 2, 14);
    // Var = sum (y - ybar)^2 / n^2 per arm: (2/9) + (8/9).
    expect(e1!.value.se).toBeCloseTo(Math.sqrt(2 / 9 + 8 / 9), 14);
    expect(e1!.cost!.estimate).toBeCloseTo(2, 14);
    expect(e1!.costPerValue!.estimate).toBeCloseTo(0.5, 14);
    // Delta method: cost and value move together in arm a (cov), control cost is constant.
    const varV = 2 / 9 + 8 / 9;
    const varC = 2 / 9;
    const cov = (2 * 1 + 0 + 2 * 1) / 9;
    const seR = Math.sqrt(varC - 2 * 0.5 * cov + 0.25 * varV) / 4;
    expect(e1!.costPerValue!.se).toBeCloseTo(seR, 12);
    expect(e2!.name).toBe("b");
    expect(e2!.n).toBe(2);
    expect(e2!.nControl).toBe(3);
    expect(() =>
      averageEffects({ action: [1, 1], propensity: [0.5, 0.5], value: [1, 2], actions: ["c", "a"] }),
    ).toThrow(/control/);
    expect(() =>
      averageEffects({ action: [0, 3], propensity: [0.5, 0.5], value: [1, 2], actions: ["c", "a"] }),
    ).toThrow(/action 3/);
  });

  it("gives cost-per-value intervals that cover at about 95% (delta) and a reproducible bootstrap", () => {
    // Two arms, skewed propensities depending on a covariate that also drives the outcomes.
    const reps = 200;
    const n = 1500;
    let covered = 0;
    let coveredFieller = 0;
    let reliable = 0;
    const trueR = 1.5 / 2; // tau_c / tau_v
    for (let r = 0; r < reps; r++) {
      const rng = createRng(`cpi-${r}`);
      const action = new Int32Array(n);
      const propensity = new Float64Array(n);
      const value = new Float64Array(n);
      const cost = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const x = rng.next();
        const p1 = 0.2 + 0.6 * x;
        const a = rng.bernoulli(p1);
        action[i] = a;
        propensity[i] = a ? p1 : 1 - p1;
        value[i] = 3 * x + a * 2 + rng.normal(0, 2);
        cost[i] = a * (1.5 + rng.normal(0, 1));
      }
      const [e] = averageEffects({ action, propensity, value, cost, actions: ["control", "offer"] });
      const c = e!.costPerValue!;
      if (c.reliable) reliable++;
      if (c.lower <= trueR && trueR <= c.upper) covered++;
      const [f] = averageEffects({
        action,
        propensity,
        value,
        cost,
        actions: ["control", "offer"],
        ratio: { method: "fieller" },
      });
      if (f!.costPerValue!.lower <= trueR && trueR <= f!.costPerValue!.upper) coveredFieller++;
    }
    const coverage = covered / reps;
    const coverageFieller = coveredFieller / reps;
    console.log(
      `CPI coverage over ${reps} repetitions (n=${n}): delta ${coverage.toFixed(3)}, Fieller ${coverageFieller.toFixed(3)}; reliable ${reliable}/${reps}`,
    );
    expect(coverageFieller).toBeGreaterThan(0.9);
    expect(coverageFieller).toBeLessThan(0.99);
    expect(coverage).toBeGreaterThan(0.9);
    expect(coverage).toBeLessThan(0.99);

    const rng = createRng("boot");
    const m = 800;
    const action = Int32Array.from({ length: m }, () => rng.bernoulli(0.5));
    const propensity = new Float64Array(m).fill(0.5);
    const value = Float64Array.from(action, (a) => 1 + 2 * a + rng.normal(0, 1));
    const cost = Float64Array.from(action, (a) => a * (1 + rng.normal(0, 0.5)));
    const opts = {
      action,
      propensity,
      value,
      cost,
      actions: ["control", "offer"],
      ratio: { method: "bootstrap" as const, resamples: 300, seed: 9 },
    };
    const [b1] = averageEffects(opts);
    const [b2] = averageEffects(opts);
    const [d] = averageEffects({ ...opts, ratio: { method: "delta" } });
    expect(b1!.costPerValue).toEqual(b2!.costPerValue);
    expect(b1!.costPerValue!.method).toBe("bootstrap");
    // Bootstrap and delta intervals agree roughly when the value effect is strong.
    expect(Math.abs(b1!.costPerValue!.lower - d!.costPerValue!.lower)).toBeLessThan(0.03);
    expect(Math.abs(b1!.costPerValue!.upper - d!.costPerValue!.upper)).toBeLessThan(0.03);
  });
});

// Peer check on real RCT data: Hillstrom (1/3 per arm). The Hajek difference with propensity 1/3
// is the difference in means; the peer (reference.md section 3) reports the test-split ATE and
// its Welch se sqrt(s1^2/n1 + s0^2/n0); our linearization se uses n instead of n - 1 per arm.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const dataDir = process.env.CIA_DATA_DIR ?? resolve(repoRoot, "../shared/data");
const hillstromFile = resolve(dataDir, "hillstrom/hillstrom.csv.gz");
const hasHillstrom = existsSync(hillstromFile);
if (!hasHillstrom)
  console.warn(`Hillstrom peer check skipped: ${hillstromFile} not found (set CIA_DATA_DIR)`);

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"') quoted = !quoted;
    else if (ch === "," && !quoted) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

describe.skipIf(!hasHillstrom)("Hillstrom peer check (CausalML reference, test split)", () => {
  it("matches the peer ATEs and standard errors for spend and conversion; SRM passes", () => {
    const lines = gunzipSync(readFileSync(hillstromFile)).toString("utf8").trim().split("\n");
    const header = splitCsvLine(lines[0]!);
    const col = (name: string) => header.indexOf(name);
    const [iSeg, iSpend, iConv, iSplit] = [col("segment"), col("spend"), col("conversion"), col("split")];
    const arms = ["No E-Mail", "Mens E-Mail", "Womens E-Mail"];
    const action: number[] = [];
    const spend: number[] = [];
    const conversion: number[] = [];
    const all: number[] = [];
    for (let r = 1; r < lines.length; r++) {
      const f = splitCsvLine(lines[r]!);
      const a = arms.indexOf(f[iSeg]!);
      all.push(a);
      if (f[iSplit] !== "test") continue;
      action.push(a);
      spend.push(Number(f[iSpend]));
      conversion.push(Number(f[iConv]));
    }
    const propensity = new Float64Array(action.length).fill(1 / 3);
    const peer = {
      spend: [
        [0.6811772992613772, 0.3226577263680295],
        [0.12702829986769404, 0.2467139191416616],
      ],
      conversion: [
        [0.005670055330527096, 0.002086085838959068],
        [0.0019238418899871152, 0.0018540247530979433],
      ],
    };
    for (const [name, y] of [
      ["spend", spend],
      ["conversion", conversion],
    ] as const) {
      const effects = averageEffects({ action, propensity, value: y, actions: arms });
      effects.forEach((e, j) => {
        const [ate, se] = peer[name][j]!;
        expect(Math.abs(e.value.estimate - ate!) / Math.abs(ate!)).toBeLessThan(1e-12);
        expect(Math.abs(e.value.se - se!) / se!).toBeLessThan(5e-4);
      });
    }
    const srm = sampleRatioMismatch({ observed: countActions(all, 3), shares: [1, 1, 1] });
    console.log(
      `Hillstrom SRM over all 64,000 rows: chi-square ${srm.chiSquare.toFixed(3)}, p = ${srm.pValue.toFixed(3)}`,
    );
    expect(srm.mismatch).toBe(false);
  });
});

describe("averageEffects with a segment mask", () => {
  it("equals the readout of the segment's rows alone", () => {
    const rng = createRng("mask");
    const n = 3000;
    const action = Int32Array.from({ length: n }, () => rng.int(3));
    const propensity = Float64Array.from(action, (a) => (a === 0 ? 0.5 : 0.25));
    const value = Float64Array.from(action, (a) => a + rng.normal(0, 1));
    const cost = Float64Array.from(action, (a) => a * rng.next());
    const segment = Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const actions = ["control", "a", "b"];
    const masked = averageEffects({ action, propensity, value, cost, actions, mask: segment });
    const idx = Array.from({ length: n }, (_, i) => i).filter((i) => segment[i]);
    const pick = <T extends Float64Array | Int32Array>(x: T) => idx.map((i) => x[i]!);
    const alone = averageEffects({
      action: pick(action),
      propensity: pick(propensity),
      value: pick(value),
      cost: pick(cost),
      actions,
    });
    expect(masked).toEqual(alone);
  });
});

describe("Fieller interval for cost per value", () => {
  it("matches the delta interval for a strong value effect and is unbounded for a weak one", () => {
    const rng = createRng("fieller");
    const n = 4000;
    const action = Int32Array.from({ length: n }, () => rng.bernoulli(0.5));
    const propensity = new Float64Array(n).fill(0.5);
    const cost = Float64Array.from(action, (a) => a * (2 + rng.normal(0, 0.5)));
    const strong = Float64Array.from(action, (a) => 3 * a + rng.normal(0, 1));
    const weak = Float64Array.from(action, (a) => 0.01 * a + rng.normal(0, 3));
    const actions = ["control", "offer"];
    const [d] = averageEffects({ action, propensity, value: strong, cost, actions });
    const [f] = averageEffects({
      action,
      propensity,
      value: strong,
      cost,
      actions,
      ratio: { method: "fieller" },
    });
    expect(f!.costPerValue!.method).toBe("fieller");
    expect(f!.costPerValue!.lower).toBeCloseTo(d!.costPerValue!.lower, 2);
    expect(f!.costPerValue!.upper).toBeCloseTo(d!.costPerValue!.upper, 2);
    expect(f!.costPerValue!.lower).toBeLessThan(f!.costPerValue!.estimate);
    expect(f!.costPerValue!.upper).toBeGreaterThan(f!.costPerValue!.estimate);
    // A value effect indistinguishable from 0: the ratio is not identified and the set is unbounded.
    const [w] = averageEffects({
      action,
      propensity,
      value: weak,
      cost,
      actions,
      ratio: { method: "fieller" },
    });
    expect(w!.costPerValue!.reliable).toBe(false);
    expect(w!.costPerValue!.lower).toBe(Number.NEGATIVE_INFINITY);
    expect(w!.costPerValue!.upper).toBe(Number.POSITIVE_INFINITY);
  });
});
