import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// `pnpm cia` runs apps/runner/launch/cia.mjs: a bundle of the sources, rebuilt when any input
// changed. Here in a cache of its own (CIA_BUNDLE_DIR), so the tree's cache is left alone.
const runner = resolve(import.meta.dirname, "..");
const launcher = join(runner, "launch/cia.mjs");
const cache = mkdtempSync(join(tmpdir(), "cia-bundle-"));
const stampFile = join(cache, "stamp.json");
afterAll(() => rmSync(cache, { recursive: true, force: true }));

function cia(...args: string[]) {
  const r = spawnSync(process.execPath, [launcher, ...args], {
    encoding: "utf8",
    env: { ...process.env, CIA_BUNDLE_DIR: cache },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const stamp = () =>
  JSON.parse(readFileSync(stampFile, "utf8")) as { entry: string; inputs: Record<string, string> };

describe("the cia launcher", () => {
  it("builds on first use, reuses a fresh bundle, rebuilds a stale one", { timeout: 60_000 }, () => {
    const first = cia("allocate", "--help");
    expect(first.status).toBe(0);
    expect(first.stderr).toBe("");
    expect(first.stdout).toContain("--scores <file>");
    const s = stamp();
    // Every source of the bundle is recorded, the CLI's and the packages' alike.
    expect(s.inputs["apps/runner/src/cli.ts"]).toMatch(/^[0-9a-f]{40}$/);
    expect(s.inputs["packages/table-io/src/read-scores-columnar.ts"]).toMatch(/^[0-9a-f]{40}$/);
    expect(s.inputs["pnpm-lock.yaml"]).toMatch(/^[0-9a-f]{40}$/);
    expect(Object.keys(s.inputs).some((f) => f.includes("node_modules"))).toBe(false);

    // Fresh: the same bundle, the stamp not rewritten.
    const written = statSync(stampFile).mtimeMs;
    expect(cia("allocate", "--help").stdout).toBe(first.stdout);
    expect(statSync(stampFile).mtimeMs).toBe(written);

    // A source that no longer matches its recorded hash (as after an edit): rebuilt, not reused.
    writeFileSync(
      stampFile,
      JSON.stringify({ ...s, inputs: { ...s.inputs, "apps/runner/src/cli.ts": "0".repeat(40) } }),
    );
    expect(cia("allocate", "--help").stdout).toBe(first.stdout);
    expect(stamp().inputs["apps/runner/src/cli.ts"]).toBe(s.inputs["apps/runner/src/cli.ts"]);

    // A stamp naming an entry that is gone: rebuilt.
    writeFileSync(stampFile, JSON.stringify({ ...s, entry: "cia-missing.mjs" }));
    expect(cia("--version").status).toBe(0);
    expect(stamp().entry).toBe(s.entry);
  });

  it("passes the CLI's exit code on (a usage error exits 2)", { timeout: 30_000 }, () => {
    const r = cia("allocate", "--budget", "1", "--out", join(cache, "a.csv"));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--scores");
  });
});
