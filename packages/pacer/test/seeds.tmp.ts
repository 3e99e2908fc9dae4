import { simulatePeriod } from "./period-simulation.js";
const cfg = JSON.parse(process.argv[2] ?? "{}");
const seeds = Number(process.argv[3] ?? 4);
for (let s = 1; s <= seeds; s++) {
  const t0 = Date.now();
  const r = simulatePeriod({ strategy: "pacer", seed: s, unitsPerDay: 8000, ...cfg });
  console.log(
    s,
    r.signedError.toFixed(4),
    r.expectedAbsError.toFixed(4),
    r.maxOvershoot.toFixed(4),
    r.trackingRmse.toFixed(4),
    Date.now() - t0,
    "ms",
  );
}
