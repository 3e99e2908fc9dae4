import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  readExperimentTable,
  readScoresColumnar,
  scanExperimentTable,
  writeTableColumns,
} from "@cia/table-io";

const dir = mkdtempSync(join(tmpdir(), "table-io-example-"));

// An experiment table as columns: no object per row on the way to Parquet.
const table = join(dir, "table.parquet");
await writeTableColumns(
  table,
  [
    { name: "unit_id", type: "string" },
    { name: "action", type: "category", levels: ["control", "offer_5"] },
    { name: "propensity", type: "double" },
    { name: "value", type: "double" },
    { name: "region", type: "string" },
  ],
  [
    {
      rows: 3,
      columns: [
        ["u1", "u2", "u3"],
        Int32Array.of(0, 1, 1),
        Float64Array.of(0.5, 0.5, 0.5),
        Float64Array.of(10, 14.5, 0),
        ["west", "NA", "east"],
      ],
    },
  ],
);

// The same contract and type as @cia/logging-schema's CSV reader: actions as indices, NA missing.
const t = await readExperimentTable(table, { require: ["action", "propensity", "value"] });
console.log(
  t.n,
  t.actionNames!.join(","),
  Array.from(t.action!).join(","),
  JSON.stringify(t.features.region),
);

// Chunk by chunk, memory bounded by one chunk.
for await (const chunk of scanExperimentTable(table, { chunkRows: 2 }))
  console.log("chunk", chunk.n, chunk.lines[0]);

// Scores in the long form, pivoted to n x A arrays.
const scores = join(dir, "scores.csv");
await writeTableColumns(
  scores,
  [
    { name: "unit_id", type: "string" },
    { name: "action", type: "string" },
    { name: "tau_value", type: "double" },
    { name: "tau_cost", type: "double" },
  ],
  [
    {
      rows: 2,
      columns: [["u1", "u2"], ["offer_5", "offer_5"], Float64Array.of(1.5, -0.5), Float64Array.of(5, 5)],
    },
  ],
);
const s = await readScoresColumnar(scores);
console.log(s!.unitIds.join(","), s!.actions.join(","), Array.from(s!.tauValue).join(","));

// A bad cell is an issue naming the file, the row and the column.
await writeTableColumns(
  join(dir, "bad.parquet"),
  [
    { name: "unit_id", type: "string" },
    { name: "value", type: "double" },
  ],
  [{ rows: 2, columns: [["u1", "u2"], Float64Array.of(1, Number.NaN)] }],
);
await readExperimentTable(join(dir, "bad.parquet")).catch((e: Error) =>
  console.log(e.message.slice(dir.length + 1)),
);
