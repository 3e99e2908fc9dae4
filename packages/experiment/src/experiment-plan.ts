import { CiaError } from "@cia/core";
import { BUCKET_COUNT, assignmentBuckets, checkKeyPart } from "./assignment-hash.js";
import type { ExperimentErrorCode } from "./error-codes.js";

/** A share of the population given to one program inside a layer. */
export interface LayerSlot {
  readonly program: string;
  /** Fraction of all units routed to this program in this layer, in (0, 1]. */
  readonly share: number;
}

/**
 * A layer: programs that must not overlap (they touch the same surface or outcome, so running
 * them on the same units would contaminate each other's lift). Each unit lands in at most one
 * slot: exactly one program when the shares sum to 1, else possibly none.
 */
export interface Layer {
  readonly name: string;
  readonly salt: string;
  readonly slots: readonly LayerSlot[];
}

/** A global holdout: a fixed share of units kept on no-offer in every program. */
export interface Holdout {
  readonly share: number;
  readonly salt: string;
}

export interface ExperimentPlanSpec {
  readonly holdout?: Holdout | undefined;
  readonly layers: readonly Layer[];
}

/** Where each unit goes under a plan. */
export interface Routing {
  readonly n: number;
  /** 1 if the unit is in the global holdout (then it is in no program). */
  readonly holdout: Uint8Array;
  /** Per layer (in plan order), the slot index of each unit, or -1 (holdout or unallocated). */
  readonly slot: readonly Int32Array[];
}

/** An immutable, validated plan of coordinated experiments. */
export interface ExperimentPlan {
  readonly spec: ExperimentPlanSpec;
  /** Route units to the holdout and to at most one program per layer. */
  route(unitIds: readonly string[]): Routing;
  /** The layer a program lives in, and its slot index there. */
  locate(program: string): { layer: number; slot: number };
  /** Mask of units routed to `program` (and not held out). */
  programMask(routing: Routing, program: string): Uint8Array;
  toJSON(): ExperimentPlanSpec;
}

const HOLDOUT_KEY = "__holdout__";
const LAYER_KEY = "__layer__";

/**
 * Coordinated experimentation against interference (lesson 6): a global holdout plus
 * mutually exclusive layers. Three independent hashes are used per unit: the holdout hash
 * (holdout salt), one layer hash per layer (layer salt and name), and, inside a program, the
 * program's own assignment hash (program salt, see `assignProgram`). Because the hashed keys
 * differ, these splits are independent of one another: routing does not change which arm a unit
 * gets inside its program, and the holdout takes the same share of every program.
 *
 * Routing in a layer: the layer bucket u in [0, 2^32) falls in slot j when
 * 2^32 * (share_0 + ... + share_{j-1}) <= u < 2^32 * (share_0 + ... + share_j).
 * Programs in different layers overlap orthogonally (independent hashes); programs in one layer
 * never share a unit.
 *
 * @example
 * const plan = experimentPlan({
 *   holdout: { share: 0.05, salt: "h-2026" },
 *   layers: [{ name: "app", salt: "l1", slots: [{ program: "winback", share: 0.5 }, { program: "upsell", share: 0.5 }] }],
 * });
 * const r = plan.route(["u1", "u2", "u3"]);
 * plan.programMask(r, "winback"); // Uint8Array: 1 where the unit is in winback
 */
export function experimentPlan(spec: ExperimentPlanSpec): ExperimentPlan {
  const holdout = spec.holdout;
  if (holdout) {
    checkKeyPart("salt", holdout.salt);
    if (!(holdout.share >= 0 && holdout.share < 1)) {
      throw new CiaError<ExperimentErrorCode>(
        "invalid_plan",
        `holdout share must be in [0, 1), got ${holdout.share}`,
      );
    }
  }
  const where = new Map<string, { layer: number; slot: number }>();
  const layerNames = new Set<string>();
  const cuts: Float64Array[] = [];
  spec.layers.forEach((layer, l) => {
    checkKeyPart("salt", layer.salt);
    checkKeyPart("layer name", layer.name);
    if (layerNames.has(layer.name))
      throw new CiaError<ExperimentErrorCode>("invalid_plan", `layer "${layer.name}" is listed twice`);
    layerNames.add(layer.name);
    let total = 0;
    const c = new Float64Array(layer.slots.length);
    layer.slots.forEach((slot, j) => {
      checkKeyPart("program", slot.program);
      if (where.has(slot.program)) {
        throw new CiaError<ExperimentErrorCode>(
          "invalid_plan",
          `program "${slot.program}" appears in more than one slot`,
          {
            program: slot.program,
          },
        );
      }
      if (!(slot.share > 0 && slot.share <= 1)) {
        throw new CiaError<ExperimentErrorCode>(
          "invalid_plan",
          `share of "${slot.program}" must be in (0, 1], got ${slot.share}`,
        );
      }
      total += slot.share;
      c[j] = Math.round(Math.min(1, total) * BUCKET_COUNT);
      where.set(slot.program, { layer: l, slot: j });
    });
    if (total > 1 + 1e-9) {
      throw new CiaError<ExperimentErrorCode>(
        "invalid_plan",
        `shares in layer "${layer.name}" sum to ${total} > 1`,
        {
          layer: layer.name,
        },
      );
    }
    cuts.push(c);
  });
  const frozen: ExperimentPlanSpec = JSON.parse(JSON.stringify(spec));
  const holdoutCut = holdout ? Math.round(holdout.share * BUCKET_COUNT) : 0;

  const plan: ExperimentPlan = {
    spec: frozen,
    route(unitIds: readonly string[]): Routing {
      const n = unitIds.length;
      const inHoldout = new Uint8Array(n);
      if (holdout && holdoutCut > 0) {
        const b = assignmentBuckets(holdout.salt, HOLDOUT_KEY, unitIds);
        for (let i = 0; i < n; i++) inHoldout[i] = b[i]! < holdoutCut ? 1 : 0;
      }
      const slot = spec.layers.map((layer, l) => {
        const b = assignmentBuckets(layer.salt, `${LAYER_KEY}:${layer.name}`, unitIds);
        const c = cuts[l]!;
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          let s = -1;
          if (inHoldout[i] === 0) {
            const u = b[i]!;
            for (let j = 0; j < c.length; j++) {
              if (u < c[j]!) {
                s = j;
                break;
              }
            }
          }
          out[i] = s;
        }
        return out;
      });
      return { n, holdout: inHoldout, slot };
    },
    locate(program: string) {
      const w = where.get(program);
      if (!w)
        throw new CiaError<ExperimentErrorCode>(
          "unknown_program",
          `program "${program}" is not in the plan`,
          { program },
        );
      return { ...w };
    },
    programMask(routing: Routing, program: string): Uint8Array {
      const { layer, slot } = plan.locate(program);
      const s = routing.slot[layer]!;
      const out = new Uint8Array(routing.n);
      for (let i = 0; i < routing.n; i++) out[i] = s[i] === slot ? 1 : 0;
      return out;
    },
    toJSON: () => JSON.parse(JSON.stringify(frozen)),
  };
  return Object.freeze(plan);
}
