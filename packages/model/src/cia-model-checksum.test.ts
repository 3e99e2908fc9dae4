import { createHash } from "node:crypto";
import { canonicalJson } from "@cia/logging-schema";
import { describe, expect, it } from "vitest";
import type { CiaModelFile } from "./cia-model.js";
import { ciaModelChecksum, sealCiaModelFile } from "./cia-model-checksum.js";

const sha = (s: string) => `sha256:${createHash("sha256").update(s, "utf8").digest("hex")}`;

describe("ciaModelChecksum", () => {
  const file = {
    format: "cia-model",
    version: 1,
    z: [1, -0, 2.5e-300, "é", true, null, [3, { b: 1, a: [0.1, 1e21] }]],
    a: { y: "x", x: [[1, 2], []], u: undefined },
    checksum: "sha256:old",
  } as unknown as CiaModelFile;

  it("is the sha256 of canonicalJson of every field but the checksum", () => {
    const { checksum: _c, ...body } = file;
    expect(ciaModelChecksum(file)).toBe(sha(canonicalJson(body)));
  });

  it("does not depend on key order or indentation, and changes with any value", () => {
    const reordered = JSON.parse(
      JSON.stringify({ a: (file as unknown as { a: unknown }).a, ...file }, null, 2),
    );
    expect(ciaModelChecksum(reordered)).toBe(ciaModelChecksum(file));
    const edited = JSON.parse(JSON.stringify(file));
    edited.z[6][1].a[0] = 0.1000000001;
    expect(ciaModelChecksum(edited)).not.toBe(ciaModelChecksum(file));
  });

  it("seals what JSON will hold (NaN becomes null), so the written file verifies", () => {
    const sealed = sealCiaModelFile({ ...file, n: Number.NaN } as unknown as CiaModelFile);
    const written = JSON.parse(JSON.stringify(sealed));
    expect(written.checksum).toBe(ciaModelChecksum(written));
    expect(() =>
      ciaModelChecksum({ ...file, n: Number.POSITIVE_INFINITY } as unknown as CiaModelFile),
    ).toThrow(TypeError);
  });
});
