const MARKER = Symbol.for("cia.error");

/**
 * Base error of every CIA package: a stable `code` and structured `details`.
 *
 * `Code` narrows the codes a package throws to its own union (`CiaError<OpeErrorCode>`), so a
 * `switch (e.code)` is checked by the compiler; it defaults to `string`, so `new CiaError("x", ...)`
 * and `catch (e: CiaError)` keep compiling unchanged.
 *
 * `CiaError.isInstance(e)` checks a `Symbol.for` marker rather than the prototype chain, so it
 * recognises errors thrown by another installed copy of @cia/core (two versions in one tree).
 *
 * @example
 * try { fit() } catch (e) { if (CiaError.isInstance(e) && e.code === "support_violation") ... }
 * type OpeErrorCode = "invalid_option" | "insufficient_support";
 * throw new CiaError<OpeErrorCode>("invalid_option", "alpha must be in (0, 1)", { alpha });
 */
export class CiaError<Code extends string = string> extends Error {
  readonly [MARKER] = true;
  readonly code: Code;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: Code,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "CiaError";
    this.code = code;
    this.details = details;
  }

  /**
   * True for a `CiaError` from any installed copy of @cia/core. The code is not checked, so the
   * guard narrows to `CiaError<string>`; compare `e.code` to narrow further.
   */
  static isInstance(error: unknown): error is CiaError {
    return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
