import { randomBytes } from "node:crypto";
import { createWriteStream, renameSync, rmSync } from "node:fs";
import { Readable, type Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

/**
 * Write a stream of chunks to `file` atomically: everything goes to a temporary file beside it,
 * which is renamed over `file` only after the last byte is flushed. Readers never see a half-written
 * file, and a failure (bad record, full disk) leaves any previous `file` untouched. Internal.
 */
export async function writeAtomically(
  file: string,
  chunks: AsyncIterable<unknown> | Iterable<unknown>,
  transform?: Transform,
): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const out = createWriteStream(tmp);
  try {
    const source = Readable.from(chunks);
    if (transform !== undefined) await pipeline(source, transform, out);
    else await pipeline(source, out);
    renameSync(tmp, file);
  } catch (e) {
    // The stream opens its file asynchronously: when the source fails before the open finished,
    // pipeline rejects first and the open would create the temp file after we removed it. Wait
    // for the stream to close, then remove.
    out.destroy();
    if (!out.closed) await new Promise<void>((resolve) => out.once("close", () => resolve()));
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Join lines into ~64 KB strings so the file stream is not driven one small write per record. */
export async function* batchLines(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
  let buf = "";
  for await (const line of lines) {
    buf += line;
    if (buf.length >= 65536) {
      yield buf;
      buf = "";
    }
  }
  if (buf.length > 0) yield buf;
}
