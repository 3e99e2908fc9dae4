import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readHeadlineNumbers } from "../report/read-headline.js";
import { tempDir } from "../test-helpers/run-cli.js";
import { runCommand } from "./run.js";

describe("cia run (end to end on a small default world)", () => {
  it("beats the heuristic in true value at the same spend and writes a report with its charts", async () => {
    const out = tempDir("cia-run-");
    const r = await runCommand({
      world: "default",
      units: 6000,
      seed: "11",
      out,
      quiet: true,
      bootstraps: 2,
      pacingDays: 7,
    });
    const heuristic = r.policies.find((p) => p.name === "heuristic")!;
    const optimizer = r.policies.find((p) => p.name === "optimizer")!;
    // Same spend: read the optimizer's true value off its frontier at the heuristic's true cost
    // (linear interpolation between budgets), so a model that over- or under-spends is not
    // flattered or penalized by the spend difference.
    const pts = [
      { c: 0, v: 0 },
      ...r.frontier.map((p) => ({ c: p.optimizerCost, v: p.optimizerValue })),
    ].sort((a, b) => a.c - b.c);
    const target = heuristic.trueCost;
    let atSpend = Number.NaN;
    for (let i = 1; i < pts.length; i++) {
      if (pts[i]!.c >= target) {
        const a = pts[i - 1]!;
        const b = pts[i]!;
        atSpend = b.c === a.c ? b.v : a.v + ((target - a.c) / (b.c - a.c)) * (b.v - a.v);
        break;
      }
    }
    expect(Number.isFinite(atSpend)).toBe(true);
    expect(atSpend).toBeGreaterThan(heuristic.trueValue);
    // The optimizer at the heuristic's budget itself also wins, and the oracle bounds both.
    expect(optimizer.trueValue).toBeGreaterThan(heuristic.trueValue);
    expect(r.oracle.value).toBeGreaterThanOrEqual(optimizer.trueValue - 1e-9);

    const html = readFileSync(join(out, "report.html"), "utf8");
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(6);
    for (const title of [
      "Calibration: value uplift",
      "Cost-aware gain curve",
      "Value-versus-spend frontier",
      "OPE estimates with intervals",
      "Realized spend to date",
    ]) {
      expect(html).toContain(title);
    }
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    const json = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    expect(json.policies.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["heuristic", "treat-all", "uplift ranking", "optimizer"]),
    );
    for (const f of ["decisions.jsonl", "outcomes.jsonl", "table.csv", "model.json", "assignment.csv"])
      expect(existsSync(join(out, f))).toBe(true);
  });

  it("recommends a policy chosen by OPE, at a calibrated budget, and leads the report with it", async () => {
    const out = tempDir("cia-run-decision-");
    const r = await runCommand({
      world: "default",
      units: 6000,
      seed: "12",
      out,
      quiet: true,
      bootstraps: 2,
      pacingDays: 3,
    });
    const json = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    expect(typeof json.recommended).toBe("string");
    const rec = json.policies.find((p: { name: string }) => p.name === json.recommended);
    expect(rec).toBeDefined();
    expect(Number.isFinite(rec.trueValue) && Number.isFinite(rec.trueCost)).toBe(true);
    // Every calibrated candidate's estimated true spend (the upper bound) meets the budget.
    for (const c of r.decision.candidates.filter((c) => c.name.startsWith("cia ("))) {
      expect(c.opeSpendPerUnit.upper).toBeLessThanOrEqual(r.budget * 1.0021);
      expect(c.handedBudgetPerUnit).toBeGreaterThan(0);
    }
    // The plug-in optimizer stays visible as a candidate; the fallback is the heuristic.
    expect(r.decision.candidates.map((c) => c.name)).toContain("optimizer");
    if (r.decision.fallback) expect(r.recommended).toBe("heuristic");
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html.indexOf(`Recommendation: ${r.recommended}`)).toBeGreaterThan(-1);
    expect(html.indexOf("Recommendation:")).toBeLessThan(html.indexOf("1. Identify"));
    // The headline's numbers on the page are report.json's, and it is paired against the heuristic.
    expect(json.headline.recommended).toBe(json.recommended);
    expect(json.headline.baseline).toBe("heuristic");
    const shown = readHeadlineNumbers(html);
    expect(shown.size).toBeGreaterThanOrEqual(20);
    const at = (path: string) =>
      path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | null)?.[k], json.headline);
    for (const [path, value] of shown) expect(value).toBe(at(path));
    // The decision's own paired difference is the headline's (same units, same reward models).
    const decided = r.decision.candidates.find((c) => c.name === r.recommended);
    if (decided)
      expect(json.headline.vsBaseline.value.estimate).toBeCloseTo(decided.valueVsBaseline.estimate, 9);
    for (const title of [
      "Value for spend",
      "Qini curves per offer",
      "Effective sample size",
      "Caveats, in plain words",
    ])
      expect(html).toContain(title);
    // The shipped assignment is the recommended policy's.
    const lines = readFileSync(join(out, "assignment.csv"), "utf8").trim().split("\n");
    expect(lines.length - 1).toBe(r.holdoutUnits);
  }, 180_000);
});
