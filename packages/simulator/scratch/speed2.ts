import { createWorld } from "../src/index.js";
import { buildUnitModel } from "../src/unit-model.js";
import { computeTruth } from "../src/world-truth.js";
const w = createWorld("default");
const t = (label: string, f: () => unknown) => { const c0 = process.cpuUsage(); const t0 = performance.now(); const r = f(); const c = process.cpuUsage(c0); console.log(label, "wall", (performance.now()-t0).toFixed(0), "user", (c.user/1000).toFixed(0), "sys", (c.system/1000).toFixed(0)); return r; };
const pop = w.sampleUnits(1_000_000, { seed: 1 });
for (let r = 0; r < 3; r++) {
const m = t("model", () => buildUnitModel(w.params, pop)) as ReturnType<typeof buildUnitModel>;
t("truth", () => computeTruth(w.params, m));
}
