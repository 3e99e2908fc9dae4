import { type DataIssue, DataValidationError } from "@cia/core";
import type { z } from "zod";
import { type ConcurrentAssignment, concurrentAssignmentSchema } from "./concurrent-assignment-schema.js";
import { isCertainlyValidDecision } from "./decision-fast-path.js";
import { type Decision, decisionSchema } from "./decision-schema.js";
import { type FeatureContract, featureContractSchema } from "./feature-contract-schema.js";
import { featureContractHash } from "./feature-contract-hash.js";
import { type OutcomeEvent, outcomeEventSchema } from "./outcome-event-schema.js";
import type { ParseResult } from "./parse-result.js";
import { type RealizedTreatment, realizedTreatmentSchema } from "./realized-treatment-schema.js";
import { type IssueLocation, zodIssuesToDataIssues } from "./to-data-issues.js";

/**
 * Validate `input` against any zod schema and report problems as {@link DataIssue}s (see
 * {@link zodIssuesToDataIssues} for the codes).
 *
 * @example
 * const r = safeParseRecord(decisionSchema, JSON.parse(line), { file, line: 3 });
 */
export function safeParseRecord<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: IssueLocation = {},
): ParseResult<z.output<S>> {
  const r = schema.safeParse(input);
  if (r.success) return { success: true, data: r.data };
  return { success: false, issues: zodIssuesToDataIssues(r.error.issues, input, where) };
}

function orThrow<T>(r: ParseResult<T>, where: IssueLocation): T {
  if (r.success) return r.data;
  throw new DataValidationError(r.issues, where.file !== undefined ? { file: where.file } : {});
}

/**
 * Validate a decision record; returns the issues instead of throwing.
 *
 * @example
 * const r = safeParseDecision(JSON.parse(line), { file: "decisions.jsonl", line: 12 });
 * if (!r.success) r.issues; // [{ code: "propensity_out_of_range", path: ["propensity"], line: 12, ... }]
 */
export function safeParseDecision(input: unknown, where: IssueLocation = {}): ParseResult<Decision> {
  // Good rows skip zod (see decision-fast-path.ts); anything else gets zod's verdict and issues.
  if (isCertainlyValidDecision(input)) return { success: true, data: input };
  return safeParseRecord(decisionSchema, input, where);
}

/**
 * Validate a decision record; throws a `DataValidationError` listing every issue.
 *
 * @example
 * const decision = parseDecision(JSON.parse(line));
 */
export function parseDecision(input: unknown, where: IssueLocation = {}): Decision {
  return orThrow(safeParseDecision(input, where), where);
}

/**
 * Validate a realized-treatment record; returns the issues instead of throwing.
 *
 * @example
 * safeParseRealizedTreatment({ schema_version: 1, decision_id: "d1", unit_id: "u1", event: "seen", time: "2026-01-01T00:00:00Z" });
 */
export function safeParseRealizedTreatment(
  input: unknown,
  where: IssueLocation = {},
): ParseResult<RealizedTreatment> {
  return safeParseRecord(realizedTreatmentSchema, input, where);
}

/**
 * Validate a realized-treatment record; throws a `DataValidationError`.
 *
 * @example
 * const t = parseRealizedTreatment(raw);
 */
export function parseRealizedTreatment(input: unknown, where: IssueLocation = {}): RealizedTreatment {
  return orThrow(safeParseRealizedTreatment(input, where), where);
}

/**
 * Validate an outcome event; returns the issues instead of throwing.
 *
 * @example
 * safeParseOutcomeEvent({ schema_version: 1, event_id: "e1", unit_id: "u1", kind: "value", amount: 3, time: "2026-01-02T00:00:00Z" });
 */
export function safeParseOutcomeEvent(input: unknown, where: IssueLocation = {}): ParseResult<OutcomeEvent> {
  return safeParseRecord(outcomeEventSchema, input, where);
}

/**
 * Validate an outcome event; throws a `DataValidationError`.
 *
 * @example
 * const e = parseOutcomeEvent(raw);
 */
export function parseOutcomeEvent(input: unknown, where: IssueLocation = {}): OutcomeEvent {
  return orThrow(safeParseOutcomeEvent(input, where), where);
}

/**
 * Validate a concurrent-assignment record; returns the issues instead of throwing.
 *
 * @example
 * safeParseConcurrentAssignment(raw, { file: "concurrent.jsonl", line: 4 });
 */
export function safeParseConcurrentAssignment(
  input: unknown,
  where: IssueLocation = {},
): ParseResult<ConcurrentAssignment> {
  return safeParseRecord(concurrentAssignmentSchema, input, where);
}

/**
 * Validate a concurrent-assignment record; throws a `DataValidationError`.
 *
 * @example
 * const c = parseConcurrentAssignment(raw);
 */
export function parseConcurrentAssignment(input: unknown, where: IssueLocation = {}): ConcurrentAssignment {
  return orThrow(safeParseConcurrentAssignment(input, where), where);
}

/**
 * Validate a feature contract, including its stored `hash` when present (`contract_hash_mismatch`
 * at `["hash"]` when the content no longer matches it).
 *
 * @example
 * const r = safeParseFeatureContract(JSON.parse(readFileSync("contract.json", "utf8")));
 */
export function safeParseFeatureContract(
  input: unknown,
  where: IssueLocation = {},
): ParseResult<FeatureContract> {
  const r = safeParseRecord(featureContractSchema, input, where);
  if (!r.success || r.data.hash === undefined) return r;
  const actual = featureContractHash(r.data);
  if (actual === r.data.hash) return r;
  const issue: DataIssue = {
    code: "contract_hash_mismatch",
    path: ["hash"],
    message: `stored hash ${r.data.hash} does not match the contract's content hash ${actual}; the contract was edited after hashing`,
  };
  if (where.file !== undefined) issue.file = where.file;
  return { success: false, issues: [issue] };
}

/**
 * Validate a feature contract; throws a `DataValidationError`.
 *
 * @example
 * const contract = parseFeatureContract(JSON.parse(readFileSync("contract.json", "utf8")), { file: "contract.json" });
 */
export function parseFeatureContract(input: unknown, where: IssueLocation = {}): FeatureContract {
  return orThrow(safeParseFeatureContract(input, where), where);
}
