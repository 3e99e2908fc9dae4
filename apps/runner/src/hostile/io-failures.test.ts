import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../test-helpers/run-cli.js";
import { expectRefused, smallWorld } from "./test-helpers/hostile-fixtures.js";

const escapeRe = (s: string) => s.replaceAll(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const isRoot = process.getuid?.() === 0;

/** Each reader, with the flag that takes the file: hostile bytes go in that slot. */
async function readers() {
  const w = await smallWorld();
  const out = (name: string) => join(w.dir, "out", name);
  return {
    w,
    slots: [
      {
        name: "train --data",
        good: w.table,
        run: (f: string) => ["train", "--data", f, "--base", "ridge", "--out", out("m.json")],
      },
      {
        name: "score --data",
        good: w.table,
        run: (f: string) => ["score", "--model", w.model, "--data", f, "--out", out("s.csv")],
      },
      {
        name: "diagnose --data",
        good: w.table,
        run: (f: string) => ["diagnose", "--model", w.model, "--data", f, "--out", out("d.json")],
      },
      {
        name: "evaluate --policy",
        good: w.assignment,
        run: (f: string) => [
          "evaluate",
          "--data",
          w.table,
          "--policy",
          f,
          "--bootstraps",
          "0",
          "--out",
          out("o.json"),
        ],
      },
      {
        name: "allocate --scores",
        good: w.scores,
        run: (f: string) => ["allocate", "--scores", f, "--budget", "5", "--out", out("a.csv")],
      },
      {
        name: "pace --history",
        good: w.ledger,
        run: (f: string) => [
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
          out("p.json"),
        ],
      },
      {
        name: "labels --decisions",
        good: w.decisions,
        run: (f: string) => [
          "labels",
          "--decisions",
          f,
          "--outcomes",
          w.outcomes,
          "--horizon-days",
          "28",
          "--out",
          out("l.csv"),
        ],
      },
      {
        name: "labels --outcomes",
        good: w.outcomes,
        run: (f: string) => [
          "labels",
          "--decisions",
          w.decisions,
          "--outcomes",
          f,
          "--horizon-days",
          "28",
          "--out",
          out("l.csv"),
        ],
      },
    ],
  };
}

describe("hostile: compression, syntax and file-system failures", () => {
  it("a truncated or non-gzip .gz input is exit 2 naming the file, for every reader", async () => {
    const { w, slots } = await readers();
    for (const s of slots) {
      const ext = s.good.replace(/^.*?(\.[a-z]+)$/, "$1");
      const truncated = join(w.dir, `trunc-${s.name.replace(/\W+/g, "_")}${ext}.gz`);
      const whole = gzipSync(readFileSync(s.good));
      writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
      await expectRefused(w.dir, s.run(truncated), [truncated, "not a valid gzip file", "[invalid_gzip]"]);
      const plain = join(w.dir, `plain-${s.name.replace(/\W+/g, "_")}${ext}.gz`);
      writeFileSync(plain, readFileSync(s.good));
      await expectRefused(w.dir, s.run(plain), [plain, "incorrect header check", "[invalid_gzip]"]);
    }
  });

  it("a bare quote inside an unquoted CSV cell is a file:line: field error, for every CSV reader", async () => {
    const { w, slots } = await readers();
    for (const s of slots.filter((x) => x.good.endsWith(".csv"))) {
      const lines = readFileSync(s.good, "utf8").split("\n");
      const header = lines[0]!.split(",");
      // Put the quote inside the second cell of data line 3 (file line 4).
      const cells = lines[3]!.split(",");
      cells[1] = `${cells[1]}5"x`;
      lines[3] = cells.join(",");
      const file = join(w.dir, `quote-${s.name.replace(/\W+/g, "_")}.csv`);
      writeFileSync(file, lines.join("\n"));
      await expectRefused(w.dir, s.run(file), [
        new RegExp(`^error: ${escapeRe(file)}:4: ${escapeRe(header[1]!)}: CSV syntax error`),
        "double quote inside an unquoted cell",
      ]);
    }
  });

  it("a missing input, or a directory given as one, is exit 2 naming it", async () => {
    const { w, slots } = await readers();
    for (const s of slots) {
      const missing = join(w.dir, "nope", "missing.csv");
      await expectRefused(w.dir, s.run(missing), [missing, /no such file/]);
      const dir = join(w.dir, "a-dir");
      mkdirSync(dir, { recursive: true });
      await expectRefused(w.dir, s.run(dir), [dir, /is a directory/]);
    }
  });

  it("a full device (ENOSPC) is exit 2 naming it, and the device is left a device", async () => {
    if (!existsSync("/dev/full") || !lstatSync("/dev/full").isCharacterDevice()) {
      console.log("skipped: no /dev/full on this system");
      return;
    }
    const w = await smallWorld();
    const r = await runCli(["score", "--model", w.model, "--data", w.table, "--out", "/dev/full"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("error: /dev/full: cannot write: no space left on the device (ENOSPC)");
    expect(lstatSync("/dev/full").isCharacterDevice()).toBe(true);
  });

  it("an unwritable output directory (EACCES) and an unreadable input are exit 2 with the reason", async () => {
    const w = await smallWorld();
    if (isRoot) {
      // root ignores permission bits: the mapping of EACCES to exit 2 is checked in io/exit-code.test.ts.
      console.log("skipped: running as root, permission bits do not apply");
      return;
    }
    const locked = join(w.dir, "locked");
    mkdirSync(locked, { recursive: true });
    chmodSync(locked, 0o500);
    try {
      await expectRefused(
        w.dir,
        ["allocate", "--scores", w.scores, "--budget", "5", "--out", join(locked, "a.csv")],
        [`${locked} is not writable (permission denied)`],
      );
    } finally {
      chmodSync(locked, 0o700);
    }
    // Outside w.dir: expectRefused hashes every file there, and this one cannot be read.
    const secret = join(tempDir("cia-secret-"), "secret.csv");
    writeFileSync(secret, readFileSync(w.scores));
    chmodSync(secret, 0o000);
    try {
      await expectRefused(
        w.dir,
        ["allocate", "--scores", secret, "--budget", "5", "--out", join(w.dir, "out", "a.csv")],
        [secret, "permission denied (EACCES)"],
      );
    } finally {
      chmodSync(secret, 0o600);
    }
  });

  it("the real process exits 2 with one line and no stack trace (spawned, as a shell sees it)", async () => {
    const w = await smallWorld();
    const runner = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
    const truncated = join(w.dir, "spawned.csv.gz");
    writeFileSync(truncated, gzipSync(readFileSync(w.table)).subarray(0, 100));
    for (const args of [
      ["score", "--model", w.model, "--data", truncated, "--out", join(w.dir, "out", "x.csv")],
      ["allocate", "--scores", w.scores, "--budget", "5", "--out", w.scores],
    ]) {
      const r = spawnSync(
        process.execPath,
        ["--import", "tsx", "--conditions", "@cia/source", "src/bin.ts", ...args],
        {
          cwd: runner,
          encoding: "utf8",
          timeout: 60_000,
        },
      );
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n"), r.stderr).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at |internal error|Unhandled/);
    }
  });
});
