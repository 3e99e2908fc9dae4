import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { readTable, writeTable } from "@cia/logging-schema";
import { guardPaths } from "../io/guard-paths.js";
import { printSummary } from "../io/print-summary.js";
import { usageError } from "../io/usage-error.js";

export interface ImportOptions {
  dataset: "hillstrom" | "ihdp";
  dataDir?: string;
  replication: number;
  split: "train" | "test" | "all";
  outcome: "spend" | "conversion" | "visit";
  /** ASSUMED cost per e-mailed customer (Hillstrom has no cost): writes a cost column. */
  costPerTreated?: number;
  /** ASSUMED cost as a share of a treated customer's value (a discount on what they spend). */
  costShareOfValue?: number;
  out: string;
}

/** The shared data folder: `--data-dir`, else `CIA_DATA_DIR`, else ../shared/data beside the working directory. */
export function sharedDataDir(explicit?: string): string {
  return resolve(explicit ?? process.env.CIA_DATA_DIR ?? "../shared/data");
}

const HILLSTROM_ARMS: Record<string, string> = {
  "No E-Mail": "control",
  "Mens E-Mail": "mens_email",
  "Womens E-Mail": "womens_email",
};

/**
 * `cia import`: turn a real public dataset into the experiment table (and `truth.csv` where the
 * truth is known), so train, score, allocate and evaluate run on it.
 * - hillstrom: the MineThatData e-mail RCT; arms control / mens_email / womens_email, each with
 *   propensity 1/3 by design; `value` is the chosen outcome (spend by default). The data record no
 *   cost: `costPerTreated` / `costShareOfValue` write an ASSUMED one (0 without an e-mail), and the
 *   summary's `cost_assumption` says so. `hillstrom.csv.gz` or a plain `hillstrom.csv`.
 * - ihdp: the semi-synthetic IHDP replication r; action control / treated; `value` = y_factual; no
 *   propensity (observational: train with `--propensity estimate`); truth.csv has mu1 - mu0.
 *
 * @example
 * await importCommand({ dataset: "hillstrom", replication: 1, split: "train", outcome: "spend", out: "hillstrom.csv" });
 */
export async function importCommand(opts: ImportOptions): Promise<void> {
  const dir = sharedDataDir(opts.dataDir);
  const inSplit = (s: unknown) => opts.split === "all" || s === opts.split;
  const withCost = opts.costPerTreated !== undefined || opts.costShareOfValue !== undefined;
  if (withCost && opts.dataset !== "hillstrom")
    throw usageError("--cost-per-treated and --cost-share-of-value apply to --dataset hillstrom");
  if (opts.dataset === "hillstrom") {
    // The shared copy is gzipped; the file as downloaded from MineThatData is plain CSV.
    const candidates = [join(dir, "hillstrom", "hillstrom.csv.gz"), join(dir, "hillstrom", "hillstrom.csv")];
    const file = candidates.find((f) => existsSync(f));
    if (file === undefined)
      throw usageError(`no Hillstrom data at ${candidates.join(" or ")} (set --data-dir or CIA_DATA_DIR)`);
    guardPaths({ inputs: { "--dataset hillstrom": file }, outputs: { "--out": opts.out } });
    const rows: Record<string, unknown>[] = [];
    let i = 0;
    // Names stay strings as written (a zip code "02134" must not become 2134).
    const stringColumns = ["segment", "zip_code", "channel", "split"];
    const perTreated = opts.costPerTreated ?? 0;
    const share = opts.costShareOfValue ?? 0;
    for await (const { record: v } of readTable(file, { stringColumns })) {
      i++;
      if (i === 1 && opts.split !== "all" && !("split" in v))
        throw usageError(
          `${file} has no split column, so --split ${opts.split} would select nothing: import with --split all, then make a holdout with cia split`,
        );
      if (!inSplit(v.split)) continue;
      const action = HILLSTROM_ARMS[String(v.segment)];
      if (!action) throw usageError(`${file}:${i + 1}: segment: unknown arm '${v.segment}'`);
      const value = Number(v[opts.outcome]);
      // ASSUMED cost (the data have none): nothing without an e-mail; the per-e-mail cost plus the
      // share of what the customer spent with one.
      const cost = withCost ? { cost: action === "control" ? 0 : perTreated + share * value } : {};
      rows.push({
        unit_id: `h${String(i).padStart(5, "0")}`,
        action,
        propensity: 1 / 3,
        value,
        ...cost,
        recency: Number(v.recency),
        history: Number(v.history),
        mens: Number(v.mens),
        womens: Number(v.womens),
        zip_code: String(v.zip_code),
        newbie: Number(v.newbie),
        channel: String(v.channel),
      });
    }
    if (rows.length === 0)
      throw usageError(
        `${file}: no row has split '${opts.split}' (the values are train and test): nothing written`,
      );
    await writeTable(opts.out, rows);
    printSummary({
      dataset: "hillstrom",
      split: opts.split,
      outcome: opts.outcome,
      rows: rows.length,
      out: opts.out,
      cost_assumption: withCost
        ? `ASSUMED, not in the data: ${perTreated} per e-mailed customer + ${share} x their ${opts.outcome}; 0 without an e-mail`
        : "none: no cost column (train with --no-cost, or import with --cost-per-treated / --cost-share-of-value)",
    });
    return;
  }
  const r = opts.replication;
  if (!(Number.isInteger(r) && r >= 1 && r <= 10))
    throw usageError(`--replication must be 1..10 for ihdp, got ${r}`);
  const file = join(dir, "ihdp", `ihdp_npci_${r}.csv`);
  if (!existsSync(file)) throw usageError(`no IHDP data at ${file} (set --data-dir or CIA_DATA_DIR)`);
  const truthFile = opts.out.replace(/(\.[a-z]+)?$/i, ".truth.csv");
  guardPaths({
    inputs: { "--dataset ihdp": file },
    outputs: { "--out": opts.out, "--out (truth)": truthFile },
  });
  const rows: Record<string, unknown>[] = [];
  const truth: Record<string, unknown>[] = [];
  let i = 0;
  for await (const { record: v } of readTable(file)) {
    i++;
    if (i === 1 && opts.split !== "all" && !("split" in v))
      throw usageError(
        `${file} has no split column: import with --split all, then make a holdout with cia split`,
      );
    if (!inSplit(v.split)) continue;
    const id = `ihdp${r}-${String(i).padStart(3, "0")}`;
    const row: Record<string, unknown> = {
      unit_id: id,
      action: Number(v.treatment) === 1 ? "treated" : "control",
      value: Number(v.y_factual),
    };
    for (let j = 1; j <= 25; j++) row[`x${j}`] = Number(v[`x${j}`]);
    rows.push(row);
    truth.push({ unit_id: id, action: "treated", tau_value: Number(v.mu1) - Number(v.mu0), tau_cost: 0 });
  }
  if (rows.length === 0)
    throw usageError(
      `${file}: no row has split '${opts.split}' (the values are train and test): nothing written`,
    );
  await writeTable(opts.out, rows);
  await writeTable(truthFile, truth);
  printSummary({
    dataset: "ihdp",
    replication: r,
    split: opts.split,
    rows: rows.length,
    out: opts.out,
    truth: truthFile,
  });
}
