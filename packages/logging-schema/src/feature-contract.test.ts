import { CiaError, DataValidationError } from "@cia/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyFeatureContract, featureColumnNames } from "./apply-feature-contract.js";
import { canonicalJson } from "./canonical-json.js";
import { featureContractHash } from "./feature-contract-hash.js";
import type { FeatureContract } from "./feature-contract-schema.js";
import { inferFeatureContract } from "./infer-feature-contract.js";
import { parseFeatureContract, safeParseFeatureContract } from "./parse-records.js";

const contract: FeatureContract = {
  schema_version: 1,
  name: "winback-v1",
  features: [
    {
      name: "tenure",
      type: "numeric",
      min: 0,
      max: 1000,
      on_out_of_range: "clip",
      missing: { policy: "impute_mean", mean: 100 },
      transforms: [{ kind: "log1p" }],
    },
    {
      name: "spend",
      type: "numeric",
      min: 0,
      on_out_of_range: "error",
      missing: { policy: "error" },
      transforms: [{ kind: "standardize", mean: 10, sd: 5 }],
    },
    {
      name: "country",
      type: "categorical",
      levels: ["DE", "FR"],
      encoding: "one_hot",
      on_unseen: "error",
      missing: { policy: "impute_constant", value: "DE" },
    },
    {
      name: "tier",
      type: "categorical",
      levels: ["a", "b", "c"],
      encoding: "code",
      on_unseen: "as_missing",
      missing: { policy: "nan" },
    },
    { name: "vip", type: "boolean", missing: { policy: "impute_constant", value: false } },
  ],
};

describe("canonicalJson and featureContractHash", () => {
  it("ignore key order and the name, and change with any feature detail", () => {
    expect(canonicalJson({ b: [1, { d: null, c: true }], a: "x", u: undefined })).toBe(
      '{"a":"x","b":[1,{"c":true,"d":null}]}',
    );
    const h = featureContractHash(contract);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    const reordered = JSON.parse(canonicalJson(contract)) as FeatureContract; // keys sorted differently from the literal
    expect(featureContractHash({ ...reordered, name: "renamed" } as FeatureContract)).toBe(h);
    const edited = structuredClone(contract);
    (edited.features[1] as { transforms: { kind: string; mean: number; sd: number }[] }).transforms[0]!.sd =
      5.0001;
    expect(featureContractHash(edited)).not.toBe(h);
    const swapped = {
      ...contract,
      features: [contract.features[1]!, contract.features[0]!, ...contract.features.slice(2)],
    };
    expect(featureContractHash(swapped)).not.toBe(h);
  });

  it("is stable across releases (pinned value)", () => {
    const tiny: FeatureContract = {
      schema_version: 1,
      features: [{ name: "x", type: "boolean", missing: { policy: "error" } }],
    };
    // Python: hashlib.sha256(b'{"features":[{"missing":{"policy":"error"},"name":"x","type":"boolean"}],"schema_version":1}').hexdigest()
    expect(featureContractHash(tiny)).toBe(
      "8eea95f86eef24c45e575c29d3cdfd06dab52c81c3a2bb4f7324db6d0c7b5acf",
    );
    expect(canonicalJson({ schema_version: 1, features: tiny.features })).toBe(
      '{"features":[{"missing":{"policy":"error"},"name":"x","type":"boolean"}],"schema_version":1}',
    );
  });

  it("parseFeatureContract checks the stored hash and the contract rules", () => {
    const hashed = { ...contract, hash: featureContractHash(contract) };
    expect(parseFeatureContract(hashed)).toEqual(hashed);
    const tampered = structuredClone(hashed);
    (tampered.features[0] as { max: number }).max = 2000;
    const r = safeParseFeatureContract(tampered);
    expect(!r.success && r.issues.map((i) => [i.code, i.path])).toEqual([
      ["contract_hash_mismatch", ["hash"]],
    ]);
    const dup = { ...contract, features: [contract.features[0]!, contract.features[0]!] };
    const d = safeParseFeatureContract(dup);
    expect(!d.success && d.issues.map((i) => [i.code, i.path])).toEqual([
      ["duplicate_feature", ["features", 1, "name"]],
    ]);
    const bad = safeParseFeatureContract({
      schema_version: 1,
      features: [
        {
          name: "c",
          type: "categorical",
          levels: ["a", "a"],
          encoding: "code",
          on_unseen: "error",
          missing: { policy: "impute_constant", value: "z" },
        },
        {
          name: "n",
          type: "numeric",
          min: 2,
          max: 1,
          on_out_of_range: "clip",
          missing: { policy: "nan" },
          transforms: [{ kind: "standardize", mean: 0, sd: 0 }],
        },
      ],
    });
    expect(!bad.success && bad.issues.map((i) => [i.code, i.path])).toEqual([
      ["out_of_range", ["features", 1, "transforms", 0, "sd"]],
      ["duplicate_level", ["features", 0, "levels", 1]],
      ["unknown_level", ["features", 0, "missing", "value"]],
      ["invalid_range", ["features", 1, "max"]],
    ]);
    const bad2 = safeParseFeatureContract({
      schema_version: 1,
      features: [
        {
          name: "c",
          type: "categorical",
          levels: ["a", "a"],
          encoding: "code",
          on_unseen: "error",
          missing: { policy: "impute_constant", value: "z" },
        },
        {
          name: "n",
          type: "numeric",
          min: 2,
          max: 1,
          on_out_of_range: "clip",
          missing: { policy: "nan" },
          transforms: [],
        },
      ],
    });
    expect(!bad2.success && bad2.issues.map((i) => [i.code, i.path])).toEqual([
      ["duplicate_level", ["features", 0, "levels", 1]],
      ["unknown_level", ["features", 0, "missing", "value"]],
      ["invalid_range", ["features", 1, "max"]],
    ]);
  });
});

describe("applyFeatureContract", () => {
  const rows = [
    { unit_id: "u1", tenure: 9, spend: 20, country: "FR", tier: "b", vip: true },
    { unit_id: "u2", tenure: null, spend: 10, country: null, tier: "zzz", vip: null },
    { unit_id: "u3", tenure: 5000, spend: 0, country: "DE", tier: null, vip: "false" },
  ];

  it("encodes numerics, one-hot and code categoricals, booleans, in contract order", () => {
    const out = applyFeatureContract(contract, rows);
    expect(out.columnNames).toEqual(["tenure", "spend", "country=DE", "country=FR", "tier", "vip"]);
    expect(featureColumnNames(contract)).toEqual(out.columnNames);
    expect(Array.from(out.matrix.row(0))).toEqual([Math.log1p(9), 2, 0, 1, 1, 1]);
    // tenure imputed with mean 100; country imputed DE; unseen tier as missing -> NaN; vip imputed false
    expect(Array.from(out.matrix.row(1))).toEqual([Math.log1p(100), 0, 1, 0, Number.NaN, 0]);
    // tenure clipped to 1000 before log1p
    expect(Array.from(out.matrix.row(2))).toEqual([Math.log1p(1000), -2, 1, 0, Number.NaN, 0]);
    expect(out.issues).toEqual([]);
    expect(Array.from(out.rowOk)).toEqual([1, 1, 1]);
    expect(out.monitoring.tenure).toEqual({ missing: 1, imputed: 1, clipped: 1, unseen: 0, refused: 0 });
    expect(out.monitoring.tier).toEqual({ missing: 1, imputed: 0, clipped: 0, unseen: 1, refused: 0 });
    expect(out.contractHash).toBe(featureContractHash(contract));
  });

  it("refuses by default, with exact paths and lines", () => {
    const bad = [
      { tenure: 1, spend: -1, country: "IT", tier: "a", vip: 1 },
      { tenure: "7", spend: null, country: "DE", tier: "a", vip: "yes", extra: 1 },
    ];
    let err: unknown;
    try {
      applyFeatureContract(contract, bad, { lines: [10, 11], file: "serve.csv" });
    } catch (e) {
      err = e;
    }
    expect(DataValidationError.isInstance(err)).toBe(true);
    expect((err as DataValidationError).issues.map((i) => [i.code, i.path, i.line ?? null])).toEqual([
      ["extra_column", ["column", "extra"], null],
      ["invalid_type", ["row", 1, "tenure"], 11],
      ["out_of_range", ["row", 0, "spend"], 10],
      ["missing_value", ["row", 1, "spend"], 11],
      ["unseen_category", ["row", 0, "country"], 10],
      ["invalid_type", ["row", 1, "vip"], 11],
    ]);
  });

  it("reports instead of refusing on request: refused values are NaN and rows flagged", () => {
    const out = applyFeatureContract(
      contract,
      [{ tenure: 1, spend: -1, country: "IT", tier: "a", vip: true }, rows[0]!],
      {
        mode: "report",
      },
    );
    expect(out.issueCount).toBe(2);
    expect(Array.from(out.rowOk)).toEqual([0, 1]);
    expect(Array.from(out.matrix.row(0))).toEqual([Math.log1p(1), Number.NaN, Number.NaN, Number.NaN, 0, 1]);
  });

  it("reports a column absent from every row once, and can ignore extra columns", () => {
    const noSpend = rows.map(({ spend: _, ...r }) => ({ ...r, note: "x" }));
    const out = applyFeatureContract(contract, noSpend, { mode: "report", extraColumns: "ignore" });
    expect(out.issues.map((i) => [i.code, i.path])).toEqual([["missing_column", ["column", "spend"]]]);
    expect(Array.from(out.rowOk)).toEqual([0, 0, 0]);
    expect(out.matrix.column(1).every((v) => Number.isNaN(v))).toBe(true);
  });

  it("refuses a contract whose hash differs from the model's", () => {
    expect(() => applyFeatureContract(contract, rows, { expectedHash: "0".repeat(64) })).toThrow(CiaError);
  });
});

describe("inferFeatureContract", () => {
  const training = [
    { tenure: 1, country: "FR", vip: true, score: 2 },
    { tenure: 3, country: "DE", vip: false, score: null },
    { tenure: null, country: "DE", vip: true, score: 4 },
    { tenure: 8, country: null, vip: true, score: 6 },
  ];

  it("infers types, levels, ranges and imputation from training data, with a hash", () => {
    const c = inferFeatureContract(training, ["tenure", "country", "vip"], { name: "t" });
    expect(c.features).toEqual([
      {
        name: "tenure",
        type: "numeric",
        min: 1,
        max: 8,
        on_out_of_range: "clip",
        missing: { policy: "impute_mean", mean: 4 },
        transforms: [],
      },
      {
        name: "country",
        type: "categorical",
        levels: ["DE", "FR"],
        encoding: "one_hot",
        on_unseen: "error",
        missing: { policy: "impute_constant", value: "DE" },
      },
      { name: "vip", type: "boolean", missing: { policy: "impute_constant", value: true } },
    ]);
    expect(c.hash).toBe(featureContractHash(c));
    expect(parseFeatureContract(c)).toEqual(c);
  });

  it("standardized training columns have mean 0 and population sd 1 after applying the contract", () => {
    const c = inferFeatureContract(training, ["tenure", "score"], { standardize: true, log1p: ["score"] });
    const { matrix } = applyFeatureContract(c, training, { extraColumns: "ignore" });
    for (let j = 0; j < 2; j++) {
      const x = matrix.column(j);
      const mean = x.reduce((a, b) => a + b, 0) / x.length;
      const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length);
      expect(mean).toBeCloseTo(0, 12);
      expect(sd).toBeCloseTo(1, 12);
    }
  });

  it("gives identical matrices for the same rows at training and serving (parity, property)", () => {
    const row = fc.record({
      a: fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { nil: null }),
      b: fc.constantFrom("x", "y", "z"),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 2, maxLength: 30 }), fc.nat(), (train, pick) => {
        fc.pre(train.some((r) => r.a !== null));
        const c = inferFeatureContract(train, ["a", "b"], { standardize: true });
        const served = parseFeatureContract(JSON.parse(JSON.stringify(c))); // through disk
        const one = train[pick % train.length]!;
        const atTrain = applyFeatureContract(c, train).matrix.row(pick % train.length);
        const atServe = applyFeatureContract(served, [one], { expectedHash: c.hash }).matrix.row(0);
        expect(Array.from(atServe)).toEqual(Array.from(atTrain));
      }),
      { numRuns: 100, seed: 31 },
    );
  });

  it("refuses columns it cannot type", () => {
    expect(() => inferFeatureContract([{ a: null }, { a: null }], ["a"])).toThrow(DataValidationError);
    expect(() => inferFeatureContract([{ a: Number.POSITIVE_INFINITY }], ["a"])).toThrow(DataValidationError);
    const ids = Array.from({ length: 300 }, (_, i) => ({ id: `u${i}` }));
    expect(() => inferFeatureContract(ids, ["id"])).toThrow(/maxLevels/);
  });
});
