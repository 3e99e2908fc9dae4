/**
 * An open-loop client in a process of its own, so the load generator's heap (small) and garbage
 * collections are not the bench process's (which trained the model), and it can be pinned to a
 * core: `node --import tsx paced-client.ts [--wire] <url> <bodies.json> <rate> <seconds> [warmupRate warmupSeconds]`.
 * Default: node:http ({@link pacedLoad}); `--wire`: raw sockets with a sleeping pacer ({@link wireLoad}).
 * Prints the result of the measured run as one JSON line.
 */
import { readFileSync } from "node:fs";
import { pacedLoad } from "./paced-load.js";
import { wireLoad } from "./wire-load.js";

const args = process.argv.slice(2);
const wire = args[0] === "--wire";
const [url, bodiesFile, rate, seconds, warmRate, warmSeconds] = wire ? args.slice(1) : args;
if (!url || !bodiesFile || !rate || !seconds) {
  process.stderr.write(
    "usage: paced-client.ts [--wire] <url> <bodies.json> <rate> <seconds> [warmupRate warmupSeconds]\n",
  );
  process.exit(2);
}
// SERVE_ARRIVALS=poisson: exponential gaps instead of even spacing (raw-socket client only).
const arrivals = process.env.SERVE_ARRIVALS === "poisson" ? "poisson" : "uniform";
const load = wire
  ? (u: string, b: string[], r: number, s: number) => wireLoad(u, b, r, s, { arrivals })
  : pacedLoad;
const bodies = JSON.parse(readFileSync(bodiesFile, "utf8")) as string[];
if (warmRate && warmSeconds) await load(url, bodies, Number(warmRate), Number(warmSeconds));
const r = await load(url, bodies, Number(rate), Number(seconds));
process.stdout.write(`${JSON.stringify(r)}\n`);
