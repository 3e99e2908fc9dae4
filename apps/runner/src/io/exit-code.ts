import { CiaError, DataValidationError } from "@cia/core";

/** Exit codes of the file contract: 0 success, 2 bad input or usage, 1 internal failure. */
export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;

/** Error codes that mean "the user's input or flags are wrong" (exit 2). */
const BAD_INPUT_CODES = new Set([
  "usage",
  "data_validation",
  "bad_input",
  "contract_mismatch",
  "file_not_found",
  "support_violation",
]);

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
    (CiaError.isInstance(error) && BAD_INPUT_CODES.has(error.code))
  ) {
    return { code: EXIT_BAD_INPUT, message: `error: ${error.message}` };
  }
  if (CiaError.isInstance(error) && typeof error.code === "string" && error.code.startsWith("invalid")) {
    return { code: EXIT_BAD_INPUT, message: `error: ${error.message}` };
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
