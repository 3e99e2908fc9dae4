import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../test-helpers/run-cli.js";

const decision = (id: string, unit: string, action: string, time: string, lifecycle?: string) =>
  JSON.stringify({
    schema_version: 1,
    decision_id: id,
    unit_id: unit,
    program: "winback",
    surface: "app",
    policy_id: "p",
    policy_version: "1",
    decision_time: time,
    eligible_actions: ["control", "offer"],
    action,
    propensity: 0.5,
    action_probabilities: { control: 0.5, offer: 0.5 },
    design: "uniform",
    features: lifecycle === undefined ? {} : { lifecycle },
  });
const cost = (id: string, unit: string, decisionId: string | undefined, amount: number, time: string) =>
  JSON.stringify({
    schema_version: 1,
    event_id: id,
    unit_id: unit,
    ...(decisionId ? { decision_id: decisionId } : {}),
    kind: "cost",
    amount,
    time,
    cost_definition: "realized_redemption",
  });

describe("cia ledger", () => {
  it("one row per offer from the logs, in days since day zero; pace reads it; unmatched costs counted", async () => {
    const dir = tempDir();
    const decisions = join(dir, "d.jsonl");
    writeFileSync(
      decisions,
      `${[
        decision("d1", "u1", "offer", "2026-03-01T12:00:00Z", "active"),
        decision("d2", "u2", "control", "2026-03-01T13:00:00Z", "active"),
        decision("d3", "u3", "offer", "2026-03-02T00:00:00Z"),
      ].join("\n")}\n`,
    );
    const outcomes = join(dir, "o.jsonl");
    writeFileSync(
      outcomes,
      `${[
        cost("e1", "u1", "d1", 3, "2026-03-03T12:00:00Z"),
        cost("e2", "u1", "d1", 2, "2026-03-04T12:00:00Z"),
        cost("e3", "u2", "d2", 4, "2026-03-03T00:00:00Z"),
        cost("e4", "u9", undefined, 1, "2026-03-03T00:00:00Z"),
      ].join("\n")}\n`,
    );
    const out = join(dir, "ledger.csv");
    const r = await runCli([
      "ledger",
      "--decisions",
      decisions,
      "--outcomes",
      outcomes,
      "--predicted-cost",
      "5",
      "--segment",
      "lifecycle",
      "--out",
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(
      "assigned_at,segment,predicted_cost,redeemed_at,realized_cost\n0.5,active,5,2.5,5\n1,(missing),5,,\n",
    );
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({
      offers: 2,
      redeemed: 1,
      day_zero: "2026-03-01T00:00:00.000Z",
      segment_missing: 1,
    });
    expect(s.events).toMatchObject({ cost: 4, matched: 2, toControl: 1, noDecisionId: 1 });
    expect(r.stderr).toMatch(/warning: 2 of 4 cost event\(s\) match no offer/);
    const p = await runCli([
      "pace",
      "--budget",
      "100",
      "--days",
      "10",
      "--day",
      "3",
      "--history",
      out,
      "--out",
      join(dir, "p.json"),
    ]);
    expect(p.code, p.stderr).toBe(0);
    expect(JSON.parse(p.stdout)).toMatchObject({ offers: 2, spend_to_date: 5 });
  });

  it("needs exactly one cost source, and refuses a log without offers", async () => {
    const dir = tempDir();
    const decisions = join(dir, "d.jsonl");
    writeFileSync(decisions, `${decision("d2", "u2", "control", "2026-03-01T13:00:00Z")}\n`);
    const outcomes = join(dir, "o.jsonl");
    writeFileSync(outcomes, "");
    const base = ["ledger", "--decisions", decisions, "--outcomes", outcomes, "--out", join(dir, "l.csv")];
    const none = await runCli(base);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/pass exactly one of --scores FILE .* or --predicted-cost C/);
    const noOffers = await runCli([...base, "--predicted-cost", "1"]);
    expect(noOffers.code).toBe(2);
    expect(noOffers.stderr).toMatch(/no decision gives an offer/);
  });
});
