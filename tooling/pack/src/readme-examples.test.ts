import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it, vi } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

// The packages whose README example runs on its own (no files, services or network). A new package
// joins this list when its example does; examples that need files around them are run by their
// package's own tests instead.
const STANDALONE = new Set([
  "@cia/core",
  "@cia/experiment",
  "@cia/learners",
  "@cia/logging-schema",
  "@cia/ope",
  "@cia/optimizer",
  "@cia/pacer",
  "@cia/simulator",
  "@cia/uplift",
]);
const NOT_STANDALONE: Record<string, string> = {
  "@cia/model": "reads a table.csv (packages/model's tests train, load and score the same way)",
  "@cia/runner": "runs the whole pipeline on examples/own-data (apps/runner's run-pipeline test)",
};

/** The README's main example: its longest TypeScript block. */
function mainExample(readme: string): string | undefined {
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.sort((a, b) => b.length - a.length)[0];
}

describe("each package README's example runs", () => {
  for (const group of ["packages", "apps"])
    for (const name of readdirSync(join(root, group))) {
      const dir = join(root, group, name);
      if (!existsSync(join(dir, "README.md")) || !existsSync(join(dir, "package.json"))) continue;
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      const code = mainExample(readFileSync(join(dir, "README.md"), "utf8"));
      if (pkg.private || !code || !/^import /m.test(code)) continue;
      if (!STANDALONE.has(pkg.name) && NOT_STANDALONE[pkg.name] === undefined) continue;
      const skip = NOT_STANDALONE[pkg.name];
      it.skipIf(skip !== undefined)(
        `${pkg.name}${skip ? ` (skipped: ${skip})` : ""}`,
        async () => {
          // Written inside the package, so its imports resolve as they would for a user of that package.
          const file = join(dir, `.readme-example-${process.pid}.tmp.ts`);
          writeFileSync(file, code);
          const log = vi.spyOn(console, "log").mockImplementation(() => {});
          try {
            await expect(import(pathToFileURL(file).href)).resolves.toBeDefined();
          } finally {
            log.mockRestore();
            rmSync(file, { force: true });
          }
        },
        60_000,
      );
    }
});
