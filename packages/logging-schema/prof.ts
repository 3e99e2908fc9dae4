import { writeDecisions, readDecisions, writeTable, readTable } from "./src/index.js";
import { validDecision } from "./src/test-helpers/fixtures.js";
const ds = Array.from({length: 5000}, (_, i) => validDecision({ decision_id: `d${i}` }));
for (let rep=0; rep<2; rep++) for (const ext of ["csv", "jsonl"]) {
  let t = performance.now(); await writeDecisions(`/tmp/p.${ext}`, ds); console.log(ext, "write", (performance.now()-t).toFixed(0));
  t = performance.now(); let n = 0; for await (const _ of readDecisions(`/tmp/p.${ext}`)) n++; console.log(ext, "read", n, (performance.now()-t).toFixed(0));
  t = performance.now(); n = 0; for await (const b of readTable(`/tmp/p.${ext}`).batches()) n+=b.length; console.log(ext, "readTable", n, (performance.now()-t).toFixed(0));
}
