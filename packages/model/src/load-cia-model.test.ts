import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readExperimentTable, writeTable } from "@cia/logging-schema";
import { createWorld, experimentTableColumns, experimentTableRows, uniformDesign } from "@cia/simulator";
import { catalogueAttributes, fitPooledCostHead } from "@cia/uplift";
import { beforeAll, describe, expect, it } from "vitest";
import { type CiaModelFile, modelInputs, scoreCiaModel, trainCiaModel } from "./cia-model.js";
import { ciaModelChecksum, sealCiaModelFile } from "./cia-model-checksum.js";
import { loadCiaModel, parseCiaModel } from "./load-cia-model.js";

// Hostile model files at the library level: every mutation is re-sealed with a correct checksum
// (anyone can recompute one), so what refuses it is the schema and the structural checks.

// biome-ignore lint/suspicious/noExplicitAny: the tests edit arbitrary places of parsed JSON
type Json = Record<string, any>;
let table: Awaited<ReturnType<typeof readExperimentTable>>;
let base: CiaModelFile;
let dir: string;

beforeAll(async () => {
  const world = createWorld("default");
  const pop = world.sampleUnits(1200, { seed: 3 });
  const log = world.log(pop, uniformDesign(world.actions.length), { seed: 4 });
  dir = mkdtempSync(join(tmpdir(), "cia-load-model-"));
  const file = join(dir, "table.csv");
  await writeTable(file, experimentTableRows(pop, log), { columns: experimentTableColumns(pop) });
  table = await readExperimentTable(file, { require: ["action", "propensity", "value", "cost"] });
  const model = trainCiaModel(table, {
    learner: "x",
    base: "gbdt",
    bootstraps: 0,
    propensity: "column",
    control: "control",
    cost: true,
    segment: "lifecycle",
    seed: "1",
  });
  // The decision layer's heads, as `cia run` adds them (then seals again).
  const inputs = modelInputs(model, table);
  const k = model.file.actions.length;
  const action = Int32Array.from(table.action!, (a) => model.file.actions.indexOf(table.actionNames![a]!));
  const attributes = catalogueAttributes(world.actions);
  const cost = fitPooledCostHead(
    { features: inputs.matrix, action, cost: table.cost!, nActions: k },
    { actionAttributes: attributes, seed: 1 },
  ).toJSON();
  base = sealCiaModelFile({
    ...model.file,
    decision_heads: { action_attributes: attributes, value: cost, proxy: null, cost },
  });
});

const copy = (): Json => JSON.parse(JSON.stringify(base));
/** A mutated copy with a valid checksum for its new content. */
function tampered(edit: (f: Json) => void): Json {
  const f = copy();
  edit(f);
  return sealCiaModelFile(f as CiaModelFile) as Json;
}
function refusal(json: unknown): { code: string; message: string } {
  try {
    parseCiaModel(json, { file: "model.json" });
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message };
  }
  throw new Error("expected the model file to be refused");
}
const tree = (f: Json) => f.uplift.pooled[0].value.models.effectTreated[1];
const TREE = "$.uplift.pooled[0].value.models.effectTreated[1]";
function splitOf(t: Json, q: number): number {
  for (let i = t.treeRoots[q]; ; i++) if (t.feature[i] >= 0) return i;
}
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("loading a model file validates it before use", () => {
  it("loads what training wrote, with the same scores, and round-trips through the file", () => {
    const path = join(dir, "model.json");
    writeFileSync(path, JSON.stringify(base));
    const back = loadCiaModel(path);
    expect(back.decisionHeads?.cost.nActions).toBe(base.actions.length);
    const again = parseCiaModel(JSON.parse(JSON.stringify(base)));
    const a = scoreCiaModel(back, table).prediction;
    const b = scoreCiaModel(again, table).prediction;
    expect(Array.from(b.tauValue)).toEqual(Array.from(a.tauValue));
    expect(base.checksum).toBe(ciaModelChecksum(JSON.parse(JSON.stringify(base))));
  });

  it("refuses a cyclic tree and a child index out of range, with the JSON path", () => {
    const s = splitOf(tree(base as Json), 3);
    const cyc = refusal(tampered((f) => (tree(f).right[s] = tree(f).treeRoots[3])));
    expect(cyc.code).toBe("invalid_model");
    expect(cyc.message).toMatch(
      new RegExp(
        `^model\\.json: ${esc(TREE)}\\.right\\[${s}\\]: child index \\d+ out of range .*\\(tree 3, node 0\\)$`,
      ),
    );
    const far = refusal(tampered((f) => (tree(f).left[s] = 99999)));
    expect(far.message).toMatch(
      new RegExp(`^model\\.json: ${esc(TREE)}\\.left\\[${s}\\]: child index 99999 out of range`),
    );
  });

  it("refuses feature indices out of range, Infinity and wrong types in the uplift section", () => {
    const s = splitOf(tree(base as Json), 0);
    expect(refusal(tampered((f) => (tree(f).feature[s] = 40))).message).toMatch(
      new RegExp(`${esc(TREE)}\\.feature\\[${s}\\]: feature index 40 out of range 0\\.\\.\\d+`),
    );
    const leaf = (tree(base as Json).feature as number[]).indexOf(-1);
    const text = JSON.stringify(copy()).replace(/"value":\[/, '"value":[1e999,');
    expect(refusal(JSON.parse(text)).message).toMatch(/: expected a finite number, got Infinity$/);
    const inf = copy();
    tree(inf).value[leaf] = Number.POSITIVE_INFINITY;
    expect(refusal(inf).message).toBe(
      `model.json: ${TREE}.value[${leaf}]: expected a finite number, got Infinity`,
    );
    expect(refusal(tampered((f) => (f.uplift.pooled = {}))).message).toMatch(
      /^model\.json: \$\.uplift\.pooled: expected array, received object$/,
    );
    expect(refusal(tampered((f) => (f.uplift.segments.entries[0].members = "x"))).message).toMatch(
      /\$\.uplift\.segments\.entries\[0\]\.members: /,
    );
    expect(refusal(tampered((f) => (f.uplift.level = "0.9"))).message).toMatch(
      /\$\.uplift\.level: expected number/,
    );
  });

  it("refuses changed or missing actions and a changed control name", () => {
    expect(refusal(tampered((f) => (f.actions[2] = "offer_99"))).message).toMatch(
      /^model\.json: \$\.uplift\.actionNames\[2\]: is "offer_5", \$\.actions\[2\] is "offer_99"$/,
    );
    expect(refusal(tampered((f) => f.actions.pop())).message).toMatch(
      /\$\.uplift\.actionNames: must list the 4 actions/,
    );
    expect(refusal(tampered((f) => (f.control = "offer_3"))).message).toMatch(
      /^model\.json: \$\.control: "offer_3" is not the first action "control"/,
    );
    expect(
      refusal(
        tampered((f) => {
          f.uplift.pooled[0].value.models.effectControl[3] = null;
        }),
      ).message,
    ).toMatch(/\$\.uplift\.pooled\[0\]\.value\.models\.effectControl\[3\]: missing the model for action 3/);
    expect(refusal(tampered((f) => (f.training.per_action.offer_99 = 1))).message).toMatch(
      /\$\.training\.per_action\.offer_99: "offer_99" is not one of \$\.actions/,
    );
  });

  it("refuses fake segments", () => {
    expect(
      refusal(
        tampered((f) =>
          f.uplift.segments.entries.push({ ...f.uplift.segments.entries[0], code: 7, name: "vip" }),
        ),
      ).message,
    ).toMatch(/\$\.uplift\.segments\.entries\[3\]\.code: segment code 7 out of range 0\.\.2/);
    expect(refusal(tampered((f) => (f.segment.levels[0] = "gold"))).message).toMatch(
      /\$\.uplift\.segments\.entries\[0\]\.name: is "active", \$\.segment\.levels\[0\] is "gold"/,
    );
    expect(refusal(tampered((f) => (f.segment = null))).message).toMatch(
      /\$\.uplift\.segments: segment models without/,
    );
    const dup = tampered((f) => {
      f.uplift.segments.entries[1].code = 0;
      f.uplift.segments.entries[1].name = f.segment.levels[0];
    });
    expect(refusal(dup).message).toMatch(
      /\$\.uplift\.segments\.entries\[1\]\.code: segment code 0 appears twice/,
    );
  });

  it("refuses __proto__ and constructor keys anywhere, and unknown fields", () => {
    const text = JSON.stringify(copy());
    expect(
      refusal(JSON.parse(text.replace('{"format"', '{"__proto__":{"polluted":true},"format"'))).message,
    ).toMatch(/^model\.json: \$: unknown field "__proto__"/);
    const nested = JSON.parse(text.replace('"kind":"gbdt"', '"__proto__":{"feature":[]},"kind":"gbdt"'));
    expect(refusal(nested).message).toMatch(
      /^model\.json: \$\.uplift\.pooled\[0\]\.value\.models\.effectTreated\[1\]: unknown field "__proto__"/,
    );
    const roles = JSON.parse(
      text.replace('"models":{"effectTreated"', '"models":{"__proto__":[],"effectTreated"'),
    );
    expect(refusal(roles).message).toMatch(
      /\$\.uplift\.pooled\[0\]\.value\.models: forbidden key "__proto__"/,
    );
    expect(refusal(tampered((f) => (f.training.per_action.constructor = 1))).message).toMatch(
      /\$\.training\.per_action\.constructor: "constructor" is not one of/,
    );
    expect(refusal(tampered((f) => (f.settings.extra = 1))).message).toMatch(
      /\$\.settings: unknown field "extra"/,
    );
    expect(({} as Json).polluted).toBeUndefined();
  });

  it("refuses decision heads that disagree with the catalogue or hold a broken tree", () => {
    expect(refusal(tampered((f) => (f.decision_heads.action_attributes[1][0] += 1))).message).toMatch(
      /\$\.decision_heads\.value\.actionAttributes: differ from \$\.decision_heads\.action_attributes/,
    );
    const bad = tampered((f) => {
      const t = f.decision_heads.cost.treated;
      t.left[splitOf(t, 0)] = 99999;
    });
    expect(refusal(bad).message).toMatch(
      /\$\.decision_heads\.cost\.treated\.left\[\d+\]: child index 99999 out of range/,
    );
  });

  it("refuses a schema-valid edit (a leaf value) by its checksum, and a file without one by default", () => {
    const f = copy();
    const leaf = (tree(f).feature as number[]).indexOf(-1);
    tree(f).value[leaf] += 0.5;
    const edited = refusal(f);
    expect(edited.code).toBe("checksum_mismatch");
    expect(edited.message).toMatch(
      /^model\.json was modified after training \(checksum sha256:[0-9a-f]{64} recorded, sha256:[0-9a-f]{64} found\); retrain/,
    );
    const renamed = copy();
    renamed.actions[1] = "offer_x";
    renamed.uplift.actionNames[1] = "offer_x";
    renamed.training.per_action.offer_x = renamed.training.per_action.offer_3;
    delete renamed.training.per_action.offer_3;
    expect(refusal(renamed).code).toBe("checksum_mismatch");
    const unsealed = copy();
    delete unsealed.checksum;
    expect(refusal(unsealed).message).toMatch(/^model\.json: \$\.checksum: missing/);
    // Opt-in for files written before checksums: still fully validated.
    expect(parseCiaModel(unsealed, { allowMissingChecksum: true }).file.actions).toEqual(base.actions);
    delete (unsealed as Json).uplift.pooled;
    expect(() => parseCiaModel(unsealed, { allowMissingChecksum: true })).toThrow(/\$\.uplift\.pooled: /);
  });

  it("keeps the contract hash check and the typed codes of the old loader", () => {
    expect(refusal(tampered((f) => (f.contract_hash = "0".repeat(64)))).code).toBe("contract_mismatch");
    expect(refusal({ format: "other" }).code).toBe("invalid_model");
    expect(() => loadCiaModel(join(dir, "nope.json"))).toThrow(
      expect.objectContaining({ code: "file_not_found" }),
    );
  });
});
