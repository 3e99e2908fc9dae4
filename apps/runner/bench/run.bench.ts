import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordSuite } from "@cia/bench";
import { runCommand } from "../src/commands/run.js";

// `cia run` with default settings on the default world: the README's main job. Target: at most
// 2 minutes on this 2-core machine. One run (it is long); CPU time is recorded beside wall time
// because the machine is shared.
const out = mkdtempSync(join(tmpdir(), "cia-run-bench-"));
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const r = await runCommand({ world: "default", seed: "1", out, quiet: true });
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const by = (name: string) => r.policies.find((p) => p.name === name)!;
recordSuite({
  suite: "runner-run",
  description:
    "`cia run` end to end on the default world with default settings (30k units, X-learner with 4 bootstraps, OPE, frontier, 14-day pacing, report).",
  cases: [
    {
      name: "cia run (default)",
      median_ms: wall,
      min_ms: wall,
      max_ms: wall,
      runs: 1,
      target: "<= 120 s",
      pass: wall <= 120_000,
      metrics: {
        cpu_s: (cpu.user + cpu.system) / 1e6,
        heuristic_true_value: by("heuristic").trueValue,
        optimizer_true_value: by("optimizer").trueValue,
        optimizer_vs_heuristic: by("optimizer").trueValue / by("heuristic").trueValue,
        oracle_value: r.oracle.value,
        pacing_error_cia: r.pacing.paths[0]!.relativeError,
        pacing_error_naive: r.pacing.paths[1]!.relativeError,
        ...Object.fromEntries(Object.entries(r.timings).map(([k, v]) => [`${k}_s`, v])),
      },
    },
  ],
});
