import { createWorld, uniformDesign } from "../src/index.js";
const w = createWorld("default");
const t = (label: string, f: () => unknown) => { const c0 = process.cpuUsage(); const t0 = performance.now(); f(); const c = process.cpuUsage(c0); console.log(label, "wall", (performance.now()-t0).toFixed(0), "cpu", ((c.user + c.system)/1000).toFixed(0)); };
let pop = w.sampleUnits(10, { seed: 1 });
t("sample", () => { pop = w.sampleUnits(1_000_000, { seed: 1 }); });
t("truth", () => w.truth({ ...pop }));
t("truth2", () => w.truth({ ...pop }));
t("log", () => w.log(pop, uniformDesign(5), { seed: 2 }));
