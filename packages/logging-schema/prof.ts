import { readDecisions, writeDecisions } from "./src/index.js";
import { validDecision } from "./src/test-helpers/fixtures.js";
const ds = Array.from({length: 50000}, (_, i) => validDecision({ decision_id: `d${i}`, unit_id: `u-${i % 5000}`, decision_time: new Date(1767225600000 + i*1000).toISOString() }));
await writeDecisions(`/tmp/prof.csv`, ds);
for (let rep = 0; rep < 4; rep++) {
  const c0 = process.cpuUsage(); const t = performance.now(); let n = 0;
  for await (const b of readDecisions(`/tmp/prof.csv`).batches()) n += b.length;
  const cpu = process.cpuUsage(c0); const cpuMs = (cpu.user + cpu.system)/1000;
  console.log("csv read", n, "wall", (performance.now()-t).toFixed(0), "cpu", cpuMs.toFixed(0), "rows/cpu-s", Math.round(n/cpuMs*1000));
}
