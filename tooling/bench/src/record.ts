import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** One measured case of a suite; `metrics` holds anything else worth recording (RMSE, ratios...). */
export interface CaseResult {
  name: string;
  median_ms?: number;
  min_ms?: number;
  max_ms?: number;
  runs?: number;
  /** Peer's time for the same case, when one ran in the same process group. */
  peer?: { name: string; median_ms: number; source: "same-run" | "recorded" };
  /** ours / peer; <= 1 means we are at least as fast. */
  ratio?: number;
  target?: string;
  pass?: boolean;
  metrics?: Record<string, number | string | boolean | null>;
}

export interface SuiteResult {
  suite: string;
  description: string;
  cases: CaseResult[];
  notes?: string[];
}

/** The repository root (two levels above tooling/bench/src). */
export function repoRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
}

export function resultsDir(): string {
  return resolve(repoRoot(), "bench/results");
}

/**
 * Write a suite's results to bench/results/<suite>.json atomically (temp file + rename), with the
 * machine facts needed to read the numbers later.
 */
export function recordSuite(result: SuiteResult): string {
  const dir = resultsDir();
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, `${result.suite}.json`);
  const payload = {
    ...result,
    date: new Date().toISOString(),
    machine: {
      node: process.version,
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? "unknown",
      memory_gb: Math.round(os.totalmem() / 2 ** 30),
    },
  };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(payload, null, 2)}\n`);
  renameSync(tmp, file);
  return file;
}
