/**
 * Runs javascript-lp-solver's MILP in a child process, so the benchmark can stop it for good: the
 * library only checks its own timeout between branch-and-bound nodes, and at 1,000 units its
 * first LP relaxation alone can outlast the limit. Argument: JSON { n, k, seed, options, timeoutMs };
 * prints JSON { status, value, variables, ms }.
 */
import { solveExact } from "../src/index.js";
import { syntheticCandidates } from "./data.js";

const { n, k, seed, options, timeoutMs } = JSON.parse(process.argv[2] ?? "{}") as {
  n: number;
  k: number;
  seed: number;
  options: Record<string, number>;
  timeoutMs: number;
};
const c = syntheticCandidates(n, k, seed);
const t0 = performance.now();
const r = solveExact(c, options, { timeoutMs });
process.stdout.write(
  `${JSON.stringify({ status: r.status, value: r.value, variables: r.variables, ms: performance.now() - t0 })}\n`,
);
