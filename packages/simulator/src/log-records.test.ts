import {
  buildExperimentTable,
  concurrentAssignmentSchema,
  decisionSchema,
  outcomeEventSchema,
  realizedTreatmentSchema,
  validateLogConsistency,
} from "@cia/logging-schema";
import { describe, expect, it } from "vitest";
import { uniformDesign } from "./assignment-designs.js";
import { createWorld } from "./create-world.js";
import { logRecords } from "./log-records.js";

describe("logRecords", () => {
  const world = createWorld("interference");
  const k = world.actions.length;
  const pop = world.sampleUnits(3_000, { seed: 21 });
  const log = world.log(pop, uniformDesign(k), { seed: 22 });
  const recs = logRecords(world, pop, log, { program: "winback", design: "uniform" });
  const decisions = Array.from(recs.decisions);
  const realized = Array.from(recs.realizedTreatments);
  const outcomes = Array.from(recs.outcomes);
  const concurrent = Array.from(recs.concurrentAssignments);

  it("writes records that @cia/logging-schema accepts and that are consistent with each other", () => {
    expect(decisions.length).toBe(pop.n);
    for (const d of decisions) decisionSchema.parse(d);
    for (const r of realized) realizedTreatmentSchema.parse(r);
    for (const o of outcomes) outcomeEventSchema.parse(o);
    for (const c of concurrent) concurrentAssignmentSchema.parse(c);
    expect(validateLogConsistency({ decisions, realizedTreatments: realized, outcomes })).toEqual([]);
    expect(new Set(outcomes.map((o) => o.event_id)).size).toBe(outcomes.length);
    expect(decisions[0]!.propensity).toBeCloseTo(1 / k, 12);
    expect(decisions[0]!.features!.platform).toMatch(/ios|android|web/);
  });

  it("logs delivered, seen and redeemed events that match the log's arrays", () => {
    const count = (event: string) => realized.filter((r) => r.event === event).length;
    let delivered = 0;
    let seen = 0;
    let redeemed = 0;
    for (let i = 0; i < pop.n; i++) {
      delivered += log.events.delivered[i]!;
      seen += log.compliant[i]!;
      if (log.cost[i]! > 0) redeemed++;
    }
    expect(count("delivered")).toBe(delivered);
    expect(count("seen")).toBe(seen);
    expect(count("redeemed")).toBe(redeemed);
    expect(concurrent.length).toBe(pop.n);
    expect(concurrent.filter((c) => c.action === "double_points").length).toBe(
      pop.concurrent!.reduce((s, v) => s + v, 0),
    );
  });

  it("rebuilds log.value, log.valueShort and log.cost through label building at the two horizons", () => {
    const asOf = new Date(log.periodStart + 200 * 86_400_000).toISOString();
    for (const [days, column] of [
      [log.horizonDays, log.value],
      [log.shortWindowDays, log.valueShort],
    ] as const) {
      const table = buildExperimentTable(decisions, outcomes, {
        horizonDays: days,
        asOf,
        valueMetric: "margin",
      });
      expect(table.rows.length).toBe(pop.n);
      const byUnit = new Map(table.rows.map((r) => [r.unit_id, r]));
      for (let i = 0; i < pop.n; i++) {
        const row = byUnit.get(pop.unitIds[i]!)!;
        expect(row.value).toBeCloseTo(column[i]!, 9);
        // Cost is realized at redemption (the first order), so a short window sees only early redemptions.
        const lag = log.redemptionLagDays[i]!;
        expect(row.cost).toBeCloseTo(lag < days ? log.cost[i]! : 0, 9);
        expect(row.propensity).toBe(log.propensity[i]);
      }
    }
  });

  it("has no concurrent records outside the interference world", () => {
    const w = createWorld("default");
    const p = w.sampleUnits(10, { seed: 1 });
    const l = w.log(p, uniformDesign(5), { seed: 1 });
    expect(Array.from(logRecords(w, p, l).concurrentAssignments)).toEqual([]);
  });
});
