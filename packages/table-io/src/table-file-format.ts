/** A table file's format as the data plane reads and writes it. */
export type TableFileFormat = "parquet" | "csv" | "jsonl";

/**
 * A file's format from its name: `.parquet` (or `.pq`) is Parquet; otherwise a trailing `.gz` aside,
 * `.jsonl` / `.ndjson` are JSONL and any other name is CSV (tables are CSV first, as in
 * @cia/logging-schema). `format` overrides the name.
 *
 * @example
 * tableFileFormat("scores.parquet"); // "parquet"
 * tableFileFormat("table.csv.gz");   // "csv"
 */
export function tableFileFormat(file: string, format?: TableFileFormat): TableFileFormat {
  if (format !== undefined) return format;
  if (/\.(parquet|pq)$/i.test(file)) return "parquet";
  const name = file.replace(/\.gz$/i, "");
  if (/\.(jsonl|ndjson)$/i.test(name)) return "jsonl";
  return "csv";
}
