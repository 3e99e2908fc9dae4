import { type AllocationOptions, type AllocationResult, AllocationStream } from "@cia/optimizer";
import type { ScoresRows } from "@cia/table-io";
import type { ScoresTable } from "./scores-table.js";

/**
 * `allocateScores`' allocation begun while the scores are still being read: the reader's rows
 * (see `ScoresRows`), once a unit's are all in, go to an {@link AllocationStream}, which does that
 * unit's per-unit work (prune, hull) while the rest of the file is parsed; {@link result} then runs
 * only the global part. The same answer bit for bit (the stream equals `allocate` on the matrix
 * `allocateScores` builds). Only dense rows are taken (every unit's actions in one order, no
 * missing pair, as `cia score` writes them); any other file, or a reader that gave up, leaves
 * {@link result} undefined and the caller runs `allocateScores` as before.
 *
 * @example
 * const feed = new AllocationFeed({ budget: 1000 });
 * const scores = await readScores("scores.csv", { feed });
 * const { result, actions } = feed.result(scores) ?? allocateScores(scores, { budget: 1000 });
 */
export class AllocationFeed {
  private stream: AllocationStream | undefined;
  private failed = false;
  /** Actions per unit (0 until the second unit's first row shows it). */
  private width = 0;
  /** Rows checked to be dense so far, and the unit and action the next one must have. */
  private checked = 0;
  private nextUnit = 0;
  private nextAction = 0;
  /** Units handed to the stream. */
  private units = 0;
  private ones = new Uint8Array(0);

  constructor(private readonly options: AllocationOptions) {}

  /** The reader's callback (bound: pass it as it is). */
  readonly onRows = (r: ScoresRows): void => {
    if (this.failed) return;
    if (r.from !== this.checked) {
      this.discard();
      return;
    }
    const { unitOf, actionOf } = r;
    let u = this.nextUnit;
    let a = this.nextAction;
    let w = this.width;
    for (let i = r.from; i < r.to; i++) {
      // Unit 0's rows name its actions in order; the first row of unit 1 fixes the width.
      if (w === 0 && u === 0 && unitOf[i] === 1 && i > 0 && a === i) {
        w = i;
        u = 1;
        a = 0;
      }
      if (unitOf[i] !== u || actionOf[i] !== a) {
        this.discard();
        return;
      }
      a++;
      if (a === w) {
        a = 0;
        u++;
      }
    }
    this.checked = r.to;
    this.nextUnit = u;
    this.nextAction = a;
    this.width = w;
    if (w > 0 && u > this.units) this.push(r.values, r.present, u);
  };

  /** Drop what was heard (the reader gave up; its rows were not the answer). */
  discard(): void {
    this.failed = true;
    this.stream = undefined;
  }

  /** Hand units `this.units .. upTo` (complete and dense) to the stream. */
  private push(values: readonly Float64Array[], present: readonly string[], upTo: number): boolean {
    const w = this.width;
    if (this.stream === undefined) {
      // Options allocate refuses stay allocateScores' to refuse, after the read, as before.
      try {
        this.stream = new AllocationStream(
          {
            nActions: w + 1,
            eligible: true,
            tauValueLower: present.includes("tau_value_lower"),
            // The reader's columns are sized for the whole file, filled as it parses, and never
            // changed once a row is in: the stream reads them in place.
            expectUnits: Math.ceil((values[0]?.length ?? 0) / w),
            inPlace: true,
          },
          this.options,
        );
      } catch {
        this.discard();
        return false;
      }
    }
    const col = (name: string) => values[present.indexOf(name)];
    const tv = col("tau_value")!;
    const from = this.units * w;
    const to = upTo * w;
    // allocateScores makes a NaN score an ineligible pair: that case is its own.
    for (let i = from; i < to; i++)
      if (Number.isNaN(tv[i]!)) {
        this.discard();
        return false;
      }
    if (this.ones.length < to - from) this.ones = new Uint8Array(to - from).fill(1);
    this.stream.push({
      units: upTo - this.units,
      tauValue: tv.subarray(from, to),
      tauCost: col("tau_cost")!.subarray(from, to),
      eligible: this.ones.subarray(0, to - from),
      tauValueLower: col("tau_value_lower")?.subarray(from, to),
    });
    this.units = upTo;
    return true;
  }

  /**
   * `allocateScores(scores, options)`'s answer, or undefined when the rows heard were not all of
   * `scores`, densely (then call allocateScores).
   *
   * @example
   * const solved = feed.result(scores) ?? allocateScores(scores, options);
   */
  result(scores: ScoresTable): { result: AllocationResult; actions: string[] } | undefined {
    if (this.failed) return undefined;
    const n = scores.unitIds.length;
    const A = scores.actions.length;
    // A file of one unit never showed its width.
    if (this.width === 0 && n === 1 && this.checked === A && A > 0) {
      this.width = A;
      this.nextUnit = 1;
      this.nextAction = 0;
    }
    if (
      this.width !== A ||
      this.checked !== n * A ||
      this.nextAction !== 0 ||
      scores.tauValue.length !== n * A
    )
      return undefined;
    const present = ["tau_value", "tau_cost"];
    const values = [scores.tauValue, scores.tauCost];
    if (scores.tauValueLower) {
      present.push("tau_value_lower");
      values.push(scores.tauValueLower);
    }
    if (this.units < n && !this.push(values, present, n)) return undefined;
    if (this.stream === undefined) return undefined;
    return { result: this.stream.allocate(), actions: ["control", ...scores.actions] };
  }
}
