import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { repoRoot } from "./record.js";

/** Where the shared real datasets live: `CIA_DATA_DIR`, default `../shared/data` beside the repo. */
export function dataDir(): string {
  return resolve(process.env.CIA_DATA_DIR ?? resolve(repoRoot(), "../shared/data"));
}

/** True when `dataDir()/sub` exists; benchmarks on real data skip (and say so) otherwise. */
export function hasData(sub = ""): boolean {
  return existsSync(resolve(dataDir(), sub));
}
