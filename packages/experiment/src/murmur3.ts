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
  const nblocks = length >>> 2;
  let h = murmur3Blocks(data, nblocks, seed >>> 0);
  const tail = nblocks << 2;
  let k = 0;
  const rem = length & 3;
  // The reference's fall-through switch over the 1-3 tail bytes, written as ifs.
  if (rem === 3) k ^= data[tail + 2]! << 16;
  if (rem >= 2) k ^= data[tail + 1]! << 8;
  if (rem >= 1) {
    k ^= data[tail]!;
    h ^= mixKey(k);
  }
  return finalize(h, length);
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

/**
 * MurmurHash3 x86_32 of UTF-8(prefix + text) for many `text`s sharing one `prefix`: the prefix's
 * whole 4-byte blocks are mixed once, and each text is UTF-8 encoded inline while hashing (no
 * string concatenation, no buffer, no allocation per call). Lone surrogates are encoded as U+FFFD,
 * as TextEncoder does, so results equal `murmur3String(prefix + text, seed)`.
 *
 * @example
 * const h = murmur3Prefixed("salt\u001fprogram\u001f", 0);
 * h("u000001") === murmur3String("salt\u001fprogram\u001fu000001", 0); // true
 */
export function murmur3Prefixed(prefix: string, seed = 0): (text: string) => number {
  const bytes = encoder.encode(prefix);
  const nblocks = bytes.length >>> 2;
  const h0 = murmur3Blocks(bytes, nblocks, seed >>> 0);
  // Bytes of the prefix past its last whole block, carried into each text.
  const rem = bytes.length & 3;
  let carry = 0;
  for (let j = 0; j < rem; j++) carry |= bytes[(nblocks << 2) + j]! << (8 * j);
  const prefixLength = bytes.length;

  return (text: string): number => {
    let h = h0;
    let k = carry;
    let fill = rem; // bytes currently held in k
    let length = prefixLength;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      // UTF-8 bytes of this character, packed little-endian into `bytes` (m of them).
      let c = text.charCodeAt(i);
      let bytes: number;
      let m: number;
      if (c < 0x80) {
        bytes = c;
        m = 1;
      } else if (c < 0x800) {
        bytes = 0xc0 | (c >> 6) | ((0x80 | (c & 0x3f)) << 8);
        m = 2;
      } else {
        const d = i + 1 < n ? text.charCodeAt(i + 1) : 0;
        if (c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          bytes =
            0xf0 |
            (cp >> 18) |
            ((0x80 | ((cp >> 12) & 0x3f)) << 8) |
            ((0x80 | ((cp >> 6) & 0x3f)) << 16) |
            ((0x80 | (cp & 0x3f)) << 24);
          m = 4;
        } else {
          if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // lone surrogate, as TextEncoder encodes it
          bytes = 0xe0 | (c >> 12) | ((0x80 | ((c >> 6) & 0x3f)) << 8) | ((0x80 | (c & 0x3f)) << 16);
          m = 3;
        }
      }
      length += m;
      for (let j = 0; j < m; j++) {
        k |= ((bytes >>> (8 * j)) & 0xff) << (8 * fill);
        if (++fill === 4) {
          h = mixBlock(h, k);
          k = 0;
          fill = 0;
        }
      }
    }
    if (fill > 0) h ^= mixKey(k);
    return finalize(h, length);
  };
}

// The block loop of MurmurHash3 x86_32 over the first `nblocks` 4-byte blocks; returns the state.
function murmur3Blocks(data: Uint8Array, nblocks: number, h: number): number {
  for (let i = 0; i < nblocks; i++) {
    const o = i << 2;
    h = mixBlock(h, data[o]! | (data[o + 1]! << 8) | (data[o + 2]! << 16) | (data[o + 3]! << 24));
  }
  return h;
}

// The key scramble of one block (or of the 1-3 tail bytes): k * c1, rotate left 15, * c2.
function mixKey(k: number): number {
  const m = Math.imul(k, C1);
  return Math.imul((m << 15) | (m >>> 17), C2);
}

// One whole block into the state: h ^= scrambled k, rotate left 13, h * 5 + 0xe6546b64.
function mixBlock(h: number, k: number): number {
  const x = h ^ mixKey(k);
  return (Math.imul((x << 13) | (x >>> 19), 5) + 0xe6546b64) | 0;
}

// The length and fmix32 avalanche, as an unsigned 32-bit integer.
function finalize(h: number, length: number): number {
  let x = h ^ length;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
