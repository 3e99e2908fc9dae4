import { simulatePeriod } from "./period-simulation.js";
const weekly = Array.from({ length: 28 }, (_, d) => (d % 7 >= 5 ? 2 : 1));
const r = simulatePeriod({
  strategy: "pacer",
  seed: 1,
  unitsPerDay: 15000,
  periodDays: 28,
  historyDays: 42,
  historyCostModelFactor: 1,
  schedule: weekly,
  dailyCapFactor: Number(process.argv[2] ?? 1.8),
});
console.log(r.signedError, r.expectedAbsError, r.periodBudget, r.periodBudget / 28);
for (const d of r.days)
  console.log(
    d.day,
    d.budget.toFixed(0),
    d.planned.toFixed(0),
    d.expected.toFixed(0),
    d.realized,
    d.offers,
    d.biasFactor.toFixed(4),
    d.remainingLiability.toFixed(0),
  );
