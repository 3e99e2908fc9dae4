const NEEDS_QUOTES = /[\r\n",\ufeff]|^ | $/;

/**
 * A string as one CSV cell, byte for byte as papaparse's `unparse` (the one CSV library of
 * @cia/logging-schema) writes it: quoted, with quotes doubled, when it holds a comma, a quote, a line
 * break or a byte-order mark, or starts or ends with a space; as it is otherwise. So files written
 * column by column are the same bytes as files written row by row through `writeTable`.
 *
 * @example
 * csvCell('say "hi", then'); // "\"say \"\"hi\"\", then\""
 * csvCell("u001");           // "u001"
 */
export function csvCell(s: string): string {
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
