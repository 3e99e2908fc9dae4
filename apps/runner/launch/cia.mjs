#!/usr/bin/env node
// `pnpm cia`: the CLI from a bundle of its TypeScript sources, rebuilt whenever an input changed.
//
// Why: through tsx every start compiles and resolves ~340 modules one by one and loads DuckDB's and
// zod's hundreds of files (about 1 s before any work at all); the bundle starts in a fraction of it.
// Plain JavaScript (no tsx), so it runs on a fresh clone with Node 20 only.
//
// Never stale: the bundle's stamp records a SHA-1 of every source file esbuild read (its metafile),
// of every workspace package.json, of the lockfile (it pins the bundled and external dependencies)
// and of this file; every start re-hashes them (a few ms) and rebuilds (about 0.5 s) on any
// difference. If esbuild is missing or the build fails, the sources run through tsx as before.
//
// Layout: apps/runner/.cia-cache/ (git-ignored) holds content-hashed files, so concurrent starts
// in one tree can only write identical bytes (each write atomic), and the stamp names the entry.
// CIA_BUNDLE_DIR moves the cache (tests).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const runner = resolve(here, "..");
const root = resolve(runner, "../..");
// One level below apps/runner, as src/ and dist/ are: cli.ts finds ../package.json for --version.
const cache = resolve(process.env.CIA_BUNDLE_DIR ?? join(runner, ".cia-cache"));
const stampFile = join(cache, "stamp.json");
const entrySource = join(runner, "src/bin.ts");
const STAMP_VERSION = 1;

/** Pure-JavaScript dependencies bundled in (each loads as many small files); the rest stay external. */
const BUNDLED = new Set([
  "@duckdb/node-api",
  "zod",
  "commander",
  "papaparse",
  "cli-progress",
  "seedrandom",
  "ml-matrix",
  "javascript-lp-solver",
]);

const sha1 = (file) => {
  try {
    return createHash("sha1").update(readFileSync(file)).digest("hex");
  } catch {
    return "missing";
  }
};

/** Files outside the metafile that decide what a build produces (relative to the root). */
function fixedInputs() {
  const out = ["pnpm-lock.yaml", "package.json", relative(root, fileURLToPath(import.meta.url))];
  for (const group of ["packages", "apps"]) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const pj = join(group, name, "package.json");
      if (existsSync(join(root, pj))) out.push(pj);
    }
  }
  return out;
}

/** The recorded entry when every recorded input still has its recorded hash, else undefined. */
function freshEntry() {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, "utf8"));
  } catch {
    return undefined;
  }
  if (stamp.version !== STAMP_VERSION || typeof stamp.entry !== "string") return undefined;
  const fixed = fixedInputs();
  // A package added or removed changes the list itself.
  if (fixed.some((f) => !(f in stamp.inputs))) return undefined;
  for (const [file, hash] of Object.entries(stamp.inputs))
    if (sha1(join(root, file)) !== hash) return undefined;
  const entry = join(cache, stamp.entry);
  return existsSync(entry) ? entry : undefined;
}

/** Write bytes atomically: a reader sees the old file or the new one, never a partial one. */
function writeAtomic(file, bytes) {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
}

/** esbuild: the root's if it declares one, else the one tsx (a root dev dependency) is built on. */
function esbuildPath() {
  const fromRoot = createRequire(join(root, "package.json"));
  try {
    return fromRoot.resolve("esbuild");
  } catch {
    return createRequire(fromRoot.resolve("tsx/package.json")).resolve("esbuild");
  }
}

async function build() {
  const esbuild = await import(pathToFileURL(esbuildPath()).href);
  const external = {
    name: "cia-external",
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData?.cia || args.path.startsWith("@cia/")) return undefined;
        if (args.path.startsWith("node:")) return { path: args.path, external: true };
        const name = args.path.startsWith("@")
          ? args.path.split("/").slice(0, 2).join("/")
          : args.path.split("/")[0];
        // A bare import inside a bundled package resolves as usual; only its own externals below.
        if (BUNDLED.has(name)) return undefined;
        const r = await b.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: { cia: true },
        });
        if (r.errors.length > 0) return { errors: r.errors };
        // A Node builtin spelled without node: (esbuild marks it external itself).
        if (r.external || !r.path.includes("node_modules")) return undefined;
        // Resolved here, from the importing package (pnpm's strict layout): a path the bundle can import.
        let p = relative(cache, r.path);
        if (!p.startsWith(".")) p = `./${p}`;
        return { path: p, external: true };
      });
    },
  };
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entrySource],
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outdir: cache,
    entryNames: "cia-[hash]",
    chunkNames: "chunk-[hash]",
    outExtension: { ".js": ".mjs" },
    conditions: ["@cia/source"],
    // The repo's compiler options that change emitted code (tsc builds dist/ with the same).
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true, target: "ES2022" } },
    // CommonJS bundled into ESM chunks calls require for its own dependencies.
    banner: {
      js: 'import { createRequire as __ciaCreateRequire } from "node:module"; const require = __ciaCreateRequire(import.meta.url);',
    },
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: [external],
  });
  mkdirSync(cache, { recursive: true });
  let entry;
  const written = new Set(["stamp.json"]);
  for (const f of result.outputFiles) {
    writeAtomic(f.path, f.contents);
    written.add(relative(cache, f.path));
  }
  // Dynamic imports are entry points of their own chunks in the metafile.
  for (const [out, meta] of Object.entries(result.metafile.outputs))
    if (meta.entryPoint !== undefined && resolve(root, meta.entryPoint) === entrySource)
      entry = relative(cache, resolve(root, out));
  const inputs = {};
  for (const f of [...Object.keys(result.metafile.inputs), ...fixedInputs()]) {
    const rel = relative(root, resolve(root, f));
    // Installed packages are pinned by the lockfile, which is hashed.
    if (rel.includes("node_modules")) continue;
    inputs[rel] = sha1(join(root, rel));
  }
  writeAtomic(stampFile, JSON.stringify({ version: STAMP_VERSION, entry, inputs }));
  prune(written);
  return join(cache, entry);
}

/** Remove files of earlier builds a day old (a process still running one may load its chunks). */
function prune(keep) {
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const f of readdirSync(cache)) {
    if (keep.has(f)) continue;
    try {
      if (statSync(join(cache, f)).mtimeMs < dayAgo) rmSync(join(cache, f), { force: true });
    } catch {
      // Another start pruned it first.
    }
  }
}

/** The sources through tsx, as before the bundle: the exit code and signal passed on. */
function viaTsx(why) {
  process.stderr.write(`cia: running the sources through tsx (${why})\n`);
  const require = createRequire(join(root, "package.json"));
  const r = spawnSync(
    process.execPath,
    [require.resolve("tsx/cli"), "--conditions=@cia/source", entrySource, ...process.argv.slice(2)],
    { stdio: "inherit" },
  );
  if (r.signal) process.kill(process.pid, r.signal);
  process.exit(r.status ?? 1);
}

let entry = freshEntry();
if (entry === undefined) {
  try {
    entry = await build();
  } catch (e) {
    const first = String(e?.errors?.[0]?.text ?? e?.message ?? e).split("\n")[0];
    viaTsx(`no bundle: ${first}`);
  }
}
if (entry !== undefined) {
  try {
    await import(pathToFileURL(entry).href);
  } catch (e) {
    // A bundle that does not parse or link (nothing of it has run): the sources say what is wrong.
    if (!(e instanceof SyntaxError)) throw e;
    viaTsx(`the bundle does not load: ${e.message}`);
  }
}
