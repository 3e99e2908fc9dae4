import { createRng, DataValidationError } from "@cia/core";
import { readTable, writeTable } from "@cia/logging-schema";
import { guardPaths } from "../io/guard-paths.js";
import { printSummary } from "../io/print-summary.js";
import { usageError } from "../io/usage-error.js";

export interface SplitOptions {
  data: string;
  testShare: number;
  seed: string;
  train: string;
  test: string;
  stratify: string | false;
}

/**
 * `cia split`: a seeded holdout of an experiment table, so diagnose, score and evaluate can run on
 * units the model never saw. Rows are split within each value of the `--stratify` column (the
 * action by default, so every arm keeps its share on both sides); cells are copied as written.
 *
 * @example
 * await splitCommand({ data: "table.csv", testShare: 0.3, seed: "1", train: "train.csv", test: "holdout.csv", stratify: "action" });
 */
export async function splitCommand(opts: SplitOptions): Promise<void> {
  if (!(opts.testShare > 0 && opts.testShare < 1))
    throw usageError(`--test-share must be strictly between 0 and 1, got ${opts.testShare}`);
  guardPaths({ inputs: { "--data": opts.data }, outputs: { "--train": opts.train, "--test": opts.test } });
  // The readers take any other name as CSV and the writer as JSONL: write only names that say what
  // they hold, so the CLI reads its own outputs back.
  for (const [flag, file] of [
    ["--train", opts.train],
    ["--test", opts.test],
  ] as const)
    if (!/\.(csv|jsonl|ndjson)(\.gz)?$/i.test(file))
      throw usageError(
        `${flag} ${file}: cia split writes .csv, .jsonl or .ndjson (optionally .gz); name the file by its format`,
      );
  // Two passes: the header first, so the second keeps every cell as the text it is ("007" stays).
  let columns: string[] | undefined;
  for await (const { record } of readTable(opts.data)) {
    columns = Object.keys(record);
    break;
  }
  if (columns === undefined) throw usageError(`${opts.data}: the table has no rows, nothing to split`);
  const strat = opts.stratify === false ? undefined : opts.stratify;
  if (strat !== undefined && !columns.includes(strat))
    throw usageError(
      `${opts.data}: --stratify column '${strat}' is not in the table (or pass --no-stratify)`,
    );
  const rows: Record<string, unknown>[] = [];
  const groups = new Map<string, number[]>();
  // One row per unit, as every other command requires: a unit on both sides would leak into the holdout.
  const unitLine = columns.includes("unit_id") ? new Map<string, number>() : undefined;
  for await (const { record, line } of readTable(opts.data, { stringColumns: columns })) {
    if (unitLine !== undefined) {
      const uid = String(record.unit_id ?? "");
      const first = unitLine.get(uid);
      if (first !== undefined && uid.trim() !== "")
        throw new DataValidationError([
          {
            code: "duplicate_unit",
            path: ["unit_id"],
            file: opts.data,
            line,
            message: `unit '${uid}' already has a row (line ${first}): a table has one row per unit (dedupe it, or give repeated decisions their own unit_id); a unit on both sides would leak into the holdout`,
          },
        ]);
      unitLine.set(uid, line);
    }
    const key = strat === undefined ? "" : String(record[strat] ?? "");
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = []));
    g.push(rows.length);
    rows.push(record);
  }
  const isTest = new Uint8Array(rows.length);
  const rng = createRng(opts.seed).split("split");
  // Groups in sorted order, each with its own stream: the split of one arm does not depend on the others.
  for (const key of [...groups.keys()].sort()) {
    const idx = rng.split(key).shuffle(groups.get(key)!.slice());
    const k = Math.round(opts.testShare * idx.length);
    for (let j = 0; j < k; j++) isTest[idx[j]!] = 1;
  }
  const nTest = isTest.reduce((s, x) => s + x, 0);
  if (nTest === 0 || nTest === rows.length)
    throw usageError(
      `${opts.data}: ${rows.length} rows and --test-share ${opts.testShare} leave one side empty: use more rows or another share`,
    );
  const side = (t: number) =>
    (function* () {
      for (let i = 0; i < rows.length; i++) if (isTest[i] === t) yield rows[i]!;
    })();
  await writeTable(opts.train, side(0), { columns });
  await writeTable(opts.test, side(1), { columns });
  printSummary({
    data: opts.data,
    train: opts.train,
    test: opts.test,
    rows: rows.length,
    train_rows: rows.length - nTest,
    test_rows: nTest,
    stratify: strat ?? null,
    groups: Object.fromEntries([...groups].map(([k, g]) => [k, g.length])),
    seed: opts.seed,
  });
}
