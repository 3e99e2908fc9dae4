import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { smallWorld } from "../hostile/test-helpers/hostile-fixtures.js";
import { runCli } from "../test-helpers/run-cli.js";

describe("score --report-only", () => {
  it("writes no NaN: units outside the contract are left out, counted and named, and allocate runs", async () => {
    const w = await smallWorld();
    const lines = readFileSync(w.table, "utf8").trimEnd().split("\n");
    const header = lines[0]!.split(",");
    const at = header.indexOf("platform");
    const bad = lines.slice(0, 11).map((l, k) => {
      if (k !== 3) return l;
      const c = l.split(",");
      c[at] = "symbian";
      return c.join(",");
    });
    const units = join(w.dir, "units-bad.csv");
    writeFileSync(units, `${bad.join("\n")}\n`);
    const out = join(w.dir, "out", "report-only.csv");
    const r = await runCli(["score", "--model", w.model, "--data", units, "--out", out, "--report-only"]);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout.trim().split("\n").pop()!);
    expect(s).toMatchObject({ units: 10, units_not_scored: 1, contract_violations: 1 });
    const badId = bad[3]!.split(",")[0]!;
    expect(r.stderr).toContain(`1 unit(s) not scored (features outside the contract: ${badId})`);
    const scores = readFileSync(out, "utf8");
    expect(scores).not.toMatch(/NaN/);
    expect(scores).not.toContain(`${badId},`);
    expect(scores.trimEnd().split("\n")).toHaveLength(1 + 9 * 4);
    const a = await runCli([
      "allocate",
      "--scores",
      out,
      "--budget",
      "5",
      "--out",
      join(w.dir, "out", "a.csv"),
    ]);
    expect(a.code, a.stderr).toBe(0);
  });
});
