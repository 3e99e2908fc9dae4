import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const base = JSON.parse(readFileSync(join(root, "tooling/tsconfig/base.json"), "utf8")).compilerOptions;

describe("shipped source maps point at shipped files (or there are none)", () => {
  for (const group of ["packages", "apps"])
    for (const name of readdirSync(join(root, group))) {
      const dir = join(root, group, name);
      if (!existsSync(join(dir, "package.json")) || !existsSync(join(dir, "tsconfig.json"))) continue;
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      if (pkg.private) continue;
      it(pkg.name, () => {
        const own = JSON.parse(readFileSync(join(dir, "tsconfig.json"), "utf8")).compilerOptions ?? {};
        const maps = (own.sourceMap ?? base.sourceMap) || (own.declarationMap ?? base.declarationMap);
        const files: string[] = pkg.files ?? [];
        // Maps written into dist/ name ../src/*.ts: they are only useful when src ships too.
        if (maps) expect(files).toContain("src");
        else expect(maps).toBeFalsy();
      });
    }
});
