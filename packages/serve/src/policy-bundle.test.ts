import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPolicyBundle } from "./load-policy-bundle.js";
import { servingFixture } from "./test-helpers/serving-fixture.js";

describe("policy bundles", () => {
  it("round-trip: the manifest pins the model by hash, the actions and the solved lambda", async () => {
    const fx = await servingFixture({
      units: 400,
      deploy: { epsilon: 0.05, actions: ["offer_3", "offer_5"] },
    });
    const b = loadPolicyBundle(fx.bundleDir);
    expect(b.manifest).toMatchObject({
      format: "cia-policy",
      policy_id: "winback-test",
      enabled_actions: ["control", "offer_3", "offer_5"],
      exploration: { epsilon: 0.05, floor: 0, salt: "winback-test" },
    });
    expect(b.manifest.model.file).toBe(`model-${b.manifest.model.sha256.slice(0, 16)}.json`);
    expect(b.manifest.lambda).toBe(fx.deployed.manifest.lambda);
    expect(Array.from(b.enabled)).toEqual([1, 1, 1, 0, 0]);
    // Only the enabled actions are ever chosen, in batch as online.
    for (const a of fx.deployed.decisions.action) expect([0, 1, 2]).toContain(a);
    expect(b.manifest.budget.predicted_spend).toBeLessThanOrEqual(b.manifest.budget.total + 1e-9);
  });

  it("refuses a missing bundle, an edited model file and a manifest that is not one, with typed codes", async () => {
    const fx = await servingFixture({ units: 300 });
    expect(() => loadPolicyBundle(join(fx.dir, "nope"))).toThrow(
      expect.objectContaining({ code: "bundle_not_found" }),
    );
    const manifestPath = join(fx.bundleDir, "policy.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    const modelPath = join(fx.bundleDir, manifest.model.file);
    const text = readFileSync(modelPath, "utf8");
    writeFileSync(modelPath, `${text} `);
    expect(() => loadPolicyBundle(fx.bundleDir)).toThrow(expect.objectContaining({ code: "invalid_bundle" }));
    writeFileSync(modelPath, text);
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, lambda: -1 }));
    expect(() => loadPolicyBundle(fx.bundleDir)).toThrow(/lambda/);
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, enabled_actions: ["control", "gift"] }));
    expect(() => loadPolicyBundle(fx.bundleDir)).toThrow(/gift/);
  });
});
