import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it, vi } from "vitest";

// Runs the README's example as written (with the package import pointed at the source), so the
// documented code cannot rot.
const pkg = resolve(dirname(fileURLToPath(import.meta.url)), "..");

it("the README example runs", async () => {
  const readme = readFileSync(resolve(pkg, "README.md"), "utf8");
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBeDefined();
  const code = block!.replace('from "@cia/experiment"', 'from "./src/index.js"');
  const file = resolve(pkg, `.readme-example-${process.pid}.ts`);
  writeFileSync(file, code);
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    await import(file);
    expect(log).toHaveBeenCalled();
    // The SRM line: p-value and the mismatch flag of a correct split.
    const srmCall = log.mock.calls.find((c) => typeof c[0] === "number" && typeof c[1] === "boolean");
    expect(srmCall?.[1]).toBe(false);
  } finally {
    log.mockRestore();
    rmSync(file, { force: true });
  }
});
