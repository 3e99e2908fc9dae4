import { CiaError } from "@cia/core";
import { murmur3Prefixed, murmur3String } from "./murmur3.js";
import type { ExperimentErrorCode } from "./error-codes.js";

/** Separator between salt, program and unit id in the hashed key (ASCII unit separator). */
export const HASH_SEPARATOR = "\u001f";

/** Number of hash buckets: the full 32-bit range, so a bucket is a 32-bit unsigned integer. */
export const BUCKET_COUNT = 2 ** 32;

/**
 * Check a salt or program name can be used in a hash key: non-empty and without the separator
 * (which keeps the key `salt SEP program SEP unitId` unambiguous: no two (salt, program, unit)
 * triples share a key).
 */
export function checkKeyPart(name: string, value: string): void {
  if (typeof value !== "string" || value.length === 0) {
    throw new CiaError<ExperimentErrorCode>("invalid_hash_key", `${name} must be a non-empty string`, {
      [name]: value,
    });
  }
  if (value.includes(HASH_SEPARATOR)) {
    throw new CiaError<ExperimentErrorCode>(
      "invalid_hash_key",
      `${name} must not contain the U+001F separator`,
      {
        [name]: value,
      },
    );
  }
}

/**
 * The assignment bucket of a unit: MurmurHash3 x86_32, seed 0, of the UTF-8 bytes of
 * `salt + "\u001f" + program + "\u001f" + unitId`, an unsigned 32-bit integer in [0, 2^32).
 *
 * Deterministic across runs, machines and languages (any MurmurHash3 x86_32 over UTF-8 gives the
 * same bucket). A new salt re-randomizes a program without changing its name; the same salt with
 * another program (or layer) name gives an independent split.
 *
 * @example
 * assignmentBucket("s1", "winback", "u000001"); // same number on every run and machine
 */
export function assignmentBucket(salt: string, program: string, unitId: string): number {
  checkKeyPart("salt", salt);
  checkKeyPart("program", program);
  return murmur3String(salt + HASH_SEPARATOR + program + HASH_SEPARATOR + unitId, 0);
}

/**
 * Buckets of many units at once (salt and program are checked once).
 *
 * @example
 * const buckets = assignmentBuckets("s1", "winback", ["u1", "u2"]); // Uint32Array(2)
 */
export function assignmentBuckets(salt: string, program: string, unitIds: readonly string[]): Uint32Array {
  checkKeyPart("salt", salt);
  checkKeyPart("program", program);
  const hash = murmur3Prefixed(salt + HASH_SEPARATOR + program + HASH_SEPARATOR, 0);
  const out = new Uint32Array(unitIds.length);
  for (let i = 0; i < unitIds.length; i++) out[i] = hash(unitIds[i]!);
  return out;
}
