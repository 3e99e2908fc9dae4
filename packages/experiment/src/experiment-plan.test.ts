import { describe, expect, it } from "vitest";
import { assignProgram } from "./assign-program.js";
import { chiSquareSf } from "./chi-square.js";
import { experimentPlan } from "./experiment-plan.js";
import { countActions } from "./sample-ratio-mismatch.js";
import { uniformDesign } from "./uniform-design.js";

const ids = (n: number) => Array.from({ length: n }, (_, i) => `u${String(i + 1).padStart(6, "0")}`);

describe("experimentPlan", () => {
  const plan = experimentPlan({
    holdout: { share: 0.1, salt: "global-holdout" },
    layers: [
      {
        name: "in_app",
        salt: "layer-1",
        slots: [
          { program: "winback", share: 0.5 },
          { program: "upsell", share: 0.3 },
          { program: "referral", share: 0.2 },
        ],
      },
      { name: "email", salt: "layer-2", slots: [{ program: "newsletter_offer", share: 0.4 }] },
    ],
  });
  const units = ids(50_000);
  const r = plan.route(units);

  it("holds out the configured share and keeps held-out units out of every program", () => {
    let held = 0;
    let leaked = 0;
    for (let i = 0; i < r.n; i++) {
      held += r.holdout[i]!;
      if (r.holdout[i]) for (const s of r.slot) if (s[i] !== -1) leaked++;
    }
    expect(leaked).toBe(0);
    // Binomial(50,000, 0.1): sd 67; allow 4 sd.
    expect(Math.abs(held - 5000)).toBeLessThan(270);
  });

  it("puts every non-held-out unit in exactly one program of a full layer (mutually exclusive)", () => {
    const masks = ["winback", "upsell", "referral"].map((p) => plan.programMask(r, p));
    const shares = [0, 0, 0];
    let badCount = 0;
    for (let i = 0; i < r.n; i++) {
      const inCount = masks.reduce((s, m) => s + m[i]!, 0);
      if (inCount !== (r.holdout[i] ? 0 : 1)) badCount++;
      for (let j = 0; j < masks.length; j++) shares[j]! += masks[j]![i]!;
    }
    expect(badCount).toBe(0);
    const nonHeld = r.n - r.holdout.reduce((s, v) => s + v, 0);
    for (const [j, want] of [0.5, 0.3, 0.2].entries()) {
      expect(Math.abs(shares[j]! / nonHeld - want)).toBeLessThan(0.01);
    }
    // A partial layer leaves the rest unallocated.
    const nl = plan.programMask(r, "newsletter_offer").reduce((s, v) => s + v, 0);
    expect(Math.abs(nl / nonHeld - 0.4)).toBeLessThan(0.01);
  });

  it("routes layers independently (orthogonal) and deterministically", () => {
    const a = plan.programMask(r, "winback");
    const b = plan.programMask(r, "newsletter_offer");
    const t = [0, 0, 0, 0];
    let m = 0;
    for (let i = 0; i < r.n; i++) {
      if (r.holdout[i]) continue;
      t[a[i]! * 2 + b[i]!]!++;
      m++;
    }
    const pa = 0.5;
    const pb = 0.4;
    const expected = [(1 - pa) * (1 - pb), (1 - pa) * pb, pa * (1 - pb), pa * pb].map((p) => p * m);
    let chi = 0;
    for (let j = 0; j < 4; j++) chi += (t[j]! - expected[j]!) ** 2 / expected[j]!;
    expect(chiSquareSf(chi, 3)).toBeGreaterThan(0.001);
    const again = plan.route(units);
    expect(again.slot[0]).toEqual(r.slot[0]);
    expect(again.holdout).toEqual(r.holdout);
  });

  it("routing does not bias the arms inside a program (its hash is independent of the layer hash)", () => {
    const design = uniformDesign({ actions: ["control", "a", "b"] });
    const a = assignProgram({
      program: "winback",
      salt: "p1",
      design,
      unitIds: units,
      inProgram: plan.programMask(r, "winback"),
    });
    const c = countActions(a.action, 3);
    const total = c.reduce((s, v) => s + v, 0);
    let chi = 0;
    for (const x of c) chi += (x - total / 3) ** 2 / (total / 3);
    expect(chiSquareSf(chi, 2)).toBeGreaterThan(0.001);
    expect(a.counts.notInProgram).toBe(r.n - total);
  });

  it("validates the plan", () => {
    const slot = (program: string, share: number) => ({ program, share });
    expect(() =>
      experimentPlan({ layers: [{ name: "l", salt: "s", slots: [slot("a", 0.7), slot("b", 0.4)] }] }),
    ).toThrow(/sum/);
    expect(() =>
      experimentPlan({
        layers: [
          { name: "l", salt: "s", slots: [slot("a", 0.5)] },
          { name: "m", salt: "s", slots: [slot("a", 0.5)] },
        ],
      }),
    ).toThrow(/more than one slot/);
    expect(() => experimentPlan({ holdout: { share: 1, salt: "h" }, layers: [] })).toThrow(/holdout/);
    expect(() => plan.locate("nope")).toThrow(/not in the plan/);
    expect(plan.toJSON()).toEqual(JSON.parse(JSON.stringify(plan.spec)));
  });
});
