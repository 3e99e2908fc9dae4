import { spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readDecisions, readExperimentTable, readTable } from "@cia/logging-schema";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../test-helpers/run-cli.js";
import { type ServeCommandOptions, startServe } from "./serve.js";

let deployed: { out: string; features: [string, unknown][]; unit: string } | undefined;

/** `startServe` on the deployed bundle with the CLI's defaults, on port 0, and `options` on top. */
function serveDeployed(logDir: string, options: Partial<ServeCommandOptions>) {
  return startServe({
    policy: deployed!.out,
    port: 0,
    logDir,
    logMaxMb: 64,
    logMaxAgeS: 3600,
    durability: "fsync",
    bodyLimitKb: 1024,
    maxBatch: 1000,
    ...options,
  });
}

describe("cia deploy and cia serve", () => {
  it("deploys a bundle whose served decisions equal the batch assignment, unit by unit", async () => {
    const dir = tempDir("cia-deploy-");
    const sim = await runCli([
      "simulate",
      "--units",
      "1200",
      "--seed",
      "4",
      "--design",
      "uniform",
      "--out",
      dir,
    ]);
    expect(sim.code, sim.stderr).toBe(0);
    const table = join(dir, "table.csv");
    const model = join(dir, "model.json");
    const t = await runCli(["train", "--data", table, "--out", model, "--base", "ridge", "--learner", "t"]);
    expect(t.code, t.stderr).toBe(0);
    const out = join(dir, "deploy");
    const d = await runCli([
      "deploy",
      "--model",
      model,
      "--table",
      table,
      "--budget",
      "1500",
      "--explore",
      "0.2",
      "--policy-id",
      "winback",
      "--out",
      out,
    ]);
    expect(d.code, d.stderr).toBe(0);
    const summary = JSON.parse(d.stdout);
    expect(summary.lambda).toBeGreaterThan(0);
    expect(summary.predicted_spend).toBeLessThanOrEqual(1500 + 1e-6);
    const manifest = JSON.parse(readFileSync(join(out, "policy.json"), "utf8"));
    expect(manifest).toMatchObject({ format: "cia-policy", policy_id: "winback", lambda: summary.lambda });
    const batch: Record<string, unknown>[] = [];
    for await (const { record } of readTable(join(out, "assignment.csv"), {
      stringColumns: ["unit_id", "action", "recommended"],
    }))
      batch.push(record);
    const units = await readExperimentTable(table);

    const { server, url } = await startServe({
      policy: out,
      port: 0,
      logMaxMb: 64,
      logMaxAgeS: 3600,
      durability: "fsync",
      bodyLimitKb: 1024,
      maxBatch: 1000,
    });
    try {
      const n = 400;
      const requests = Array.from({ length: n }, (_, i) => {
        const features: Record<string, unknown> = {};
        for (const f of units.featureNames) features[f] = units.features[f]![i];
        return { unit_id: units.unitIds[i], features };
      });
      const res = await fetch(`${url}/decide`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ requests }),
      });
      expect(res.status).toBe(200);
      const { decisions } = (await res.json()) as { decisions: { action: string; propensity: number }[] };
      for (let i = 0; i < n; i++) {
        expect(decisions[i]!.action).toBe(batch[i]!.action);
        expect(decisions[i]!.propensity).toBeCloseTo(Number(batch[i]!.propensity), 12);
      }
      expect(url.startsWith("http://127.0.0.1:")).toBe(true);
    } finally {
      await server.close();
    }
    const logged = await readDecisions(join(out, "logs", "decisions-000001.jsonl"), {
      mode: "strict",
    }).toArray();
    expect(logged).toHaveLength(400);
    expect(logged[0]!.policy_id).toBe("winback");
    deployed = {
      out,
      features: units.featureNames.map((f) => [f, units.features[f]![0]]),
      unit: units.unitIds[0]!,
    };
  });

  it("cia serve in its own process prints its address, answers, and exits 0 on SIGTERM after draining", async () => {
    expect(deployed).toBeDefined();
    const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=@cia/source",
        "apps/runner/src/bin.ts",
        "serve",
        "--policy",
        deployed!.out,
        "--port",
        "0",
        "--durability",
        "fsync",
        "--slow-sync-ms",
        "4.5",
        "--preallocate-bytes",
        "65536",
        "--log-dir",
        join(tempDir("cia-serve-child-"), "logs"),
      ],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += String(d);
    });
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    const summary = await new Promise<{
      url: string;
      policy_id: string;
      sync_on: string;
      slow_sync_ms: number;
      preallocate_bytes: number;
    }>((res, rej) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += String(d);
        if (out.includes("\n")) res(JSON.parse(out.split("\n")[0]!));
      });
      exited.then((code) => rej(new Error(`cia serve exited ${code}: ${stderr}`)));
    });
    expect(summary.policy_id).toBe("winback");
    expect([summary.sync_on, summary.slow_sync_ms, summary.preallocate_bytes]).toEqual([
      "adaptive",
      4.5,
      65536,
    ]);
    const r = await fetch(`${summary.url}/decide`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ unit_id: deployed!.unit, features: Object.fromEntries(deployed!.features) }),
    });
    expect(r.status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/SIGTERM: draining/);
  });

  it("prints help for deploy and serve, with their required flags marked", async () => {
    const d = await runCli(["deploy", "--help"]);
    expect(d.code).toBe(0);
    expect(d.stdout).toContain("Usage: cia deploy");
    expect(d.stdout).toMatch(/--budget <b>[^-]*\(required\)/);
    const s = await runCli(["serve", "--help"]);
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/--policy <dir>[^-]*\(required\)/);
    expect(s.stdout).toMatch(/--durability <mode>/);
    expect(s.stdout).toMatch(/--sync-on <where>[\s\S]*choices: "adaptive",\s+"pool",\s+"loop"/);
    expect(s.stdout).toMatch(/--slow-sync-ms <ms>/);
    expect(s.stdout).toMatch(/--preallocate-bytes <n>/);
    expect(s.stdout).toMatch(
      /--durability <mode>[\s\S]*choices:\s+"fsync",\s+"interval",\s+"write",\s+default:\s+"interval"/,
    );
    expect(s.stdout).toMatch(/--sync-interval-ms <ms>/);
  });

  it("passes --sync-on and --preallocate-bytes to the decisions log, and refuses bad or pointless values", async () => {
    expect(deployed).toBeDefined();
    const logDir = join(tempDir("cia-serve-flags-"), "logs");
    const { server, url, log } = await serveDeployed(logDir, {
      durability: "fsync",
      syncOn: "loop",
      preallocateBytes: 65_536,
    });
    let file: string;
    try {
      expect(log.settings).toEqual({
        durability: "fsync",
        syncIntervalMs: 10,
        syncOn: "loop",
        slowSyncMs: 3,
        slowSyncHoldMs: 1000,
        preallocateBytes: 65_536,
      });
      const r = await fetch(`${url}/decide`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ unit_id: deployed!.unit, features: Object.fromEntries(deployed!.features) }),
      });
      expect(r.status).toBe(200);
      file = log.currentFile;
      // Zero-filled 64 KiB ahead while serving; cut back to the one record at shutdown.
      expect(statSync(file).size).toBe(65_536);
    } finally {
      await server.close();
    }
    const text = readFileSync(file, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    expect(text.split("\n")).toHaveLength(2);
    const serve = ["serve", "--policy", deployed!.out, "--port", "0", "--log-dir", logDir];
    const bad = await runCli([...serve, "--sync-on", "disk"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--sync-on.*'disk' is invalid/);
    for (const v of ["-1", "1.5", "x"]) {
      const r = await runCli([...serve, "--preallocate-bytes", v]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--preallocate-bytes must be/);
    }
    const pointless = await runCli([...serve, "--durability", "write", "--sync-on", "loop"]);
    expect(pointless.code).toBe(2);
    expect(pointless.stderr).toMatch(/--sync-on tune the fdatasync of --durability fsync or interval/);
    const noInterval = await runCli([...serve, "--durability", "write", "--sync-interval-ms", "5"]);
    expect(noInterval.code).toBe(2);
    expect(noInterval.stderr).toMatch(/--sync-interval-ms tune the fdatasync/);
    const perGroup = await runCli([...serve, "--durability", "interval", "--slow-sync-ms", "2"]);
    expect(perGroup.code).toBe(2);
    expect(perGroup.stderr).toMatch(/--slow-sync-ms tune the per-group fdatasync of --durability fsync/);
    const notFsync = await runCli([...serve, "--durability", "fsync", "--sync-interval-ms", "5"]);
    expect(notFsync.code).toBe(2);
    expect(notFsync.stderr).toMatch(/--sync-interval-ms tunes --durability interval/);
    const tooOften = await runCli([...serve, "--durability", "interval", "--sync-interval-ms", "0"]);
    expect(tooOften.code).toBe(2);
    expect(tooOften.stderr).toMatch(/--sync-interval-ms must be/);
    const fixed = await runCli([
      ...serve,
      "--durability",
      "fsync",
      "--sync-on",
      "pool",
      "--slow-sync-ms",
      "2",
    ]);
    expect(fixed.code).toBe(2);
    expect(fixed.stderr).toMatch(/--slow-sync-ms tunes --sync-on adaptive/);
    const negative = await runCli([...serve, "--durability", "fsync", "--slow-sync-ms", "-1"]);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toMatch(/--slow-sync-ms must be/);
  });

  it("--durability interval answers before the sync, syncs in the background, and the log holds every answered decision after shutdown", async () => {
    expect(deployed).toBeDefined();
    const logDir = join(tempDir("cia-serve-interval-"), "logs");
    const { server, url, log } = await serveDeployed(logDir, { durability: "interval", syncIntervalMs: 5 });
    const ids: string[] = [];
    try {
      expect(log.settings).toMatchObject({ durability: "interval", syncIntervalMs: 5 });
      for (let i = 0; i < 20; i++) {
        const r = await fetch(`${url}/decide`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ unit_id: `u-${i}`, features: Object.fromEntries(deployed!.features) }),
        });
        expect(r.status).toBe(200);
        ids.push(((await r.json()) as { decision_id: string }).decision_id);
      }
      for (let t = 0; t < 200 && log.stats.syncedRecords < 20; t++)
        await new Promise((r) => setTimeout(r, 5));
      expect(log.stats.intervalSyncs).toBeGreaterThan(0);
      expect(log.stats.syncedRecords).toBe(20);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/^cia_serve_log_synced_records 20$/m);
      expect(metrics).toMatch(/^cia_serve_log_sync_lag_seconds_count [1-9]/m);
    } finally {
      await server.close();
    }
    const logged = await readDecisions(join(logDir, "decisions-000001.jsonl"), { mode: "strict" }).toArray();
    expect(logged.map((d) => d.decision_id)).toEqual(ids);
  });

  it("exits 2 with the file named when the bundle or the model is missing", async () => {
    const dir = tempDir("cia-deploy-bad-");
    const r = await runCli(["serve", "--policy", join(dir, "nothing"), "--port", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/policy\.json: no policy bundle here/);
    const d = await runCli([
      "deploy",
      "--model",
      join(dir, "missing.json"),
      "--table",
      join(dir, "t.csv"),
      "--budget",
      "1",
      "--out",
      join(dir, "o"),
    ]);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/missing\.json/);
  });
});
