import { describe, expect, it } from "vitest";
import { assignmentBucket, assignmentBuckets } from "./assignment-hash.js";
import { chiSquareSf } from "./chi-square.js";

const ids = (n: number) => Array.from({ length: n }, (_, i) => `u${String(i + 1).padStart(6, "0")}`);

describe("assignmentBucket", () => {
  it("is stable: golden buckets committed here (also computed by an independent Python MurmurHash3)", () => {
    // key = salt + U+001F + program + U+001F + unit id, UTF-8, MurmurHash3 x86_32 seed 0.
    expect(assignmentBucket("s1", "winback", "u000001")).toBe(3258571490);
    expect(assignmentBucket("s1", "winback", "u000002")).toBe(2286918774);
    expect(assignmentBucket("s1", "winback", "u000003")).toBe(1747998819);
    expect(assignmentBucket("s2", "winback", "u000001")).toBe(1160064652);
    expect(assignmentBucket("s1", "upsell", "u000001")).toBe(3039789579);
    expect(assignmentBucket("2026-q1", "reactivation", "user-éè-42")).toBe(3379669930);
  });

  it("batch and single versions agree", () => {
    const u = ids(500);
    const b = assignmentBuckets("salt", "prog", u);
    for (let i = 0; i < u.length; i++) expect(b[i]).toBe(assignmentBucket("salt", "prog", u[i]!));
  });

  it("is uniform over 100 buckets (chi-square over 200,000 sequential ids)", () => {
    const n = 200_000;
    const counts = new Float64Array(100);
    for (const b of assignmentBuckets("uniformity", "prog", ids(n)))
      counts[Math.floor((b / 2 ** 32) * 100)]!++;
    let chi = 0;
    for (const c of counts) chi += (c - n / 100) ** 2 / (n / 100);
    const p = chiSquareSf(chi, 99);
    console.log(`hash uniformity: chi-square ${chi.toFixed(1)} on 99 df, p = ${p.toFixed(3)}`);
    expect(p).toBeGreaterThan(0.001);
    // And the low bits too (a bucket modulo a small number must also be uniform).
    const mod = new Float64Array(7);
    for (const b of assignmentBuckets("uniformity", "prog", ids(70_000))) mod[b % 7]!++;
    let chi7 = 0;
    for (const c of mod) chi7 += (c - 10_000) ** 2 / 10_000;
    expect(chiSquareSf(chi7, 6)).toBeGreaterThan(0.001);
  });

  it("different salts (or programs) give independent splits", () => {
    const u = ids(40_000);
    const a = assignmentBuckets("salt-a", "prog", u);
    const b = assignmentBuckets("salt-b", "prog", u);
    const c = assignmentBuckets("salt-a", "other", u);
    // 2 x 2 table of halves: independence means each cell holds about a quarter.
    for (const other of [b, c]) {
      const t = [0, 0, 0, 0];
      for (let i = 0; i < u.length; i++) t[(a[i]! < 2 ** 31 ? 0 : 2) + (other[i]! < 2 ** 31 ? 0 : 1)]!++;
      let chi = 0;
      for (const x of t) chi += (x - 10_000) ** 2 / 10_000;
      expect(chiSquareSf(chi, 3)).toBeGreaterThan(0.001);
    }
  });

  it("refuses salts or programs that would make the key ambiguous", () => {
    expect(() => assignmentBucket("", "p", "u")).toThrow(/salt/);
    expect(() => assignmentBucket("a\u001fb", "p", "u")).toThrow(/separator/);
    expect(() => assignmentBuckets("s", "p\u001f", ["u"])).toThrow(/separator/);
  });
});
