/**
 * Diagnostic behind docs/production-loop.md, "Out of sample: seeds 4-8": the whole loop (8
 * periods) on seeds the benchmark does not use, at one or more exploration shares, with the
 * benchmark's measures per run (value over the oracle at the loop's own spend, over the static
 * policy, spend over the budgets, the largest period overspend, DR 95% coverage) and each
 * candidate's coverage, then a summary per world and exploration share. The z column is each
 * interval's (estimate - truth) / standard error, in the order shipped, recommended, static,
 * heuristic per period: equal z across the first three says their error is the shared baseline.
 *
 * Why it exists: the benchmark's seeds 1-3 are what every earlier change was judged on, so a change
 * is kept only if it also holds here. Not a benchmark (no timing); about 1 minute per run.
 *
 * @example
 * // cd apps/runner && LOOP_WORLDS=drift LOOP_SEEDS=4,5 LOOP_EXPLORES=0.025 node --import tsx --conditions=@cia/source bench/loop-seeds.ts
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loopCommand } from "../src/commands/loop.js";

const worlds = (process.env.LOOP_WORLDS ?? "drift,default").split(",");
const seeds = (process.env.LOOP_SEEDS ?? "4,5,6,7,8").split(",");
const explores = (process.env.LOOP_EXPLORES ?? "0.025,0.0125").split(",").map(Number);
const out = mkdtempSync(join(tmpdir(), "cia-loop-seeds-"));

interface Run {
  share: number;
  spend: number;
  maxOver: number;
  covered: number;
  intervals: number;
}
const runs = new Map<string, Run[]>();

for (const world of worlds) {
  for (const seed of seeds) {
    for (const explore of explores) {
      const r = await loopCommand({
        world,
        periods: 8,
        seed,
        explore,
        out: join(out, `${world}-${seed}-${explore}`),
        quiet: true,
      });
      const t = r.totals;
      const byCandidate = new Map<string, [number, number]>();
      const z: string[] = [];
      let covered = 0;
      let intervals = 0;
      for (const p of r.periods) {
        for (const c of p.ope) {
          const b = byCandidate.get(c.candidate) ?? [0, 0];
          b[1]++;
          intervals++;
          if (c.covered) {
            b[0]++;
            covered++;
          }
          byCandidate.set(c.candidate, b);
          z.push(((c.estimate - c.truth) / ((c.upper - c.lower) / 3.92)).toFixed(1));
        }
      }
      const list = runs.get(`${world} explore ${explore}`) ?? [];
      list.push({
        share: t.valueShareOfOracle,
        spend: t.spendVsBudget,
        maxOver: t.maxPeriodOverspend,
        covered,
        intervals,
      });
      runs.set(`${world} explore ${explore}`, list);
      const cov = [...byCandidate].map(([name, [c, n]]) => `${name} ${c}/${n}`).join(", ");
      console.log(
        `${world} seed ${seed} explore ${explore}: value/oracle ${t.valueShareOfOracle.toFixed(3)}, ` +
          `vs static ${t.vsStatic.toFixed(3)}, spend/budgets ${t.spendVsBudget.toFixed(3)}, ` +
          `largest overspend ${t.maxPeriodOverspend.toFixed(3)}, coverage ${t.opeCoverage.toFixed(3)} (${cov}); z ${z.join(" ")}`,
      );
    }
  }
}

for (const [key, list] of runs) {
  const shares = list.map((r) => r.share);
  const spends = list.map((r) => r.spend);
  const covered = list.reduce((s, r) => s + r.covered, 0);
  const intervals = list.reduce((s, r) => s + r.intervals, 0);
  console.log(
    `${key} (${list.length} runs): value/oracle mean ${(shares.reduce((a, b) => a + b, 0) / list.length).toFixed(3)} ` +
      `min ${Math.min(...shares).toFixed(3)}; spend/budgets ${Math.min(...spends).toFixed(3)}-${Math.max(...spends).toFixed(3)}; ` +
      `largest overspend ${Math.max(...list.map((r) => r.maxOver)).toFixed(3)}; ` +
      `coverage ${(covered / intervals).toFixed(3)} of ${intervals}`,
  );
}
