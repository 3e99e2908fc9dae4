import { CiaError } from "@cia/core";
import { exactPolicyValue } from "./exact-policy-value.js";
import { oracleAllocation } from "./oracle-allocation.js";
import { sampleLog } from "./sample-log.js";
import { samplePopulation } from "./sample-population.js";
import { buildUnitModel, validateParams } from "./unit-model.js";
import type { UnitModel } from "./unit-model.js";
import { presetParams, worldNames } from "./world-params.js";
import type { WorldName, WorldOptions, WorldParams } from "./world-params.js";
import { computeLiabilityCurve, computeTruth } from "./world-truth.js";
import type { Population, Truth, World } from "./world-types.js";
import type { SimulatorErrorCode } from "./error-codes.js";

const DAY_MS = 86_400_000;

/**
 * Create a named world (`default`, `sparse-value`, `many-actions`, `interference`, `drift`), with
 * any parameter overridden through `options` (see `WorldParams` and the README).
 *
 * Truth is intention-to-treat: `truth(pop).tauValue[i * K + a]` is the expected effect of ASSIGNING
 * action a to unit i, including the chance that the offer is never delivered or seen.
 *
 * @example
 * const world = createWorld("default");
 * const pop = world.sampleUnits(10_000, { seed: 1 });
 * const truth = world.truth(pop);
 * const log = world.log(pop, uniformDesign(world.actions.length), { seed: 2 });
 * const best = world.oracle(pop, 5_000); // the exact optimum at a total incremental cost of 5,000
 */
export function createWorld(name: WorldName | (string & {}) = "default", options: WorldOptions = {}): World {
  if (!(worldNames as readonly string[]).includes(name)) {
    throw new CiaError<SimulatorErrorCode>(
      "unknown_world",
      `unknown world "${name}"; choose one of ${worldNames.join(", ")}`,
      {
        name,
        worldNames,
      },
    );
  }
  const params: WorldParams = Object.freeze({ ...presetParams(name as WorldName), ...options });
  validateParams(params);
  const startMs = Date.parse(params.startTime);
  // Truth and the unit model are pure functions of the population; cache them per population object.
  const models = new WeakMap<Population, UnitModel>();
  const truths = new WeakMap<Population, Truth>();
  const modelOf = (pop: Population): UnitModel => {
    let m = models.get(pop);
    if (m === undefined) {
      m = buildUnitModel(params, pop);
      models.set(pop, m);
    }
    return m;
  };
  const truthOf = (pop: Population): Truth => {
    let t = truths.get(pop);
    if (t === undefined) {
      t = computeTruth(params, modelOf(pop));
      truths.set(pop, t);
    }
    return t;
  };
  return {
    name: params.name,
    description: params.description,
    actions: params.actions,
    params,
    sampleUnits(n, opts) {
      return samplePopulation(params, n, opts.seed, opts.period ?? 0);
    },
    truth: truthOf,
    policyValue(pop, policy) {
      return exactPolicyValue(truthOf(pop), policy);
    },
    oracle(pop, budget) {
      const t = truthOf(pop);
      return oracleAllocation(t.tauValue, t.tauCost, t.n, t.k, budget);
    },
    log(pop, design, opts) {
      const periodStart = startMs + pop.period * params.periodDays * DAY_MS;
      return sampleLog(params, modelOf(pop), pop, design, opts.seed, periodStart);
    },
    liabilityCurve(pop, policy, days) {
      const m = modelOf(pop);
      if (policy.length !== m.n * m.k) {
        throw new CiaError<SimulatorErrorCode>(
          "shape_mismatch",
          `policy has ${policy.length} entries, expected n x K = ${m.n * m.k}`,
        );
      }
      return computeLiabilityCurve(params, m, policy, days);
    },
  };
}
