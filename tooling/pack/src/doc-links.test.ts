import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const SKIP = new Set(["node_modules", ".git", "dist", ".turbo", "out", ".test-results"]);

/** Every Markdown file of the repository. */
function markdownFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) markdownFiles(p, out);
    else if (name.endsWith(".md")) out.push(p);
  }
  return out;
}

/** Link targets of a Markdown text: [text](target), <a href="target">, and [ref]: target. */
function links(text: string): string[] {
  const found: string[] = [];
  const code = text.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  for (const m of code.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) found.push(m[1]!);
  for (const m of code.matchAll(/href="([^"]+)"/g)) found.push(m[1]!);
  for (const m of code.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)) found.push(m[1]!);
  return found;
}

describe("Markdown links stay inside the repository", () => {
  const files = markdownFiles(root);
  it("finds the docs", () => {
    expect(files.some((f) => f.endsWith("docs/file-formats.md"))).toBe(true);
  });
  it("no link points at ../shared, a file outside the repository, or a missing file", () => {
    const bad: string[] = [];
    for (const file of files) {
      for (const target of links(readFileSync(file, "utf8"))) {
        const where = `${relative(root, file)} -> ${target}`;
        if (/^(https?:|mailto:)/.test(target) || target.startsWith("#")) continue;
        if (target.startsWith("file:") || target.startsWith("/")) {
          bad.push(`${where} (absolute path)`);
          continue;
        }
        const path = decodeURIComponent(target.split("#")[0]!);
        const resolved = resolve(dirname(file), path);
        if (target.includes("../shared") || relative(root, resolved).startsWith(".."))
          bad.push(`${where} (outside the repository)`);
        else if (!existsSync(resolved)) bad.push(`${where} (no such file)`);
      }
    }
    expect(bad).toEqual([]);
  });
});
