import { CiaError, createRng } from "@cia/core";
import type { Rng, Seed } from "@cia/core";
import type { UnitModel } from "./unit-model.js";
import type { WorldParams } from "./world-params.js";
import type { AssignmentDesign, Population, SimulatedEvents, SimulatedLog } from "./world-types.js";
import type { SimulatorErrorCode } from "./error-codes.js";

const DAY_MS = 86_400_000;
const ROW_TOLERANCE = 1e-9;

/** Growable typed-array columns for the outcome events (no per-event objects). */
class EventBuffer {
  count = 0;
  unit = new Int32Array(1024);
  kind = new Uint8Array(1024);
  amount = new Float64Array(1024);
  lagDays = new Float64Array(1024);

  push(unit: number, kind: number, amount: number, lag: number): void {
    if (this.count === this.unit.length) this.grow();
    const c = this.count++;
    this.unit[c] = unit;
    this.kind[c] = kind;
    this.amount[c] = amount;
    this.lagDays[c] = lag;
  }

  private grow(): void {
    const size = this.unit.length * 2;
    this.unit = enlarged(this.unit, new Int32Array(size));
    this.kind = enlarged(this.kind, new Uint8Array(size));
    this.amount = enlarged(this.amount, new Float64Array(size));
    this.lagDays = enlarged(this.lagDays, new Float64Array(size));
  }
}

/** `to` (a larger array of the same type) with `from` copied into its start. */
function enlarged<T extends Int32Array | Uint8Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Fill the n x K action distribution from a design function or copy a policy matrix, checking each row. */
export function resolveDesign(
  pop: Population,
  k: number,
  design: AssignmentDesign | Float64Array,
): Float64Array {
  const n = pop.n;
  let probs: Float64Array;
  if (typeof design === "function") {
    probs = new Float64Array(n * k);
    for (let i = 0; i < n; i++) design(i, pop, probs.subarray(i * k, (i + 1) * k));
  } else {
    if (design.length !== n * k) {
      throw new CiaError<SimulatorErrorCode>(
        "shape_mismatch",
        `policy matrix has ${design.length} entries, expected n x K = ${n * k}`,
        {
          length: design.length,
          n,
          k,
        },
      );
    }
    probs = Float64Array.from(design);
  }
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let a = 0; a < k; a++) {
      const q = probs[i * k + a]!;
      if (!(q >= 0 && q <= 1)) {
        throw new CiaError<SimulatorErrorCode>(
          "invalid_policy",
          `unit ${i}, action ${a}: probability ${q} is not in [0, 1]`,
          {
            unit: i,
            action: a,
          },
        );
      }
      total += q;
    }
    if (Math.abs(total - 1) > ROW_TOLERANCE) {
      throw new CiaError<SimulatorErrorCode>(
        "invalid_policy",
        `unit ${i}: action probabilities sum to ${total}, not 1`,
        {
          unit: i,
          total,
        },
      );
    }
  }
  return probs;
}

/** Exponential(mean) truncated to [0, h] by inversion: exact, one uniform. */
function truncatedExponential(rng: Rng, mean: number, massInH: number): number {
  return -mean * Math.log(1 - rng.next() * massInH);
}

/** Gamma(integer shape, scale) truncated to [0, h]: a sum of exponentials, rejected beyond h (rare). */
function truncatedGammaInt(rng: Rng, shape: number, scale: number, h: number): number {
  for (;;) {
    let t = 0;
    for (let j = 0; j < shape; j++) t -= Math.log(1 - rng.next());
    t *= scale;
    if (t <= h) return t;
  }
}

/**
 * Draw an experiment: assignment from the design's probabilities, then delivery, being seen,
 * conversion, order times and margins, repeat orders and redemption, exactly as the unit model
 * says. Two independent named streams (assignment, outcomes) keep the draws reproducible.
 */
export function sampleLog(
  params: WorldParams,
  model: UnitModel,
  pop: Population,
  design: AssignmentDesign | Float64Array,
  seed: Seed,
  periodStart: number,
): SimulatedLog {
  const { n, k } = model;
  const probs = resolveDesign(pop, k, design);
  const root = createRng(seed).split(`log/${params.name}/${pop.period}`);
  const assignRng = root.split("assignment");
  const rng = root.split("outcomes");
  const action = new Int32Array(n);
  const propensity = new Float64Array(n);
  const compliant = new Uint8Array(n);
  const delivered = new Uint8Array(n);
  const deliveredLag = new Float64Array(n).fill(Number.NaN);
  const seenLag = new Float64Array(n).fill(Number.NaN);
  const value = new Float64Array(n);
  const valueShort = new Float64Array(n);
  const cost = new Float64Array(n);
  const decisionTime = new Float64Array(n);
  const redemptionLag = new Float64Array(n).fill(Number.NaN);
  const events = new EventBuffer();
  const h = params.horizonDays;
  const short = params.shortWindowDays;
  const spreadMs = params.decisionSpreadDays * DAY_MS;
  const shape = params.marginShape;
  const credits = params.actions.map((a) => a.credit);
  for (let i = 0; i < n; i++) {
    const row = i * k;
    // Inverse-CDF draw of the action; rounding at the top falls back to the last positive entry.
    const u = assignRng.next();
    let acc = 0;
    let chosen = -1;
    for (let a = 0; a < k; a++) {
      acc += probs[row + a]!;
      if (u < acc) {
        chosen = a;
        break;
      }
    }
    if (chosen < 0)
      for (let a = k - 1; a >= 0; a--)
        if (probs[row + a]! > 0) {
          chosen = a;
          break;
        }
    action[i] = chosen;
    propensity[i] = probs[row + chosen]!;
    decisionTime[i] = periodStart + Math.floor(assignRng.next() * spreadMs);

    let eff = 0;
    if (chosen > 0) {
      if (rng.next() < model.deliveryRate) {
        delivered[i] = 1;
        deliveredLag[i] = rng.next() / 96; // within 15 minutes
        if (rng.next() < model.seenGivenDelivered[row + chosen]!) {
          compliant[i] = 1;
          eff = chosen;
        }
      }
    }
    const p0 = model.p0[i]!;
    const organic = rng.next() < p0;
    const converts = organic || (eff > 0 && rng.next() < model.lift[row + eff]!);
    const mg = model.margin[i]!;
    if (converts) {
      const t1 = organic
        ? truncatedExponential(rng, params.organicOrderMeanDays, model.organicInHorizon)
        : truncatedGammaInt(rng, params.offerOrderShape, params.offerOrderScaleDays, h);
      const m1 = rng.gamma(shape, mg / shape);
      let total = m1;
      if (eff > 0) {
        // Seen some time before the first order (the offer is what brought offer-driven converters in).
        seenLag[i] = deliveredLag[i]! + rng.next() * Math.max(0, t1 - deliveredLag[i]!);
        const redeemP = organic ? model.organicRedeem[i]! : model.incrementalRedeem;
        if (rng.next() < redeemP) {
          cost[i] = credits[eff]!;
          redemptionLag[i] = t1;
        }
      }
      events.push(i, 0, m1, t1);
      if (!Number.isNaN(redemptionLag[i]!)) events.push(i, 1, cost[i]!, t1);
      if (t1 <= short) valueShort[i] = m1;
      // Repeat orders fall after the first order and after the proxy window, so the short label sees
      // only first orders (their timing does not change the horizon value, so the truth is unaffected).
      const nRep = rng.poisson(model.repeats[row + eff]!);
      let prev = Math.max(short, t1);
      for (let r = 0; r < nRep; r++) {
        // Sorted uniform times on (short, h]: successive minima of the remaining uniforms.
        const remainingDraws = nRep - r;
        prev = prev + (h - prev) * (1 - (1 - rng.next()) ** (1 / remainingDraws));
        const mr = rng.gamma(shape, mg / shape);
        total += mr;
        events.push(i, 0, mr, prev);
      }
      value[i] = total;
    } else if (eff > 0) {
      seenLag[i] = deliveredLag[i]! + rng.exponential(1);
    }
  }
  const ev: SimulatedEvents = {
    delivered,
    seen: compliant,
    deliveredLagDays: deliveredLag,
    seenLagDays: seenLag,
    count: events.count,
    unit: events.unit.slice(0, events.count),
    kind: events.kind.slice(0, events.count),
    amount: events.amount.slice(0, events.count),
    lagDays: events.lagDays.slice(0, events.count),
  };
  return {
    n,
    k,
    actions: params.actions,
    action,
    propensity,
    actionProbabilities: probs,
    compliant,
    value,
    valueShort,
    cost,
    decisionTime,
    redemptionLagDays: redemptionLag,
    events: ev,
    horizonDays: h,
    shortWindowDays: short,
    periodStart,
  };
}
