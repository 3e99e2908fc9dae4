/**
 * Every `code` of a `CiaError` that @cia/serve throws (`CiaError<ServeErrorCode>`), one name per
 * meaning. Bad requests are not thrown: the server answers them with a 4xx whose body carries one of
 * {@link ServeRequestErrorCode}.
 *
 * @example
 * try { loadPolicyBundle("deploy/") } catch (e) { if (CiaError.isInstance(e) && e.code === "bundle_not_found") ... }
 */
export type ServeErrorCode =
  /** An option outside its domain (a negative budget, epsilon outside [0, 1], a bad port, a log size of 0...). */
  | "invalid_option"
  /** The policy directory has no `policy.json`. */
  | "bundle_not_found"
  /** The bundle is not what it claims: a bad manifest, a model file whose hash differs, a contract that is not the model's. */
  | "invalid_bundle"
  /** The decisions log cannot be opened, repaired, written or synced. */
  | "log_failure"
  /** A decision record the server built does not validate (a bug: never written to the log). */
  | "invalid_decision"
  /** An input row outside the policy's domain (an unknown eligible action, a NaN score). */
  | "invalid_input";

/**
 * The `error` field of a 4xx answer (and the `reason` label of `cia_serve_errors_total`).
 *
 * @example
 * // 400 { "error": "contract_violation", "issues": [{ "field": "features.platform", "code": "unseen_category", ... }] }
 */
export type ServeRequestErrorCode =
  /** The body is not valid JSON. */
  | "bad_json"
  /** The body is valid JSON but not a decide / spend request (missing or mistyped unit_id, features not an object...). */
  | "invalid_request"
  /** The features break the policy's feature contract (missing feature, wrong type, unseen category...). */
  | "contract_violation"
  /** The body is larger than the server's body limit. */
  | "payload_too_large"
  /** The content type is not application/json. */
  | "unsupported_media_type"
  /** No such route. */
  | "not_found"
  /** The decisions log cannot be written (503): no decision was made. */
  | "log_failure"
  /** A bug (500). */
  | "internal";
