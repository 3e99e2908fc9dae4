import { simulatePeriod } from "./period-simulation.js";
const strategies = (process.argv[2] ?? "pacer,naive").split(",") as never[];
const units = Number(process.argv[3] ?? 1000);
const extra = JSON.parse(process.argv[4] ?? "{}");
for (const s of strategies) {
  const t0 = Date.now();
  const r = simulatePeriod({ strategy: s, seed: 1, unitsPerDay: units, ...extra });
  const { days, ...rest } = r;
  console.log(JSON.stringify(rest), Date.now() - t0 + "ms");
  if (process.env.DAYS) for (const d of days) console.log(JSON.stringify(d));
}
