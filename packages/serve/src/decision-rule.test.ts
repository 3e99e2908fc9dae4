import { candidatesFromMatrix, allocateWithLambda } from "@cia/optimizer";
import { compileCiaModel, scoreCiaModel } from "@cia/model";
import { describe, expect, it } from "vitest";
import { DecisionLog } from "./decision-log.js";
import { decideTable } from "./decision-rule.js";
import { loadPolicyBundle } from "./load-policy-bundle.js";
import { createPolicyServer } from "./policy-server.js";
import { requestFeatures, servingFixture } from "./test-helpers/serving-fixture.js";
import { join } from "node:path";

describe("the per-unit rule", () => {
  it("recommends argmax tau_value - lambda * tau_cost (allocateWithLambda) and explores with exact propensities", async () => {
    const fx = await servingFixture({ units: 800, deploy: { epsilon: 0.2, floor: 0.01 } });
    const { manifest, bundle, decisions: d } = fx.deployed;
    const p = scoreCiaModel(bundle.model, fx.units).prediction;
    const k = p.nActions;
    const direct = allocateWithLambda(
      candidatesFromMatrix({ nUnits: p.n, nActions: k, tauValue: p.tauValue, tauCost: p.tauCost! }),
      manifest.lambda,
    );
    expect(Array.from(d.recommended)).toEqual(Array.from(direct.action));
    let explored = 0;
    for (let i = 0; i < d.n; i++) {
      const row = d.probabilities.subarray(i * k, (i + 1) * k);
      expect(row.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
      expect(d.propensity[i]).toBe(row[d.action[i]!]);
      // 0.2 / 5 on every action plus 0.8 on the recommendation.
      expect(row[d.recommended[i]!]).toBeCloseTo(0.84, 8);
      if (d.action[i] !== d.recommended[i]) explored++;
    }
    // About 16% of units are moved off their recommendation (0.2 x 4/5).
    expect(explored / d.n).toBeGreaterThan(0.11);
    expect(explored / d.n).toBeLessThan(0.21);
    // Deterministic: deciding again gives the same bytes.
    const again = decideTable(
      {
        model: bundle.model,
        enabled: bundle.enabled,
        guardrails: manifest.guardrails,
        exploration: manifest.exploration,
      },
      fx.units,
      { lambda: manifest.lambda },
    );
    expect(Array.from(again.action)).toEqual(Array.from(d.action));
    const stopped = decideTable(
      {
        model: bundle.model,
        enabled: bundle.enabled,
        guardrails: manifest.guardrails,
        exploration: manifest.exploration,
      },
      fx.units,
      { lambda: manifest.lambda, stopped: true },
    );
    expect(stopped.action.every((a) => a === 0)).toBe(true);
    expect(stopped.propensity.every((x) => x === 1)).toBe(true);
  });

  it("batch and online give the same action and propensity for the same unit and features (3,000 units)", async () => {
    const fx = await servingFixture({ units: 3000, seed: 11, deploy: { epsilon: 0.1 } });
    const d = fx.deployed.decisions;
    const log = await DecisionLog.open({ dir: join(fx.dir, "logs"), durability: "write" });
    const bundle = loadPolicyBundle(fx.bundleDir);
    // Online scoring goes through the compiled model (batch scoring through scoreCiaModel).
    expect(compileCiaModel(bundle.model)).not.toBeNull();
    const server = await createPolicyServer({ bundle, log });
    const actions = fx.deployed.manifest.actions;
    try {
      let mismatches = 0;
      for (let start = 0; start < fx.units.n; start += 500) {
        const requests = [];
        for (let i = start; i < Math.min(fx.units.n, start + 500); i++)
          requests.push({ unit_id: fx.units.unitIds[i], features: requestFeatures(fx.units, i) });
        // Through JSON, as a client would send them.
        const r = await server.app.inject({
          method: "POST",
          url: "/decide",
          payload: JSON.parse(JSON.stringify({ requests })),
        });
        expect(r.statusCode).toBe(200);
        const out = r.json().decisions as { action: string; propensity: number }[];
        out.forEach((o, j) => {
          const i = start + j;
          if (o.action !== actions[d.action[i]!] || o.propensity !== d.propensity[i]) mismatches++;
        });
      }
      // The single-request form agrees too, also when concurrent requests are decided together;
      // a bad request among them is refused alone.
      const singles = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          server.app.inject({
            method: "POST",
            url: "/decide",
            payload: {
              unit_id: fx.units.unitIds[i],
              features:
                i === 7 ? { ...requestFeatures(fx.units, i), region: "mars" } : requestFeatures(fx.units, i),
            },
          }),
        ),
      );
      singles.forEach((r, i) => {
        if (i === 7)
          expect(r.json()).toMatchObject({
            error: "contract_violation",
            issues: [{ field: "features.region" }],
          });
        else if (r.json().action !== actions[d.action[i]!] || r.json().propensity !== d.propensity[i])
          mismatches++;
      });
      expect(mismatches).toBe(0);
      const offers = new Set(Array.from(d.action));
      expect(offers.size).toBeGreaterThan(2);
    } finally {
      await server.close();
    }
  });

  it("agrees on a boosted-tree model too", async () => {
    const fx = await servingFixture({ units: 1000, seed: 5, base: "gbdt", deploy: { epsilon: 0.05 } });
    const log = await DecisionLog.open({ dir: join(fx.dir, "logs"), durability: "write" });
    const bundle = loadPolicyBundle(fx.bundleDir);
    expect(compileCiaModel(bundle.model)).not.toBeNull();
    const server = await createPolicyServer({ bundle, log });
    const actions = fx.deployed.manifest.actions;
    try {
      const requests = Array.from({ length: 1000 }, (_, i) => ({
        unit_id: fx.units.unitIds[i],
        features: requestFeatures(fx.units, i),
      }));
      const out = (await server.app.inject({ method: "POST", url: "/decide", payload: { requests } })).json()
        .decisions;
      expect(out.map((o: { action: string }) => o.action)).toEqual(
        Array.from(fx.deployed.decisions.action, (a) => actions[a]),
      );
    } finally {
      await server.close();
    }
  });
});
