import { createRng } from "@cia/core";
import { baggedBootstrap, doublyRobust, ips, snips } from "@cia/ope";
import type { Estimate } from "@cia/ope";
import type { LoadColumn, SqlEngine } from "../engine.js";
import type { WarehouseEvaluation } from "../warehouse-evaluate.js";

/** A logged experiment (some units logged twice), a target policy and a reward model, per unit. */
export interface LoggedData {
  k: number;
  unit: Float64Array;
  action: Int32Array;
  propensity: Float64Array;
  value: Float64Array;
  cost: Float64Array;
  /** per distinct unit u (keys 0..units-1, shifted by `offset`): target distribution and predictions */
  units: number;
  offset: number;
  target: Float64Array;
  qValue: Float64Array;
  qCost: Float64Array;
}

export function loggedData(o: {
  units: number;
  k: number;
  seed: number;
  stochastic?: boolean;
  offset?: number;
}): LoggedData {
  const rng = createRng(o.seed);
  const { k } = o;
  const offset = o.offset ?? 0;
  const target = new Float64Array(o.units * k);
  const qValue = new Float64Array(o.units * k);
  const qCost = new Float64Array(o.units * k);
  const unit: number[] = [];
  const action: number[] = [];
  const propensity: number[] = [];
  const value: number[] = [];
  const cost: number[] = [];
  const logging = Array.from({ length: k }, (_, a) => (a === 0 ? 0.4 : 0.6 / (k - 1)));
  for (let u = 0; u < o.units; u++) {
    const x = rng.normal();
    for (let a = 0; a < k; a++) {
      qValue[u * k + a] = 1 + 0.5 * x + 0.3 * a * x + rng.normal(0, 0.1);
      qCost[u * k + a] = a === 0 ? 0 : 0.5 * a + rng.next();
    }
    if (o.stochastic) {
      let s = 0;
      for (let a = 0; a < k; a++) {
        target[u * k + a] = rng.next() + 0.1;
        s += target[u * k + a]!;
      }
      for (let a = 0; a < k; a++) target[u * k + a]! /= s;
    } else target[u * k + (x > 0 ? k - 1 : rng.int(k))] = 1;
    const rounds = rng.next() < 0.2 ? 2 : 1;
    for (let r = 0; r < rounds; r++) {
      const a = rng.categorical(logging);
      unit.push(u + offset);
      action.push(a);
      propensity.push(logging[a]!);
      value.push(1 + 0.5 * x + 0.3 * a * x + rng.normal());
      cost.push(a === 0 ? 0 : 0.5 * a + 2 * rng.next());
    }
  }
  return {
    k,
    unit: Float64Array.from(unit),
    action: Int32Array.from(action),
    propensity: Float64Array.from(propensity),
    value: Float64Array.from(value),
    cost: Float64Array.from(cost),
    units: o.units,
    offset,
    target,
    qValue,
    qCost,
  };
}

/** The three tables the warehouse reads: logged, policy (long), q_hat (long). */
export function loggedTables(d: LoggedData): Record<"logged" | "policy" | "q_hat", LoadColumn[]> {
  const pu: number[] = [];
  const pa: number[] = [];
  const pp: number[] = [];
  const qu: number[] = [];
  const qa: number[] = [];
  const qv: number[] = [];
  const qc: number[] = [];
  for (let u = 0; u < d.units; u++) {
    for (let a = 0; a < d.k; a++) {
      const p = d.target[u * d.k + a]!;
      if (p > 0) {
        pu.push(u + d.offset);
        pa.push(a);
        pp.push(p);
      }
      qu.push(u + d.offset);
      qa.push(a);
      qv.push(d.qValue[u * d.k + a]!);
      qc.push(d.qCost[u * d.k + a]!);
    }
  }
  return {
    logged: [
      { name: "unit_id", type: "bigint", values: d.unit },
      { name: "action", type: "integer", values: d.action },
      { name: "propensity", type: "double", values: d.propensity },
      { name: "value", type: "double", values: d.value },
      { name: "cost", type: "double", values: d.cost },
    ],
    policy: [
      { name: "unit_id", type: "bigint", values: pu },
      { name: "action", type: "integer", values: pa },
      { name: "probability", type: "double", values: pp },
    ],
    q_hat: [
      { name: "unit_id", type: "bigint", values: qu },
      { name: "action", type: "integer", values: qa },
      { name: "q_value", type: "double", values: qv },
      { name: "q_cost", type: "double", values: qc },
    ],
  };
}

export async function loadLogged(engine: SqlEngine, d: LoggedData): Promise<void> {
  const t = loggedTables(d);
  await engine.load("logged", t.logged);
  await engine.load("policy", t.policy);
  await engine.load("q_hat", t.q_hat);
}

/** The in-process answer: @cia/ope's estimators' rounds through baggedBootstrap with the same bags. */
export function inProcessEvaluation(
  d: LoggedData,
  o: { seed: number; bags: number; resamples: number; level?: number; clip?: number },
): Record<string, Estimate> {
  const n = d.action.length;
  const { k } = d;
  const target = new Float64Array(n * k);
  const qv = new Float64Array(n * k);
  const qc = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const u = d.unit[i]! - d.offset;
    for (let a = 0; a < k; a++) {
      target[i * k + a] = d.target[u * k + a]!;
      qv[i * k + a] = d.qValue[u * k + a]!;
      qc[i * k + a] = d.qCost[u * k + a]!;
    }
  }
  const base = { k, action: d.action, propensity: d.propensity, target };
  const clip = o.clip;
  const cols = {
    "ips/value": ips({ ...base, reward: d.value }, { clip }).rounds,
    "snips/value": snips({ ...base, reward: d.value }, { clip }).rounds,
    "ips/cost": ips({ ...base, reward: d.cost }, { clip }).rounds,
    "snips/cost": snips({ ...base, reward: d.cost }, { clip }).rounds,
    "dr/value": doublyRobust({ ...base, reward: d.value, qHat: qv }, { clip }).rounds,
    "dr/cost": doublyRobust({ ...base, reward: d.cost, qHat: qc }, { clip }).rounds,
  };
  const keys = Object.keys(cols) as (keyof typeof cols)[];
  const b = baggedBootstrap(
    keys.map((key) => cols[key]),
    d.unit,
    { seed: o.seed, bags: o.bags, resamples: o.resamples, level: o.level },
  );
  const out: Record<string, Estimate> = {};
  keys.forEach((key, j) => {
    out[key] = b.estimates[j]!;
  });
  return out;
}

/** Max |difference| per quantity between the in-process estimates and the warehouse's. */
export function evaluationDiff(
  expected: Record<string, Estimate>,
  got: WarehouseEvaluation,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, e] of Object.entries(expected)) {
    const [est, head] = key.split("/") as ["ips" | "snips" | "dr", "value" | "cost"];
    const g = got[est]?.[head];
    if (!g) {
      out[key] = Number.POSITIVE_INFINITY;
      continue;
    }
    out[key] = Math.max(
      Math.abs(g.estimate - e.estimate),
      Math.abs(g.lower - e.lower),
      Math.abs(g.upper - e.upper),
      Math.abs(g.se - e.se),
    );
  }
  return out;
}
