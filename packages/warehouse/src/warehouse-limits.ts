import { CiaError } from "@cia/core";
import type { AllocationOptions, ScopedCap } from "@cia/optimizer";
import type { ScopeClasses } from "./allocation-sql.js";
import type { WarehouseErrorCode } from "./error-codes.js";
import type { LagrangianLimit } from "./lagrangian-sql.js";

/** The finite limits of an allocation in @cia/optimizer's order, and what scoped caps change. */
export interface WarehouseLimits {
  /** budget, max_treated, then per channel (ascending) its count and budget, then per action */
  constraints: LagrangianLimit[];
  /** set when some channel / action cap is finite (the pruning changes: see {@link ScopeClasses}) */
  scope: ScopeClasses | undefined;
}

/**
 * Throw `invalid_option` unless x is undefined or >= 0 (Infinity allowed).
 *
 * @example
 * checkLimit("budget", -1); // throws invalid_option
 */
export function checkLimit(name: string, x: number | undefined): void {
  if (x !== undefined && (Number.isNaN(x) || x < 0)) {
    throw new CiaError<WarehouseErrorCode>(
      "invalid_option",
      `${name} must be >= 0 (Infinity allowed), got ${x}`,
      {
        option: name,
        value: x,
      },
    );
  }
}

/**
 * Validate the limits of {@link AllocationOptions} and list them as @cia/optimizer's
 * `normalizeProblem` does (same names, order and rules: an infinite cap is no limit; channel codes
 * are integers >= 0, action codes >= 1; channel caps need a channel column).
 *
 * @example
 * warehouseLimits({ budget: 10, channelCaps: { 2: { maxTreated: 5 } } }, true).constraints
 *   .map((k) => k.name); // ["budget", "channel:2:max_treated"]
 */
export function warehouseLimits(options: AllocationOptions, hasChannel: boolean): WarehouseLimits {
  checkLimit("budget", options.budget);
  checkLimit("maxTreated", options.maxTreated);
  const budget = options.budget ?? Number.POSITIVE_INFINITY;
  const maxTreated = options.maxTreated ?? Number.POSITIVE_INFINITY;
  const constraints: LagrangianLimit[] = [];
  if (Number.isFinite(budget)) constraints.push({ name: "budget", kind: "cost", cap: budget });
  if (Number.isFinite(maxTreated)) constraints.push({ name: "max_treated", kind: "count", cap: maxTreated });
  let channel = false;
  const actions: number[] = [];
  for (const [scope, caps] of [
    ["channel", options.channelCaps],
    ["action", options.actionCaps],
  ] as const) {
    if (!caps) continue;
    const keys = Object.keys(caps);
    if (scope === "channel" && !hasChannel && keys.length > 0)
      throw new CiaError<WarehouseErrorCode>(
        "invalid_option",
        "channelCaps need the scores' channel column (columns.channel)",
        { option: "channelCaps" },
      );
    for (const key of keys.sort((a, b) => Number(a) - Number(b))) {
      const code = Number(key);
      if (!Number.isInteger(code) || code < (scope === "action" ? 1 : 0))
        throw new CiaError<WarehouseErrorCode>(
          "invalid_option",
          `${scope}Caps key ${key} is not a valid ${scope} code`,
          { option: `${scope}Caps`, value: key },
        );
      const cap: ScopedCap = (caps as Readonly<Record<number, ScopedCap>>)[code]!;
      checkLimit(`${scope}Caps[${code}].maxTreated`, cap.maxTreated);
      checkLimit(`${scope}Caps[${code}].budget`, cap.budget);
      let used = false;
      if (cap.maxTreated !== undefined && Number.isFinite(cap.maxTreated)) {
        constraints.push({
          name: `${scope}:${code}:max_treated`,
          kind: "count",
          scope,
          code,
          cap: cap.maxTreated,
        });
        used = true;
      }
      if (cap.budget !== undefined && Number.isFinite(cap.budget)) {
        constraints.push({ name: `${scope}:${code}:budget`, kind: "cost", scope, code, cap: cap.budget });
        used = true;
      }
      if (used && scope === "channel") channel = true;
      if (used && scope === "action") actions.push(code);
    }
  }
  const scope = channel || actions.length > 0 ? { channel, actions } : undefined;
  return { constraints, scope };
}
