import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { CiaError, DataValidationError } from "@cia/core";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  readConcurrentAssignments,
  readDecisions,
  readOutcomeEvents,
  readRealizedTreatments,
} from "./log-readers.js";
import {
  writeConcurrentAssignments,
  writeDecisions,
  writeOutcomeEvents,
  writeRealizedTreatments,
} from "./log-writers.js";
import type { RejectedRow } from "./read-records.js";
import {
  decisionArb,
  tempDir,
  validConcurrent,
  validDecision,
  validOutcome,
  validRealized,
} from "./test-helpers/fixtures.js";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const decisions = [
  validDecision(),
  validDecision({
    decision_id: "d2",
    unit_id: "u2",
    action: "control",
    propensity: 0.5,
    features: { tenure_days: 3, country: "FR", is_member: false, spend_90d: 10.25 },
  }),
  validDecision({
    decision_id: "d3",
    unit_id: 'u,3 "quoted"',
    action_probabilities: undefined,
    bucket: undefined,
    salt: "s1",
  }),
];

describe("round trips", () => {
  it.each(["jsonl", "csv"])("decisions through %s", async (ext) => {
    const file = tmp.path(`decisions.${ext}`);
    const w = await writeDecisions(file, decisions);
    expect(w).toEqual({ file, format: ext, rows: 3 });
    const reader = readDecisions(file);
    const back = [];
    for await (const { line, record } of reader) back.push({ line, record });
    expect(back.map((b) => b.record)).toEqual(decisions);
    expect(back.map((b) => b.line)).toEqual(ext === "csv" ? [2, 3, 4] : [1, 2, 3]);
    expect(reader.summary).toMatchObject({ rows: 3, valid: 3, rejected: 0, issueCount: 0, format: ext });
  });

  it.each(["jsonl", "csv"])(
    "outcomes, realized treatments and concurrent assignments through %s",
    async (ext) => {
      const outcomes = [
        validOutcome(),
        validOutcome({
          event_id: "e2",
          kind: "cost",
          amount: 5,
          cost_definition: "credit_deposited",
          metric: undefined,
          decision_id: undefined,
        }),
      ];
      await writeOutcomeEvents(tmp.path(`o.${ext}`), outcomes);
      expect(await readOutcomeEvents(tmp.path(`o.${ext}`)).toArray()).toEqual(outcomes);
      const realized = [
        validRealized(),
        validRealized({ event: "redeemed", time: "2026-01-03T10:00:00.5+02:00" }),
      ];
      await writeRealizedTreatments(tmp.path(`r.${ext}`), realized);
      expect(await readRealizedTreatments(tmp.path(`r.${ext}`)).toArray()).toEqual(realized);
      const concurrent = [validConcurrent(), validConcurrent({ decision_id: "L-10", end_time: undefined })];
      await writeConcurrentAssignments(tmp.path(`c.${ext}`), concurrent);
      expect(await readConcurrentAssignments(tmp.path(`c.${ext}`)).toArray()).toEqual(concurrent);
    },
  );

  it("generated decisions survive JSONL exactly (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(decisionArb, { maxLength: 20, selector: (d) => d.decision_id }),
        async (ds) => {
          const file = tmp.path("p.jsonl");
          await writeDecisions(file, ds);
          expect(await readDecisions(file).toArray()).toEqual(ds);
        },
      ),
      { numRuns: 40, seed: 21 },
    );
  });

  it("reads CSV conventions: a|b lists, BOM, CRLF, blank lines, empty optional cells", async () => {
    const file = tmp.path("d.csv");
    writeFileSync(
      file,
      "\ufeffschema_version,decision_id,unit_id,program,surface,policy_id,policy_version,decision_time,eligible_actions,action,propensity,design,salt,features.age,features.vip\r\n" +
        "1,d1,u1,p,push,pol,1,2026-01-01T00:00:00Z,control|a,a,0.5,uniform,,31,true\r\n\r\n" +
        "1,d2,u2,p,push,pol,1,2026-01-01T00:00:00Z,control|a,control,0.5,uniform,s,,false\r\n",
    );
    const reader = readDecisions(file);
    const rows = [];
    for await (const r of reader) rows.push(r);
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
    expect(rows[0]!.record).toMatchObject({
      eligible_actions: ["control", "a"],
      features: { age: 31, vip: true },
    });
    expect(rows[0]!.record.salt).toBeUndefined();
    expect(rows[1]!.record.features).toEqual({ age: null, vip: false });
    expect(reader.summary).toMatchObject({ rows: 2, valid: 2, blankLines: 1 });
  });
});

const badJsonl = [
  JSON.stringify(validDecision()),
  JSON.stringify(validDecision({ decision_id: "d2", propensity: 0, action_probabilities: undefined })),
  "{not json",
  "",
  JSON.stringify(validDecision({ decision_id: "d3" })),
  JSON.stringify(validDecision({ decision_id: "d1" })),
  JSON.stringify(validDecision({ decision_id: "d4", action: "nope", action_probabilities: undefined })),
].join("\n");

describe("strict mode", () => {
  it("stops at the first invalid row and throws the issues with file, line and path", async () => {
    const file = tmp.path("bad.jsonl");
    writeFileSync(file, badJsonl);
    const reader = readDecisions(file);
    const seen: number[] = [];
    let caught: unknown;
    try {
      for await (const { line } of reader) seen.push(line);
    } catch (e) {
      caught = e;
    }
    expect(seen).toEqual([1]); // nothing after the first bad row flows on
    expect(DataValidationError.isInstance(caught)).toBe(true);
    const issues = (caught as DataValidationError).issues.map((i) => ({
      line: i.line,
      code: i.code,
      path: i.path,
      file: i.file,
    }));
    expect(issues).toEqual([
      { line: 2, code: "propensity_out_of_range", path: ["propensity"], file },
      { line: 3, code: "invalid_json", path: [], file },
      { line: 6, code: "duplicate_decision_id", path: ["decision_id"], file },
      { line: 7, code: "action_not_eligible", path: ["action"], file },
    ]);
    expect((caught as Error).message).toContain(`${file}:2: propensity: propensity must be in (0, 1], got 0`);
    expect(reader.summary).toMatchObject({ rows: 6, valid: 1, rejected: 4, blankLines: 1 });
  });

  it("caps the issues at maxIssues (first ~20) and stops reading there", async () => {
    const file = tmp.path("many.jsonl");
    const lines = [];
    for (let i = 0; i < 100; i++)
      lines.push(
        JSON.stringify(
          validDecision({ decision_id: `d${i}`, propensity: 2, action_probabilities: undefined }),
        ),
      );
    writeFileSync(file, lines.join("\n"));
    const err = await readDecisions(file)
      .toArray()
      .catch((e: unknown) => e);
    expect((err as DataValidationError).issues).toHaveLength(20);
    expect((err as DataValidationError).issues[19]!.line).toBe(20);
  });
});

describe("quarantine mode", () => {
  it("lets valid rows flow, writes each invalid row with reasons, and counts", async () => {
    const file = tmp.path("bad.jsonl");
    writeFileSync(file, badJsonl);
    const rejectsFile = tmp.path("rejects.jsonl");
    let reported: unknown;
    const reader = readDecisions(file, { mode: "quarantine", rejectsFile, onSummary: (s) => (reported = s) });
    const ids = [];
    for await (const { record } of reader) ids.push(record.decision_id);
    expect(ids).toEqual(["d1", "d3"]);
    expect(reader.summary).toMatchObject({ rows: 6, valid: 2, rejected: 4, issueCount: 4, rejectsFile });
    expect(reported).toBe(reader.summary);
    const rejects: RejectedRow[] = readFileSync(rejectsFile, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rejects.map((r) => [r.line, r.issues.map((i) => i.code)])).toEqual([
      [2, ["propensity_out_of_range"]],
      [3, ["invalid_json"]],
      [6, ["duplicate_decision_id"]],
      [7, ["action_not_eligible"]],
    ]);
    expect(rejects[1]!.raw).toBe("{not json");
    expect(reader.summary!.rows).toBe(reader.summary!.valid + reader.summary!.rejected);
  });

  it("defaults the rejects file beside the input and writes it even when empty", async () => {
    const file = tmp.path("ok.jsonl");
    await writeDecisions(file, decisions);
    const reader = readDecisions(file, { mode: "quarantine" });
    await reader.toArray();
    expect(readFileSync(`${file}.rejects.jsonl`, "utf8")).toBe("");
  });

  it("keeps a rejected CSV row's quoting in the rejects file", async () => {
    const file = tmp.path("q.csv");
    writeFileSync(file, 'schema_version,event_id,unit_id,kind\n1,"e,1","say ""hi""\nthere",value\n');
    const reader = readOutcomeEvents(file, { mode: "quarantine" });
    expect(await reader.toArray()).toEqual([]);
    const [reject] = readFileSync(reader.summary!.rejectsFile!, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { line: number; raw: string });
    expect(reject).toMatchObject({ line: 2, raw: '1,"e,1","say ""hi""\nthere",value' });
  });

  it("reports wrong CSV cell counts as row issues and CSV syntax errors as fatal", async () => {
    const file = tmp.path("o.csv");
    writeFileSync(
      file,
      "schema_version,event_id,unit_id,kind,amount,time\n1,e1,u1,value,3,2026-01-01T00:00:00Z\n1,e2,u1,value\n1,e3,u1,cost,abc,2026-01-01T00:00:00Z\n",
    );
    const reader = readOutcomeEvents(file, { mode: "quarantine" });
    expect((await reader.toArray()).map((e) => e.event_id)).toEqual(["e1"]);
    expect(reader.summary!.issues.map((i) => [i.line, i.code, i.path])).toEqual([
      [3, "column_count", []],
      [4, "invalid_type", ["amount"]],
    ]);
    // nothing is lost: each rejected row is in the rejects file as CSV, with its line and reasons
    const rejects = readFileSync(reader.summary!.rejectsFile!, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { line: number; raw: string });
    expect(rejects.map((r) => [r.line, r.raw])).toEqual([
      [3, "1,e2,u1,value"],
      [4, "1,e3,u1,cost,abc,2026-01-01T00:00:00Z"],
    ]);
    writeFileSync(file, 'schema_version,event_id\n1,"unterminated\n');
    const err = await readOutcomeEvents(file, { mode: "quarantine" })
      .toArray()
      .catch((e: unknown) => e);
    expect((err as DataValidationError).issues[0]!.code).toBe("csv_syntax");
    expect(readdirSync(tmp.dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("allows duplicate ids when uniqueIds is off", async () => {
    const file = tmp.path("dup.jsonl");
    writeFileSync(file, [validDecision(), validDecision()].map((d) => JSON.stringify(d)).join("\n"));
    expect(await readDecisions(file, { uniqueIds: false }).toArray()).toHaveLength(2);
    // and a reader can be iterated twice without seeing its own ids
    const reader = readDecisions(tmp.path("dup2.jsonl"));
    await writeDecisions(tmp.path("dup2.jsonl"), decisions);
    expect(await reader.toArray()).toHaveLength(3);
    expect(await reader.toArray()).toHaveLength(3);
  });
});

describe("writers", () => {
  it("refuse invalid records and leave no file (nor temp file) behind", async () => {
    const file = tmp.path("w.jsonl");
    const err = await writeDecisions(file, [
      validDecision(),
      validDecision({ propensity: 3, action_probabilities: undefined }),
    ]).catch((e: unknown) => e);
    expect(DataValidationError.isInstance(err)).toBe(true);
    expect((err as DataValidationError).issues[0]).toMatchObject({ line: 2, path: ["propensity"] });
    expect(readdirSync(tmp.dir)).toEqual([]);
  });

  it("keep the previous file intact when a rewrite fails", async () => {
    const file = tmp.path("w.jsonl");
    await writeDecisions(file, decisions);
    const before = readFileSync(file, "utf8");
    await writeDecisions(file, [validDecision({ design: "bad" })]).catch(() => undefined);
    expect(readFileSync(file, "utf8")).toBe(before);
    expect(readdirSync(tmp.dir)).toEqual(["w.jsonl"]);
  });

  it("CSV refuses a feature outside the columns instead of dropping it", async () => {
    const file = tmp.path("w.csv");
    const err = await writeDecisions(file, [
      validDecision(),
      validDecision({ decision_id: "d9", features: { surprise: 1 } }),
    ]).catch((e: unknown) => e);
    expect(CiaError.isInstance(err) && err.code).toBe("unknown_feature_column");
    expect(existsSync(file)).toBe(false);
    await writeDecisions(
      file,
      [validDecision({ features: { a: 1 } }), validDecision({ decision_id: "d9", features: { b: "x" } })],
      {
        featureColumns: ["a", "b"],
      },
    );
    const back = await readDecisions(file).toArray();
    expect(back.map((d) => d.features)).toEqual([
      { a: 1, b: null },
      { a: null, b: "x" },
    ]);
  });

  it("stream large inputs from async iterables", async () => {
    async function* many() {
      for (let i = 0; i < 5000; i++) yield validDecision({ decision_id: `d${i}` });
    }
    const file = tmp.path("big.csv");
    expect((await writeDecisions(file, many())).rows).toBe(5000);
    let n = 0;
    for await (const _ of readDecisions(file)) n++;
    expect(n).toBe(5000);
  });
});
