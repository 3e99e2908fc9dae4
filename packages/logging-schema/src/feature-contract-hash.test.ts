import { describe, expect, it } from "vitest";
import { applyFeatureContract } from "./apply-feature-contract.js";
import { canonicalJson } from "./canonical-json.js";
import { featureContractHash } from "./feature-contract-hash.js";
import type { FeatureContract } from "./feature-contract-schema.js";
import { createHash } from "node:crypto";

const fresh = (): FeatureContract => ({
  schema_version: 1,
  features: [
    {
      name: "spend",
      type: "numeric",
      min: 0,
      on_out_of_range: "error",
      missing: { policy: "error" },
      transforms: [{ kind: "standardize", mean: 10, sd: 5 }],
    },
    {
      name: "tier",
      type: "categorical",
      levels: ["a", "b", "c"],
      encoding: "code",
      on_unseen: "as_missing",
      missing: { policy: "nan" },
    },
  ],
});

/** The unmemoized definition: sha256 of the canonical JSON of { schema_version, features }. */
const direct = (c: FeatureContract) =>
  createHash("sha256")
    .update(canonicalJson({ schema_version: c.schema_version, features: c.features }), "utf8")
    .digest("hex");

describe("featureContractHash memo", () => {
  it("returns the content hash on repeat calls and sees every in-place edit", () => {
    const c = fresh();
    const h = featureContractHash(c);
    expect(featureContractHash(c)).toBe(h);
    expect(h).toBe(direct(c));
    const edits: ((c: FeatureContract) => void)[] = [
      (c) => {
        (c.features[0] as { transforms: { sd: number }[] }).transforms[0]!.sd = 5.0001;
      },
      (c) => {
        (c.features[1] as { levels: string[] }).levels.push("d");
      },
      (c) => {
        c.features.reverse();
      },
      (c) => {
        const spend = c.features.find((f) => f.name === "spend") as { min?: number | undefined };
        spend.min = undefined; // canonical JSON drops the member
      },
      (c) => {
        c.features = [c.features[0]!];
      },
      (c) => {
        (c as { schema_version: number }).schema_version = 2;
      },
    ];
    for (const edit of edits) {
      const before = featureContractHash(c);
      edit(c);
      expect(featureContractHash(c)).toBe(direct(c));
      expect(featureContractHash(c)).toBe(direct(c));
      expect(featureContractHash(c)).not.toBe(before);
    }
  });

  it("keeps applyFeatureContract's hash check: a contract edited after a match is refused", () => {
    const c = fresh();
    const expectedHash = featureContractHash(c);
    const rows = [{ spend: 3, tier: "b" }];
    expect(applyFeatureContract(c, rows, { expectedHash }).contractHash).toBe(expectedHash);
    (c.features[1] as { levels: string[] }).levels[0] = "z";
    expect(() => applyFeatureContract(c, rows, { expectedHash })).toThrow(/contract_hash_mismatch|differs/);
  });
});
