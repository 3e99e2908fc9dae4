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

/** System calls that read (anything else that fails on a path is taken as a write). */
const READS = new Set([
  "open",
  "read",
  "stat",
  "lstat",
  "scandir",
  "opendir",
  "readlink",
  "access",
  "realpath",
]);

/** System error codes in words, for errors that reach the CLI as they are. */
const SYSTEM_REASONS: Record<string, string> = {
  ENOENT: "no such file",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is a file, not a directory",
  EEXIST: "a file is in the way",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EIO: "input/output error",
  EMFILE: "too many open files",
  ELOOP: "too many levels of symbolic links",
  ENAMETOOLONG: "file name too long",
};

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
  const e = error as { code?: unknown; message?: string; path?: string; syscall?: string };
  if (e && typeof e.code === "string" && /^E[A-Z0-9]+$/.test(e.code)) {
    // A system error that no reader or writer turned into data (a library opening a file itself):
    // still the user's file system, not our bug. Say which file, what was tried and why.
    const verb =
      e.syscall === undefined ? "cannot use" : READS.has(e.syscall) ? "cannot read" : "cannot write";
    return {
      code: EXIT_BAD_INPUT,
      message: `error: ${verb} ${e.path ?? "a file"}: ${SYSTEM_REASONS[e.code] ?? e.message ?? e.code} (${e.code})`,
    };
  }
  if (
    error instanceof RangeError &&
    /Invalid typed array length|Array buffer allocation failed|Invalid array length/.test(error.message)
  )
    // A backstop behind the flag and config limits (io/limits.ts): a size no run can hold in memory.
    return {
      code: EXIT_BAD_INPUT,
      message: `error: too large: a count or size in the flags, config or data needs more memory than this machine can allocate (${error.message}); use smaller counts (units, bootstraps, sample)`,
    };
  const message = error instanceof Error ? error.message : String(error);
  const stack = process.env.CIA_DEBUG && error instanceof Error ? `\n${error.stack}` : "";
  return { code: EXIT_INTERNAL, message: `internal error: ${message}${stack}` };
}
