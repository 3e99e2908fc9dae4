// Internal to the package.

/**
 * The text of ASCII bytes `b[s, e)`. Up to 16 bytes (ids, actions, categories) by one
 * `String.fromCharCode` call on 16 bytes, cut to length: several times faster than a Buffer's
 * decoder, whose call into C++ dominates for short strings (bytes past the buffer's end read as
 * undefined, i.e. a NUL that the cut drops); longer ones by the decoder.
 *
 * @example
 * asciiString(Buffer.from("u1,a"), 0, 2); // "u1"
 */
export function asciiString(b: Uint8Array, s: number, e: number): string {
  const len = e - s;
  if (len > 16) return Buffer.from(b.buffer, b.byteOffset + s, len).toString("latin1");
  if (len <= 0) return "";
  return String.fromCharCode(
    b[s]!,
    b[s + 1]!,
    b[s + 2]!,
    b[s + 3]!,
    b[s + 4]!,
    b[s + 5]!,
    b[s + 6]!,
    b[s + 7]!,
    b[s + 8]!,
    b[s + 9]!,
    b[s + 10]!,
    b[s + 11]!,
    b[s + 12]!,
    b[s + 13]!,
    b[s + 14]!,
    b[s + 15]!,
  ).slice(0, len);
}
