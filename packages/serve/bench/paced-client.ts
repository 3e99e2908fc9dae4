/**
 * The open-loop client in a process of its own, so the load generator's heap (small) and garbage
 * collections are not the bench process's (which trained the model), and it can be pinned to a
 * core: `node --import tsx paced-client.ts <url> <bodies.json> <rate> <seconds> [warmupRate warmupSeconds]`.
 * Prints the {@link PacedLoadResult} of the measured run as one JSON line.
 */
import { readFileSync } from "node:fs";
import { pacedLoad } from "./paced-load.js";

const [url, bodiesFile, rate, seconds, warmRate, warmSeconds] = process.argv.slice(2);
if (!url || !bodiesFile || !rate || !seconds) {
  process.stderr.write(
    "usage: paced-client.ts <url> <bodies.json> <rate> <seconds> [warmupRate warmupSeconds]\n",
  );
  process.exit(2);
}
const bodies = JSON.parse(readFileSync(bodiesFile, "utf8")) as string[];
if (warmRate && warmSeconds) await pacedLoad(url, bodies, Number(warmRate), Number(warmSeconds));
const r = await pacedLoad(url, bodies, Number(rate), Number(seconds));
process.stdout.write(`${JSON.stringify(r)}\n`);
