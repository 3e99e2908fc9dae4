// The in-process side of `pnpm bench cli`'s allocate case, in a fresh process of its own: the
// scores are read (timed as read_s), the same allocation `cia allocate` runs is timed 3 times
// (first_s, best_s), and the assignment is written (write_s). Its own process, so the solve runs
// on a heap holding only the scores, as the CLI's does (the bench's own process holds tables and
// models that slow the collector). Also timed (stream_best_s, best of 3): the same allocation as the
// CLI runs it, through AllocationFeed, each unit's rows handed over in chunks of about one 8 MiB
// block as a reader would; only to show that the CLI's path does the same work (the in-process
// figure stays allocateScores'). Prints one JSON line.
//
//   node --import tsx --conditions=@cia/source apps/runner/bench/allocate-in-process.ts SCORES BUDGET OUT
import { tableFileFormat, writeTableColumns } from "@cia/table-io";
import { allocateScores } from "../src/commands/allocate.js";
import { AllocationFeed } from "../src/io/allocation-feed.js";
import { readScores } from "../src/io/scores-table.js";

const [file, budgetText, out] = process.argv.slice(2);
if (file === undefined || budgetText === undefined || out === undefined)
  throw new Error("usage: allocate-in-process.ts SCORES BUDGET OUT");
const budget = Number(budgetText);
const seconds = (t0: number) => (performance.now() - t0) / 1000;
let t0 = performance.now();
const scores = await readScores(file, { control: "control" });
const read = seconds(t0);
const times: number[] = [];
let solved: ReturnType<typeof allocateScores> | undefined;
for (let r = 0; r < 3; r++) {
  t0 = performance.now();
  solved = allocateScores(scores, { budget });
  times.push(seconds(t0));
}
// The CLI's path on the same scores: rows handed over as a reader makes them final.
const streamTimes: number[] = [];
const A = scores.actions.length;
const present = ["tau_value", "tau_cost", ...(scores.tauValueLower ? ["tau_value_lower"] : [])];
const values = [scores.tauValue, scores.tauCost, ...(scores.tauValueLower ? [scores.tauValueLower] : [])];
const unitOf = Int32Array.from({ length: scores.tauValue.length }, (_, r) => Math.floor(r / A));
const actionOf = Int32Array.from({ length: scores.tauValue.length }, (_, r) => r % A);
const block = 150_000;
for (let r = 0; r < 3; r++) {
  t0 = performance.now();
  const feed = new AllocationFeed({ budget });
  for (let from = 0; from < unitOf.length; from += block)
    feed.onRows({ from, to: Math.min(unitOf.length, from + block), unitOf, actionOf, values, present });
  const fed = feed.result(scores);
  streamTimes.push(seconds(t0));
  const same = fed?.result.action.every((a, u) => a === solved!.result.action[u]);
  if (!same || fed!.result.totals.objective !== solved!.result.totals.objective)
    throw new Error("the CLI's path did not give allocateScores' answer");
}
t0 = performance.now();
await writeTableColumns(
  out,
  [
    { name: "unit_id", type: "string" },
    { name: "action", type: "category", levels: solved!.actions },
  ],
  [{ rows: scores.unitIds.length, columns: [scores.unitIds, solved!.result.action] }],
  { format: tableFileFormat(out) === "parquet" ? "parquet" : "csv" },
);
const write = seconds(t0);
process.stdout.write(
  `${JSON.stringify({ read_s: read, first_s: times[0], best_s: Math.min(...times), write_s: write, stream_best_s: Math.min(...streamTimes) })}\n`,
);
