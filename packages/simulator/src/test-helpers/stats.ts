import type { ExperimentLog, Truth } from "../world-types.js";

/**
 * z statistic of sum_i (y_i - mu_i) over the selected units, with the variance estimated from the
 * residuals themselves: under a correct truth the residuals have mean 0, so |z| is about N(0, 1).
 */
export function residualZ(
  y: Float64Array,
  mu: Float64Array,
  k: number,
  log: ExperimentLog,
  keep: (i: number) => boolean,
): number {
  let s = 0;
  let ss = 0;
  for (let i = 0; i < log.n; i++) {
    if (!keep(i)) continue;
    const r = y[i]! - mu[i * k + log.action[i]!]!;
    s += r;
    ss += r * r;
  }
  return ss === 0 ? 0 : s / Math.sqrt(ss);
}

/** Difference in means of y between arm a and control, with its (Neyman) standard error. */
export function diffInMeans(
  y: Float64Array,
  log: ExperimentLog,
  a: number,
  keep: (i: number) => boolean = () => true,
) {
  const acc = [0, 0, 0, 0, 0, 0]; // n0, sum0, sq0, na, suma, sqa
  for (let i = 0; i < log.n; i++) {
    if (!keep(i)) continue;
    const w = log.action[i]!;
    const v = y[i]!;
    if (w === 0) {
      acc[0]!++;
      acc[1]! += v;
      acc[2]! += v * v;
    } else if (w === a) {
      acc[3]!++;
      acc[4]! += v;
      acc[5]! += v * v;
    }
  }
  const [n0, s0, q0, na, sa, qa] = acc as [number, number, number, number, number, number];
  const m0 = s0 / n0;
  const ma = sa / na;
  const v0 = (q0 - n0 * m0 * m0) / (n0 - 1);
  const va = (qa - na * ma * ma) / (na - 1);
  return { estimate: ma - m0, se: Math.sqrt(v0 / n0 + va / na) };
}

/** Mean over the selected units of truth column a of an n x K array. */
export function meanColumn(
  arr: Float64Array,
  truth: Truth,
  a: number,
  keep: (i: number) => boolean = () => true,
): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < truth.n; i++) {
    if (!keep(i)) continue;
    s += arr[i * truth.k + a]!;
    c++;
  }
  return s / c;
}
