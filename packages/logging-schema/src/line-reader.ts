import { isAscii } from "node:buffer";
import { readFileChunks } from "./read-file-chunks.js";

/** The complete lines of one chunk of a file: `lines[k]` is line `firstLine + k` (1-based). */
export interface LineBatch {
  firstLine: number;
  lines: string[];
}

function decode(buf: Buffer, start: number, end: number): string {
  const view = buf.subarray(start, end);
  // Logs are mostly ASCII: latin1 decoding of ASCII bytes is the same text and skips UTF-8 validation.
  return view.toString(isAscii(view) ? "latin1" : "utf8");
}

const EMPTY = Buffer.alloc(0);

function allZero(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}

function lastNonZero(buf: Buffer): number {
  let i = buf.length - 1;
  while (i >= 0 && buf[i] === 0) i--;
  return i;
}

/**
 * Stream the lines of a UTF-8 file (gunzipped when its name ends in `.gz`) in constant memory (one
 * chunk plus one partial line), one batch per chunk so the per-line cost is a loop step rather than
 * an async hop. Lines are cut on the `\n` byte before decoding (it never occurs inside a multi-byte
 * UTF-8 sequence, so a character split across chunks stays whole). Handles `\r\n` endings, a
 * leading byte-order mark, and zero bytes after the last line (a decisions log that `cia serve`
 * zero-fills ahead of its records while it runs: the live file reads as its records so far).
 * Internal to the package.
 */
export async function* readLineBatches(file: string, highWaterMark = 1 << 20): AsyncGenerator<LineBatch> {
  let carry: Buffer | undefined;
  let pendingZeros = 0;
  let line = 0;
  let first = true;
  for await (const buf of readFileChunks(file, highWaterMark)) {
    const nl = buf.indexOf(10);
    if (nl === -1) {
      // A chunk of zeros after the last line is only counted: a log zero-filled ahead of its
      // records (cia serve's fsync mode) would otherwise be buffered megabyte by megabyte.
      if (allZero(buf)) {
        pendingZeros += buf.length;
        continue;
      }
      // No line ends in this chunk: keep it all (a line longer than a chunk).
      carry = Buffer.concat([carry ?? EMPTY, Buffer.alloc(pendingZeros), buf]);
      pendingZeros = 0;
      continue;
    }
    if (pendingZeros > 0) {
      // Zeros followed by more text are inside a line (a hole): kept, so the line fails to parse.
      carry = Buffer.concat([carry ?? EMPTY, Buffer.alloc(pendingZeros)]);
      pendingZeros = 0;
    }
    const lines: string[] = [];
    let start = 0;
    if (carry !== undefined) {
      // Only the partial line is joined with the head of this chunk; the rest is decoded in place.
      lines.push(decode(Buffer.concat([carry, buf.subarray(0, nl)]), 0, carry.length + nl));
      carry = undefined;
      start = nl + 1;
    }
    const last = buf.lastIndexOf(10);
    if (last >= start) for (const l of decode(buf, start, last).split("\n")) lines.push(l);
    for (let k = 0; k < lines.length; k++) {
      const l = lines[k]!;
      if (l.length > 0 && l.charCodeAt(l.length - 1) === 13) lines[k] = l.slice(0, -1);
    }
    if (first) {
      // A byte-order mark decodes to U+FEFF at the start of the first line.
      if (lines[0]!.charCodeAt(0) === 0xfeff) lines[0] = lines[0]!.slice(1);
      first = false;
    }
    if (last + 1 < buf.length) carry = Buffer.from(buf.subarray(last + 1));
    yield { firstLine: line + 1, lines };
    line += lines.length;
  }
  // Zero bytes after the last line are the unwritten, zero-filled rest of a log still being
  // written, not a line; anything before them (a torn record) is still reported.
  if (carry !== undefined) carry = carry.subarray(0, lastNonZero(carry) + 1);
  if (carry !== undefined && carry.length > 0) {
    let text = decode(carry, 0, carry.length);
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (text.length > 0) yield { firstLine: line + 1, lines: [text] };
  }
}
