import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../test-helpers/run-cli.js";

// One small simulated experiment shared by the file-contract tests below.
const dir = tempDir("cia-files-");
let ready: Promise<void> | undefined;
function simulate(): Promise<void> {
  ready ??= runCli(["simulate", "--units", "3000", "--seed", "5", "--design", "uniform", "--out", dir]).then(
    (r) => {
      if (r.code !== 0) throw new Error(r.stderr);
    },
  );
  return ready;
}

describe("train, score, allocate, evaluate through files", () => {
  it("a model survives save and load with identical scores", async () => {
    await simulate();
    const model = join(dir, "model.json");
    const t = await runCli([
      "train",
      "--data",
      join(dir, "table.csv"),
      "--out",
      model,
      "--base",
      "ridge",
      "--seed",
      "3",
    ]);
    expect(t.code, t.stderr).toBe(0);
    const a = await runCli([
      "score",
      "--model",
      model,
      "--data",
      join(dir, "table.csv"),
      "--out",
      join(dir, "s1.csv"),
    ]);
    expect(a.code, a.stderr).toBe(0);
    // Re-serialize the model file and score again: the bytes of the scores must not change.
    writeFileSync(join(dir, "model2.json"), JSON.stringify(JSON.parse(readFileSync(model, "utf8"))));
    const b = await runCli([
      "score",
      "--model",
      join(dir, "model2.json"),
      "--data",
      join(dir, "table.csv"),
      "--out",
      join(dir, "s2.csv"),
    ]);
    expect(b.code, b.stderr).toBe(0);
    expect(readFileSync(join(dir, "s2.csv"), "utf8")).toBe(readFileSync(join(dir, "s1.csv"), "utf8"));
    const s = readFileSync(join(dir, "s1.csv"), "utf8").split("\n");
    expect(s[0]).toBe("unit_id,action,tau_value,tau_cost");
    expect(s.length - 2).toBe(3000 * 4);

    const alloc = await runCli([
      "allocate",
      "--scores",
      join(dir, "s1.csv"),
      "--budget",
      "500",
      "--out",
      join(dir, "assign.csv"),
    ]);
    expect(alloc.code, alloc.stderr).toBe(0);
    const summary = JSON.parse(alloc.stdout.trim().split("\n").pop()!);
    for (const key of ["units", "treated", "spend", "value", "budget", "lambda", "upper_bound"])
      expect(summary).toHaveProperty(key);
    expect(summary.spend).toBeLessThanOrEqual(500 + 1e-9);
    expect(summary.upper_bound).toBeGreaterThanOrEqual(summary.value - 1e-9);

    const ev = await runCli([
      "evaluate",
      "--data",
      join(dir, "table.csv"),
      "--policy",
      join(dir, "assign.csv"),
      "--model",
      model,
      "--bootstraps",
      "200",
      "--out",
      join(dir, "ope.json"),
    ]);
    expect(ev.code, ev.stderr).toBe(0);
    const ope = JSON.parse(readFileSync(join(dir, "ope.json"), "utf8"));
    for (const name of ["ips", "snips", "dm", "dr"]) {
      const e = ope.estimates[name].value;
      expect(e.lower).toBeLessThanOrEqual(e.estimate);
      expect(e.upper).toBeGreaterThanOrEqual(e.estimate);
      expect(ope.estimates[name].cost).toBeDefined();
    }
  });

  it("refuses data that breaks the model's feature contract, naming file, line and field", async () => {
    await simulate();
    const model = join(dir, "model-c.json");
    expect(
      (
        await runCli([
          "train",
          "--data",
          join(dir, "table.csv"),
          "--out",
          model,
          "--base",
          "ridge",
          "--no-cost",
        ])
      ).code,
    ).toBe(0);
    const lines = readFileSync(join(dir, "table.csv"), "utf8").trim().split("\n");
    const header = lines[0]!.split(",");
    const platform = header.indexOf("platform");
    // An unseen category on the second data row.
    const bad = lines.slice(0, 4).map((l, i) =>
      i === 2
        ? l
            .split(",")
            .map((c, j) => (j === platform ? "smart-fridge" : c))
            .join(",")
        : l,
    );
    writeFileSync(join(dir, "unseen.csv"), `${bad.join("\n")}\n`);
    const r = await runCli([
      "score",
      "--model",
      model,
      "--data",
      join(dir, "unseen.csv"),
      "--out",
      join(dir, "x.csv"),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unseen\.csv:3: .*platform.*smart-fridge/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // A missing feature column.
    const drop = lines.slice(0, 3).map((l) =>
      l
        .split(",")
        .filter((_, j) => j !== platform)
        .join(","),
    );
    writeFileSync(join(dir, "missing.csv"), `${drop.join("\n")}\n`);
    const m = await runCli([
      "score",
      "--model",
      model,
      "--data",
      join(dir, "missing.csv"),
      "--out",
      join(dir, "x.csv"),
    ]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/missing\.csv:1: platform: missing feature column 'platform'/);
    // --report-only scores anyway and reports.
    const ro = await runCli([
      "score",
      "--model",
      model,
      "--data",
      join(dir, "unseen.csv"),
      "--out",
      join(dir, "x.csv"),
      "--report-only",
    ]);
    expect(ro.code, ro.stderr).toBe(0);
    expect(JSON.parse(ro.stdout.trim().split("\n").pop()!).contract_violations).toBe(1);
  });

  it("exits 2 on a NaN outcome, a zero propensity and an unknown action", async () => {
    await simulate();
    const lines = readFileSync(join(dir, "table.csv"), "utf8").trim().split("\n").slice(0, 5);
    const h = lines[0]!.split(",");
    const edit = (col: string, v: string) =>
      lines
        .map((l, i) =>
          i === 3
            ? l
                .split(",")
                .map((c, j) => (j === h.indexOf(col) ? v : c))
                .join(",")
            : l,
        )
        .join("\n");
    const cases: [string, string, RegExp][] = [
      ["value", "NaN", /nan\.csv:4: value: value must be a finite number/],
      ["propensity", "0", /nan\.csv:4: propensity: propensity must be in \(0, 1\]/],
    ];
    for (const [col, v, re] of cases) {
      writeFileSync(join(dir, "nan.csv"), `${edit(col, v)}\n`);
      const r = await runCli(["train", "--data", join(dir, "nan.csv"), "--out", join(dir, "m.json")]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(re);
    }
    const model = join(dir, "model.json");
    writeFileSync(join(dir, "unk.csv"), `${edit("action", "offer_999")}\n`);
    const u = await runCli([
      "diagnose",
      "--model",
      model,
      "--data",
      join(dir, "unk.csv"),
      "--out",
      join(dir, "d.json"),
    ]);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/unk\.csv:4: action: unknown action 'offer_999'/);
  });
});
