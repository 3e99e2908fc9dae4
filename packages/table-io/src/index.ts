// Public surface of @cia/table-io: an explicit list, reviewable in one place.

export { tableFileFormat } from "./table-file-format.js";
export type { TableFileFormat } from "./table-file-format.js";
export { readExperimentTable, safeReadExperimentTable } from "./read-experiment-table.js";
export type { ReadExperimentTableOptions } from "./read-experiment-table.js";
export type { TableIoErrorCode, TableIoIssueCode } from "./error-codes.js";
export { writeTableColumns } from "./write-table-columns.js";
export type { WriteTableColumnsOptions } from "./write-table-columns.js";
export type { ColumnSpec, ColumnValues, ColumnChunk } from "./table-columns.js";
export { csvCell } from "./csv-cell.js";
export { readScoresColumnar } from "./read-scores-columnar.js";
export type { ReadScoresColumnarOptions } from "./read-scores-columnar.js";
export { SCORE_COLUMNS } from "./scores-columns.js";
export type { OnScoresRows, ScoresColumns, ScoresRows } from "./scores-columns.js";
export { scanExperimentTable } from "./scan-experiment-table.js";
export type { ScanExperimentTableOptions } from "./scan-experiment-table.js";
export { writeEffectTable } from "./write-effect-table.js";
export type { EffectMatrices } from "./write-effect-table.js";
export { writeExperimentColumns } from "./write-experiment-columns.js";
export type { ExperimentColumns } from "./write-experiment-columns.js";
export { readAssignmentColumnar } from "./read-assignment-columnar.js";
