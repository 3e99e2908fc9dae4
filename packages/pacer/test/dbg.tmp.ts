import { simulatePeriod } from "./period-simulation.js";
const r = simulatePeriod({
  strategy: "pacer",
  seed: Number(process.argv[2] ?? 4),
  unitsPerDay: 8000,
  periodDays: 14,
  historyDays: 28,
});
console.log(r.signedError, r.periodBudget);
let cumR = 0,
  cumE = 0;
for (const d of r.days) {
  cumR += d.realized;
  cumE += d.expected;
  console.log(
    d.day,
    d.budget.toFixed(0),
    d.planned.toFixed(0),
    d.expected.toFixed(0),
    d.realized,
    d.biasFactor.toFixed(4),
    d.remainingLiability.toFixed(0),
    cumR,
    cumE.toFixed(0),
  );
}
