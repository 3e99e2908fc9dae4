import type { DataIssue } from "@cia/core";
import { type DecideRequestItem, requestTable } from "./decide-request.js";
import { type CompiledCiaModel, compileCiaModel } from "@cia/model";
import { type DecisionRule, type TableDecisions, decideScored, decideTable } from "./decision-rule.js";

/** One submission's share of a batch: its rows of the decisions, or the contract issues of its rows. */
export type BatchShare =
  | { ok: true; decisions: TableDecisions; offset: number; stopped: boolean }
  | { ok: false; issues: DataIssue[]; issueCount: number };

interface Submission {
  items: DecideRequestItem[];
  resolve: (share: BatchShare) => void;
  reject: (e: unknown) => void;
}

/** What the batcher reads when it runs a batch: the live multiplier and the hard stop. */
export interface BatchState {
  lambda: () => number;
  stopped: () => boolean;
}

/**
 * Coalesces the decide requests that arrive in the same event-loop turn into one
 * {@link decideTable} call. Each row is decided on its own (scores, the argmax and the draw depend
 * only on the row), so batching changes no decision; it shares the per-call costs (the contract
 * transform's setup, the optimizer's) across concurrent requests, which is what keeps latency flat
 * as the rate grows.
 *
 * The rows are scored by the compiled model (`compileCiaModel`: the contract's checks and
 * transform and every base model in one pass per row, the same numbers as `scoreCiaModel`) and
 * decided by {@link decideScored}, the steps `decideTable` takes after scoring. A batch with a row
 * the contract refuses, and a model the compiler does not cover, go through `decideTable` itself,
 * so issues are reported by the contract's own function.
 *
 * @example
 * const batcher = new DecisionBatcher(rule, featureNames, k, { lambda: () => guard.lambda, stopped: () => guard.stopped });
 * const share = await batcher.decide(items);
 */
export class DecisionBatcher {
  private pending: Submission[] = [];
  private scheduled = false;
  private readonly compiled: CompiledCiaModel | null;

  constructor(
    private readonly rule: DecisionRule,
    private readonly featureNames: readonly string[],
    private readonly nActions: number,
    private readonly state: BatchState,
  ) {
    this.compiled = compileCiaModel(rule.model);
  }

  /** Decide `items` with whatever else arrives in this turn. */
  decide(items: DecideRequestItem[]): Promise<BatchShare> {
    return new Promise((resolve, reject) => {
      this.pending.push({ items, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.run());
      }
    });
  }

  private run(): void {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    try {
      this.decideAll(batch);
    } catch (e) {
      for (const s of batch) s.reject(e);
    }
  }

  private decideAll(batch: Submission[]): void {
    const items = batch.length === 1 ? batch[0]!.items : batch.flatMap((s) => s.items);
    const k = this.nActions;
    let mask: Uint8Array | undefined;
    if (items.some((it) => it.eligible_actions !== undefined)) {
      const actions = this.rule.model.file.actions;
      mask = new Uint8Array(items.length * k);
      items.forEach((it, i) => {
        for (let a = 0; a < k; a++)
          mask![i * k + a] =
            it.eligible_actions === undefined || it.eligible_actions.includes(actions[a]!) ? 1 : 0;
      });
    }
    const stopped = this.state.stopped();
    const options = { lambda: this.state.lambda(), stopped, mode: "report" as const, eligible: mask };
    const d =
      this.scoreCompiled(items, options) ??
      decideTable(this.rule, requestTable(items, this.featureNames), options);
    let offset = 0;
    for (const s of batch) {
      const n = s.items.length;
      let bad = false;
      for (let i = offset; i < offset + n; i++) if (d.rowOk[i] !== 1) bad = true;
      if (!bad) s.resolve({ ok: true, decisions: d, offset, stopped });
      else if (batch.length === 1) s.resolve({ ok: false, issues: d.issues, issueCount: d.issueCount });
      else {
        // The shared issue list is capped; decide this submission alone for its own issues.
        const own = decideTable(this.rule, requestTable(s.items, this.featureNames), {
          lambda: this.state.lambda(),
          stopped,
          mode: "report",
        });
        s.resolve({ ok: false, issues: own.issues, issueCount: own.issueCount });
      }
      offset += n;
    }
  }

  /** The batch decided from the compiled model's scores; null when there is none or a row fails the contract. */
  private scoreCompiled(
    items: readonly DecideRequestItem[],
    options: Parameters<typeof decideScored>[4],
  ): TableDecisions | null {
    const c = this.compiled;
    if (c === null) return null;
    const n = items.length;
    const k = this.nActions;
    const tauValue = new Float64Array(n * k);
    const tauCost = c.hasCost ? new Float64Array(n * k) : null;
    const unitIds: string[] = new Array(n);
    for (let i = 0; i < n; i++) {
      if (!c.scoreRow(items[i]!.features, tauValue, tauCost, i * k)) return null;
      unitIds[i] = items[i]!.unit_id;
    }
    const scores = { n, nActions: k, tauValue, tauCost, intervals: null };
    return decideScored(this.rule, scores, new Uint8Array(n).fill(1), unitIds, options, [], 0);
  }
}
