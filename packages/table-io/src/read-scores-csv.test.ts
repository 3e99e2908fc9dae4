import { writeFileSync } from "node:fs";
import { createRng } from "@cia/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readScoresCsv } from "./read-scores-csv.js";
import { ACTION, appendPart, ID, readScoresPart, type ScoresLayout } from "./scores-csv-part.js";
import type { ScoresColumns } from "./scores-columns.js";
import { PlainCsvBlocks } from "./plain-csv-blocks.js";
import { claimBack, claimFront, claimedFront, rangeClaims } from "./range-claims.js";
import { scoresRangesInWorker } from "./scores-part-thread.js";
import { tempDir } from "./test-helpers/temp-dir.js";

const path = tempDir();

/** A scores CSV: units with 1-3 of 3 actions each, ids sorted or shuffled, now and then non-ASCII. */
function scoresText(seed: number, units: number): string {
  const rng = createRng(`scores-${seed}`);
  const r = () => rng.next();
  const ids = Array.from({ length: units }, (_, i) =>
    r() < 0.05 ? `ü${i}` : `u${String(i).padStart(4, "0")}`,
  );
  if (seed % 2 === 1) ids.sort(() => r() - 0.5);
  const lines = ["unit_id,action,tau_value,tau_cost,tau_value_lower"];
  for (const id of ids)
    for (const a of ["x", "y", "z"])
      if (r() < 0.8) lines.push(`${id},${a},${(r() - 0.3).toPrecision(17)},${r() * 2},${r() - 1}`);
  const bom = seed % 3 === 0 ? "\ufeff" : "";
  // Every other file ends without a final newline.
  return bom + lines.join("\n") + (seed % 4 < 2 ? "\n" : "");
}

function plain(s: ScoresColumns) {
  return {
    unitIds: s.unitIds,
    actions: s.actions,
    tauValue: Array.from(s.tauValue),
    tauCost: Array.from(s.tauCost),
    tauValueLower: s.tauValueLower && Array.from(s.tauValueLower),
  };
}

const layout: ScoresLayout = { kinds: Int32Array.of(ID, ACTION, 0, 1, 2), numbers: 3, control: "control" };

describe("readScoresCsv in ranges on two threads", () => {
  // Two threads whatever the machine's load (the tests check the answer, not the time).
  const before = process.env.CIA_CSV_THREADS;
  beforeAll(() => {
    process.env.CIA_CSV_THREADS = "2";
  });
  afterAll(() => {
    if (before === undefined) delete process.env.CIA_CSV_THREADS;
    else process.env.CIA_CSV_THREADS = before;
  });

  it("gives what one pass gives wherever the file is cut at a line (both halves in this thread)", async () => {
    for (let seed = 0; seed < 8; seed++) {
      const text = scoresText(seed, 25);
      const file = path(`cut-${seed}.csv`);
      writeFileSync(file, text);
      const bytes = Buffer.from(text);
      const whole = (await readScoresCsv(file, "control", { parallelFrom: Number.POSITIVE_INFINITY }))!;
      const first = bytes.indexOf(10) + 1;
      for (let cut = first; cut < bytes.length; cut = bytes.indexOf(10, cut) + 1) {
        const head = (await readScoresPart({ file, from: first, to: cut, layout }))!;
        const tail = (await readScoresPart({ file, from: cut, to: bytes.length, layout }))!;
        const all = appendPart(head, tail);
        expect(all.rows).toBe(whole.tauValue.length > 0 ? all.rows : 0);
        expect(all.units).toEqual(whole.unitIds);
        expect(all.actions).toEqual(whole.actions);
        for (let row = 0; row < all.rows; row++) {
          const cell = all.unitOf[row]! * all.actions.length + all.actionOf[row]!;
          expect(all.values[0]![row]).toBe(whole.tauValue[cell]);
          expect(all.values[2]![row]).toBe(whole.tauValueLower![cell]);
        }
        if (bytes.indexOf(10, cut) < 0) break;
      }
    }
  });

  it("gives what one pass gives with a worker thread claiming ranges", async () => {
    for (let seed = 0; seed < 4; seed++) {
      const file = path(`worker-${seed}.csv`);
      writeFileSync(file, scoresText(seed, 400));
      const one = await readScoresCsv(file, "control", { parallelFrom: Number.POSITIVE_INFINITY });
      const two = await readScoresCsv(file, "control", { parallelFrom: 0, rangeBytes: 2000 });
      expect(one).toBeDefined();
      expect(plain(two!)).toEqual(plain(one!));
    }
  }, 60_000);

  it("reports every row once, in file order, as the answer holds it (one thread and two)", async () => {
    for (let seed = 0; seed < 4; seed++) {
      const file = path(`rows-${seed}.csv`);
      writeFileSync(file, scoresText(seed, 400));
      for (const options of [
        { parallelFrom: Number.POSITIVE_INFINITY },
        { parallelFrom: 0, rangeBytes: 2000 },
      ]) {
        const heard: { unit: number; action: number; values: number[] }[] = [];
        let next = 0;
        const got = await readScoresCsv(file, "control", {
          ...options,
          onRows: (r) => {
            expect([r.from, r.present]).toEqual([next, ["tau_value", "tau_cost", "tau_value_lower"]]);
            for (let i = r.from; i < r.to; i++)
              heard.push({ unit: r.unitOf[i]!, action: r.actionOf[i]!, values: r.values.map((v) => v[i]!) });
            next = r.to;
          },
        });
        const A = got!.actions.length;
        // Each (unit, action) pair once, with the answer's numbers.
        const cells = heard.map((h) => h.unit * A + h.action);
        expect(new Set(cells).size).toBe(heard.length);
        expect(heard.length).toBe(Array.from(got!.tauValue).filter((x) => !Number.isNaN(x)).length);
        heard.forEach((h, i) => {
          expect([h.values[0], h.values[1], h.values[2]]).toEqual([
            got!.tauValue[cells[i]!],
            got!.tauCost[cells[i]!],
            got!.tauValueLower![cells[i]!],
          ]);
        });
      }
    }
  }, 60_000);

  it("parses ranges on a worker thread, moving back what this thread would parse", async () => {
    const text = scoresText(5, 300);
    const file = path("ranges.csv");
    writeFileSync(file, text);
    const size = Buffer.byteLength(text);
    const cuts = [text.indexOf("\n") + 1];
    for (const at of [0.3, 0.6]) cuts.push((await PlainCsvBlocks.lineStart(file, Math.floor(size * at)))!);
    cuts.push(size);
    // This thread claims none: the worker takes all three, from the back.
    const task = scoresRangesInWorker({ file, cuts, claims: rangeClaims(3), layout });
    const parts = (await task.collect())!;
    for (let k = 0; k < 3; k++) {
      const { unitIndex, actionIndex, ...here } = (await readScoresPart({
        file,
        from: cuts[k]!,
        to: cuts[k + 1]!,
        layout,
      }))!;
      expect(parts.get(k)).toEqual(here);
    }
    expect(task.answered()).toBe(3);
  }, 60_000);

  it("claims each range once, from the front or the back", () => {
    const claims = rangeClaims(5, 1);
    expect([
      claimBack(claims),
      claimFront(claims),
      claimBack(claims),
      claimFront(claims),
      claimFront(claims),
    ]).toEqual([4, 1, 3, 2, -1]);
    expect(claimBack(claims)).toBe(-1);
    expect(claimedFront(claims)).toBe(3);
  });

  it("hands the file to the row reader for an issue in either half", async () => {
    const good = scoresText(2, 200).trimEnd().split("\n");
    const late = good.length - 3;
    const cases: Record<string, string[]> = {
      control_late: good.map((l, i) => (i === late ? l.replace(/,[xyz],/, ",control,") : l)),
      ragged_late: good.map((l, i) => (i === late ? `${l},1` : l)),
      quote_late: good.map((l, i) => (i === late ? l.replace(/^([^,]*)/, '"$1"') : l)),
      blank_late: good.flatMap((l, i) => (i === late ? [l, ""] : [l])),
      duplicate_across: [...good, good[1]!],
      control_early: good.map((l, i) => (i === 2 ? l.replace(/,[xyz],/, ",control,") : l)),
    };
    for (const [name, lines] of Object.entries(cases)) {
      const file = path(`${name}.csv`);
      writeFileSync(file, `${lines.join("\n")}\n`);
      expect([name, await readScoresCsv(file, "control", { parallelFrom: 0, rangeBytes: 1500 })]).toEqual([
        name,
        undefined,
      ]);
    }
  }, 60_000);
});
