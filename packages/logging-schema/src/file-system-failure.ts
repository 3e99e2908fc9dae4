import { CiaError, DataValidationError } from "@cia/core";
import type { LoggingSchemaErrorCode } from "./error-codes.js";

/** What a system error code means for a user, in words (the code itself is kept in parentheses). */
const REASONS: Record<string, string> = {
  ENOENT: "no such file or directory",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is a file, not a directory",
  EEXIST: "a file is in the way of a directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large",
  EIO: "input/output error",
  EMFILE: "too many open files",
  ENFILE: "too many open files",
  ELOOP: "too many levels of symbolic links",
  ENAMETOOLONG: "file name too long",
  EBUSY: "resource busy",
  ETXTBSY: "file busy",
  EXDEV: "cannot rename across file systems",
};

/** The system error code of `e` (`ENOSPC`, `EROFS`...), or undefined when `e` is not a system error. */
export function errnoCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** "read-only file system (EROFS)": a system error in words, with its code. */
export function errnoReason(e: unknown): string {
  const code = errnoCode(e);
  if (code === undefined) return e instanceof Error ? e.message : String(e);
  return `${REASONS[code] ?? (e as Error).message} (${code})`;
}

/**
 * A failed write of `file` as a `write_failed` CiaError naming the file the user asked for (not
 * our temporary file) and the reason in words; anything that is not a system error (a row source
 * that threw, one of our own errors) is returned unchanged. Internal to the package.
 */
export function writeFailure(e: unknown, file: string, what = "cannot write"): unknown {
  if (errnoCode(e) === undefined) return e;
  return new CiaError<LoggingSchemaErrorCode>(
    "write_failed",
    `${file}: ${what}: ${errnoReason(e)}`,
    { file, errno: errnoCode(e) },
    { cause: e },
  );
}

/**
 * A failed read of `file` as a file-level `read_failed` issue (a `DataValidationError`, as a
 * missing file is); anything that is not a system error is returned unchanged. Internal to the
 * package.
 */
export function readFailure(e: unknown, file: string): unknown {
  if (errnoCode(e) === undefined) return e;
  return new DataValidationError(
    [{ code: "read_failed", path: [], message: `cannot read: ${errnoReason(e)}`, file }],
    { file },
  );
}
