import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeFailure } from "../io/exit-code.js";
import { runCli, tempDir, writeFixture } from "../test-helpers/run-cli.js";
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

/** A ready table of `n` rows (three actions, uniform design) and a config over it in a fresh folder. */
function configWorld(extra: Record<string, unknown>, n = 60): { dir: string; config: string; out: string } {
  const dir = tempDir("cia-review-run-");
  const acts = ["control", "coupon_5", "coupon_15"];
  const rows = Array.from(
    { length: n },
    (_, i) =>
      `u${i},${acts[i % 3]},0.3333333333333333,${(i * 7) % 13},${i % 3 === 0 ? 0 : 5},${i % 11},${i % 2 ? "a" : "b"}`,
  );
  writeFixture(dir, "experiment.csv", `unit_id,action,propensity,value,cost,x,region\n${rows.join("\n")}\n`);
  const config = writeFixture(
    dir,
    "cia.config.json",
    JSON.stringify({
      data: { table: "experiment.csv" },
      budget: 50,
      out: "out",
      opeBootstraps: 20,
      ...extra,
    }),
  );
  return { dir, config, out: join(dir, "out") };
}

describe("review finding 2: a refused cia run --config writes nothing", () => {
  it("leaves an earlier run's outputs untouched (no new table.csv or model.json beside an old report)", async () => {
    const { dir, config, out } = configWorld({ baseline: { action: "coupon_99" } });
    mkdirSync(out);
    for (const f of ["report.json", "assignment.csv", "model.json", "table.csv"])
      writeFixture(out, f, `old ${f}\n`);
    const line = await expectRefused(
      dir,
      ["run", "--config", config, "--quiet"],
      ["baseline.action", "coupon_99"],
    );
    expect(line).toContain(config);
    expect(readdirSync(out).sort()).toEqual(["assignment.csv", "model.json", "report.json", "table.csv"]);
  });

  it("makes no out/ folder when refused", async () => {
    const { dir, config, out } = configWorld({ baseline: { action: "coupon_99" } });
    await expectRefused(dir, ["run", "--config", config, "--quiet"], ["baseline.action"]);
    expect(existsSync(out)).toBe(false);
  });
});

describe("review finding 14: config errors name the config file and key path", () => {
  it("data.features naming a column that does not exist", async () => {
    const { dir, config } = configWorld({ data: { table: "experiment.csv", features: ["x", "nope"] } });
    await expectRefused(
      dir,
      ["run", "--config", config, "--quiet"],
      [config, "data.features[1]", "'nope' does not exist"],
    );
  });
});

describe("review findings 3-5: every count has an upper bound", () => {
  it.each([
    [["simulate", "--units", "1e12", "--out", "x"], "--units must be at most 10000000"],
    [
      ["train", "--data", "x.csv", "--bootstraps", "1e9", "--out", "m.json"],
      "--bootstraps must be at most 200",
    ],
    [["evaluate", "--data", "x", "--policy", "p", "--bootstraps", "1e12", "--out", "o"], "at most 20000"],
    [["run", "--ope-bootstraps", "1e12"], "--ope-bootstraps must be at most 20000"],
    [["loop", "--periods", "1e9", "--out", "x"], "--periods must be at most 1000"],
    [["run", "--sample", "1e12"], "--sample must be at most"],
  ])("cia %j is refused naming the flag and the bound", async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it.each([
    [{ opeBootstraps: 1e12 }, "opeBootstraps", "<=20000"],
    [{ model: { bootstraps: 1e9 } }, "model.bootstraps", "<=200"],
    [{ budget: 0 }, "budget", ">0"],
    [{ holdout: 0.001 }, "holdout", "each needs 20 at least"],
  ])("config %j is refused naming the config file and key", async (extra, key, bound) => {
    const { config, out } = configWorld(extra);
    const r = await runCli(["run", "--config", config, "--quiet"]);
    expect(r.code).toBe(2);
    // The schema's errors add a second line pointing at the docs of the config's keys.
    expect(r.stderr.split("\n")[0]).toContain(`${config}: ${key}:`);
    expect(r.stderr).toContain(bound);
    expect(existsSync(out)).toBe(false);
  });

  it("a typed array too large for memory is a clear exit 2, not an internal error", () => {
    const { code, message } = describeFailure(new RangeError("Invalid typed array length: 1000000000000"));
    expect(code).toBe(2);
    expect(message).toMatch(/^error: too large/);
  });
});

/** The small world's table with `edit` applied to the propensity cell of every row it selects. */
async function withPropensity(name: string, p: string, rows: (i: number) => boolean): Promise<string> {
  const w = await smallWorld();
  const [header, ...lines] = readFileSync(w.table, "utf8").trimEnd().split("\n");
  const at = header!.split(",").indexOf("propensity");
  const edited = lines.map((l, i) => {
    if (!rows(i)) return l;
    const cells = l.split(",");
    cells[at] = p;
    return cells.join(",");
  });
  return writeFixture(w.dir, name, `${header}\n${edited.join("\n")}\n`);
}

describe("review finding 6: propensities whose weight is not finite, and extreme weights", () => {
  it.each(["1e-320", "5e-324"])(
    "refuses propensity %s (1/p is not finite) with file, line and field",
    async (p) => {
      const w = await smallWorld();
      const data = await withPropensity(`tiny-${p}.csv`, p, (i) => i === 2);
      await expectRefused(
        w.dir,
        [
          "evaluate",
          "--data",
          data,
          "--policy",
          w.assignment,
          "--bootstraps",
          "0",
          "--out",
          join(w.dir, "o.json"),
        ],
        [`${data}:4`, "propensity", "not a finite number"],
      );
    },
  );

  it("warns with the largest weight when weights are extreme (1e-12), in the summary too", async () => {
    const w = await smallWorld();
    const data = await withPropensity("tiny-1e-12.csv", "1e-12", (i) => i % 50 === 0);
    const out = join(w.dir, "o-tiny.json");
    const r = await runCli([
      "evaluate",
      "--data",
      data,
      "--policy",
      w.assignment,
      "--bootstraps",
      "0",
      "--out",
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: .*extreme importance weights: max weight 1\.00e\+12/);
    expect(JSON.parse(r.stdout.trim().split("\n").at(-1)!).weight_warning).toMatch(/max weight/);
  });
});

describe("review findings 7 and 8: cia split", () => {
  it("refuses a table with a duplicate unit id (it would leak into the holdout)", async () => {
    const w = await smallWorld();
    const [header, first, ...rest] = readFileSync(w.table, "utf8").trimEnd().split("\n");
    const data = writeFixture(
      w.dir,
      "dup.csv",
      `${header}\n${first}\n${rest.slice(0, 40).join("\n")}\n${first}\n`,
    );
    const args = ["split", "--data", data, "--train", join(w.dir, "tr.csv"), "--test", join(w.dir, "te.csv")];
    await expectRefused(w.dir, args, [`${data}:43`, "unit_id", "line 2", "[duplicate_unit]"]);
  });

  it.each(["x.parquet", "y.dat", "z.txt"])(
    "refuses an output named %s (the readers could not read it back)",
    async (name) => {
      const w = await smallWorld();
      const args = [
        "split",
        "--data",
        w.table,
        "--train",
        join(w.dir, "tr.csv"),
        "--test",
        join(w.dir, name),
      ];
      await expectRefused(w.dir, args, ["--test", name, ".csv, .jsonl"]);
    },
  );
});

describe("review finding 10: finite but huge numbers never overflow silently", () => {
  it("allocate refuses a tau_cost of -1e308 naming the unit, action and field", async () => {
    const w = await smallWorld();
    const [header, first, ...rest] = readFileSync(w.scores, "utf8").trimEnd().split("\n");
    const cells = first!.split(",");
    cells[header!.split(",").indexOf("tau_cost")] = "-1e308";
    const scores = writeFixture(
      w.dir,
      "huge-scores.csv",
      `${header}\n${cells.join(",")}\n${rest.join("\n")}\n`,
    );
    const args = ["allocate", "--scores", scores, "--budget", "300", "--out", join(w.dir, "a-huge.csv")];
    await expectRefused(w.dir, args, [scores, `unit '${cells[0]}'`, "tau_cost", "-1e+308"]);
  });

  it("labels refuses two 1e308 events that would write Infinity into the table", async () => {
    const w = await smallWorld();
    const lines = readFileSync(w.outcomes, "utf8").trimEnd().split("\n");
    const first = JSON.parse(lines[0]!);
    const twin = { ...first, event_id: `${first.event_id}-twin` };
    const outcomes = writeFixture(
      w.dir,
      "huge-outcomes.jsonl",
      `${[
        { ...first, amount: 1e308 },
        { ...twin, amount: 1e308 },
      ]
        .map((o) => JSON.stringify(o))
        .join("\n")}\n${lines.slice(1).join("\n")}\n`,
    );
    const args = ["labels", "--decisions", w.decisions, "--outcomes", outcomes, "--horizon-days", "30"];
    args.push("--as-of", "2100-01-01T00:00:00Z");
    const out = join(w.dir, "huge-table.csv");
    const r = await runCli([...args, "--out", out]);
    expect(r.code, r.stdout).toBe(2);
    expect(r.stderr).toMatch(/event ".*-twin": amount 1e\+308 .* overflow.*\[not_finite\]/);
    expect(existsSync(out)).toBe(false);
  });

  it("evaluate refuses values of 1e307 (intervals not finite) instead of writing null", async () => {
    const w = await smallWorld();
    const [header, ...lines] = readFileSync(w.table, "utf8").trimEnd().split("\n");
    const at = header!.split(",").indexOf("value");
    const act = header!.split(",").indexOf("action");
    let left = 2;
    const edited = lines.map((l) => {
      const c = l.split(",");
      // Logged no-offer rows: the baseline (and most of the policy) rests on them.
      if (c[act] !== "control" || left === 0) return l;
      left--;
      c[at] = "1e307";
      return c.join(",");
    });
    const data = writeFixture(w.dir, "huge-values.csv", `${header}\n${edited.join("\n")}\n`);
    const args = ["evaluate", "--data", data, "--policy", w.assignment, "--bootstraps", "0"];
    await expectRefused(
      w.dir,
      [...args, "--out", join(w.dir, "o-huge.json")],
      [data, "value:", "not a finite number"],
    );
    const diag = ["diagnose", "--model", w.model, "--data", data, "--out", join(w.dir, "d-huge.json")];
    await expectRefused(w.dir, diag, [data, "the diagnostics overflow at", "not a finite number"]);
  });

  it("serve answers 400 to a /spend report that would overflow today's total", async () => {
    const w = await smallWorld();
    const bundle = join(w.dir, "bundle-spend");
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
    const { startServe } = await import("../commands/serve.js");
    const s = await startServe({
      policy: bundle,
      port: 0,
      logMaxMb: 1,
      logMaxAgeS: 3600,
      durability: "write",
      bodyLimitKb: 64,
      maxBatch: 10,
    });
    try {
      const post = (spend: number) =>
        fetch(`${s.url}/spend`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ spend, target: 1 }),
        });
      expect((await post(1e308)).status).toBe(200);
      const r = await post(1e308);
      expect(r.status).toBe(400);
      expect(JSON.stringify(await r.json())).toMatch(/overflow/);
    } finally {
      await s.server.close();
    }
  });
});

describe("review finding 11: labels counts rows that repeat a unit_id", () => {
  it("warns and reports duplicate_unit_rows in the summary (one row per decision is kept)", async () => {
    const w = await smallWorld();
    const lines = readFileSync(w.decisions, "utf8").trimEnd().split("\n");
    const first = JSON.parse(lines[0]!);
    const again = JSON.stringify({ ...first, decision_id: `${first.decision_id}-again` });
    const decisions = writeFixture(w.dir, "dup-decisions.jsonl", `${[...lines, again].join("\n")}\n`);
    const out = join(w.dir, "dup-labels.csv");
    const r = await runCli([
      "labels",
      "--decisions",
      decisions,
      "--outcomes",
      w.outcomes,
      "--horizon-days",
      "30",
      "--as-of",
      "2100-01-01T00:00:00Z",
      "--out",
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`warning: 1 row\\(s\\) repeat a unit_id .*first '${first.unit_id}'`));
    expect(JSON.parse(r.stdout.trim().split("\n").at(-1)!).duplicate_unit_rows).toBe(1);
  });
});

describe("review finding 12: ledger and pace", () => {
  it("ledger refuses a --control that matches no decision", async () => {
    const w = await smallWorld();
    const args = ["ledger", "--decisions", w.decisions, "--outcomes", w.outcomes, "--predicted-cost", "3"];
    await expectRefused(
      w.dir,
      [...args, "--control", "nothing", "--out", join(w.dir, "l1.csv")],
      ["--control 'nothing' matches no decision"],
    );
  });

  it("ledger refuses a --period-start after the first decision (negative assigned_at)", async () => {
    const w = await smallWorld();
    const args = ["ledger", "--decisions", w.decisions, "--outcomes", w.outcomes, "--predicted-cost", "3"];
    await expectRefused(
      w.dir,
      [...args, "--period-start", "2099-01-01T00:00:00Z", "--out", join(w.dir, "l2.csv")],
      ["--period-start 2099-01-01T00:00:00Z", "before day 0"],
    );
  });

  it("pace refuses a negative assigned_at with its line", async () => {
    const w = await smallWorld();
    const ledger = writeFixture(
      w.dir,
      "neg-ledger.csv",
      "assigned_at,segment,predicted_cost,redeemed_at,realized_cost\n0,a,3,1,3\n-2,a,3,,\n",
    );
    const args = ["pace", "--budget", "100", "--days", "10", "--day", "1", "--history", ledger];
    await expectRefused(
      w.dir,
      [...args, "--out", join(w.dir, "p.json")],
      [`${ledger}:3`, "assigned_at", ">= 0"],
    );
  });
});

describe("review finding 13: clipped features counted, hex numbers refused", () => {
  it("score counts values clipped into the contract's range per feature, with a warning", async () => {
    const w = await smallWorld();
    const [header, ...lines] = readFileSync(w.table, "utf8").trimEnd().split("\n");
    const at = header!.split(",").indexOf("tenure_days");
    const edited = lines.map((l, i) => {
      if (i > 2) return l;
      const c = l.split(",");
      c[at] = "99999999";
      return c.join(",");
    });
    const data = writeFixture(w.dir, "clip.csv", `${header}\n${edited.join("\n")}\n`);
    const r = await runCli([
      "score",
      "--model",
      w.model,
      "--data",
      data,
      "--out",
      join(w.dir, "clip-scores.csv"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /warning: 3 feature value\(s\) outside the contract's range were clipped .*tenure_days: 3/,
    );
    expect(JSON.parse(r.stdout.trim().split("\n").at(-1)!).clipped_values).toEqual({ tenure_days: 3 });
  });

  it.each([
    ["value", "value must be a finite number, got '0x10'"],
    ["cost", "cost must be a finite number, got '0x10'"],
  ])("evaluate refuses a hex %s cell", async (column, message) => {
    const w = await smallWorld();
    const [header, first, ...rest] = readFileSync(w.table, "utf8").trimEnd().split("\n");
    const c = first!.split(",");
    c[header!.split(",").indexOf(column)] = "0x10";
    const data = writeFixture(w.dir, `hex-${column}.csv`, `${header}\n${c.join(",")}\n${rest.join("\n")}\n`);
    const args = ["evaluate", "--data", data, "--policy", w.assignment, "--bootstraps", "0"];
    await expectRefused(w.dir, [...args, "--out", join(w.dir, "o-hex.json")], [`${data}:2`, message]);
  });

  it("allocate refuses a hex tau_value in the scores", async () => {
    const w = await smallWorld();
    const [header, first, ...rest] = readFileSync(w.scores, "utf8").trimEnd().split("\n");
    const c = first!.split(",");
    c[header!.split(",").indexOf("tau_value")] = "0x10";
    const scores = writeFixture(
      w.dir,
      "hex-scores-in.csv",
      `${header}\n${c.join(",")}\n${rest.join("\n")}\n`,
    );
    const args = ["allocate", "--scores", scores, "--budget", "10", "--out", join(w.dir, "a-hex.csv")];
    await expectRefused(w.dir, args, [`${scores}:2`, "tau_value must be a finite number, got '0x10'"]);
  });

  it("score refuses a hex numeric feature", async () => {
    const w = await smallWorld();
    const [header, first, ...rest] = readFileSync(w.table, "utf8").trimEnd().split("\n");
    const c = first!.split(",");
    c[header!.split(",").indexOf("tenure_days")] = "0x10";
    const data = writeFixture(w.dir, "hex-feature.csv", `${header}\n${c.join(",")}\n${rest.join("\n")}\n`);
    const args = ["score", "--model", w.model, "--data", data, "--out", join(w.dir, "hex-scores.csv")];
    await expectRefused(w.dir, args, [`${data}:2`, "tenure_days", "0x10"]);
  });
});

describe("review finding 14: a baseline column that does not exist", () => {
  it("names the config file and baseline.when.column, before anything is learned or written", async () => {
    const { dir, config } = configWorld({
      baseline: { action: "coupon_5", when: { column: "nope", atLeast: 1 } },
    });
    await expectRefused(
      dir,
      ["run", "--config", config, "--quiet"],
      [`${config}: baseline.when.column: no column 'nope'`],
    );
  });
});

describe("review finding 9 (backstop): a Parquet file given to a reader without Parquet", () => {
  it.each([
    [
      "split",
      (f: string, d: string) => [
        "split",
        "--data",
        f,
        "--train",
        join(d, "a.csv"),
        "--test",
        join(d, "b.csv"),
      ],
    ],
    [
      "pace",
      (f: string, d: string) => [
        "pace",
        "--budget",
        "10",
        "--days",
        "10",
        "--day",
        "1",
        "--history",
        f,
        "--out",
        join(d, "p.json"),
      ],
    ],
  ] as const)("%s says Parquet is not supported, without echoing its bytes", async (_name, argsOf) => {
    const w = await smallWorld();
    const file = join(w.dir, "fake.parquet");
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from("PAR1"),
        Buffer.from([0x15, 0x04, 0x22, 0xff, 0x00, 0x0a]),
        Buffer.from("PAR1"),
      ]),
    );
    const line = await expectRefused(w.dir, argsOf(file, w.dir), [
      file,
      "Parquet is not supported by this command",
    ]);
    expect(line).not.toContain("PAR1");
    expect([...line].some((ch) => ch.charCodeAt(0) < 9 || ch.charCodeAt(0) === 0xff)).toBe(false);
  });
});

describe("review finding 14: data errors name the user's files, not out/table.csv", () => {
  it("an action of the catalogue that never appears names the config key", async () => {
    const acts = ["control", "coupon_5", "coupon_15", "coupon_99"].map((name) => ({ name }));
    const { dir, config } = configWorld({ actions: acts });
    const line = await expectRefused(
      dir,
      ["run", "--config", config, "--quiet"],
      [`${config}: actions[3]: action 'coupon_99' never appears in ${join(dir, "experiment.csv")}`],
    );
    expect(line).not.toContain("table.csv");
  });

  it("too few rows names the data file", async () => {
    const { dir, config } = configWorld({}, 30);
    const line = await expectRefused(dir, ["run", "--config", config, "--quiet"], ["30 rows is too few"]);
    expect(line).not.toContain("table.csv");
  });
});
