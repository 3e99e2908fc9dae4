import { randomBytes } from "node:crypto";
import { type WriteStream, createWriteStream, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";

/** What {@link writeFileAtomic} writes: one string or byte array, or a stream of them. */
export type FileContent =
  | string
  | Uint8Array
  | AsyncIterable<string | Uint8Array>
  | Iterable<string | Uint8Array>;

/**
 * A temporary file beside `file` (its directory created if needed) that becomes `file` on
 * `commit()` (one rename, so readers never see it half written) and disappears on `abort()`,
 * leaving any previous `file` untouched. The one temp-and-rename protocol of the package, behind
 * {@link writeFileAtomic} and the quarantine rejects file. Internal to the package.
 */
export interface AtomicFile {
  /** Where to write; gzip-compressed on the way when `file` ends in `.gz`. */
  readonly stream: Writable;
  /** Flush, close and rename over `file`. */
  commit(): Promise<void>;
  /** Close and remove the temporary file. */
  abort(): Promise<void>;
}

/** Open an {@link AtomicFile} for `file`. Internal to the package. */
export function createAtomicFile(file: string): AtomicFile {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const out: WriteStream = createWriteStream(tmp);
  const gzip = /\.gz$/i.test(file) ? createGzip() : undefined;
  const done = gzip !== undefined ? pipeline(gzip, out) : undefined;
  // Without an error handler a failed pipeline would be an unhandled rejection; the error is
  // rethrown by commit().
  done?.catch(() => {});
  const stream: Writable = gzip ?? out;
  return {
    stream,
    async commit() {
      if (!stream.writableEnded) stream.end();
      if (done !== undefined) await done;
      else if (!out.closed)
        await new Promise<void>((resolve, reject) => {
          out.once("close", () => resolve());
          out.once("error", reject);
        });
      renameSync(tmp, file);
    },
    async abort() {
      // The stream opens its file asynchronously: when the writer fails before the open finished,
      // the open would create the temp file after we removed it. Wait for the stream to close.
      gzip?.destroy();
      out.destroy();
      if (!out.closed) await new Promise<void>((resolve) => out.once("close", () => resolve()));
      rmSync(tmp, { force: true });
    },
  };
}

/**
 * Write `content` to `file` atomically: everything goes to a temporary file beside it (the
 * directory is created if needed), renamed over `file` only after the last byte is flushed, so a
 * reader never sees a half-written file and a failure (a throwing row source, a full disk) leaves
 * any previous `file` untouched. A name ending in `.gz` is gzip-compressed. Streams of chunks are
 * written as they come, in constant memory.
 *
 * @example
 * await writeFileAtomic("out/report.json", `${JSON.stringify(report, null, 2)}\n`);
 * await writeFileAtomic("big.csv", (function* () { yield "a,b\n"; yield "1,2\n"; })());
 */
export async function writeFileAtomic(file: string, content: FileContent): Promise<void> {
  const target = createAtomicFile(file);
  try {
    const chunks = typeof content === "string" || content instanceof Uint8Array ? [content] : content;
    await pipeline(Readable.from(chunks), target.stream);
    await target.commit();
  } catch (e) {
    await target.abort();
    throw e;
  }
}
