import { safeParseDecision } from "./src/index.js";
const rows: string[] = [];
for (let i = 0; i < 200000; i++) rows.push(JSON.stringify({schema_version:1, decision_id:`d${i}`, unit_id:`u${i%5000}`, program:"winback", surface:"push", policy_id:"explore", policy_version:"3", decision_time: new Date(1767225600000 + i*1000).toISOString(), eligible_actions:["control","credit_5","credit_10"], action: ["control","credit_5","credit_10"][i%3], propensity: 1/3, action_probabilities: {control:1/3, credit_5:1/3, credit_10:1/3}, design:"uniform", bucket: i%100, features:{tenure: i%365, country: "DE", active: true, spend: null}}));
for (let rep=0; rep<3; rep++){
let t0 = performance.now(); let ok=0;
for (const r of rows) { const o = JSON.parse(r); ok += safeParseDecision(o).success ? 1 : 0; }
let t = performance.now()-t0; console.log("parse+validate", ok, (rows.length/(t/1000)).toFixed(0), "rows/s");
t0 = performance.now(); for (const r of rows) JSON.parse(r); t = performance.now()-t0; console.log("json only", (rows.length/(t/1000)).toFixed(0));
}
