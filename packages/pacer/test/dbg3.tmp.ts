import { simulatePeriod } from "./period-simulation.js";
const cfg = JSON.parse(process.argv[2] ?? "{}");
const r = simulatePeriod({ strategy: "pacer", seed: 1, unitsPerDay: 15000, periodDays: 28, historyDays: 42, ...cfg });
console.log(r.signedError.toFixed(4), r.expectedAbsError.toFixed(4), r.liabilityRmse.toFixed(4));
for (const d of r.days) console.log(d.day, d.budget.toFixed(0), d.expected.toFixed(0), d.realized, d.biasFactor.toFixed(4), d.remainingLiability.toFixed(0), d.realizedAfter.toFixed(0));
