import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { CiaError, createRng, denseMatrix, matrixFromRows } from "@cia/core";
import { describe, expect, it } from "vitest";
import { BinMapper } from "./bin-mapper.js";

// sklearn 1.2.1 reference (test/fixtures/make-binning-fixture.py)
const ref = JSON.parse(
  readFileSync(resolve(import.meta.dirname, "../test/fixtures/binning-reference.json"), "utf8"),
);

function fixtureMatrix() {
  const n = 1000;
  const m = denseMatrix(n, 3);
  for (let i = 0; i < n; i++) {
    m.set(i, 0, ((i * 7919) % 1000) / 7);
    m.set(i, 1, ((i * 31) % 40) / 4);
    m.set(i, 2, i % 10 === 0 ? Number.NaN : ((i * 17) % 997) / 3);
  }
  return m;
}

describe("BinMapper", () => {
  it.each([255, 16])("reproduces sklearn's bin edges and bins exactly (maxBins %i)", (maxBins) => {
    const x = fixtureMatrix();
    const mapper = BinMapper.fit(x, { maxBins });
    const expected = ref[String(maxBins)];
    for (let f = 0; f < 3; f++) expect(Array.from(mapper.thresholds[f]!)).toEqual(expected.thresholds[f]);
    const binned = mapper.transform(x);
    for (let f = 0; f < 3; f++)
      expect(Array.from(binned.data.subarray(f * 1000, f * 1000 + 20))).toEqual(expected.binned_first_20[f]);
    expect(binned.data[2 * 1000]).toBe(maxBins); // row 0 of feature 2 is NaN -> missing bin
  });

  it("bins by binary search semantics: v goes to bin i when edge[i-1] < v <= edge[i]", () => {
    const rng = createRng(1);
    const n = 5000;
    const x = denseMatrix(n, 1);
    for (let i = 0; i < n; i++) x.data[i] = rng.normal() * (i % 3 === 0 ? 1e3 : 1);
    const mapper = BinMapper.fit(x, { maxBins: 255 });
    const binned = mapper.transform(x);
    const t = mapper.thresholds[0]!;
    let violations = 0;
    for (let i = 0; i < n; i++) {
      const v = x.data[i]!;
      const b = binned.data[i]!;
      if (b > 0 && !(t[b - 1]! < v)) violations++;
      if (b < t.length && !(v <= t[b]!)) violations++;
      if (mapper.binValue(0, v) !== b) violations++;
    }
    expect(violations).toBe(0);
  });

  it("maps categories to their own bins and unseen ones to the missing bin", () => {
    const x = matrixFromRows([[3], [10], [3], [7], [Number.NaN]]);
    const mapper = BinMapper.fit(x, { categoricalFeatures: [0] });
    expect(Array.from(mapper.categories[0]!)).toEqual([3, 7, 10]);
    expect(Array.from(mapper.transform(x).data)).toEqual([0, 2, 0, 1, 255]);
    expect(mapper.binValue(0, 5)).toBe(255);
    const tooMany = denseMatrix(
      300,
      1,
      Float64Array.from({ length: 300 }, (_, i) => i),
    );
    expect(() => BinMapper.fit(tooMany, { categoricalFeatures: [0] })).toThrow(CiaError);
  });

  it("with integer weights equals the mapper of the repeated rows", () => {
    const rng = createRng(5);
    const n = 600;
    const vals: number[] = [];
    const w: number[] = [];
    const dup: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = rng.normal();
      const k = rng.int(4); // 0..3 copies
      vals.push(v);
      w.push(k);
      for (let r = 0; r < k; r++) dup.push(v);
    }
    const a = BinMapper.fit(denseMatrix(n, 1, Float64Array.from(vals)), { weights: w });
    const b = BinMapper.fit(denseMatrix(dup.length, 1, Float64Array.from(dup)));
    expect(Array.from(a.thresholds[0]!)).toEqual(Array.from(b.thresholds[0]!));
  });

  it("round-trips through JSON", () => {
    const x = fixtureMatrix();
    const mapper = BinMapper.fit(x, { maxBins: 64 });
    const again = BinMapper.fromJSON(JSON.parse(JSON.stringify(mapper.toJSON())));
    expect(again.transform(x).data).toEqual(mapper.transform(x).data);
  });

  it("validates options", () => {
    const x = fixtureMatrix();
    expect(() => BinMapper.fit(x, { maxBins: 256 })).toThrow(/maxBins/);
    expect(() => BinMapper.fit(x, { categoricalFeatures: [3] })).toThrow(/outside/);
  });
});
