import { writeFileSync } from "node:fs";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readLineBatches } from "./line-reader.js";
import { tempDir } from "./test-helpers/fixtures.js";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

async function lines(file: string, chunk: number) {
  const out: [number, string][] = [];
  for await (const b of readLineBatches(file, chunk)) {
    for (let k = 0; k < b.lines.length; k++) out.push([b.firstLine + k, b.lines[k]!]);
  }
  return out;
}

describe("readLineBatches", () => {
  it("splits on \\n and \\r\\n, strips a BOM, keeps multi-byte characters whole across chunks", async () => {
    const file = tmp.path("a.txt");
    writeFileSync(file, "\ufeffé1\r\n\nçà€2\n😀3");
    for (const chunk of [1, 2, 3, 5, 64]) {
      expect(await lines(file, chunk)).toEqual([
        [1, "é1"],
        [2, ""],
        [3, "çà€2"],
        [4, "😀3"],
      ]);
    }
  });

  it("reads a log zero-filled ahead of its records as its records; a torn record or a hole still shows", async () => {
    const file = tmp.path("live.jsonl");
    const zeros = Buffer.alloc(300);
    writeFileSync(file, Buffer.concat([Buffer.from('{"a":1}\n{"b":2}\n'), zeros]));
    for (const chunk of [1, 7, 64, 1 << 20]) {
      expect(await lines(file, chunk)).toEqual([
        [1, '{"a":1}'],
        [2, '{"b":2}'],
      ]);
    }
    writeFileSync(file, zeros);
    expect(await lines(file, 16)).toEqual([]);
    // a record cut mid-write, then the zeros: the torn part is the last line, without the zeros
    writeFileSync(file, Buffer.concat([Buffer.from('{"a":1}\n{"b":'), zeros]));
    for (const chunk of [3, 64]) expect((await lines(file, chunk)).at(-1)).toEqual([2, '{"b":']);
    // zeros followed by more records (a hole left by a crash) stay inside the line that holds them
    writeFileSync(file, Buffer.concat([Buffer.from('{"a":1}\n'), zeros, Buffer.from('{"c":3}\n')]));
    for (const chunk of [5, 64, 1 << 20]) {
      const got = await lines(file, chunk);
      expect(got).toHaveLength(2);
      expect(got[1]![1]).toBe(`${"\0".repeat(300)}{"c":3}`);
    }
  });

  it("gives the same lines as split for any text and chunk size (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: fc.constantFrom("a", "é", "€", "😀", "\n", "\r\n", " ") }), {
          maxLength: 20,
        }),
        fc.integer({ min: 1, max: 16 }),
        async (parts, chunk) => {
          const text = parts.join("");
          const file = tmp.path("p.txt");
          writeFileSync(file, text);
          const expected = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
          if (text.endsWith("\n") || text === "") expected.pop();
          expect((await lines(file, chunk)).map(([, l]) => l)).toEqual(expected);
        },
      ),
      { numRuns: 150, seed: 41 },
    );
  });
});
