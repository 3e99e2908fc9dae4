import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../test-helpers/run-cli.js";
import { expectRefused, smallWorld } from "./test-helpers/hostile-fixtures.js";

// Findings of the hostile-user review of issue 17's hardening (one describe per finding).
describe("review finding 1: every file flag is guarded", () => {
  it("allocate refuses --decisions-out equal to --scores or to --out", async () => {
    const w = await smallWorld();
    const base = ["allocate", "--scores", w.scores, "--budget", "300"];
    await expectRefused(
      w.dir,
      [...base, "--decisions-out", w.scores, "--out", join(w.dir, "a.csv")],
      ["--decisions-out", "--scores"],
    );
    const x = join(w.dir, "x.csv");
    await expectRefused(w.dir, [...base, "--decisions-out", x, "--out", x], ["--out", "--decisions-out"]);
  });

  it("deploy refuses an --out folder whose policy.json is the --table", async () => {
    const w = await smallWorld();
    const args = ["deploy", "--model", w.model, "--table", join(w.dir, "policy.json"), "--budget", "10"];
    // The table does not exist: the guard runs before any read, so the path clash is what is named.
    const { writeFileSync, rmSync } = await import("node:fs");
    writeFileSync(join(w.dir, "policy.json"), "{}\n");
    try {
      await expectRefused(w.dir, [...args, "--out", w.dir], ["policy.json", "--table"]);
    } finally {
      rmSync(join(w.dir, "policy.json"));
    }
  });

  it("loop refuses an --out that is a file", async () => {
    const w = await smallWorld();
    await expectRefused(w.dir, ["loop", "--periods", "1", "--out", w.table], ["--out", "is a file"]);
  });

  it("serve refuses --log-dir equal to the --policy bundle", async () => {
    const w = await smallWorld();
    const bundle = join(w.dir, "bundle");
    const d = await runCli([
      "deploy",
      "--model",
      w.model,
      "--table",
      w.table,
      "--budget",
      "10",
      "--out",
      bundle,
    ]);
    expect(d.code, d.stderr).toBe(0);
    const r = await runCli(["serve", "--policy", bundle, "--port", "0", "--log-dir", `${bundle}/.`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--log-dir .* is the --policy bundle directory/);
  });
});
