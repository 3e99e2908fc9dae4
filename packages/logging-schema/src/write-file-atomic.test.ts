import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir } from "./test-helpers/fixtures.js";
import { writeFileAtomic } from "./write-file-atomic.js";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe("writeFileAtomic", () => {
  it("writes a string, bytes or a stream of chunks, creating the directory", async () => {
    const file = tmp.path("a/b/out.json");
    await writeFileAtomic(file, '{"x":1}\n');
    expect(readFileSync(file, "utf8")).toBe('{"x":1}\n');
    await writeFileAtomic(file, new TextEncoder().encode("bytes"));
    expect(readFileSync(file, "utf8")).toBe("bytes");
    await writeFileAtomic(
      file,
      (async function* () {
        yield "a,";
        yield Buffer.from("b\n");
      })(),
    );
    expect(readFileSync(file, "utf8")).toBe("a,b\n");
    expect(readdirSync(tmp.path("a/b"))).toEqual(["out.json"]);
  });

  it("gzips a .gz name", async () => {
    await writeFileAtomic(tmp.path("t.csv.gz"), "unit_id\nu1\n");
    expect(gunzipSync(readFileSync(tmp.path("t.csv.gz"))).toString()).toBe("unit_id\nu1\n");
  });

  it("leaves the previous file and no temp file when the source fails", async () => {
    const file = tmp.path("keep.txt");
    writeFileSync(file, "old");
    const failing = (function* () {
      yield "new";
      throw new Error("source failed");
    })();
    await expect(writeFileAtomic(file, failing)).rejects.toThrow(/source failed/);
    expect(readFileSync(file, "utf8")).toBe("old");
    expect(readdirSync(tmp.dir)).toEqual(["keep.txt"]);
  });
});
