import { createHash } from "node:crypto";
import { canonicalJson } from "@cia/logging-schema";
import type { CiaModelFile } from "./cia-model.js";

/**
 * The content hash of a model file: `sha256:` and the hex sha256 of the canonical JSON
 * (`canonicalJson`: sorted keys, no whitespace) of every field but `checksum` itself. Stored in
 * the file when it is written and recomputed when it is loaded, so an edit that keeps the file
 * valid (a leaf value, an action name, a segment) is still refused. Canonical, so re-serializing
 * the file (other key order or indentation) keeps it valid. It detects modification, not
 * authorship: anyone who can write the file can recompute it. `file` must be JSON data (as
 * parsed from the file); {@link sealCiaModelFile} normalizes an in-memory file first.
 *
 * @example
 * ciaModelChecksum(model.file); // "sha256:3f2a..."
 */
export function ciaModelChecksum(file: CiaModelFile): string {
  const { checksum: _checksum, ...body } = file;
  return `sha256:${createHash("sha256").update(canonicalJson(body), "utf8").digest("hex")}`;
}

/**
 * A copy of a model file with its checksum set for its current content: call it on the file
 * object you write (after adding sections such as `decision_heads`).
 *
 * @example
 * await writeFileAtomic("model.json", JSON.stringify(sealCiaModelFile({ ...model.file, decision_heads })));
 */
export function sealCiaModelFile(file: CiaModelFile): CiaModelFile {
  // Hash what the file will hold once written: JSON turns NaN into null and drops undefined.
  const { checksum: _checksum, ...body } = file;
  const plain = JSON.parse(JSON.stringify(body)) as CiaModelFile;
  return { ...plain, checksum: ciaModelChecksum(plain) };
}
