import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

/** The repository root (packages/ope/src/test-helpers -> four levels up). */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

/** Shared real data: CIA_DATA_DIR, default ../shared/data beside the repository. */
export const dataDir = resolve(process.env.CIA_DATA_DIR ?? resolve(repoRoot, "../shared/data"));
/** Peer reference numbers: CIA_REFERENCE_DIR, default the sibling of the data dir. */
export const referenceDir = resolve(process.env.CIA_REFERENCE_DIR ?? resolve(dataDir, "../reference"));

export type Campaign = "men" | "women";

export function obdFiles(campaign: Campaign): string[] {
  return [
    resolve(dataDir, `obd/${campaign}_random_rounds.csv`),
    resolve(dataDir, `obd/${campaign}_bts_action_dist.csv`),
    resolve(referenceDir, `obd_${campaign}_q_hat.csv.gz`),
    resolve(referenceDir, "obd.json"),
  ];
}

/** The first missing OBD file, or null when everything the OBD tests need is present. */
export function missingObdFile(): string | null {
  for (const c of ["men", "women"] as const) for (const f of obdFiles(c)) if (!existsSync(f)) return f;
  return null;
}

/** OBD's random log as OBP sees it, with the BTS target at the logged position and OBP's q_hat. */
export interface ObdInputs {
  n: number;
  k: number;
  action: Int32Array;
  position: Int32Array;
  propensity: Float64Array;
  reward: Float64Array;
  /** pi_e(a | position_i), n x K: the per-round slice at the logged position. */
  target: Float64Array;
  /** q_hat(x_i, a, position_i), n x K. */
  qHat: Float64Array;
}

function rows(text: string): string[][] {
  const lines = text.split("\n");
  const out: string[][] = [];
  // Line 0 is the header; these files are plain numeric CSV with no quoting.
  for (let i = 1; i < lines.length; i++) if (lines[i]!.length > 0) out.push(lines[i]!.split(","));
  return out;
}

export function loadObd(campaign: Campaign): ObdInputs {
  const [roundsFile, distFile, qFile] = obdFiles(campaign);
  const rr = rows(readFileSync(roundsFile!, "utf8"));
  const n = rr.length;
  const action = new Int32Array(n);
  const position = new Int32Array(n);
  const propensity = new Float64Array(n);
  const reward = new Float64Array(n);
  for (const r of rr) {
    const i = Number(r[0]);
    action[i] = Number(r[2]);
    position[i] = Number(r[3]);
    reward[i] = Number(r[4]);
    propensity[i] = Number(r[5]);
  }
  const dist = rows(readFileSync(distFile!, "utf8"));
  let k = 0;
  for (const r of dist) k = Math.max(k, Number(r[0]) + 1);
  const byPosition = new Float64Array(3 * k);
  for (const r of dist) byPosition[Number(r[1]) * k + Number(r[0])] = Number(r[2]);
  const target = new Float64Array(n * k);
  for (let i = 0; i < n; i++) target.set(byPosition.subarray(position[i]! * k, position[i]! * k + k), i * k);
  const qHat = new Float64Array(n * k).fill(Number.NaN);
  const q = rows(gunzipSync(readFileSync(qFile!)).toString("utf8"));
  for (const r of q) {
    const i = Number(r[0]);
    if (Number(r[2]) !== position[i])
      throw new Error(`q_hat row for round ${i} is not at the logged position`);
    qHat[i * k + Number(r[1])] = Number(r[3]);
  }
  return { n, k, action, position, propensity, reward, target, qHat };
}

export interface ObdReference {
  estimators: Record<
    "ipw" | "snipw" | "dm" | "dr",
    { estimate: number; ci95_lower: number; ci95_upper: number; bootstrap_mean: number }
  >;
  four_estimators_s: number;
  bootstrap_all_s: number;
  importance_weight_stats: { mean: number; max: number; min: number };
  n_rounds: number;
  n_actions: number;
}

export function loadObdReference(campaign: Campaign): ObdReference {
  const json = JSON.parse(readFileSync(resolve(referenceDir, "obd.json"), "utf8"));
  return json.campaigns[campaign] as ObdReference;
}
