const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

// One reusable scratch buffer for UTF-8 encoding: hashing a million ids must not allocate a
// Uint8Array per id. It only grows, and is never handed out.
let scratch = new Uint8Array(256);
const encoder = new TextEncoder();

/**
 * MurmurHash3 x86_32 (Austin Appleby, public domain, SMHasher `MurmurHash3_x86_32`) of `length`
 * bytes of `data` starting at 0, as an unsigned 32-bit integer.
 *
 * Checked against the SMHasher verification value 0xB0F57EE3 and published vectors (see the test).
 *
 * @example
 * murmur3x86_32(new TextEncoder().encode("hello"), 0); // 0x248bfa47
 */
export function murmur3x86_32(data: Uint8Array, seed = 0, length = data.length): number {
  let h = seed >>> 0;
  const nblocks = length >>> 2;
  for (let i = 0; i < nblocks; i++) {
    const o = i << 2;
    let k = data[o]! | (data[o + 1]! << 8) | (data[o + 2]! << 16) | (data[o + 3]! << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = nblocks << 2;
  let k = 0;
  const rem = length & 3;
  // The reference's fall-through switch over the 1-3 tail bytes, written as ifs.
  if (rem === 3) k ^= data[tail + 2]! << 16;
  if (rem >= 2) k ^= data[tail + 1]! << 8;
  if (rem >= 1) {
    k ^= data[tail]!;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * MurmurHash3 x86_32 of the UTF-8 bytes of `text` (so the same id hashes the same in any
 * language that hashes UTF-8), without allocating per call.
 *
 * @example
 * murmur3String("hello", 0); // 0x248bfa47 (= 608893511)
 */
export function murmur3String(text: string, seed = 0): number {
  // A UTF-16 code unit becomes at most 3 UTF-8 bytes.
  const need = text.length * 3;
  if (need > scratch.length) scratch = new Uint8Array(Math.max(need, scratch.length * 2));
  const { written } = encoder.encodeInto(text, scratch);
  return murmur3x86_32(scratch, seed, written);
}
