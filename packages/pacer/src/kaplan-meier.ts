import { DataValidationError, argsort } from "@cia/core";
import type { PacerIssue } from "./error-codes.js";
import { lengthIssue, pacerIssue } from "./pacer-issue.js";

/**
 * A Kaplan-Meier product-limit estimate, evaluated at the distinct event times (ascending).
 * `survival[j]` is S(times[j]) = P(T > times[j]); S is a right-continuous step function equal to 1
 * before `times[0]`.
 */
export interface KaplanMeierCurve {
  /** Distinct times with at least one event (positive event weight), ascending. */
  readonly times: Float64Array;
  /** Weighted number at risk just before each time (time >= t, censored at t included). */
  readonly atRisk: Float64Array;
  /** Weighted number of events at each time. */
  readonly events: Float64Array;
  /** S(t) at each event time. */
  readonly survival: Float64Array;
  /** Greenwood standard error of S(t) (unweighted formula applied to the weighted counts). */
  readonly stdErr: Float64Array;
  /** Total weight and total event weight in the data. */
  readonly totalWeight: number;
  readonly totalEvents: number;
  /** Largest observed time (event or censoring): the end of follow-up. */
  readonly maxTime: number;
}

/**
 * Kaplan-Meier estimator of the survival function from right-censored data (Kaplan and Meier,
 * 1958), with Greenwood's variance.
 *
 * Ties follow the usual convention: an observation censored at t is still at risk at t (censoring
 * is taken to happen just after events at the same time), which is what `survfit` in R and
 * `lifelines` do. Optional non-negative weights turn every count into a weighted count (e.g. weight
 * offers by predicted cost to get a liability-weighted curve).
 *
 * @param time  follow-up time per observation (finite, >= 0)
 * @param event 1 if the event was observed at `time`, 0 if censored at `time`
 * @param weights optional case weights (finite, >= 0)
 * @example
 * const km = kaplanMeier([6, 6, 6, 7, 10], [1, 1, 0, 1, 0]);
 * km.survival; // Float64Array [0.6, 0.3]  (S(6) = 3/5, S(7) = 0.6 * 1/2)
 */
export function kaplanMeier(
  time: ArrayLike<number>,
  event: ArrayLike<number>,
  weights?: ArrayLike<number>,
): KaplanMeierCurve {
  const n = time.length;
  const issues: PacerIssue[] = [];
  if (event.length !== n) {
    issues.push(lengthIssue("event", event.length, "time", n));
  }
  if (weights !== undefined && weights.length !== n) {
    issues.push(lengthIssue("weights", weights.length, "time", n));
  }
  if (issues.length > 0) throw new DataValidationError(issues);
  for (let i = 0; i < n && issues.length < 20; i++) {
    const t = time[i]!;
    if (!(Number.isFinite(t) && t >= 0)) {
      issues.push(pacerIssue("invalid_time", ["time", i], `time must be a finite number >= 0, got ${t}`));
    }
    const e = event[i]!;
    if (e !== 0 && e !== 1) {
      issues.push(pacerIssue("invalid_event", ["event", i], `event must be 0 or 1, got ${e}`));
    }
    if (weights !== undefined) {
      const w = weights[i]!;
      if (!(Number.isFinite(w) && w >= 0)) {
        issues.push(
          pacerIssue("invalid_weight", ["weights", i], `weight must be a finite number >= 0, got ${w}`),
        );
      }
    }
  }
  if (issues.length > 0) throw new DataValidationError(issues);

  const order = argsort(time);
  let totalWeight = 0;
  let totalEvents = 0;
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    totalWeight += w;
    if (event[i] === 1) totalEvents += w;
  }

  // One pass over the sorted times: at each distinct time, take the events, then drop everyone
  // with that time (events and censorings) from the risk set.
  const times: number[] = [];
  const atRisk: number[] = [];
  const events: number[] = [];
  const survival: number[] = [];
  const stdErr: number[] = [];
  let risk = totalWeight;
  let s = 1;
  let greenwood = 0;
  let k = 0;
  while (k < n) {
    const t = time[order[k]!]!;
    let d = 0;
    let leaving = 0;
    while (k < n && time[order[k]!]! === t) {
      const i = order[k]!;
      const w = weights === undefined ? 1 : weights[i]!;
      if (event[i] === 1) d += w;
      leaving += w;
      k++;
    }
    if (d > 0 && risk > 0) {
      s *= 1 - d / risk;
      // Greenwood: Var S = S^2 sum d / (n (n - d)); the term is infinite when everyone fails (S = 0).
      greenwood += risk > d ? d / (risk * (risk - d)) : Number.POSITIVE_INFINITY;
      times.push(t);
      atRisk.push(risk);
      events.push(d);
      survival.push(s);
      stdErr.push(s === 0 ? 0 : s * Math.sqrt(greenwood));
    }
    risk -= leaving;
    // Rounding of weighted sums can leave a tiny negative remainder.
    if (risk < 1e-12 * totalWeight) risk = 0;
  }
  return {
    times: Float64Array.from(times),
    atRisk: Float64Array.from(atRisk),
    events: Float64Array.from(events),
    survival: Float64Array.from(survival),
    stdErr: Float64Array.from(stdErr),
    totalWeight,
    totalEvents,
    maxTime: n > 0 ? time[order[n - 1]!]! : 0,
  };
}
