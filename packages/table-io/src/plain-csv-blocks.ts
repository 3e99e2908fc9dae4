// A plain CSV (no quote and no CR anywhere, not gzipped) read as blocks of whole lines, straight from
// the file's bytes, for readers that parse cells in place. Internal to the package.
import { type FileHandle, open, stat } from "node:fs/promises";

/** Why a CSV goes to the row reader instead: a signal, never shown to users. */
export class NotPlain extends Error {}

/** Bytes `[from, to)` of a file. */
export interface ByteRange {
  from: number;
  to: number;
  /**
   * Called when the reads reach `to`: a new, later end (more lines, claimed as the reading goes),
   * or undefined to end there.
   */
  extend?: (() => number | undefined) | undefined;
}

/** Bytes per read: large enough that a read costs nothing next to parsing it. */
const READ_SIZE = 1 << 23;
/** Room before each read for the previous block's partial line (a longer line is not plain). */
const RESERVE = 1 << 20;

/**
 * The lines of a plain CSV in blocks: after each {@link next}, `buf[start, end)` holds whole lines,
 * each ending in `\n` (the last line of a file without a final newline gets one), the header's
 * included in the first block (a leading UTF-8 BOM skipped). A quote or a CR anywhere throws
 * {@link NotPlain}: quoted cells can span lines, and only the row reader counts those. Reading is
 * chunked, so memory is one block, whatever the file's size.
 *
 * @example
 * const blocks = await PlainCsvBlocks.open("scores.csv");
 * while (blocks && (await blocks.next())) parse(blocks.buf, blocks.start, blocks.end);
 */
export class PlainCsvBlocks {
  buf: Buffer;
  start = 0;
  end = 0;
  /** The bytes to read: the file's size, or the range's length (to size the columns before the first row). */
  readonly size: number;
  /** Bytes of the current block's read (its end is RESERVE + kept). */
  private kept = 0;
  private first = true;
  private done = false;
  private closed = false;
  /**
   * Two block buffers: the next read fills one (after its reserve) while the caller parses the
   * other; the partial last line of a block moves into the reserve before the next block's bytes,
   * so a block is never copied whole.
   */
  private readonly work: [Buffer, Buffer];
  private pending: Promise<number> | undefined;
  private turn = 0;
  private readonly readSize: number;

  /** Where the next read starts, and where the range ends. */
  private pos: number;
  private to: number;
  private readonly extend: (() => number | undefined) | undefined;
  /** The range starts the file (a BOM may lead it) and ends it (its last line may lack a newline). */
  private readonly atStart: boolean;

  private constructor(
    private readonly handle: FileHandle,
    range: ByteRange,
  ) {
    this.size = range.to - range.from;
    this.pos = range.from;
    this.to = range.to;
    this.extend = range.extend;
    this.atStart = range.from === 0;
    // A range that may grow reads full blocks.
    this.readSize = range.extend ? READ_SIZE : Math.min(READ_SIZE, this.size + 1);
    const bytes = RESERVE + this.readSize + 1;
    this.work = [Buffer.allocUnsafe(bytes), Buffer.allocUnsafe(bytes)];
    this.buf = this.work[1];
  }

  /**
   * The blocks of a regular, uncompressed file, or undefined (a pipe, a directory, `.gz`, unreadable).
   * With `range` only the lines of those bytes (its `from` a line's start, its `to` one past a
   * line's newline or the file's end): the header, a BOM and a missing final newline are then the
   * business of the ranges that start and end the file.
   */
  static async open(file: string, range?: ByteRange): Promise<PlainCsvBlocks | undefined> {
    if (/\.gz$/i.test(file)) return undefined;
    // Only a regular file: reading a pipe (/dev/stdin) here would consume what the row reader needs.
    try {
      const s = await stat(file);
      if (!s.isFile()) return undefined;
      return new PlainCsvBlocks(await open(file, "r"), range ?? { from: 0, to: s.size });
    } catch {
      return undefined;
    }
  }

  /**
   * Where a line starts at or after byte `at` of `file` (one past the first newline from `at - 1`
   * on), or undefined when none does within a read (a long line, the file's end): a place to cut
   * the file into ranges of whole lines.
   *
   * @example
   * const cut = await PlainCsvBlocks.lineStart("scores.csv", size >> 1); // parse [0, cut) and [cut, size)
   */
  static async lineStart(file: string, at: number): Promise<number | undefined> {
    if (at < 1) return 0;
    const handle = await open(file, "r");
    try {
      const probe = Buffer.allocUnsafe(1 << 16);
      const { bytesRead } = await handle.read(probe, 0, probe.length, at - 1);
      const nl = probe.subarray(0, bytesRead).indexOf(10);
      return nl < 0 ? undefined : at + nl;
    } finally {
      await handle.close();
    }
  }

  /**
   * `parse` run on the blocks of `file`, which it reads with {@link next}: its answer, or undefined
   * when the file is not a plain regular file or turns out not plain ({@link NotPlain}) on the way.
   * The file is closed either way.
   *
   * @example
   * const t = await PlainCsvBlocks.parse("table.csv", async (blocks) => (await blocks.next()) ? read(blocks) : undefined);
   */
  static async parse<T>(
    file: string,
    parse: (blocks: PlainCsvBlocks) => Promise<T | undefined>,
    range?: ByteRange,
  ): Promise<T | undefined> {
    const blocks = await PlainCsvBlocks.open(file, range);
    if (blocks === undefined) return undefined;
    try {
      return await parse(blocks);
    } catch (e) {
      if (e instanceof NotPlain) return undefined;
      throw e;
    } finally {
      await blocks.close();
    }
  }

  private read(into: Buffer): Promise<number> {
    const at = this.pos;
    while (at >= this.to && this.extend !== undefined) {
      const to = this.extend();
      if (to === undefined) break;
      this.to = to;
    }
    const length = Math.min(this.readSize, this.to - at);
    if (length <= 0) return Promise.resolve(0);
    return this.handle.read(into, RESERVE, length, at).then((r) => {
      // Reads are sequential (each issued after the last one's bytes arrived).
      this.pos = at + r.bytesRead;
      return r.bytesRead;
    });
  }

  /** Load the next block; false at the end of the file (the handle is closed then). */
  async next(): Promise<boolean> {
    if (this.done) return this.close();
    const previous = this.buf;
    const cur = this.work[this.turn]!;
    const bytesRead = await (this.pending ?? this.read(cur));
    // What followed the last block's final newline goes just before this block's bytes.
    const left = this.first ? 0 : RESERVE + this.kept - this.end;
    if (left > RESERVE) return this.notPlain();
    if (left > 0) previous.copy(cur, RESERVE - left, this.end, this.end + left);
    this.buf = cur;
    this.start = RESERVE - left;
    this.turn ^= 1;
    // Start the next read now: it runs on the thread pool while this block is parsed.
    this.pending = bytesRead > 0 ? this.read(this.work[this.turn]!) : undefined;
    const fresh = cur.subarray(RESERVE, RESERVE + bytesRead);
    if (fresh.indexOf(34) >= 0 || fresh.indexOf(13) >= 0) return this.notPlain();
    this.kept = bytesRead;
    if (bytesRead === 0) {
      this.done = true;
      if (left === 0) return this.close();
      // The last line has no newline: give it one (the buffer keeps a byte free for it).
      cur[RESERVE] = 10;
      this.end = RESERVE + 1;
    } else {
      const last = cur.lastIndexOf(10, RESERVE + bytesRead - 1);
      if (last >= this.start) this.end = last + 1;
      else if (this.pos >= this.to) {
        // The range's one last line, with no newline (the file's end): give it one.
        this.done = true;
        cur[RESERVE + bytesRead] = 10;
        this.end = RESERVE + bytesRead + 1;
      }
      // A line longer than a read: only the row reader takes those.
      else return this.notPlain();
    }
    if (this.first) {
      this.first = false;
      if (
        this.atStart &&
        cur[this.start] === 0xef &&
        cur[this.start + 1] === 0xbb &&
        cur[this.start + 2] === 0xbf
      )
        this.start += 3;
    }
    return true;
  }

  private async notPlain(): Promise<never> {
    await this.close();
    throw new NotPlain();
  }

  /** The first line of the first block, split at commas (call right after the first {@link next}). */
  header(): string[] {
    const nl = this.buf.indexOf(10, this.start);
    const line = this.buf.toString("utf8", this.start, nl);
    this.start = nl + 1;
    return line.split(",");
  }

  /** Stop early (an issue was found): closes the file. Always false, for `return blocks.close()`. */
  async close(): Promise<false> {
    this.done = true;
    if (!this.closed) {
      this.closed = true;
      // A read still in flight must finish before its file closes.
      await this.pending?.catch(() => undefined);
      this.pending = undefined;
      await this.handle.close().catch(() => undefined);
    }
    return false;
  }
}
