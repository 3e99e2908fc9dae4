import { describe, expect, it } from "vitest";
import { stageProgress } from "./progress-bar.js";

function captureStderr(run: () => void): string {
  let text = "";
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string | Uint8Array) => {
    text += String(s);
    return true;
  }) as typeof process.stderr.write;
  try {
    run();
  } finally {
    process.stderr.write = write;
  }
  return text;
}

describe("stageProgress", () => {
  it("draws the stages on a terminal and nothing elsewhere", () => {
    const drawn = captureStderr(() => {
      const p = stageProgress("score", ["read", "predict"], { enabled: true });
      p.next("read");
      p.next("predict");
      p.done();
    });
    expect(drawn).toContain("0/2 read");
    expect(drawn).toContain("2/2 done");
    const silent = captureStderr(() => {
      const p = stageProgress("score", ["read"], { enabled: false });
      p.next("read");
      p.done();
    });
    expect(silent).toBe("");
  });
});
