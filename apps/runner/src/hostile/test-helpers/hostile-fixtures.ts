import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { expect } from "vitest";
import { runCli, tempDir } from "../../test-helpers/run-cli.js";

/** A small world on disk, made once per test file: the logs, the table, a model, scores, an assignment. */
export interface World {
  dir: string;
  decisions: string;
  outcomes: string;
  table: string;
  model: string;
  scores: string;
  assignment: string;
  ledger: string;
}

async function ok(args: string[]): Promise<string> {
  const r = await runCli(args);
  if (r.code !== 0) throw new Error(`cia ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

let world: Promise<World> | undefined;

/**
 * The shared fixture: `cia simulate` (400 units, uniform design), a ridge model, its scores and an
 * allocation, and a small pacing ledger, all written by the CLI itself so the hostile variants
 * below differ from a valid input by one edit.
 */
export function smallWorld(): Promise<World> {
  world ??= (async () => {
    const dir = tempDir("cia-hostile-");
    await ok(["simulate", "--units", "400", "--seed", "3", "--design", "uniform", "--out", dir]);
    const w: World = {
      dir,
      decisions: join(dir, "decisions.jsonl"),
      outcomes: join(dir, "outcomes.jsonl"),
      table: join(dir, "table.csv"),
      model: join(dir, "model.json"),
      scores: join(dir, "scores.csv"),
      assignment: join(dir, "assignment.csv"),
      ledger: join(dir, "ledger.csv"),
    };
    await ok(["train", "--data", w.table, "--out", w.model, "--base", "ridge"]);
    await ok(["score", "--model", w.model, "--data", w.table, "--out", w.scores]);
    // The assignment is written here, not by `cia allocate`, so these tests do not depend on the solver.
    const ids = readFileSync(w.table, "utf8")
      .trimEnd()
      .split("\n")
      .slice(1)
      .map((l) => l.split(",")[0]);
    writeFileSync(
      w.assignment,
      `unit_id,action\n${ids.map((id, i) => `${id},${i % 3 === 0 ? "offer_3" : "control"}`).join("\n")}\n`,
    );
    writeFileSync(
      w.ledger,
      "assigned_at,segment,predicted_cost,redeemed_at,realized_cost\n0,a,3,1,3\n0,a,3,,\n1,b,5,2,4\n2,b,5,,\n",
    );
    return w;
  })();
  return world;
}

/** Every file under `dir` (relative path -> sha256): what a refused command must leave unchanged. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.set(relative(dir, p), `-> ${readlinkSync(p)}`);
      else if (st.isDirectory()) walk(p);
      else out.set(relative(dir, p), createHash("sha256").update(readFileSync(p)).digest("hex"));
    }
  };
  walk(dir);
  return out;
}

/**
 * Run a command that must be refused: exit 2, one line on stderr (no stack trace) that matches
 * every pattern (file, line, field...), nothing written or changed under `dir` (no output, no
 * temporary file, every input byte for byte as before). Returns that line.
 */
export async function expectRefused(
  dir: string,
  args: string[],
  patterns: (RegExp | string)[],
): Promise<string> {
  const before = snapshot(dir);
  const r = await runCli(args);
  const after = snapshot(dir);
  expect(r.code, `${args.join(" ")}\n${r.stderr}`).toBe(2);
  const lines = r.stderr.trim().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  const line = lines[0]!;
  expect(line).toMatch(/^error: /);
  expect(line).not.toMatch(/internal error/);
  for (const p of patterns) {
    if (typeof p === "string") expect(line).toContain(p);
    else expect(line).toMatch(p);
  }
  expect([...after.keys()].sort(), "files added or removed").toEqual([...before.keys()].sort());
  for (const [k, h] of before) expect(after.get(k), `${k} changed`).toBe(h);
  return line;
}
