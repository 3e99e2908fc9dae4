import { copyFileSync, linkSync, mkdirSync, symlinkSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { guardPaths, resolvedPath } from "../io/guard-paths.js";
import { expectRefused, smallWorld } from "./test-helpers/hostile-fixtures.js";

// Every command that reads files refuses an output that resolves to one of its inputs (the
// input would be replaced), and any two outputs that are one file, before it reads or writes.
describe("hostile: an output that is an input", () => {
  it("every command refuses --out equal to each of its inputs, naming both, writing nothing", async () => {
    const w = await smallWorld();
    const cases: [string, string[], string][] = [
      ["train", ["train", "--data", w.table, "--base", "ridge", "--out"], w.table],
      ["score --data", ["score", "--model", w.model, "--data", w.table, "--out"], w.table],
      ["score --model", ["score", "--model", w.model, "--data", w.table, "--out"], w.model],
      ["diagnose --data", ["diagnose", "--model", w.model, "--data", w.table, "--out"], w.table],
      ["diagnose --model", ["diagnose", "--model", w.model, "--data", w.table, "--out"], w.model],
      ["allocate", ["allocate", "--scores", w.scores, "--budget", "10", "--out"], w.scores],
      [
        "evaluate --data",
        ["evaluate", "--data", w.table, "--policy", w.assignment, "--bootstraps", "0", "--out"],
        w.table,
      ],
      [
        "evaluate --policy",
        ["evaluate", "--data", w.table, "--policy", w.assignment, "--bootstraps", "0", "--out"],
        w.assignment,
      ],
      [
        "evaluate --model",
        ["evaluate", "--data", w.table, "--policy", w.assignment, "--model", w.model, "--out"],
        w.model,
      ],
      [
        "pace",
        ["pace", "--budget", "100", "--days", "10", "--day", "1", "--history", w.ledger, "--out"],
        w.ledger,
      ],
      [
        "labels --decisions",
        ["labels", "--decisions", w.decisions, "--outcomes", w.outcomes, "--horizon-days", "28", "--out"],
        w.decisions,
      ],
      [
        "labels --outcomes",
        ["labels", "--decisions", w.decisions, "--outcomes", w.outcomes, "--horizon-days", "28", "--out"],
        w.outcomes,
      ],
    ];
    for (const [name, args, input] of cases) {
      const line = await expectRefused(
        w.dir,
        [...args, input],
        ["--out", "is the same file as", "nothing was written"],
      );
      expect(
        line.match(new RegExp(input.replaceAll(/[.*+?^${}()|[\]\\/]/g, "\\$&"), "g")),
        name,
      ).toHaveLength(2);
    }
  });

  it("resolves ./x against x, symbolic links, .. and hard links", async () => {
    const w = await smallWorld();
    const rel = relative(process.cwd(), w.scores);
    const dotted = join(dirname(w.scores), ".", "sub", "..", basename(w.scores));
    mkdirSync(join(w.dir, "sub"), { recursive: true });
    await expectRefused(
      w.dir,
      ["allocate", "--scores", rel, "--budget", "10", "--out", dotted],
      ["is the same file as"],
    );
    await expectRefused(
      w.dir,
      ["allocate", "--scores", `./${rel}`, "--budget", "10", "--out", w.scores],
      ["is the same file as"],
    );
    const link = join(w.dir, "scores-link.csv");
    symlinkSync(w.scores, link);
    await expectRefused(
      w.dir,
      ["allocate", "--scores", w.scores, "--budget", "10", "--out", link],
      [`--out ${link} is the same file as --scores ${w.scores}`],
    );
    // A link to the directory: out/<link>/scores.csv is the input.
    const dirLink = join(w.dir, "dir-link");
    symlinkSync(w.dir, dirLink);
    await expectRefused(
      w.dir,
      ["allocate", "--scores", w.scores, "--budget", "10", "--out", join(dirLink, "scores.csv")],
      ["is the same file as"],
    );
    const copy = join(w.dir, "copy.csv");
    copyFileSync(w.scores, copy);
    const hard = join(w.dir, "hard.csv");
    linkSync(copy, hard);
    await expectRefused(
      w.dir,
      ["allocate", "--scores", copy, "--budget", "10", "--out", hard],
      ["is the same file as"],
    );
  });

  it("--rejects equal to --decisions, --rejects equal to --out, and the outcomes rejects on an input", async () => {
    const w = await smallWorld();
    const base = ["labels", "--decisions", w.decisions, "--outcomes", w.outcomes, "--horizon-days", "28"];
    await expectRefused(
      w.dir,
      [...base, "--out", join(w.dir, "l.csv"), "--rejects", w.decisions],
      [`--rejects ${w.decisions} is the same file as --decisions ${w.decisions}`],
    );
    await expectRefused(
      w.dir,
      [...base, "--out", join(w.dir, "l.csv"), "--rejects", join(w.dir, "l.csv")],
      ["--out", "--rejects", "are the same file"],
    );
    // --rejects R also writes R.outcomes.jsonl: that one may not be an input either.
    const events = join(w.dir, "q.outcomes.jsonl");
    copyFileSync(w.outcomes, events);
    await expectRefused(
      w.dir,
      [
        ...base.slice(0, 3),
        "--outcomes",
        events,
        "--horizon-days",
        "28",
        "--out",
        join(w.dir, "l.csv"),
        "--rejects",
        join(w.dir, "q"),
      ],
      [`--rejects (outcomes) ${events} is the same file as --outcomes ${events}`],
    );
  });

  it("refuses an output that is a directory, or under a file, before reading", async () => {
    const w = await smallWorld();
    await expectRefused(
      w.dir,
      ["allocate", "--scores", w.scores, "--budget", "10", "--out", w.dir],
      ["is a directory: name a file"],
    );
    await expectRefused(
      w.dir,
      ["allocate", "--scores", w.scores, "--budget", "10", "--out", join(w.table, "a.csv")],
      [`${w.table} is a file, not a directory`],
    );
    await expectRefused(
      w.dir,
      ["simulate", "--units", "50", "--out", w.table],
      ["is a file: name a directory"],
    );
  });

  it("refuses an empty path and an output that ends with a separator", async () => {
    const w = await smallWorld();
    await expectRefused(
      w.dir,
      ["allocate", "--scores", w.scores, "--budget", "10", "--out", ""],
      ["--out is empty: name a file"],
    );
    await expectRefused(
      w.dir,
      ["allocate", "--scores", "", "--budget", "10", "--out", join(w.dir, "o.csv")],
      ["--scores is empty"],
    );
    await expectRefused(
      w.dir,
      ["allocate", "--scores", w.scores, "--budget", "10", "--out", `${join(w.dir, "new")}/`],
      ["ends with a separator: name a file"],
    );
  });

  it("guardPaths: outputs against each other, paths that do not exist yet", () => {
    expect(resolvedPath("/nonexistent-cia/a/../b.csv")).toBe("/nonexistent-cia/b.csv");
    expect(() => guardPaths({ outputs: { "--a": "/tmp/cia-x/o.csv", "--b": "/tmp/cia-x/./o.csv" } })).toThrow(
      /--a \/tmp\/cia-x\/o\.csv and --b \/tmp\/cia-x\/\.\/o\.csv are the same file/,
    );
    expect(() =>
      guardPaths({ inputs: { "--in": "/tmp/cia-x/i.csv" }, outputs: { "--out": "/tmp/cia-x/o.csv" } }),
    ).not.toThrow();
  });
});
