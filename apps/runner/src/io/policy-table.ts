import { DataValidationError } from "@cia/core";
import type { DataIssue } from "@cia/core";
import { readTable } from "@cia/logging-schema";

/**
 * Read an assignment (`unit_id, action`, optionally `probability`) into an n x K probability
 * matrix over `actions`, rows in the order of `unitIds`. A unit of `unitIds` missing from the
 * file, an unknown unit or action, a probability outside [0, 1] or rows not summing to 1 are
 * issues with file, line and field.
 *
 * @example
 * const pi = await readPolicy("assignment.csv", table.unitIds, ["control", "offer_5"]);
 */
export async function readPolicy(
  file: string,
  unitIds: readonly string[],
  actions: readonly string[],
  options: { maxIssues?: number } = {},
): Promise<Float64Array> {
  const maxIssues = options.maxIssues ?? 20;
  const issues: DataIssue[] = [];
  const add = (i: DataIssue): void => {
    if (issues.length < maxIssues) issues.push(i);
  };
  const K = actions.length;
  const unitRow = new Map<string, number>();
  unitIds.forEach((u, i) => {
    unitRow.set(u, i);
  });
  const actionCol = new Map<string, number>();
  actions.forEach((a, k) => {
    actionCol.set(a, k);
  });
  const out = new Float64Array(unitIds.length * K);
  const covered = new Uint8Array(unitIds.length);
  const firstLine = new Int32Array(unitIds.length);
  let hasProb: boolean | undefined;
  for await (const { line, record: values } of readTable(file)) {
    if (hasProb === undefined) {
      const header = Object.keys(values);
      for (const need of ["unit_id", "action"])
        if (!header.includes(need))
          add({
            code: "missing_column",
            path: [need],
            line: 1,
            message: `missing column '${need}' (an assignment needs unit_id, action)`,
          });
      hasProb = header.includes("probability");
      if (issues.length) break;
    }
    const uid = String(values.unit_id ?? "").trim();
    const act = String(values.action ?? "").trim();
    const i = unitRow.get(uid);
    const k = actionCol.get(act);
    if (i === undefined)
      add({
        code: "unknown_unit",
        path: ["unit_id"],
        line,
        message: `unit '${uid}' is not in the logged data`,
      });
    if (k === undefined)
      add({
        code: "unknown_action",
        path: ["action"],
        line,
        message: `unknown action '${act}' (known: ${actions.join(", ")})`,
      });
    let p = 1;
    if (hasProb) {
      p = Number(values.probability);
      if (!(p >= 0 && p <= 1))
        add({
          code: "probability_out_of_range",
          path: ["probability"],
          line,
          message: `probability must be in [0, 1], got '${values.probability}'`,
        });
    }
    if (i !== undefined && k !== undefined) {
      if (covered[i] && !hasProb)
        add({
          code: "duplicate_unit",
          path: ["unit_id"],
          line,
          message: `unit '${uid}' has two rows (a deterministic assignment has one row per unit)`,
        });
      if (!covered[i]) firstLine[i] = line;
      covered[i] = 1;
      out[i * K + k]! += p;
    }
    if (issues.length >= maxIssues) break;
  }
  if (hasProb === undefined)
    issues.push({ code: "empty_table", path: [], message: "the assignment has no rows" });
  for (let i = 0; i < unitIds.length && issues.length < maxIssues; i++) {
    if (!covered[i]) {
      add({
        code: "missing_unit",
        path: ["unit_id"],
        message: `unit '${unitIds[i]}' of the logged data has no assignment row`,
      });
      continue;
    }
    let s = 0;
    for (let k = 0; k < K; k++) s += out[i * K + k]!;
    if (Math.abs(s - 1) > 1e-6)
      add({
        code: "probabilities_do_not_sum_to_one",
        path: ["probability"],
        line: firstLine[i]!,
        message: `probabilities of unit '${unitIds[i]}' sum to ${s}, not 1`,
      });
  }
  if (issues.length) throw new DataValidationError(issues, { file });
  return out;
}
