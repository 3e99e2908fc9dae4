import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import type { z } from "zod";
import { usageError } from "../io/usage-error.js";
import { type RunConfig, runConfigSchema } from "./run-config-schema.js";

/** Flags that override config keys (`--budget`, `--out`, `--seed`, and the quick-look knobs). */
export interface RunConfigOverrides {
  budget?: number | undefined;
  out?: string | undefined;
  seed?: string | undefined;
  bootstraps?: number | undefined;
  base?: "gbdt" | "ridge" | undefined;
  opeBootstraps?: number | undefined;
  sample?: number | undefined;
}

/** A validated config with every path absolute and the overrides applied. */
export interface ResolvedRunConfig extends RunConfig {
  /** The config file (or "(inline config)"), for messages. */
  file: string;
  seed: string;
}

/** The shared data folder, as `cia import` finds it: CIA_DATA_DIR, else ../shared/data from the working directory. */
function dataDir(): string {
  return resolve(process.env.CIA_DATA_DIR ?? "../shared/data");
}

/** A config path: `${CIA_DATA_DIR}` expanded, then resolved against the config's folder. */
function resolvePath(p: string, baseDir: string): string {
  const expanded = p.replace(/\$\{CIA_DATA_DIR\}/g, dataDir());
  return isAbsolute(expanded) ? expanded : resolve(baseDir, expanded);
}

function formatIssues(file: string, issues: z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 8)
    .map((i) => `${file}: ${i.path.length ? i.path.join(".") : "(top level)"}: ${i.message}`)
    .join("\n");
}

/**
 * Validate a config object (zod: every error names the key path and the file), resolve its paths
 * against `baseDir` and apply the overrides. Throws a usage error (exit 2) on a bad config.
 *
 * @example
 * const cfg = resolveRunConfig({ data: { table: "t.csv" }, budget: 100, out: "out" }, "/data/project");
 */
export function resolveRunConfig(
  raw: unknown,
  baseDir: string,
  overrides: RunConfigOverrides = {},
  file = "(inline config)",
): ResolvedRunConfig {
  const parsed = runConfigSchema.safeParse(raw);
  if (!parsed.success)
    throw usageError(
      `${formatIssues(file, parsed.error.issues)}\n(the config's keys are documented in docs/file-formats.md#the-run-config)`,
      { file },
    );
  const c = parsed.data;
  const data = { ...c.data };
  for (const key of ["table", "decisions", "outcomes"] as const) {
    const p = data[key];
    if (p !== undefined) data[key] = resolvePath(p, baseDir);
  }
  if (overrides.sample !== undefined) data.sample = overrides.sample;
  const out: ResolvedRunConfig = {
    ...c,
    data,
    file,
    out: overrides.out !== undefined ? resolve(overrides.out) : resolvePath(c.out, baseDir),
    budget: overrides.budget ?? c.budget,
    seed: overrides.seed ?? (c.seed !== undefined ? String(c.seed) : "1"),
  };
  if (c.assign) out.assign = { table: resolvePath(c.assign.table, baseDir) };
  if (overrides.bootstraps !== undefined) out.model = { ...out.model, bootstraps: overrides.bootstraps };
  if (overrides.base !== undefined) out.model = { ...out.model, base: overrides.base };
  if (overrides.opeBootstraps !== undefined) out.opeBootstraps = overrides.opeBootstraps;
  return out;
}

/**
 * Read a `cia run --config` file (JSON), validate it and resolve it (paths relative to the file).
 *
 * @example
 * const cfg = loadRunConfig("examples/own-data/cia.config.json", { budget: 200 });
 */
export function loadRunConfig(file: string, overrides: RunConfigOverrides = {}): ResolvedRunConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw usageError(`cannot read the config file ${file}`, { file });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw usageError(`${file}: not valid JSON (${(e as Error).message})`, { file });
  }
  return resolveRunConfig(raw, dirname(resolve(file)), overrides, file);
}
