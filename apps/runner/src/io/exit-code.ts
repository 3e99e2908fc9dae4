import { CiaError, DataValidationError } from "@cia/core";

/** Exit codes of the file contract: 0 success, 2 bad input or usage, 1 internal failure. */
export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;

/**
 * CiaError codes that mean a bug in CIA itself (arrays of the wrong shape passed between our own
 * stages): exit 1. Every other CiaError reached the CLI because of the user's data, flags or model
 * file (invalid options, unsupported designs, missing support, contract mismatches...): exit 2.
 */
const INTERNAL_CODES = new Set(["shape_mismatch", "internal_error"]);

/**
 * Map any thrown value to an exit code and one message for stderr (no stack trace unless
 * CIA_DEBUG is set).
 *
 * @example
 * const { code, message } = describeFailure(err); process.stderr.write(message); process.exit(code);
 */
export function describeFailure(error: unknown): { code: number; message: string } {
  if (
    error instanceof DataValidationError ||
    (CiaError.isInstance(error) && !INTERNAL_CODES.has(error.code))
  ) {
    return { code: EXIT_BAD_INPUT, message: `error: ${(error as Error).message}` };
  }
  const e = error as { code?: string; message?: string; path?: string };
  if (e && (e.code === "ENOENT" || e.code === "EISDIR")) {
    return {
      code: EXIT_BAD_INPUT,
      message: `error: cannot read ${e.path ?? "file"}: ${e.code === "ENOENT" ? "no such file" : "is a directory"}`,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  const stack = process.env.CIA_DEBUG && error instanceof Error ? `\n${error.stack}` : "";
  return { code: EXIT_INTERNAL, message: `internal error: ${message}${stack}` };
}
