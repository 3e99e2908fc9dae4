import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createDuckDbEngine, sql } from "@cia/warehouse";
import { describe, expect, it } from "vitest";
import { runCli, tempDir, writeFixture } from "../test-helpers/run-cli.js";

const summaryOf = (stdout: string) => JSON.parse(stdout.trim().split("\n").pop()!);

// Scores without ties (a tie between units is broken by unit order, which a table in the engine
// does not share with the file).
function scoresCsv(n: number): string {
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    rows.push(`u${i},small,${1 + Math.abs(Math.sin(i + 1))},${1 + Math.abs(Math.cos(3 * i + 1)) / 2}`);
    if (i % 2 === 0)
      rows.push(`u${i},big,${2.5 + Math.abs(Math.sin(7 * i + 2))},${2.5 + Math.abs(Math.cos(5 * i + 2))}`);
  }
  return `unit_id,action,tau_value,tau_cost\n${rows.join("\n")}\n`;
}

describe("cia allocate / evaluate --engine (SQL where the data lives)", () => {
  it("allocate --engine duckdb writes the in-process assignment and summary", async () => {
    const dir = tempDir();
    const scores = writeFixture(dir, "scores.csv", scoresCsv(300));
    const a = await runCli(["allocate", "--scores", scores, "--budget", "200", "--out", join(dir, "a.csv")]);
    const b = await runCli([
      "allocate",
      "--scores",
      scores,
      "--budget",
      "200",
      "--engine",
      "duckdb",
      "--out",
      join(dir, "b.csv"),
    ]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(readFileSync(join(dir, "b.csv"), "utf8")).toBe(readFileSync(join(dir, "a.csv"), "utf8"));
    const sa = summaryOf(a.stdout);
    const sb = summaryOf(b.stdout);
    expect(Math.abs(sb.value - sa.value)).toBeLessThan(1e-9);
    expect(Math.abs(sb.upper_bound - sa.upper_bound)).toBeLessThan(1e-9);
    expect(sb.engine).toBe("duckdb");
  });

  it("allocate --engine duckdb with --max-treated and --min-value-per-cost (the Lagrangian) equals in process", async () => {
    const dir = tempDir();
    const scores = writeFixture(dir, "scores.csv", scoresCsv(300));
    const flags = ["--budget", "250", "--max-treated", "120", "--min-value-per-cost", "0.9"];
    const a = await runCli(["allocate", "--scores", scores, ...flags, "--out", join(dir, "a.csv")]);
    const b = await runCli([
      "allocate",
      "--scores",
      scores,
      ...flags,
      "--engine",
      "duckdb",
      "--out",
      join(dir, "b.csv"),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(readFileSync(join(dir, "b.csv"), "utf8")).toBe(readFileSync(join(dir, "a.csv"), "utf8"));
    const sa = summaryOf(a.stdout);
    const sb = summaryOf(b.stdout);
    expect(sb.method).toBe("lagrangian");
    expect(Math.abs(sb.value - sa.value)).toBeLessThan(1e-9);
    expect(Math.abs(sb.upper_bound - sa.upper_bound)).toBeLessThan(1e-9);
    expect(sb.treated).toBeLessThanOrEqual(120);
  });

  it("allocate --engine duckdb --dsn FILE --table reads the scores table in the database", async () => {
    const dir = tempDir();
    const scores = writeFixture(dir, "scores.csv", scoresCsv(120));
    const db = join(dir, "w.duckdb");
    const e = await createDuckDbEngine({ path: db });
    await e.run(sql`CREATE TABLE scores AS SELECT * FROM read_csv(${scores})`);
    await e.close();
    const a = await runCli(["allocate", "--scores", scores, "--budget", "80", "--out", join(dir, "a.csv")]);
    const b = await runCli([
      "allocate",
      "--scores",
      scores,
      "--budget",
      "80",
      "--engine",
      "duckdb",
      "--dsn",
      db,
      "--table",
      "scores",
      "--out",
      join(dir, "b.csv"),
    ]);
    expect(b.code).toBe(0);
    const sort = (s: string) => s.trim().split("\n").slice(1).sort().join("\n");
    expect(sort(readFileSync(join(dir, "b.csv"), "utf8"))).toBe(
      sort(readFileSync(join(dir, "a.csv"), "utf8")),
    );
    expect(Math.abs(summaryOf(b.stdout).value - summaryOf(a.stdout).value)).toBeLessThan(1e-9);
  });

  it("evaluate --engine duckdb: IPS, SNIPS and DR with bagged bootstrap intervals", async () => {
    const dir = tempDir();
    const rows: string[] = [];
    const pol: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const treated = (i * 7919) % 2 === 1;
      rows.push(
        `u${i},${treated ? "offer" : "control"},0.5,${treated ? 3 + (i % 5) / 5 : 1 + (i % 3) / 3},${treated ? 1 : 0}`,
      );
      pol.push(`u${i},${i % 4 === 0 ? "control" : "offer"}`);
    }
    const data = writeFixture(
      dir,
      "holdout.csv",
      `unit_id,action,propensity,value,cost\n${rows.join("\n")}\n`,
    );
    const policy = writeFixture(dir, "assignment.csv", `unit_id,action\n${pol.join("\n")}\n`);
    const out = join(dir, "ope.json");
    const r = await runCli([
      "evaluate",
      "--data",
      data,
      "--policy",
      policy,
      "--engine",
      "duckdb",
      "--bootstraps",
      "100",
      "--out",
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const ope = JSON.parse(readFileSync(out, "utf8"));
    expect(ope.interval.method).toBe("bagged_poisson_bootstrap");
    // 3/4 of units treated, each treated unit costs 1
    expect(ope.estimates.dr.cost.estimate).toBeCloseTo(0.75, 1);
    expect(ope.estimates.ips.value.lower).toBeLessThan(ope.estimates.ips.value.estimate);
    const bad = await runCli([
      "evaluate",
      "--data",
      data,
      "--policy",
      policy,
      "--engine",
      "oracle",
      "--out",
      out,
    ]);
    expect(bad.code).toBe(2);
  });
});
