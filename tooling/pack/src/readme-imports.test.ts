import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const packageDirs = ["packages", "apps"].flatMap((g) =>
  readdirSync(join(root, g))
    .map((n) => join(root, g, n))
    .filter((d) => existsSync(join(d, "package.json")) && existsSync(join(d, "README.md"))),
);

/** The package a module specifier belongs to ("@cia/core/parity" -> "@cia/core"). */
function packageOf(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

// Known violations, each with who fixes it. The test fails when one is fixed (remove it here) or
// when any other package's README imports a package it does not depend on.
const KNOWN: Record<string, string> = {};

describe("package README examples import only the package and its declared dependencies", () => {
  for (const dir of packageDirs) {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    if (pkg.private) continue;
    it(pkg.name, () => {
      const readme = readFileSync(join(dir, "README.md"), "utf8");
      const blocks = [...readme.matchAll(/```(?:ts|typescript|js|javascript)\n([\s\S]*?)```/g)].map(
        (m) => m[1]!,
      );
      const allowed = new Set([
        pkg.name,
        ...Object.keys(pkg.dependencies ?? {}),
        ...Object.keys(pkg.peerDependencies ?? {}),
      ]);
      const bad: string[] = [];
      for (const code of blocks)
        for (const m of code.matchAll(/(?:from|import)\s*\(?\s*"([^"./][^"]*)"/g)) {
          const spec = m[1]!;
          if (spec.startsWith("node:") || builtinModules.includes(spec)) continue;
          if (!allowed.has(packageOf(spec))) bad.push(`${spec} (not a dependency of ${pkg.name})`);
        }
      const known = KNOWN[pkg.name];
      if (known) expect(bad, `${pkg.name} is fixed: remove it from KNOWN`).toEqual([known.split(":")[0]]);
      else expect(bad).toEqual([]);
    });
  }
});
