import { CiaError } from "@cia/core";

/**
 * A mistake in how the CLI was called (a missing flag, an unknown world, a bad number): exit 2
 * with one line, no stack trace.
 *
 * @example
 * throw usageError("--budget must be a non-negative number, got 'abc'");
 */
export function usageError(message: string, details: Record<string, unknown> = {}): CiaError {
  return new CiaError("usage", message, details);
}
