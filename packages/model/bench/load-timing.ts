// Load + validate time of a model file: 100 trees per base model, value and cost heads,
// 4 offers (X-learner: 16 gradient-boosting models of 100 trees, up to 31 leaves each).
// Run: flock /tmp/cia-heavy.lock pnpm exec tsx --conditions=@cia/source packages/model/bench/load-timing.ts
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BinMapper, HistGradientBoosting, LogisticRegression } from "@cia/learners";
import { readExperimentTable, writeTable } from "@cia/logging-schema";
import { createWorld, experimentTableColumns, experimentTableRows, uniformDesign } from "@cia/simulator";
import { fitUplift } from "@cia/uplift";
import { loadCiaModel, modelInputs, sealCiaModelFile, trainCiaModel } from "../src/index.js";
import { parseCiaModel } from "../src/load-cia-model.js";

const world = createWorld("default");
const pop = world.sampleUnits(10_000, { seed: 11 });
const log = world.log(pop, uniformDesign(world.actions.length), { seed: 12 });
const dir = mkdtempSync(join(tmpdir(), "cia-load-timing-"));
await writeTable(join(dir, "t.csv"), experimentTableRows(pop, log), { columns: experimentTableColumns(pop) });
const table = await readExperimentTable(join(dir, "t.csv"), {
  require: ["action", "propensity", "value", "cost"],
});
// The file's other sections (contract, actions, training counts) from a quick ridge model.
const small = trainCiaModel(table, {
  learner: "x",
  base: "ridge",
  bootstraps: 0,
  propensity: "column",
  control: "control",
  cost: true,
  seed: "1",
});
const { matrix } = modelInputs(small, table);
const action = Int32Array.from(table.action!, (a) => small.file.actions.indexOf(table.actionNames![a]!));
const head = {
  learner: () => new HistGradientBoosting({ maxIter: 100, maxLeafNodes: 31, seed: 1 }),
  sharedFitOptions: (x: typeof matrix) => ({ binMapper: BinMapper.fit(x, { maxBins: 255, seed: 1 }) }),
};
const t0 = performance.now();
const uplift = fitUplift(
  { features: matrix, action, value: table.value!, cost: table.cost!, nActions: small.file.actions.length },
  {
    learner: "x",
    value: head,
    cost: head,
    propensity: { source: "estimate", classifier: () => new LogisticRegression({ C: 1, standardize: true }) },
    actionNames: small.file.actions,
    seed: 1,
  },
);
console.error(`trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const file = sealCiaModelFile({
  ...small.file,
  settings: { ...small.file.settings, base: "gbdt" },
  uplift: uplift.toJSON(),
});
const path = join(dir, "model.json");
writeFileSync(path, JSON.stringify(file));
const j = file.uplift.pooled[0]!.value.models.effectTreated![1] as unknown as {
  treeRoots: number[];
  feature: number[];
};
let nodes = 0;
for (const m of file.uplift.pooled)
  for (const h of [m.value, m.cost!])
    for (const list of Object.values(h.models))
      for (const b of list) nodes += b ? ((b as { feature?: number[] }).feature?.length ?? 0) : 0;
console.error(
  `trees per base model ${j.treeRoots.length}, nodes in all base models ${nodes}, file ${(statSync(path).size / 1e6).toFixed(2)} MB`,
);

const time = (f: () => unknown, reps = 7): number => {
  const t: number[] = [];
  for (let r = 0; r < reps; r++) {
    const s = performance.now();
    f();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[reps >> 1]!;
};
const text = readFileSync(path, "utf8");
const parseMs = time(() => JSON.parse(text));
const loadMs = time(() => loadCiaModel(path));
const json = JSON.parse(text);
const fromJsonMs = time(() => parseCiaModel(json));
// Same file without any validation: the pre-validation loader's work (parse + fromJSON of every part).
const before = loadCiaModel(path);
const scored = before.uplift.predict(matrix);
const again = loadCiaModel(path).uplift.predict(matrix);
if (Array.from(again.tauValue).some((v, i) => v !== scored.tauValue[i]))
  throw new Error("predictions changed");
console.log(
  JSON.stringify({
    file_mb: +(statSync(path).size / 1e6).toFixed(2),
    nodes,
    json_parse_ms: +parseMs.toFixed(1),
    load_and_validate_ms: +loadMs.toFixed(1),
    validate_and_build_from_parsed_ms: +fromJsonMs.toFixed(1),
  }),
);

// Where the time goes: the checksum (canonical JSON + sha256) and the base-model validation.
const { ciaModelChecksum } = await import("../src/cia-model-checksum.js");
const { validateModelJson } = await import("@cia/learners");
const bases: unknown[] = [];
for (const m of json.uplift.pooled)
  for (const h of [m.value, m.cost])
    for (const list of Object.values(h.models) as unknown[][]) for (const b of list) if (b) bases.push(b);
console.log(
  JSON.stringify({
    checksum_ms: +time(() => ciaModelChecksum(json)).toFixed(1),
    base_model_validation_ms: +time(() => {
      for (const b of bases) validateModelJson(b);
    }).toFixed(1),
  }),
);
