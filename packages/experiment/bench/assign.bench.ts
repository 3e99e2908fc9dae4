/**
 * @cia/experiment benchmark: hash assignment of 1M units (uniform and warm-start designs, with a
 * holdout-and-layers plan), eligibility on 1M rows, and readouts (Hajek means, per-action effects
 * with CPI, SRM, support) on 1M logged rows. The readouts are compared with a numpy peer computing
 * the same Hajek arm means and linearization standard errors in the same run (OMP_NUM_THREADS=1).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { measure, recordSuite } from "@cia/bench";
import type { CaseResult } from "@cia/bench";
import { createRng } from "@cia/core";
import {
  assignProgram,
  averageEffects,
  countActions,
  evaluateEligibility,
  expectedActionCounts,
  experimentPlan,
  hajekMean,
  sampleRatioMismatch,
  supportReport,
  uniformDesign,
  warmStartDesign,
} from "../src/index.js";

const n = 1_000_000;
const actions = ["control", "offer_3", "offer_5", "offer_10", "offer_15"];
const k = actions.length;
const rng = createRng("bench-experiment");
const unitIds = Array.from({ length: n }, (_, i) => `u${String(i + 1).padStart(7, "0")}`);
const score = new Float64Array(n * k);
for (let j = 0; j < n * k; j++) score[j] = j % k === 0 ? 0 : rng.normal(0, 1);
const daysInactive = Float64Array.from({ length: n }, () => rng.exponential(1 / 30));
const risk = Array.from({ length: n }, () => (rng.next() < 0.05 ? "high" : "low"));

const cases: CaseResult[] = [];
// CPU time per run next to wall time: the machine is shared, and under load the wall clock also
// counts time this process spent waiting for a core.
function cpuMedian(samples: number[]): number {
  const s = samples.slice(1).sort((a, b) => a - b);
  return s[s.length >> 1]!;
}
async function add(
  name: string,
  fn: () => unknown,
  extra: Partial<CaseResult> = {},
  runs = 5,
): Promise<void> {
  const cpu: number[] = [];
  const timed = () => {
    const c0 = process.cpuUsage();
    const r = fn();
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    return r;
  };
  const m = await measure(timed, { warmup: 1, runs });
  const cpuMs = cpuMedian(cpu);
  cases.push({
    name,
    median_ms: m.median_ms,
    min_ms: m.min_ms,
    max_ms: m.max_ms,
    runs: m.runs,
    ...extra,
    metrics: { n, k, cpu_median_ms: Math.round(cpuMs * 10) / 10, ...extra.metrics },
  });
  process.stderr.write(`${name}: ${m.median_ms.toFixed(1)} ms wall, ${cpuMs.toFixed(1)} ms cpu\n`);
}

const uniform = uniformDesign({ actions });
const warm = warmStartDesign({ actions, temperature: 1, epsilon: 0.04 });
await add(
  "assign 1M units, uniform design",
  () => assignProgram({ program: "p", salt: "s", design: uniform, unitIds }),
  {
    target: "< 2000 ms",
  },
);
await add(
  "assign 1M units, warm-start design",
  () => assignProgram({ program: "p", salt: "s", design: warm, unitIds, context: { score } }),
  {
    target: "< 2000 ms",
  },
);
const plan = experimentPlan({
  holdout: { share: 0.05, salt: "h" },
  layers: [
    {
      name: "app",
      salt: "l",
      slots: [
        { program: "p", share: 0.6 },
        { program: "q", share: 0.4 },
      ],
    },
  ],
});
await add("route 1M units (holdout + 1 layer) and assign warm-start", () => {
  const r = plan.route(unitIds);
  return assignProgram({
    program: "p",
    salt: "s",
    design: warm,
    unitIds,
    context: { score },
    inProgram: plan.programMask(r, "p"),
    holdout: r.holdout,
  });
});
const rules = [
  { name: "dormant", when: { feature: "days_inactive", op: ">=" as const, value: 14 } },
  { name: "low_risk", when: { feature: "risk", in: ["low"] } },
];
await add("eligibility: 2 rules on 1M rows", () =>
  evaluateEligibility(rules, { n, columns: { days_inactive: daysInactive, risk } }),
);

// A logged experiment of 1M rows for the readouts.
const asg = assignProgram({ program: "p", salt: "s", design: warm, unitIds, context: { score } });
const value = new Float64Array(n);
const cost = new Float64Array(n);
const credits = [0, 3, 5, 10, 15];
for (let i = 0; i < n; i++) {
  const a = asg.action[i]!;
  value[i] = rng.next() < 0.3 ? rng.exponential(1 / 30) * (1 + 0.02 * a) : 0;
  cost[i] = rng.next() < 0.4 ? credits[a]! : 0;
}
let effects = averageEffects({ action: asg.action, propensity: asg.propensity, value, cost, actions });
await add("hajekMean over 1M rows", () => hajekMean(value, asg.propensity), { target: "< 100 ms" });
await add(
  "averageEffects (value + cost + CPI delta, 4 actions) on 1M rows",
  () => {
    effects = averageEffects({ action: asg.action, propensity: asg.propensity, value, cost, actions });
  },
  { target: "< 200 ms" },
);
await add("SRM (counts + expected from 1M x 5 probabilities)", () =>
  sampleRatioMismatch({
    observed: countActions(asg.action, k),
    expected: expectedActionCounts(asg.probabilities, k),
  }),
);
await add("supportReport on 1M rows", () =>
  supportReport({
    action: asg.action,
    propensity: asg.propensity,
    actions,
    outcomeVariance: 900,
    targetEffect: 0.5,
  }),
);

// numpy peer: the same per-arm Hajek means and linearization variances, in one process.
const dir = mkdtempSync(join(tmpdir(), "cia-exp-bench-"));
const notes: string[] = [];
try {
  writeFileSync(join(dir, "action.bin"), new Uint8Array(asg.action.buffer));
  writeFileSync(join(dir, "propensity.bin"), new Uint8Array(asg.propensity.buffer));
  writeFileSync(join(dir, "value.bin"), new Uint8Array(value.buffer));
  const py = `
import json, sys, time, numpy as np
d = sys.argv[1]; k = ${k}
a = np.fromfile(d + "/action.bin", dtype=np.int32); p = np.fromfile(d + "/propensity.bin"); y = np.fromfile(d + "/value.bin")
def readout():
    w = 1.0 / p
    sw = np.bincount(a, weights=w, minlength=k); sy = np.bincount(a, weights=w * y, minlength=k)
    mu = sy / sw
    r = w * (y - mu[a]); v = np.bincount(a, weights=r * r, minlength=k) / sw**2
    return mu[1:] - mu[0], np.sqrt(v[1:] + v[0])
times = []
for _ in range(6):
    t = time.perf_counter(); eff, se = readout(); times.append((time.perf_counter() - t) * 1000)
times = sorted(times[1:])
print(json.dumps({"median_ms": times[len(times) // 2], "effect": eff.tolist(), "se": se.tolist()}))
`;
  const r = spawnSync("/usr/bin/python3", ["-c", py, dir], {
    encoding: "utf8",
    env: { ...process.env, OMP_NUM_THREADS: "1" },
  });
  if (r.status === 0) {
    const peer = JSON.parse(r.stdout) as { median_ms: number; effect: number[]; se: number[] };
    let maxRel = 0;
    effects.forEach((e, j) => {
      maxRel = Math.max(maxRel, Math.abs(e.value.estimate - peer.effect[j]!) / Math.abs(peer.effect[j]!));
      maxRel = Math.max(maxRel, Math.abs(e.value.se - peer.se[j]!) / peer.se[j]!);
    });
    // Time the value-only readout so both sides do the same work.
    const m = await measure(
      () => averageEffects({ action: asg.action, propensity: asg.propensity, value, actions }),
      { warmup: 1, runs: 5 },
    );
    cases.push({
      name: "value effects + se, 4 actions, 1M rows (vs numpy bincount)",
      median_ms: m.median_ms,
      min_ms: m.min_ms,
      max_ms: m.max_ms,
      runs: m.runs,
      peer: { name: "numpy (bincount, OMP_NUM_THREADS=1)", median_ms: peer.median_ms, source: "same-run" },
      ratio: m.median_ms / peer.median_ms,
      metrics: { n, k, max_rel_diff_vs_numpy: maxRel },
      pass: maxRel < 1e-9,
    });
    process.stderr.write(
      `numpy peer ${peer.median_ms.toFixed(1)} ms, ours ${m.median_ms.toFixed(1)} ms, max rel diff ${maxRel.toExponential(2)}\n`,
    );
  } else {
    notes.push(`numpy peer did not run: ${r.stderr.slice(0, 200)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Targets are judged on CPU time (see above); the wall times are recorded as measured.
for (const c of cases) {
  const cpuMs = c.metrics?.cpu_median_ms;
  if (c.target && c.pass === undefined && typeof cpuMs === "number")
    c.pass = cpuMs < Number(c.target.replace(/[^0-9.]/g, ""));
}
recordSuite({
  suite: "experiment-assign",
  description: "@cia/experiment: hash assignment of 1M units, eligibility, and IPW readouts on 1M rows",
  cases,
  notes: [
    "Assignment = MurmurHash3 x86_32 of salt/program/unit id (UTF-8) + quantized bucket map; ids like u0000001.",
    "Shared 2-core machine; medians of 5 runs after 1 warm-up. metrics.cpu_median_ms is this process's CPU time per run (user + system, includes GC); targets are judged on it because the wall clock on a loaded machine also counts waiting for a core.",
    `Load average when the suite ran: ${loadavg()
      .map((v) => v.toFixed(1))
      .join(", ")}.`,
    ...notes,
  ],
});
