import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type CiaModelFile, sealCiaModelFile } from "@cia/model";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../test-helpers/run-cli.js";

// Hostile model files at the CLI: `cia score` must exit 2 with one line naming the file and the
// JSON path of the problem, write nothing, never hang and never reach "internal error". The
// fixtures are generated here from a small trained model (nothing big is committed); each edit is
// re-sealed with a correct checksum unless the case is about the checksum, since anyone can
// recompute one: what must refuse them is the schema and the structural checks.

// biome-ignore lint/suspicious/noExplicitAny: the cases edit arbitrary places of parsed JSON
type Json = Record<string, any>;
const dir = tempDir("cia-hostile-models-");
const table = join(dir, "table.csv");
const modelPath = join(dir, "model.json");
let base: Json;

beforeAll(async () => {
  const sim = await runCli([
    "simulate",
    "--units",
    "1500",
    "--seed",
    "5",
    "--design",
    "uniform",
    "--out",
    dir,
  ]);
  expect(sim.code, sim.stderr).toBe(0);
  const t = await runCli([
    "train",
    "--data",
    table,
    "--out",
    modelPath,
    "--segment",
    "lifecycle",
    "--seed",
    "2",
  ]);
  expect(t.code, t.stderr).toBe(0);
  base = JSON.parse(readFileSync(modelPath, "utf8"));
});

const TREE = "$.uplift.pooled[0].value.models.effectTreated[1]";
const tree = (f: Json): Json => f.uplift.pooled[0].value.models.effectTreated[1];
function splitOf(t: Json, q: number): number {
  for (let i = t.treeRoots[q]; ; i++) if (t.feature[i] >= 0) return i;
}
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

interface Case {
  name: string;
  /** Edit the parsed model; return text to write it raw (no re-seal). */
  edit: (f: Json) => string | undefined;
  /** Keep the original checksum (the case is about detecting an edit). */
  keepChecksum?: boolean;
  /** What follows "error: <file>: " on stderr. */
  expected: (f: Json) => RegExp;
}

const cases: Case[] = [
  {
    name: "a cycle in a tree",
    edit: (f) => void (tree(f).right[splitOf(tree(f), 2)] = tree(f).treeRoots[2]),
    expected: (f) =>
      new RegExp(
        `^${esc(TREE)}\\.right\\[${splitOf(tree(f), 2)}\\]: child index \\d+ out of range .*\\(tree 2, node 0\\)$`,
      ),
  },
  {
    name: "a child index out of range",
    edit: (f) => void (tree(f).left[splitOf(tree(f), 14)] = 99),
    expected: (f) =>
      new RegExp(
        `^${esc(TREE)}\\.left\\[${splitOf(tree(f), 14)}\\]: child index 99 out of range \\d+\\.\\.\\d+: .*\\(tree 14, node 0\\)$`,
      ),
  },
  {
    name: "a wrong type inside the uplift section (pooled members as an object)",
    edit: (f) => void (f.uplift.pooled = { 0: f.uplift.pooled[0] }),
    expected: () => /^\$\.uplift\.pooled: expected array, received object$/,
  },
  {
    name: "a wrong type inside an effect head (a model list as a string)",
    edit: (f) => void (f.uplift.pooled[0].cost.models.effectControl = "m"),
    expected: () => /^\$\.uplift\.pooled\[0\]\.cost\.models\.effectControl: expected array, received string$/,
  },
  {
    name: "an Infinity leaf (1e999 in the text)",
    edit: (f) => {
      const leaf = (tree(f).feature as number[]).indexOf(-1);
      tree(f).value[leaf] = 123.456;
      return JSON.stringify(f).replace("123.456", "1e999");
    },
    expected: (f) =>
      new RegExp(
        `^${esc(TREE)}\\.value\\[${(tree(f).feature as number[]).indexOf(-1)}\\]: expected a finite number, got Infinity$`,
      ),
  },
  {
    name: "an Infinity elsewhere (the efficiency epsilon)",
    edit: (f) => JSON.stringify(f).replace(/"efficiencyEps":[^,]+/, '"efficiencyEps":-1e999'),
    expected: () => /^\$\.uplift\.efficiencyEps: expected number, received -Infinity$/,
  },
  {
    name: "a feature index out of range",
    edit: (f) => void (tree(f).feature[splitOf(tree(f), 5)] = 57),
    expected: (f) =>
      new RegExp(
        `^${esc(TREE)}\\.feature\\[${splitOf(tree(f), 5)}\\]: feature index 57 out of range 0\\.\\.\\d+ \\(tree 5, node 0\\)$`,
      ),
  },
  {
    name: "a changed action",
    edit: (f) => void (f.actions[3] = "offer_1000"),
    expected: () => /^\$\.uplift\.actionNames\[3\]: is "offer_10", \$\.actions\[3\] is "offer_1000"$/,
  },
  {
    name: "a missing action",
    edit: (f) => void f.actions.splice(2, 1),
    expected: () => /^\$\.uplift\.actionNames: must list the 4 actions of \$\.actions$/,
  },
  {
    name: "a missing offer model",
    edit: (f) => void (f.uplift.pooled[0].value.models.effectTreated[4] = null),
    expected: () =>
      /^\$\.uplift\.pooled\[0\]\.value\.models\.effectTreated\[4\]: missing the model for action 4$/,
  },
  {
    name: "a changed control name",
    edit: (f) => void (f.control = "no_offer"),
    expected: () => /^\$\.control: "no_offer" is not the first action "control" \(action 0 is the control\)$/,
  },
  {
    name: "a fake segment",
    edit: (f) =>
      void f.uplift.segments.entries.push({ ...f.uplift.segments.entries[0], code: 9, name: "vip" }),
    expected: () =>
      /^\$\.uplift\.segments\.entries\[3\]\.code: segment code 9 out of range 0\.\.2 \(\$\.segment\.levels\)$/,
  },
  {
    name: "a renamed segment level",
    edit: (f) => void (f.segment.levels[2] = "vip"),
    expected: () => /^\$\.uplift\.segments\.entries\[2\]\.name: is "new", \$\.segment\.levels\[2\] is "vip"$/,
  },
  {
    name: "a __proto__ key at the top",
    edit: (f) => JSON.stringify(f).replace('{"format"', '{"__proto__":{"polluted":1},"format"'),
    expected: () => /^\$: unknown field "__proto__" \(not part of the model format\)$/,
  },
  {
    name: "a __proto__ key inside a tree model",
    edit: (f) => JSON.stringify(f).replace('"kind":"gbdt"', '"__proto__":{"left":[]},"kind":"gbdt"'),
    expected: () => new RegExp(`^${esc(TREE)}: unknown field "__proto__"`),
  },
  {
    name: "a constructor key in the training counts",
    edit: (f) => void (f.training.per_action.constructor = 0),
    expected: () => /^\$\.training\.per_action\.constructor: "constructor" is not one of \$\.actions$/,
  },
  {
    name: "an unknown field",
    edit: (f) => void (f.uplift.propensity.report.note = "hi"),
    expected: () => /^\$\.uplift\.propensity\.report: unknown field "note"/,
  },
];

async function score(file: string) {
  const out = join(dir, "scores-bad.csv");
  const r = await runCli(["score", "--model", file, "--data", table, "--out", out]);
  return { ...r, wrote: existsSync(out) };
}

describe("cia score refuses hostile model files (exit 2, file and JSON path)", () => {
  it("scores the untouched model (the fixtures start valid)", async () => {
    const r = await runCli(["score", "--model", modelPath, "--data", table, "--out", join(dir, "ok.csv")]);
    expect(r.code, r.stderr).toBe(0);
  });

  for (const c of cases) {
    it(`refuses ${c.name}`, async () => {
      const f = JSON.parse(JSON.stringify(base)) as Json;
      const raw = c.edit(f);
      const text = raw ?? JSON.stringify(c.keepChecksum ? f : sealCiaModelFile(f as CiaModelFile));
      const file = join(dir, `${c.name.replace(/\W+/g, "-")}.json`);
      writeFileSync(file, text);
      const r = await score(file);
      expect(r.code, r.stderr).toBe(2);
      const line = r.stderr.trim().split("\n").pop()!;
      expect(line.startsWith(`error: ${file}: `), line).toBe(true);
      expect(line.slice(`error: ${file}: `.length)).toMatch(c.expected(JSON.parse(JSON.stringify(base))));
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.wrote).toBe(false);
    });
  }

  it("refuses an edited leaf that keeps the file valid, by its checksum", async () => {
    const f = JSON.parse(JSON.stringify(base)) as Json;
    const leaf = (tree(f).feature as number[]).indexOf(-1);
    tree(f).value[leaf] = tree(f).value[leaf] * 10;
    const file = join(dir, "edited-leaf.json");
    writeFileSync(file, JSON.stringify(f));
    const r = await score(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^error: ${esc(file)} was modified after training \\(checksum sha256:[0-9a-f]{64} recorded, sha256:[0-9a-f]{64} found\\); retrain with cia train`,
      ),
    );
    expect(r.wrote).toBe(false);
    // Re-serializing the file (indentation, key order) keeps its checksum valid.
    const pretty = join(dir, "pretty.json");
    writeFileSync(pretty, JSON.stringify(base, null, 2));
    expect((await score(pretty)).code).toBe(0);
  });

  it("refuses a file whose checksum was removed", async () => {
    const f = JSON.parse(JSON.stringify(base)) as Json;
    delete f.checksum;
    const file = join(dir, "no-checksum.json");
    writeFileSync(file, JSON.stringify(f));
    const r = await score(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: ${esc(file)}: \\$\\.checksum: missing`));
  });

  it("never hangs on a cyclic tree: the real CLI process exits 2 well within its time limit", () => {
    const f = JSON.parse(JSON.stringify(base)) as Json;
    // A self-loop at a split: the walk would never reach a leaf.
    const s = splitOf(tree(f), 0);
    tree(f).left[s] = s;
    tree(f).right[s] = s;
    const file = join(dir, "self-loop.json");
    writeFileSync(file, JSON.stringify(sealCiaModelFile(f as CiaModelFile)));
    const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
    const started = Date.now();
    const r = spawnSync(
      process.execPath,
      [
        join(root, "node_modules/tsx/dist/cli.mjs"),
        "--conditions=@cia/source",
        join(root, "apps/runner/src/bin.ts"),
        "score",
        "--model",
        file,
        "--data",
        table,
        "--out",
        join(dir, "self-loop.csv"),
      ],
      { encoding: "utf8", timeout: 60_000, killSignal: "SIGKILL" },
    );
    expect(r.signal, "the CLI was killed at the time limit: scoring hung").toBeNull();
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${esc(TREE)}\\.left\\[${s}\\]: child index ${s} out of range`));
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
