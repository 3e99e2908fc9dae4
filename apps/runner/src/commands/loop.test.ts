import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readDecisions } from "@cia/logging-schema";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../test-helpers/run-cli.js";

describe("cia loop (small: 3 periods)", () => {
  it("logs every decision with its propensity, censors the last period, re-learns and reports", async () => {
    const out = tempDir("cia-loop-");
    const r = await runCli([
      "loop",
      "--world",
      "drift",
      "--periods",
      "3",
      "--units",
      "1200",
      "--pilot-units",
      "2500",
      "--explore",
      "0.1",
      "--floor",
      "0.02",
      "--control-floor",
      "0.15",
      "--refit",
      "always",
      "--seed",
      "3",
      "--out",
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const loop = JSON.parse(readFileSync(join(out, "loop.json"), "utf8"));
    expect(loop.periods).toHaveLength(3);
    for (const p of loop.periods) {
      for (const f of [
        "period",
        "budget",
        "trueValue",
        "trueCost",
        "oracleValue",
        "minPropensity",
        "retrained",
      ])
        expect(p).toHaveProperty(f);
      expect(p.decisionsWithPropensity).toBe(p.decisions);
      expect(p.decisions).toBe(1200);
      // Floor default: epsilon / K = 0.02 for every action.
      expect(p.minPropensity).toBeGreaterThanOrEqual(0.02 - 1e-9);
      expect(p.static).toHaveProperty("trueValue");
      expect(p.heuristic).toHaveProperty("oracleValue");
      expect(p.trueValue).toBeLessThanOrEqual(p.oracleValue + 1e-6);
      expect(p.ope.map((c: { candidate: string }) => c.candidate)).toEqual([
        "shipped",
        "loop (recommended)",
        "static",
        "heuristic",
      ]);
    }
    // Labels arrive when horizons close: at period 2 the pilot and period 0 are labelled, period 1 is censored.
    expect(loop.periods[2].labelledPeriods).toEqual([-1, 0]);
    expect(loop.periods[2].censoredPeriods).toEqual([1]);
    expect(loop.periods[0].retrained).toBe(false);
    expect(loop.periods[0].validation).toBeNull();
    // The re-fit at period 2 is validated first: a probe without period 0 against the incumbent on
    // period 0's logs; it is adopted unless significantly worse.
    const v = loop.periods[2].validation;
    expect(v.heldOutPeriod).toBe(0);
    expect(v.lower).toBeLessThanOrEqual(v.estimate);
    expect(v.estimate).toBeLessThanOrEqual(v.upper);
    expect(Number.isFinite(v.truth)).toBe(true);
    expect(v.adopted).toBe(!(v.upper < 0));
    expect(loop.periods[2].retrained).toBe(v.adopted);
    if (v.adopted) expect(loop.periods[2].modelVersion).not.toBe(loop.periods[0].modelVersion);
    // The pacer's budget stays within its band around the plan.
    for (const p of loop.periods) {
      expect(p.budget).toBeGreaterThanOrEqual(0.5 * p.plannedBudget - 1e-6);
      expect(p.budget).toBeLessThanOrEqual(1.5 * p.plannedBudget + 1e-6);
    }
    const decisions = await readDecisions(join(out, "periods", "decisions-1.jsonl")).toArray();
    expect(decisions).toHaveLength(1200);
    for (const d of decisions) {
      const probs = Object.values(d.action_probabilities!);
      // No offer keeps the control floor wherever an offer is recommended (the largest mass).
      const top = Math.max(...probs);
      if (d.action_probabilities!.control !== top)
        expect(d.action_probabilities!.control).toBeGreaterThanOrEqual(0.15 - 1e-6);
      expect(Math.min(...probs)).toBeGreaterThanOrEqual(0.02 - 1e-6);
    }
    for (const d of decisions.slice(0, 50)) {
      expect(d.propensity).toBeCloseTo(d.action_probabilities![d.action]!, 12);
      expect(d.policy_version).toBe(loop.periods[1].modelVersion);
      expect(d.design).toBe("policy");
    }
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain("<svg");
    expect(html).toContain("True incremental value");
  }, 60_000);
});
