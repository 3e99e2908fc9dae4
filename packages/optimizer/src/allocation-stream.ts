import { CiaError } from "@cia/core";
import { type AllocationOptions, type NormalizedProblem, normalizeProblem } from "./allocation-options.js";
import type { AllocationResult } from "./allocation-result.js";
import { allocatePrepared } from "./allocate.js";
import {
  type CandidateColumns,
  type Candidates,
  allocateCandidateColumns,
  createCandidates,
} from "./candidates.js";
import type { OptimizerErrorCode } from "./error-codes.js";
import { type PruneCounts, type PruneResult, pruneNormalized } from "./prune-candidates.js";
import { type Increments, buildIncrements } from "./solve-single-constraint.js";
import { grow, roomFor } from "./growable-arrays.js";
import { ScoreColumn } from "./score-column.js";

/**
 * Some units' scores for {@link AllocationStream.push}: `units` units, each with one cell per
 * action 1..K-1 (no column for the no-offer arm), row-major: cell `u * (K - 1) + (a - 1)` is
 * unit u's action a. `eligible` 0 marks a pair that is not a candidate (its scores may then be
 * NaN). Give `eligible` and `tauValueLower` in every chunk or in none.
 */
export interface UnitChunk {
  units: number;
  tauValue: ArrayLike<number>;
  tauCost: ArrayLike<number>;
  eligible?: ArrayLike<number> | undefined;
  tauValueLower?: ArrayLike<number> | undefined;
}

/** Options of the {@link AllocationStream} constructor. */
export interface AllocationStreamOptions {
  /** K, including the no-offer arm 0 (so K - 1 cells per unit). */
  nActions: number;
  /** The chunks carry `eligible` (as `candidatesFromMatrix`'s input would). */
  eligible?: boolean | undefined;
  /** The chunks carry `tauValueLower` (needed for `risk: "lower"`). */
  tauValueLower?: boolean | undefined;
  /** Units expected in all, a non-negative integer (sizes the columns once; they grow past it). */
  expectUnits?: number | undefined;
  /**
   * The chunks' score arrays are stretches of the caller's own columns (a reader's, filled as it
   * parses): a chunk that continues the one before in the same buffer is read in place, not
   * copied. The caller then leaves every value it pushed unchanged until {@link
   * AllocationStream.allocate} returns.
   */
  inPlace?: boolean | undefined;
}

/**
 * {@link allocate} on candidates that arrive a few units at a time (a file being parsed, say):
 * each {@link push} appends the units' candidate rows and does their per-unit work at once, while
 * the rest of the input is still on its way (the prune, and for a budget-only problem each unit's
 * hull and increments); {@link allocate} then only runs the global part. The answer is bit for bit
 * `allocate(candidatesFromMatrix(...), options)` on the whole n x K matrix (the chunks stacked, a
 * zero column 0 in front), errors included: the candidates are validated as `createCandidates`
 * does, and the per-unit work of a unit depends only on that unit's rows. One exception: the
 * options are checked first, in the constructor (before any row is in), so when both the options
 * and the scores are wrong the stream names the option where `allocate` names the scores.
 *
 * @example
 * const s = new AllocationStream({ nActions: 3 }, { budget: 2 });
 * s.push({ units: 1, tauValue: [3, 5], tauCost: [1, 3] });
 * s.push({ units: 1, tauValue: [2, 1], tauCost: [1, 1] });
 * s.allocate().action; // Int32Array [1, 1], as allocateFromMatrix on the 2 x 3 matrix
 */
export class AllocationStream {
  private readonly width: number;
  private readonly withEligible: boolean;
  private readonly withLower: boolean;
  private readonly options: AllocationOptions;
  /** The problem's per-unit rules (normalized on no rows: its `value` is per chunk). */
  private readonly problem: NormalizedProblem;
  /** Hull increments are built per chunk only for a problem whose one limit is the total budget. */
  private readonly budgetOnly: boolean;
  /** Unit, action and eligibility columns (the score columns are below). */
  private cols: CandidateColumns;
  private readonly tauValue: ScoreColumn;
  private readonly tauCost: ScoreColumn;
  private readonly tauValueLower: ScoreColumn | undefined;
  private nUnits = 0;
  private rows = 0;
  // The prune of the units so far, as `pruneNormalized` gives it on all of them.
  private status: Uint8Array;
  private kept: Int32Array;
  private keptStart: Int32Array;
  private nKept = 0;
  private readonly counts: PruneCounts;
  // Their increments, as `buildIncrements` gives them (the start vertices' sums are added at the end,
  // in unit order, as it adds them).
  private inc: Omit<Increments, "nInc" | "clamped" | "baseSpent" | "baseValue">;
  private nInc = 0;
  private clamped = 0;
  private localUnit = new Int32Array(0);
  private done = false;

  constructor(stream: AllocationStreamOptions, options: AllocationOptions = {}) {
    const k = stream.nActions;
    if (!Number.isInteger(k) || k < 1)
      throw new CiaError<OptimizerErrorCode>("invalid_option", `nActions must be >= 1, got ${k}`);
    this.width = k - 1;
    const expect = stream.expectUnits ?? 0;
    // A typed array's length: a fraction or a negative count would throw a bare RangeError below.
    if (!Number.isInteger(expect) || expect < 0)
      throw new CiaError<OptimizerErrorCode>(
        "invalid_option",
        `expectUnits must be a non-negative integer, got ${expect}`,
      );
    this.withEligible = stream.eligible === true;
    this.withLower = stream.tauValueLower === true;
    this.options = options;
    const none = allocateCandidateColumns(0, {
      eligible: this.withEligible,
      channel: false,
      tauValueLower: this.withLower,
      tauValueSe: false,
    });
    // The options are checked now, as allocate would check them on these columns.
    this.problem = normalizeProblem(createCandidates({ nUnits: 0, ...none }), options);
    const only = this.problem.constraints;
    this.budgetOnly = only.length === 1 && only[0]!.kind === "cost" && only[0]!.scope === "all";
    const rows = expect * this.width;
    // The score columns are ScoreColumns (below): none here.
    this.cols = {
      unit: new Int32Array(rows),
      action: new Int32Array(rows),
      tauValue: new Float64Array(0),
      tauCost: new Float64Array(0),
      eligible: this.withEligible ? new Uint8Array(rows) : undefined,
      channel: undefined,
      tauValueLower: undefined,
      tauValueSe: undefined,
    };
    const inPlace = stream.inPlace === true;
    this.tauValue = new ScoreColumn(rows, inPlace);
    this.tauCost = new ScoreColumn(rows, inPlace);
    this.tauValueLower = this.withLower ? new ScoreColumn(rows, inPlace) : undefined;
    this.status = new Uint8Array(rows);
    this.kept = new Int32Array(rows);
    this.keptStart = new Int32Array(expect + 1);
    this.counts = pruneNormalized(createCandidates({ nUnits: 0, ...none }), this.problem).counts;
    // Increments are at most the kept rows: about half of all on scores of a real model.
    const incRows = this.budgetOnly ? (rows * 5) >> 3 : 0;
    this.inc = {
      incUnit: new Int32Array(incRows),
      incTo: new Int32Array(incRows),
      incFrom: new Int32Array(incRows),
      incDa: new Float64Array(incRows),
      incDv: new Float64Array(incRows),
      slope: new Float64Array(incRows),
      choice: new Int32Array(expect),
    };
  }

  /** Append `chunk`'s units (numbered after the ones before) and do their per-unit work. */
  push(chunk: UnitChunk): void {
    if (this.done) throw new CiaError<OptimizerErrorCode>("invalid_option", "push after allocate");
    const w = this.width;
    const nc = chunk.units;
    if (!Number.isInteger(nc) || nc < 0)
      throw new CiaError<OptimizerErrorCode>(
        "invalid_option",
        `units must be a non-negative integer, got ${nc}`,
      );
    const cells = nc * w;
    for (const [name, arr, want] of [
      ["tauValue", chunk.tauValue, true],
      ["tauCost", chunk.tauCost, true],
      ["eligible", chunk.eligible, this.withEligible],
      ["tauValueLower", chunk.tauValueLower, this.withLower],
    ] as const) {
      if ((arr !== undefined) !== want)
        throw new CiaError<OptimizerErrorCode>(
          "shape_mismatch",
          `${name} ${want ? "missing from" : "not expected in"} a chunk (give it in every chunk or in none)`,
        );
      if (arr !== undefined && arr.length !== cells)
        throw new CiaError<OptimizerErrorCode>(
          "shape_mismatch",
          `${name} must have units x (K - 1) = ${cells} entries, got ${arr.length}`,
        );
    }
    const r0 = this.rows;
    const u0 = this.nUnits;
    this.reserve(r0 + cells, u0 + nc);
    const { unit, action, eligible } = this.cols;
    // As candidatesFromMatrix fills its rows: every cell of actions 1..K-1, unit by unit (a chunk's
    // cells are already in that order).
    if (this.localUnit.length < cells) this.localUnit = new Int32Array(roomFor(this.localUnit.length, cells));
    const local = this.localUnit;
    for (let u = 0, r = r0; u < nc; u++) {
      for (let a = 1; a <= w; a++, r++) {
        unit[r] = u0 + u;
        local[r - r0] = u;
        action[r] = a;
      }
    }
    this.tauValue.append(chunk.tauValue, r0);
    this.tauCost.append(chunk.tauCost, r0);
    this.tauValueLower?.append(chunk.tauValueLower!, r0);
    if (eligible) {
      const e = chunk.eligible!;
      for (let i = 0; i < cells; i++) eligible[r0 + i] = e[i] ? 1 : 0;
    }
    this.rows = r0 + cells;
    this.nUnits = u0 + nc;
    this.prepare(u0, nc, r0, cells);
  }

  /** The per-unit work of units `u0 .. u0 + nc` (rows `r0 .. r0 + cells`). */
  private prepare(u0: number, nc: number, r0: number, cells: number): void {
    const r1 = r0 + cells;
    const c = this.cols;
    const view: Candidates = {
      nUnits: nc,
      unit: this.localUnit.subarray(0, cells),
      action: c.action.subarray(r0, r1),
      tauValue: this.tauValue.rows(r0, r1),
      tauCost: this.tauCost.rows(r0, r1),
      eligible: c.eligible?.subarray(r0, r1),
      tauValueLower: this.tauValueLower?.rows(r0, r1),
    };
    // The value the problem allocates on: tau_value, or its lower bound (risk "lower").
    const value = this.options.risk === "lower" ? view.tauValueLower! : view.tauValue;
    // Pruned straight into the stream's arrays: the kept rows as rows of all candidates.
    const k0 = this.nKept;
    const part = pruneNormalized(
      view,
      { ...this.problem, value },
      {
        status: this.status.subarray(r0, r1),
        kept: this.kept.subarray(k0),
        keptStart: this.keptStart.subarray(u0),
        rowBase: r0,
        keptBase: k0,
      },
    );
    this.nKept = k0 + part.kept.length;
    const into = this.counts as unknown as Record<string, number>;
    for (const [key, n] of Object.entries(part.counts)) into[key]! += n;
    if (!this.budgetOnly) return;
    // At most one increment per kept row.
    const at = this.nInc;
    const inc = this.inc;
    if (inc.incUnit.length < at + part.kept.length) {
      const cap = roomFor(inc.incUnit.length, at + part.kept.length);
      inc.incUnit = grow(inc.incUnit, cap);
      inc.incTo = grow(inc.incTo, cap);
      inc.incFrom = grow(inc.incFrom, cap);
      inc.incDa = grow(inc.incDa, cap);
      inc.incDv = grow(inc.incDv, cap);
      inc.slope = grow(inc.slope, cap);
    }
    // The hulls read the kept rows (rows of all candidates) in the columns from row 0.
    const full = this.options.risk === "lower" ? this.tauValueLower!.rows(0, r1) : this.tauValue.rows(0, r1);
    const e = buildIncrements(
      nc,
      { ...part, keptStart: this.keptStart.subarray(u0, u0 + nc + 1), kept: this.kept },
      this.tauCost.rows(0, r1),
      full,
      true,
      {
        incUnit: inc.incUnit.subarray(at),
        incTo: inc.incTo.subarray(at),
        incFrom: inc.incFrom.subarray(at),
        incDa: inc.incDa.subarray(at),
        incDv: inc.incDv.subarray(at),
        slope: inc.slope.subarray(at),
        choice: inc.choice.subarray(u0, u0 + nc),
        unitBase: u0,
      },
    );
    this.nInc = at + e.nInc;
    this.clamped += e.clamped;
  }

  /** Room for `rows` candidate rows and `units` units. */
  private reserve(rows: number, units: number): void {
    const c = this.cols;
    if (c.unit.length < rows) {
      const cap = roomFor(c.unit.length, rows);
      this.cols = {
        unit: grow(c.unit, cap),
        action: grow(c.action, cap),
        tauValue: c.tauValue,
        tauCost: c.tauCost,
        eligible: c.eligible && grow(c.eligible, cap),
        channel: undefined,
        tauValueLower: undefined,
        tauValueSe: undefined,
      };
      this.status = grow(this.status, cap);
      this.kept = grow(this.kept, cap);
    }
    if (this.keptStart.length < units + 1) {
      const cap = roomFor(this.keptStart.length, units + 1);
      this.keptStart = grow(this.keptStart, cap);
      this.inc.choice = grow(this.inc.choice, cap);
    }
  }

  /**
   * The allocation of every unit pushed (see {@link allocate}); the stream takes no more chunks.
   * Asked again, it gives the same answer.
   *
   * @example
   * const r = stream.allocate(); // r.action[u] for the u-th unit pushed
   */
  allocate(): AllocationResult {
    this.done = true;
    const n = this.nUnits;
    const rows = this.rows;
    const c = this.cols;
    // Validated as candidatesFromMatrix's columns are (the same errors, the same row numbers).
    const candidates = createCandidates({
      nUnits: n,
      unit: c.unit.subarray(0, rows),
      action: c.action.subarray(0, rows),
      tauValue: this.tauValue.rows(0, rows),
      tauCost: this.tauCost.rows(0, rows),
      eligible: c.eligible?.subarray(0, rows),
      tauValueLower: this.tauValueLower?.rows(0, rows),
    });
    const prune: PruneResult = {
      status: this.status.subarray(0, rows),
      counts: this.counts,
      keptStart: this.keptStart.subarray(0, n + 1),
      kept: this.kept.subarray(0, this.nKept),
    };
    if (!this.budgetOnly) return allocatePrepared(candidates, this.options, { prune });
    const inc = this.inc;
    // A copy: the solver writes its greedy choice over the start vertices, which a later call
    // (the stream may be asked again) must still find.
    const choice = inc.choice.slice(0, n);
    // The start vertices' spend and value, summed in unit order as buildIncrements sums them.
    const value = this.options.risk === "lower" ? candidates.tauValueLower! : candidates.tauValue;
    let baseSpent = 0;
    let baseValue = 0;
    for (let u = 0; u < n; u++) {
      const b = choice[u]!;
      if (b < 0) continue;
      baseSpent += candidates.tauCost[b]!;
      baseValue += value[b]!;
    }
    const increments: Increments = {
      ...inc,
      choice,
      nInc: this.nInc,
      clamped: this.clamped,
      baseSpent,
      baseValue,
    };
    return allocatePrepared(candidates, this.options, { prune, increments });
  }
}
