import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

describe("README example", () => {
  it("is examples/quickstart.ts verbatim, and prints what the README says", async () => {
    const readme = readFileSync(resolve(root, "README.md"), "utf8");
    const example = readFileSync(resolve(root, "examples/quickstart.ts"), "utf8");
    expect(readme).toContain(example);
    const printed: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      printed.push(args.join(" "));
    });
    try {
      await import("../examples/quickstart.js");
    } finally {
      spy.mockRestore();
    }
    const shown = readme.split("It prints:\n\n```\n")[1]!.split("```")[0]!.trim();
    expect(printed.join("\n")).toBe(shown);
  });
});
