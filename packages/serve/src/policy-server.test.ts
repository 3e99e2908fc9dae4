import { join } from "node:path";
import { readDecisions } from "@cia/logging-schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DecisionLog } from "./decision-log.js";
import { loadPolicyBundle } from "./load-policy-bundle.js";
import { type PolicyServer, createPolicyServer } from "./policy-server.js";
import { liveRecords } from "./test-helpers/live-records.js";
import { type ServingFixture, requestFeatures, servingFixture } from "./test-helpers/serving-fixture.js";

let fx: ServingFixture;
let server: PolicyServer;
let logDir: string;

beforeAll(async () => {
  fx = await servingFixture({ units: 600, deploy: { epsilon: 0.1, dailyBudget: 50 } });
  logDir = join(fx.dir, "logs");
  const log = await DecisionLog.open({ dir: logDir });
  server = await createPolicyServer({ bundle: loadPolicyBundle(fx.bundleDir), log });
});
afterAll(async () => {
  await server?.close();
});

const post = (url: string, payload: unknown) =>
  server.app.inject({ method: "POST", url, payload: payload as object });

describe("POST /decide", () => {
  it("answers one decision with the bundle's ids and logs it before answering", async () => {
    const r = await post("/decide", { unit_id: fx.units.unitIds[0], features: requestFeatures(fx.units, 0) });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(Object.keys(body).sort()).toEqual([
      "action",
      "decision_id",
      "model_version",
      "policy_id",
      "propensity",
    ]);
    expect(body.policy_id).toBe("winback-test");
    expect(body.model_version).toBe(fx.deployed.manifest.model_version);
    expect(fx.deployed.manifest.actions).toContain(body.action);
    expect(body.propensity).toBeGreaterThan(0);
    // Acknowledged means durable: the record is in the file right now.
    const logged = liveRecords(join(logDir, "decisions-000001.jsonl"));
    const rec = logged.find((d) => d.decision_id === body.decision_id)!;
    expect(rec.action).toBe(body.action);
    expect(rec.propensity).toBe(body.propensity);
    expect(rec.feature_contract_hash).toBe(fx.deployed.bundle.model.file.contract_hash);
  });

  it("gives the same action and propensity to a retried request (deterministic draw)", async () => {
    const payload = { unit_id: fx.units.unitIds[5], features: requestFeatures(fx.units, 5) };
    const a = (await post("/decide", payload)).json();
    const b = (await post("/decide", payload)).json();
    expect(b.action).toBe(a.action);
    expect(b.propensity).toBe(a.propensity);
    expect(b.decision_id).not.toBe(a.decision_id);
  });

  it("answers a batch in order, and refuses a batch with one bad item whole, naming it", async () => {
    const requests = [0, 1, 2].map((i) => ({
      unit_id: fx.units.unitIds[i],
      features: requestFeatures(fx.units, i),
    }));
    const ok = await post("/decide", { requests });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().decisions).toHaveLength(3);
    const bad = structuredClone(requests);
    bad[1]!.features.platform = "toaster";
    const r = await post("/decide", { requests: bad });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({
      error: "contract_violation",
      issues: [{ index: 1, field: "features.platform", code: "unseen_category" }],
    });
  });

  it("answers malformed requests with 4xx naming the field and reason, and counts them", async () => {
    const f = requestFeatures(fx.units, 0);
    const { platform: _p, ...missing } = f;
    const cases: [unknown, number, string, string?][] = [
      [
        { unit_id: "u", features: { ...f, tenure_days: "long" } },
        400,
        "contract_violation",
        "features.tenure_days",
      ],
      [{ unit_id: "u", features: missing }, 400, "invalid_request", "features.platform"],
      [{ unit_id: 7, features: f }, 400, "invalid_request", "unit_id"],
      [{ unit_id: "u" }, 400, "invalid_request", "features"],
      [{ unit_id: "u", features: { ...f, region: { x: 1 } } }, 400, "invalid_request", "features.region"],
      [{ unit_id: "u", features: f, eligible_actions: ["nope"] }, 400, "invalid_request", "eligible_actions"],
      [[1, 2], 400, "invalid_request"],
    ];
    for (const [payload, status, error, field] of cases) {
      const r = await post("/decide", payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(status);
      expect(r.json().error).toBe(error);
      if (field) expect(r.json().issues.map((i: { field: string }) => i.field)).toContain(field);
    }
    const badJson = await server.app.inject({
      method: "POST",
      url: "/decide",
      headers: { "content-type": "application/json" },
      payload: '{"unit_id": "u", "features": {',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error).toBe("bad_json");
    const huge = await server.app.inject({
      method: "POST",
      url: "/decide",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ unit_id: "u", features: f, pad: "x".repeat(2 ** 21) }),
    });
    expect(huge.statusCode).toBe(413);
    const text415 = await server.app.inject({
      method: "POST",
      url: "/decide",
      headers: { "content-type": "text/plain" },
      payload: "unit_id=u",
    });
    expect(text415.statusCode).toBe(415);
    const empty = await server.app.inject({
      method: "POST",
      url: "/decide",
      headers: { "content-type": "application/json" },
      payload: "",
    });
    expect(empty.statusCode).toBe(400);
    const text = await (await server.app.inject({ method: "GET", url: "/metrics" })).body;
    expect(text).toMatch(
      /cia_serve_contract_violations_total\{feature="tenure_days",code="invalid_type"\} 1/,
    );
    expect(text).toMatch(/cia_serve_errors_total\{reason="bad_json"\} 2/);
    expect(text).toMatch(/cia_serve_errors_total\{reason="payload_too_large"\} 1/);
  });

  it("honours per-request eligibility", async () => {
    const r = await post("/decide", {
      unit_id: fx.units.unitIds[9],
      features: requestFeatures(fx.units, 9),
      eligible_actions: ["control"],
    });
    expect(r.json()).toMatchObject({ action: "control", propensity: 1 });
  });
});

describe("budget guard, health and metrics", () => {
  it("moves lambda on spend reports and stops offering once today's budget is spent", async () => {
    const before = server.guard.lambda;
    const bad = await post("/spend", { spend: -1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].field).toBe("spend");
    const s1 = (await post("/spend", { spend: 10, target: 5 })).json();
    expect(s1.hard_stop).toBe(false);
    expect(s1.spent_today).toBe(10);
    const s2 = (await post("/spend", { spend: 45, target: 5 })).json();
    expect(s2.hard_stop).toBe(true);
    expect(s2.lambda).toBeGreaterThanOrEqual(before);
    for (let i = 20; i < 40; i++) {
      const r = (
        await post("/decide", { unit_id: fx.units.unitIds[i], features: requestFeatures(fx.units, i) })
      ).json();
      expect(r).toMatchObject({ action: "control", propensity: 1 });
    }
    const health = (await server.app.inject({ method: "GET", url: "/health" })).json();
    expect(health.status).toBe("ok");
    expect(health.budget.hard_stop).toBe(true);
  });

  it("exposes requests, errors, decisions per action and p50/p99 latency in the Prometheus format", async () => {
    const r = await server.app.inject({ method: "GET", url: "/metrics" });
    expect(r.headers["content-type"]).toMatch(/text\/plain/);
    const text = r.body;
    expect(text).toMatch(/cia_serve_requests_total\{route="\/decide",status="200"\} \d+/);
    expect(text).toMatch(/cia_serve_decisions_total\{action="control",explored="(true|false)"\} \d+/);
    expect(text).toMatch(/cia_serve_request_duration_seconds\{quantile="0.5",route="\/decide"\} [\d.e-]+/);
    expect(text).toMatch(/cia_serve_request_duration_seconds\{quantile="0.99",route="\/decide"\} [\d.e-]+/);
    expect(text).toMatch(/cia_serve_hard_stop 1/);
    // The log's group commits: sync time and group size.
    expect(text).toMatch(/cia_serve_log_sync_seconds\{quantile="0.99"\} [\d.e-]+/);
    expect(text).toMatch(/cia_serve_log_group_records_count [1-9]\d*/);
    expect(text).toMatch(/cia_serve_process_resident_memory_bytes \d+/);
  });

  it("answers unknown routes with 404 and the log parses in strict mode", async () => {
    expect((await server.app.inject({ method: "GET", url: "/nope" })).statusCode).toBe(404);
    await server.close();
    const rows = await readDecisions(join(logDir, "decisions-000001.jsonl"), { mode: "strict" }).toArray();
    expect(rows.length).toBeGreaterThan(25);
  });
});
