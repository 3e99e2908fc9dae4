import { randomBytes } from "node:crypto";
import {
  type Stats,
  type WriteStream,
  createWriteStream,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { dirname } from "node:path";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { writeFailure } from "./file-system-failure.js";

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

/** `file`'s stats (symbolic links followed), or undefined when there is nothing there yet. */
function statIfAny(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Open an {@link AtomicFile} for `file`. A failure of the file system (read-only, full, no
 * permission, a file where a directory must be) is a `write_failed` CiaError naming `file`. An
 * existing `file` that is not a regular file (`/dev/null`, a named pipe, a terminal) is written in
 * place: renaming over it would replace the device with a file. Internal to the package.
 */
export function createAtomicFile(file: string): AtomicFile {
  const existing = statIfAny(file);
  if (existing?.isDirectory())
    throw writeFailure(Object.assign(new Error("EISDIR"), { code: "EISDIR" }), file);
  const inPlace = existing !== undefined && !existing.isFile();
  if (!inPlace) {
    try {
      mkdirSync(dirname(file), { recursive: true });
    } catch (e) {
      throw writeFailure(e, file, `cannot create the directory ${dirname(file)}`);
    }
  }
  const tmp = inPlace ? file : `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const out: WriteStream = createWriteStream(tmp);
  // The open (EACCES, EROFS) and the writes (ENOSPC) fail asynchronously: keep the first error for
  // commit() instead of letting an 'error' event without a listener end the process.
  let failure: unknown;
  out.on("error", (e) => {
    failure ??= e;
  });
  const gzip = /\.gz$/i.test(file) ? createGzip() : undefined;
  const done = gzip !== undefined ? pipeline(gzip, out) : undefined;
  // Without an error handler a failed pipeline would be an unhandled rejection; the error is
  // rethrown by commit().
  done?.catch(() => {});
  const stream: Writable = gzip ?? out;
  return {
    stream,
    async commit() {
      try {
        if (failure !== undefined) throw failure;
        if (!stream.writableEnded) stream.end();
        if (done !== undefined) await done;
        else if (!out.closed)
          await new Promise<void>((resolve, reject) => {
            out.once("close", () => (failure !== undefined ? reject(failure) : resolve()));
            out.once("error", reject);
          });
        if (failure !== undefined) throw failure;
        if (!inPlace) renameSync(tmp, file);
      } catch (e) {
        throw writeFailure(e, file);
      }
    },
    async abort() {
      // The stream opens its file asynchronously: when the writer fails before the open finished,
      // the open would create the temp file after we removed it. Wait for the stream to close.
      gzip?.destroy();
      out.destroy();
      if (!out.closed) await new Promise<void>((resolve) => out.once("close", () => resolve()));
      if (!inPlace) rmSync(tmp, { force: true });
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
    throw writeFailure(e, file);
  }
}
