import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatAmount } from "../report/format-amount.js";
import { readHeadlineNumbers } from "../report/read-headline.js";
import { runCli, tempDir, writeFixture } from "../test-helpers/run-cli.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const ownConfig = join(repo, "examples/own-data/cia.config.json");
const hillstromConfig = join(repo, "examples/hillstrom/cia.config.json");
const dataDir = resolve(process.env.CIA_DATA_DIR ?? join(repo, "../shared/data"));
const hillstromFile = join(dataDir, "hillstrom/hillstrom.csv.gz");

function at(obj: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | null)?.[k], obj);
}

describe("cia run --config (own data)", () => {
  it("runs the shipped example end to end; the report's headline numbers are report.json's", async () => {
    const out = tempDir("cia-config-run-");
    const r = await runCli([
      "run",
      "--config",
      ownConfig,
      "--out",
      out,
      "--seed",
      "3",
      "--bootstraps",
      "2",
      "--ope-bootstraps",
      "40",
      "--sample",
      "2000",
      "--quiet",
    ]);
    expect(r.stderr.replace(/WARN[^\n]*\n/g, "")).toBe("");
    expect(r.code).toBe(0);
    for (const f of ["report.html", "report.json", "assignment.csv", "model.json", "table.csv"])
      expect(existsSync(join(out, f))).toBe(true);
    const json = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    const html = readFileSync(join(out, "report.html"), "utf8");
    // Flags override the config's keys.
    expect(json.seed).toBe("3");
    expect(json.units).toBe(2000);
    expect(typeof json.recommended).toBe("string");
    expect(json.headline.recommended).toBe(json.recommended);
    // The headline comes first and every number in it is report.json's.
    expect(html.indexOf('class="headline"')).toBeLessThan(html.indexOf("Value for spend"));
    const shown = readHeadlineNumbers(html);
    expect(shown.size).toBeGreaterThanOrEqual(20);
    for (const [path, value] of shown) expect(value).toBe(at(json.headline, path));
    // The visible text is the same number, formatted.
    const vis = html.match(/data-headline="perUnit\.value\.estimate" data-value="[^"]*">([^<]*)</)![1];
    expect(vis).toBe(formatAmount(json.headline.perUnit.value.estimate, "$"));
    for (const key of [
      "perUnit.value.estimate",
      "perUnit.cost.lower",
      "vsBaseline.value.upper",
      "total.cost.estimate",
    ])
      expect(shown.has(key)).toBe(true);
    // Off-policy only, said so; the charts the deciders need are there, and nothing external.
    expect(html).toContain("There is no ground truth on real data");
    expect(html).toContain("DM (the direct method) is model-based");
    for (const title of [
      "Incremental value vs incremental cost",
      "Qini curves per offer",
      "Calibration: value uplift",
      "Effective sample size",
    ])
      expect(html).toContain(title);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    // The assignment covers every assigned unit, with catalogue actions, and the budget holds by the model.
    const lines = readFileSync(join(out, "assignment.csv"), "utf8").trim().split("\n");
    expect(lines[0]).toBe("unit_id,action");
    expect(lines.length - 1).toBe(json.assignedUnits);
    expect(new Set(lines.slice(1).map((l) => l.split(",")[1]))).toEqual(
      new Set(["control", "coupon_5", "coupon_15"].filter((a) => lines.some((l) => l.endsWith(`,${a}`)))),
    );
    const share = json.headline.treatedShare;
    expect(share).toBeLessThanOrEqual(0.7 + 1e-9); // the config's maxTreatedShare guardrail
  }, 120_000);

  it("ships the example's CSV exactly as its generator writes it (deterministic)", () => {
    const dir = tempDir("cia-own-data-");
    execFileSync(process.execPath, [
      join(repo, "examples/own-data/make-data.mjs"),
      join(dir, "experiment.csv"),
    ]);
    expect(readFileSync(join(dir, "experiment.csv"), "utf8")).toBe(
      readFileSync(join(repo, "examples/own-data/experiment.csv"), "utf8"),
    );
  });

  it("labels decision and outcome logs over the learning and accounting horizons", async () => {
    const dir = tempDir("cia-config-logs-");
    const sim = await runCli(["simulate", "--units", "1500", "--seed", "4", "--out", dir]);
    expect(sim.code).toBe(0);
    const cfg = writeFixture(
      dir,
      "cia.config.json",
      JSON.stringify({
        data: { decisions: "decisions.jsonl", outcomes: "outcomes.jsonl" },
        horizons: { learningDays: 14, accountingDays: 28 },
        budget: 1200,
        baseline: { action: "offer_10", when: { column: "days_inactive", atLeast: 30 } },
        model: { bootstraps: 0 },
        opeBootstraps: 20,
        out: "out",
      }),
    );
    const r = await runCli(["run", "--config", cfg, "--quiet"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, "out/report.json"), "utf8"));
    expect(json.labels.learning.horizonDays).toBe(14);
    expect(json.labels.accounting.horizonDays).toBe(28);
    expect(json.actions).toEqual(["control", "offer_3", "offer_5", "offer_10", "offer_15"]);
    expect(json.units).toBe(1500);
    expect(json.baseline.rule).toBe("days_inactive >= 30 -> offer_10");
  }, 60_000);

  it("accepts the minimum config, and names the key and the file of a bad one", async () => {
    const dir = tempDir("cia-config-bad-");
    const table = join(repo, "examples/own-data/experiment.csv");
    // The minimum shape runs (baseline: no offer; actions from the data, control first).
    const min = writeFixture(
      dir,
      "min.json",
      JSON.stringify({ data: { table }, budget: 400, out: "min-out" }),
    );
    const m = await runCli([
      "run",
      "--config",
      min,
      "--sample",
      "400",
      "--bootstraps",
      "0",
      "--ope-bootstraps",
      "20",
      "--quiet",
    ]);
    expect(m.code).toBe(0);
    const mj = JSON.parse(readFileSync(join(dir, "min-out/report.json"), "utf8"));
    expect(mj.actions).toEqual(["control", "coupon_5", "coupon_15"]);
    expect(mj.baseline.name).toBe("no offer");
    expect(mj.budget).toBe(400);
    // A gap in a column the data have is named at its line in the user's file, never filled in by a rule.
    writeFixture(
      dir,
      "gap.csv",
      "unit_id,action,propensity,value,cost,x\nu1,control,0.5,1,0,2\nu2,offer,0.5,1,,3\n",
    );
    const gap = writeFixture(
      dir,
      "gap.json",
      JSON.stringify({ data: { table: "gap.csv" }, budget: 1, cost: { perTreated: 1 }, out: "o" }),
    );
    const g = await runCli(["run", "--config", gap, "--quiet"]);
    expect(g.code).toBe(2);
    expect(g.stderr).toContain(`${join(dir, "gap.csv")}:3: cost: missing cost`);
    // Config flags without a config are refused.
    const nb = await runCli(["run", "--budget", "5", "--quiet"]);
    expect(nb.code).toBe(2);
    expect(nb.stderr).toContain("--budget, --sample and --ope-bootstraps apply to --config runs");
    const bad = writeFixture(dir, "bad.json", JSON.stringify({ data: { table }, budget: "lots", out: "o" }));
    const r = await runCli(["run", "--config", bad, "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: budget:`);
    const unknown = writeFixture(
      dir,
      "unknown.json",
      JSON.stringify({ data: { table, tabel: "x" }, budget: 1, out: "o" }),
    );
    const u = await runCli(["run", "--config", unknown, "--quiet"]);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/unknown\.json: data: .*tabel/);
    writeFixture(dir, "nocost.csv", "unit_id,action,propensity,value,x\nu1,control,0.5,1,2\n");
    const nc = writeFixture(
      dir,
      "nocost.json",
      JSON.stringify({ data: { table: "nocost.csv" }, budget: 1, out: "o" }),
    );
    const c = await runCli(["run", "--config", nc, "--quiet"]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain("no cost column");
    expect(c.stderr).toContain('"cost": { "perTreated"');
  });
});

describe("cia run --config (Hillstrom, real data under CIA_DATA_DIR)", () => {
  const present = existsSync(hillstromFile);
  if (!present) console.log(`skipping the Hillstrom config test: no ${hillstromFile} (set CIA_DATA_DIR)`);
  it.skipIf(!present)(
    "runs the shipped Hillstrom config on a sample, with the cost assumption on the report",
    async () => {
      const out = tempDir("cia-config-hillstrom-");
      // The config reads ${CIA_DATA_DIR}; its default is relative to the working directory.
      process.env.CIA_DATA_DIR = dataDir;
      const r = await runCli([
        "run",
        "--config",
        hillstromConfig,
        "--out",
        out,
        "--bootstraps",
        "2",
        "--ope-bootstraps",
        "40",
        "--sample",
        "4000",
        "--budget",
        "350",
        "--quiet",
      ]);
      expect(r.stderr.replace(/WARN[^\n]*\n/g, "")).toBe("");
      expect(r.code).toBe(0);
      const json = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
      expect(json.actions).toEqual(["control", "mens_email", "womens_email"]);
      expect(json.rowsRead).toBe(64000);
      expect(json.budget).toBe(350);
      expect(json.assumptions.join(" ")).toContain("COST ASSUMPTION");
      const html = readFileSync(join(out, "report.html"), "utf8");
      expect(html).toContain("COST ASSUMPTION");
      // e-mails cost $0.25 each: the incremental cost per unit is 0.25 x the share e-mailed.
      expect(json.headline.perUnit.cost.estimate).toBeCloseTo(0.25 * json.headline.treatedShare, 1);
    },
    120_000,
  );
});
