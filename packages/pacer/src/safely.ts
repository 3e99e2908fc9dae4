import { CiaError } from "@cia/core";

/**
 * The safe variant of a throwing call: `{ success: true, [key]: result }`, or
 * `{ success: false, error }` when it throws a `CiaError` (anything else is rethrown: a bug, not
 * bad input).
 *
 * @example
 * const r = safely("timing", () => fitRedemptionTiming(history, options)); // r.success ? r.timing : r.error
 */
export function safely<K extends string, T>(
  key: K,
  run: () => T,
): ({ success: true } & { [P in K]: T }) | { success: false; error: CiaError } {
  try {
    return { success: true, [key]: run() } as { success: true } & { [P in K]: T };
  } catch (e) {
    if (CiaError.isInstance(e)) return { success: false, error: e };
    throw e;
  }
}
