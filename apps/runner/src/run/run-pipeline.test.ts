import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runPipeline } from "../index.js";
import { tempDir } from "../test-helpers/run-cli.js";

const ownData = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../examples/own-data");

describe("runPipeline (the programmatic API)", () => {
  it("runs a config object and returns report.json's content", async () => {
    const out = tempDir("cia-pipeline-");
    const r = await runPipeline(
      {
        data: { table: "experiment.csv", sample: 1500 },
        budget: 3000,
        baseline: { action: "coupon_15", when: { column: "days_inactive", atLeast: 30 } },
        model: { bootstraps: 0 },
        opeBootstraps: 20,
        out,
      },
      { baseDir: ownData },
    );
    expect(r.units).toBe(1500);
    expect(r.baseline.rule).toBe("days_inactive >= 30 -> coupon_15");
    const json = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    expect(json.recommended).toBe(r.recommended);
    expect(json.headline.perUnit.value.estimate).toBe(r.headline.perUnit.value.estimate);
    expect(existsSync(join(out, "assignment.csv"))).toBe(true);
  }, 60_000);

  it("throws on a bad config, naming the key", async () => {
    await expect(
      runPipeline({ data: { table: "x.csv" }, budget: -1, out: "o" } as never, { baseDir: ownData }),
    ).rejects.toThrow(/budget/);
  });
});
