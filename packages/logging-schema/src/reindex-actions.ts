import { DataValidationError } from "@cia/core";
import type { ExperimentTable } from "./experiment-table.js";
import type { LoggingSchemaIssueCode } from "./error-codes.js";

/**
 * The table's action column as indices into `names` (a model's or a world's action order): the
 * table's own `action` when its `actionNames` already are `names`, else a remapped copy. A logged
 * action missing from `names` is an `unknown_action` issue with file and line (up to 20).
 *
 * @example
 * const action = reindexActions(table, model.file.actions); // action[i] indexes model.file.actions
 */
export function reindexActions(table: ExperimentTable, names: readonly string[]): Int32Array {
  const { action, actionNames } = table;
  if (!action || !actionNames) {
    throw new DataValidationError(
      [
        {
          code: "missing_column" satisfies LoggingSchemaIssueCode,
          path: ["action"],
          message: "missing column 'action'",
        },
      ],
      { file: table.file },
    );
  }
  if (actionNames.length === names.length && actionNames.every((a, k) => a === names[k])) return action;
  const to = actionNames.map((a) => names.indexOf(a));
  const out = new Int32Array(table.n);
  const issues = [];
  for (let i = 0; i < table.n; i++) {
    const k = to[action[i]!]!;
    if (k < 0 && issues.length < 20)
      issues.push({
        code: "unknown_action" satisfies LoggingSchemaIssueCode,
        path: ["action"],
        line: table.lines[i]!,
        message: `unknown action '${actionNames[action[i]!]}' (known: ${names.join(", ")})`,
      });
    out[i] = k;
  }
  if (issues.length > 0) throw new DataValidationError(issues, { file: table.file });
  return out;
}
