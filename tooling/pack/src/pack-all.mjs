// `pnpm pack:all`: build every package and pack each publishable one (packages/*, apps/*) into a
// tarball in tooling/pack/out/, as `npm publish` would ship it. pnpm pack replaces `workspace:^`
// ranges by the packages' versions, so the tarballs install together with plain npm:
//   npm install ./cia-core-0.1.0.tgz ./cia-learners-0.1.0.tgz ./cia-uplift-0.1.0.tgz
// The root LICENSE is copied into each package for the pack (and removed after) so every tarball
// carries it. No network is used.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const out = join(root, "tooling/pack/out");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const dirs = ["packages", "apps"].flatMap((group) =>
  readdirSync(join(root, group)).map((name) => join(root, group, name)),
);
const publishable = dirs.filter((d) => {
  const file = join(d, "package.json");
  return existsSync(file) && JSON.parse(readFileSync(file, "utf8")).private !== true;
});

const run = (args, cwd) =>
  execFileSync("pnpm", args, { cwd, stdio: ["ignore", "pipe", "inherit"] }).toString();
console.error("building every package (turbo)...");
execFileSync("pnpm", ["build"], { cwd: root, stdio: "inherit" });

/** Every file under a folder, recursively. */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

const packed = [];
for (const dir of publishable) {
  const dist = join(dir, "dist");
  // Source maps are off (they named src/, which does not ship); maps left by older builds go.
  for (const f of filesUnder(dist)) if (f.endsWith(".js.map") || f.endsWith(".d.ts.map")) rmSync(f);
  // The incremental-build record stays on disk for the next build, but out of the tarball.
  const info = join(dist, ".tsbuildinfo");
  const parked = join(dir, ".tsbuildinfo.packing");
  if (existsSync(info)) renameSync(info, parked);
  const license = join(dir, "LICENSE");
  const copied = !existsSync(license);
  if (copied) copyFileSync(join(root, "LICENSE"), license);
  try {
    const lines = run(["pack", "--pack-destination", out], dir).trim().split("\n");
    packed.push(lines[lines.length - 1]);
  } finally {
    if (copied) rmSync(license);
    if (existsSync(parked)) renameSync(parked, info);
  }
}
console.log(JSON.stringify({ out, tarballs: packed.map((p) => p.split("/").pop()) }));
