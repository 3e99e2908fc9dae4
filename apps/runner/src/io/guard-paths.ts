import { accessSync, constants, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { CiaError } from "@cia/core";

/** A command's file flags: flag name (`--out`) to path; undefined flags are skipped. */
export type PathFlags = Record<string, string | undefined>;

/**
 * Where `path` really points: symbolic links and `.`/`..` resolved. A path that does not exist
 * yet resolves through its nearest existing ancestor, so `out/./a.csv`, `out/a.csv` and a link to
 * `out` all give one answer before anything is written.
 *
 * @example
 * resolvedPath("out/./new/../a.csv"); // "/abs/path/out/a.csv", even before out/ exists
 */
export function resolvedPath(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(resolvedPath(parent), basename(abs));
  }
}

/** The same file: one resolved path, or one device and inode (a hard link). */
function sameFile(a: string, b: string): boolean {
  if (resolvedPath(a) === resolvedPath(b)) return true;
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

function refuse(message: string, details: Record<string, unknown>): CiaError {
  return new CiaError("output_path", `${message}; nothing was written`, details);
}

/** The nearest existing ancestor directory of `path` (or the thing in its way). */
function nearestExisting(path: string): { at: string; isDirectory: boolean } {
  let at = dirname(resolve(path));
  for (;;) {
    try {
      return { at, isDirectory: statSync(at).isDirectory() };
    } catch {
      const up = dirname(at);
      if (up === at) return { at, isDirectory: true };
      at = up;
    }
  }
}

/**
 * Refuse, before anything is read or written, a command whose outputs would destroy an input or
 * each other, or could not be written at all: an output that resolves to one of the inputs (the
 * same path after symbolic links, `./x` against `x`, or a hard link), two outputs that resolve to
 * one file, an output that is a directory, and an output whose directory cannot be created or
 * written (a file in the way, a read-only file system, no permission). A `usage`-like CiaError
 * (`output_path`, exit 2) naming both flags and paths. `dirs` are outputs that are directories
 * (`simulate --out DIR`): they must not be a file, and their parent must be writable.
 *
 * @example
 * guardPaths({ inputs: { "--data": opts.data }, outputs: { "--out": opts.out } });
 */
export function guardPaths(spec: { inputs?: PathFlags; outputs: PathFlags; dirs?: PathFlags }): void {
  const inputs = Object.entries(spec.inputs ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
  const outputs = Object.entries(spec.outputs).filter((e): e is [string, string] => e[1] !== undefined);
  const dirs = Object.entries(spec.dirs ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
  for (const [flag, path] of [...inputs, ...outputs, ...dirs])
    if (path.trim() === "") throw refuse(`${flag} is empty: name a file`, { flag });
  for (const [flag, out] of outputs)
    if (/[\\/]$/.test(out))
      throw refuse(`${flag} ${out} ends with a separator: name a file, not a directory`, { output: out });
  for (const [oFlag, out] of outputs) {
    for (const [iFlag, input] of inputs)
      if (sameFile(out, input))
        throw refuse(
          `${oFlag} ${out} is the same file as ${iFlag} ${input}: writing it would destroy the input`,
          {
            output: out,
            input,
          },
        );
  }
  for (let a = 0; a < outputs.length; a++)
    for (let b = a + 1; b < outputs.length; b++) {
      const [fa, pa] = outputs[a]!;
      const [fb, pb] = outputs[b]!;
      if (sameFile(pa, pb))
        throw refuse(`${fa} ${pa} and ${fb} ${pb} are the same file: give each output its own path`, {
          output: pa,
          other: pb,
        });
    }
  for (const [flag, out] of outputs) {
    let kind: "none" | "dir" | "file" | "device" = "none";
    try {
      const st = statSync(out);
      kind = st.isDirectory() ? "dir" : st.isFile() ? "file" : "device";
    } catch {
      // Not there yet: the usual case.
    }
    if (kind === "dir") throw refuse(`${flag} ${out} is a directory: name a file`, { output: out });
    // A device or a pipe (/dev/null) is written in place; a file is replaced by a rename in its directory.
    if (kind === "device") writable(flag, out, out);
    else writableParent(flag, out);
  }
  for (const [flag, dir] of dirs) {
    let isFile = false;
    try {
      isFile = !statSync(dir).isDirectory();
    } catch {
      // Created on write.
    }
    if (isFile) throw refuse(`${flag} ${dir} is a file: name a directory`, { output: dir });
    writableParent(flag, join(dir, "x"));
  }
}

/** The directory `out` goes in exists (or can be created) and is writable. */
function writableParent(flag: string, out: string): void {
  const { at, isDirectory } = nearestExisting(out);
  if (!isDirectory)
    throw refuse(`${flag} ${out}: ${at} is a file, not a directory`, { output: out, blocker: at });
  writable(flag, out, at);
}

/** `at` (the output itself, or the directory it goes in) accepts writes. */
function writable(flag: string, out: string, at: string): void {
  try {
    accessSync(at, constants.W_OK);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why =
      code === "EROFS"
        ? "is on a read-only file system"
        : code === "EACCES" || code === "EPERM"
          ? "is not writable (permission denied)"
          : `cannot be written (${code})`;
    throw refuse(`${flag} ${out}: ${at} ${why}`, { output: out, errno: code });
  }
}
