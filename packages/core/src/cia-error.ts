const MARKER = Symbol.for("cia.error");

/**
 * Base error of every CIA package: a stable `code` and structured `details`.
 *
 * `CiaError.isInstance(e)` checks a `Symbol.for` marker rather than the prototype chain, so it
 * recognises errors thrown by another installed copy of @cia/core (two versions in one tree).
 *
 * @example
 * try { fit() } catch (e) { if (CiaError.isInstance(e) && e.code === "support_violation") ... }
 */
export class CiaError extends Error {
  readonly [MARKER] = true;
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "CiaError";
    this.code = code;
    this.details = details;
  }

  static isInstance(error: unknown): error is CiaError {
    return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
