import { type Stats, createReadStream, statSync } from "node:fs";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { DataValidationError } from "@cia/core";
import type { LoggingSchemaIssueCode } from "./error-codes.js";
import { errnoCode, readFailure } from "./file-system-failure.js";

function fail(file: string, code: LoggingSchemaIssueCode, message: string): never {
  throw new DataValidationError([{ code, path: [], message, file }], { file });
}

/**
 * Stream a file's bytes (`encoding` unset: Buffers) or UTF-8 text (`"utf8"`: strings, a character
 * split across reads kept whole) in reads of about `readSize`, gunzipping a `.gz` file on the way.
 * A missing file is a `file_not_found` issue and a corrupt archive an `invalid_gzip` one, so a
 * user's mistake reads as data, not as a stack trace. Internal to the package.
 *
 * @example
 * for await (const text of readFileChunks("table.csv.gz", 1 << 16, "utf8")) parse(text);
 */
export function readFileChunks(file: string, readSize: number, encoding: "utf8"): AsyncGenerator<string>;
export function readFileChunks(file: string, readSize: number): AsyncGenerator<Buffer>;
export async function* readFileChunks(
  file: string,
  readSize: number,
  encoding?: "utf8",
): AsyncGenerator<string | Buffer> {
  let stats: Stats | undefined;
  try {
    stats = statSync(file);
  } catch (e) {
    // Absent (or under a path that is a file): one file_not_found issue below; anything else
    // (permission, I/O) says why.
    const code = errnoCode(e);
    if (code !== "ENOENT" && code !== "ENOTDIR") throw readFailure(e, file);
  }
  if (stats === undefined) fail(file, "file_not_found", `no such file: ${file}`);
  // A named pipe or a device (/dev/stdin, a process substitution) streams like a file.
  if (stats.isDirectory()) fail(file, "file_not_found", `${file} is a directory, not a file`);
  let source: Readable;
  const gz = /\.gz$/i.test(file);
  if (gz) {
    const gunzip = createGunzip({ chunkSize: readSize });
    // pipeline forwards a read error of the file into the gunzip stream, so iteration throws it.
    pipeline(createReadStream(file, { highWaterMark: readSize }), gunzip, () => {});
    if (encoding !== undefined) gunzip.setEncoding(encoding);
    source = gunzip;
  } else source = createReadStream(file, { highWaterMark: readSize, encoding });
  let first = true;
  try {
    for await (const chunk of source as AsyncIterable<string | Buffer>) {
      // Parquet's magic bytes: never echo its binary as CSV cells or JSON lines in an error.
      if (
        first &&
        (typeof chunk === "string"
          ? chunk.startsWith("PAR1")
          : chunk.subarray(0, 4).toString("latin1") === "PAR1")
      )
        fail(
          file,
          "unsupported_format",
          "this is a Parquet file: Parquet is not supported by this command; export it as CSV or JSONL",
        );
      first = false;
      yield chunk;
    }
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (gz && typeof code === "string" && code.startsWith("Z_"))
      fail(
        file,
        "invalid_gzip",
        `not a valid gzip file (${(e as Error).message}); gunzip it or drop the .gz`,
      );
    throw readFailure(e, file);
  } finally {
    source.destroy();
  }
}
