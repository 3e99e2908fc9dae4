import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { runCli } from "../test-helpers/run-cli.js";
import { expectRefused, smallWorld } from "./test-helpers/hostile-fixtures.js";

/** The CSV `file` with `edit` applied to its data lines (the header is line 0). */
function editCsv(file: string, to: string, edit: (lines: string[]) => void): string {
  const lines = readFileSync(file, "utf8").trimEnd().split("\n");
  edit(lines);
  writeFileSync(to, `${lines.join("\n")}\n`);
  return to;
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split("\n").pop()!);

describe("hostile: what used to be accepted silently", () => {
  it("--as-of must be ISO 8601 with a zone: 'Dec 1 2026', '1', no zone, a day that does not exist", async () => {
    const w = await smallWorld();
    const base = ["labels", "--decisions", w.decisions, "--outcomes", w.outcomes, "--horizon-days", "28"];
    for (const bad of ["Dec 1 2026", "1", "2026-12-01T00:00:00", "2026-02-30", "2026-13-01"])
      await expectRefused(
        w.dir,
        [...base, "--out", join(w.dir, "out", "l.csv"), "--as-of", bad],
        [`--as-of must be an ISO 8601 date or time with a zone`, `got '${bad}'`],
      );
    for (const good of ["2026-12-01", "2026-12-01T00:00:00Z", "2026-12-01T01:00:00+01:00"]) {
      const r = await runCli([...base, "--out", join(w.dir, "out", "l.csv"), "--as-of", good]);
      expect(r.code, r.stderr).toBe(0);
      expect(lastJson(r.stdout).as_of).toBe("2026-12-01T00:00:00.000Z");
    }
  });

  it("outcome events for unknown decisions are counted, warned about and quarantined with --rejects", async () => {
    const w = await smallWorld();
    const events = readFileSync(w.outcomes, "utf8").trimEnd().split("\n");
    const ghost = JSON.parse(events[0]!);
    ghost.event_id = "ghost-1";
    ghost.decision_id = "no-such-decision";
    const file = join(w.dir, "ghost-outcomes.jsonl");
    writeFileSync(file, `${[...events, JSON.stringify(ghost)].join("\n")}\n`);
    const base = ["labels", "--decisions", w.decisions, "--outcomes", file, "--horizon-days", "28"];
    const strict = await runCli([...base, "--out", join(w.dir, "out", "g.csv"), "--as-of", "2026-12-01"]);
    expect(strict.code, strict.stderr).toBe(0);
    expect(lastJson(strict.stdout).events.unknownDecision).toBe(1);
    expect(strict.stderr).toContain(`1 outcome event(s) name a decision_id that is not among the decisions`);
    expect(strict.stderr).toContain(`${file}:${events.length + 1}`);
    const rejects = join(w.dir, "out", "rej.jsonl");
    const q = await runCli([
      ...base,
      "--out",
      join(w.dir, "out", "g.csv"),
      "--as-of",
      "2026-12-01",
      "--rejects",
      rejects,
    ]);
    expect(q.code, q.stderr).toBe(0);
    const summary = lastJson(q.stdout);
    expect(summary.rejected.outcomes).toBe(1);
    expect(summary.warnings.join(" ")).toContain(`quarantined in ${rejects}.outcomes.jsonl`);
    const quarantined = readFileSync(`${rejects}.outcomes.jsonl`, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(quarantined).toHaveLength(1);
    expect(quarantined[0]).toMatchObject({
      file,
      line: events.length + 1,
      issues: [{ code: "unknown_decision" }],
    });
    expect(JSON.parse(quarantined[0].raw).event_id).toBe("ghost-1");
  });

  it("labels with no decisions, or with every window still open, is exit 2 instead of an empty table", async () => {
    const w = await smallWorld();
    const none = join(w.dir, "no-decisions.jsonl");
    writeFileSync(none, "");
    await expectRefused(
      w.dir,
      [
        "labels",
        "--decisions",
        none,
        "--outcomes",
        w.outcomes,
        "--horizon-days",
        "28",
        "--out",
        join(w.dir, "out", "l.csv"),
      ],
      [`${none}: no valid decisions: nothing to label`],
    );
    await expectRefused(
      w.dir,
      [
        "labels",
        "--decisions",
        w.decisions,
        "--outcomes",
        w.outcomes,
        "--horizon-days",
        "28",
        "--as-of",
        "2001-01-01",
        "--out",
        join(w.dir, "out", "l.csv"),
      ],
      [/no decision's 28-day window has closed by 2001-01-01T00:00:00\.000Z \(400 censored/],
    );
  });

  it("labels that fail part-way leave no rejects file behind", async () => {
    const w = await smallWorld();
    const broken = join(w.dir, "broken-outcomes.jsonl.gz");
    writeFileSync(broken, gzipSync(readFileSync(w.outcomes)).subarray(0, 200));
    await expectRefused(
      w.dir,
      [
        "labels",
        "--decisions",
        w.decisions,
        "--outcomes",
        broken,
        "--horizon-days",
        "28",
        "--out",
        join(w.dir, "out", "x.csv"),
        "--rejects",
        join(w.dir, "out", "x-rej.jsonl"),
      ],
      ["[invalid_gzip]"],
    );
    expect(existsSync(join(w.dir, "out", "x-rej.jsonl"))).toBe(false);
  });

  it("duplicate unit ids in an experiment table: exit 2 naming both lines, in train, score and evaluate", async () => {
    const w = await smallWorld();
    const dup = editCsv(w.table, join(w.dir, "dup.csv"), (l) => {
      l[5] = l[5]!.replace(/^[^,]+/, l[2]!.split(",")[0]!);
    });
    const id = readFileSync(dup, "utf8").split("\n")[2]!.split(",")[0];
    const pattern = new RegExp(
      `dup\\.csv:6: unit_id: unit '${id}' already has a row \\(line 3\\).*\\[duplicate_unit\\]`,
    );
    await expectRefused(
      w.dir,
      ["train", "--data", dup, "--base", "ridge", "--out", join(w.dir, "out", "m.json")],
      [pattern],
    );
    await expectRefused(
      w.dir,
      ["score", "--model", w.model, "--data", dup, "--out", join(w.dir, "out", "s.csv")],
      [pattern],
    );
    await expectRefused(
      w.dir,
      [
        "evaluate",
        "--data",
        dup,
        "--policy",
        w.assignment,
        "--bootstraps",
        "0",
        "--out",
        join(w.dir, "out", "o.json"),
      ],
      [pattern],
    );
  });

  it("negative costs: exit 2 in the experiment table and in the pacing ledger", async () => {
    const w = await smallWorld();
    const header = readFileSync(w.table, "utf8").split("\n")[0]!.split(",");
    const costAt = header.indexOf("cost");
    const neg = editCsv(w.table, join(w.dir, "neg.csv"), (l) => {
      const c = l[4]!.split(",");
      c[costAt] = "-2.5";
      l[4] = c.join(",");
    });
    await expectRefused(
      w.dir,
      ["train", "--data", neg, "--base", "ridge", "--out", join(w.dir, "out", "m.json")],
      [/neg\.csv:5: cost: cost must be >= 0, got '-2\.5'.*\[negative_cost\]/],
    );
    const ledger = editCsv(w.ledger, join(w.dir, "neg-ledger.csv"), (l) => {
      l[3] = "1,b,5,2,-4";
    });
    await expectRefused(
      w.dir,
      [
        "pace",
        "--budget",
        "50",
        "--days",
        "5",
        "--day",
        "1",
        "--history",
        ledger,
        "--out",
        join(w.dir, "out", "p.json"),
      ],
      [/neg-ledger\.csv:4: realized_cost: realized_cost must be >= 0, got -4.*\[negative_cost\]/],
    );
  });

  it("cost events that net below zero for a decision: labels refuses, naming the unit", async () => {
    const w = await smallWorld();
    const events = readFileSync(w.outcomes, "utf8").trimEnd().split("\n");
    const refund = JSON.parse(events.find((l) => l.includes('"kind":"cost"'))!);
    refund.event_id = "refund-1";
    refund.amount = -1000;
    const file = join(w.dir, "refund-outcomes.jsonl");
    writeFileSync(file, `${[...events, JSON.stringify(refund)].join("\n")}\n`);
    await expectRefused(
      w.dir,
      [
        "labels",
        "--decisions",
        w.decisions,
        "--outcomes",
        file,
        "--horizon-days",
        "28",
        "--as-of",
        "2026-12-01",
        "--out",
        join(w.dir, "out", "l.csv"),
      ],
      [
        new RegExp(
          `refund-outcomes\\.jsonl: cost: the decision of unit '${refund.unit_id}' nets a cost of -\\d+.*\\[negative_cost\\]`,
        ),
      ],
    );
  });

  it("evaluate with a feature column of the model missing: exit 2 naming the column", async () => {
    const w = await smallWorld();
    const header = readFileSync(w.table, "utf8").split("\n")[0]!.split(",");
    const drop = header.indexOf("region");
    const missing = editCsv(w.table, join(w.dir, "no-region.csv"), (l) => {
      for (let i = 0; i < l.length; i++)
        l[i] = l[i]!.split(",")
          .filter((_, j) => j !== drop)
          .join(",");
    });
    await expectRefused(
      w.dir,
      [
        "evaluate",
        "--data",
        missing,
        "--policy",
        w.assignment,
        "--model",
        w.model,
        "--bootstraps",
        "0",
        "--out",
        join(w.dir, "out", "o.json"),
      ],
      [/no-region\.csv:1: region: missing feature column 'region' required by the model.*\[missing_column\]/],
    );
  });

  it("a pacing ledger that is empty, header-only or missing a column: exit 2", async () => {
    const w = await smallWorld();
    const pace = (f: string) => [
      "pace",
      "--budget",
      "50",
      "--days",
      "5",
      "--day",
      "1",
      "--history",
      f,
      "--out",
      join(w.dir, "out", "p.json"),
    ];
    const empty = join(w.dir, "empty-ledger.csv");
    writeFileSync(empty, "");
    await expectRefused(w.dir, pace(empty), [`${empty}: the ledger has no rows`, "[empty_table]"]);
    const headerOnly = join(w.dir, "header-ledger.csv");
    writeFileSync(headerOnly, `${readFileSync(w.ledger, "utf8").split("\n")[0]}\n`);
    await expectRefused(w.dir, pace(headerOnly), [`${headerOnly}: the ledger has no rows`]);
    const noRedeemed = editCsv(w.ledger, join(w.dir, "no-redeemed.csv"), (l) => {
      for (let i = 0; i < l.length; i++)
        l[i] = l[i]!.split(",")
          .filter((_, j) => j !== 3)
          .join(",");
    });
    await expectRefused(w.dir, pace(noRedeemed), [
      /no-redeemed\.csv:1: redeemed_at: missing column 'redeemed_at'/,
    ]);
  });
});
