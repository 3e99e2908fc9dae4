import Papa from "papaparse";
import { readFileChunks } from "./read-file-chunks.js";

/** One CSV record: its cells and the 1-based line it starts on. */
export interface CsvRecord {
  cells: string[];
  line: number;
}

/** A quoting error after which the rest of the file cannot be delimited reliably. */
export interface CsvSyntaxError {
  message: string;
  line: number;
  /** 0-based cell of the record where the problem is, when known (a bare quote). */
  column?: number | undefined;
}

/** What {@link readCsvRecords} yields: records in file order, blank lines skipped before them. */
export interface CsvBatch {
  records: CsvRecord[];
  /** Blank lines skipped before this batch's records (trailing blank lines at the end of the file are not counted). */
  blankLines: number;
  /** Set on the batch where a quoting error was found; the records before it are valid. */
  syntaxError?: CsvSyntaxError | undefined;
}

/**
 * Stream the records of an RFC 4180 CSV file (comma, double quotes, "" escapes; "\n", "\r\n" or
 * "\r" line ends as the first line ends, a stray "\r" before "\n" tolerated; a leading UTF-8 BOM
 * dropped; gunzipped when the name ends in `.gz`) in constant memory: papaparse's core parser runs
 * on each read, and the incomplete last record of a read waits for the next. Line numbers count
 * every line break, those inside quoted cells included, so a record's number is the line its first
 * cell starts on. `readSize` is the bytes per read (tests shrink it to put read boundaries
 * everywhere). Internal to the package.
 *
 * @example
 * for await (const { records } of readCsvRecords("decisions.csv")) for (const r of records) use(r.cells, r.line);
 */
export async function* readCsvRecords(file: string, readSize = 1 << 16): AsyncGenerator<CsvBatch> {
  // Strings, not Buffers: Node's decoder keeps a UTF-8 character split across reads whole. 64 KiB
  // reads measured fastest (~175k decision rows/s end to end; 1 MiB reads halve it in GC time).
  const source = readFileChunks(file, readSize, "utf8");
  let parser: Papa.Parser | undefined;
  let newline: "\n" | "\r" | "\r\n" = "\n";
  let partial = "";
  let consumed = 0; // line breaks before the next record
  let pendingBlank = 0;
  let first = true;
  const take = (data: string[][], errors: Papa.ParseError[], bare?: BareQuote): CsvBatch => {
    // A quote problem is reported by the index of its row in this parse; papaparse keeps a quote
    // inside an unquoted cell as text, RFC 4180 does not allow it (and it usually means a broken
    // export): it is an error too, at its cell.
    let quoteError: { message: string; row?: number | undefined } | undefined = errors.find(
      (e) => e.type === "Quotes",
    );
    let column: number | undefined;
    if (bare !== undefined && (quoteError === undefined || bare.row <= (quoteError.row ?? data.length))) {
      quoteError = {
        row: bare.row,
        message:
          'a double quote inside an unquoted cell (quote the whole cell and double the quote: "5"" screen")',
      };
      column = bare.column;
    }
    const stopAt = quoteError ? Math.min(quoteError.row ?? data.length, data.length) : data.length;
    const records: CsvRecord[] = [];
    let blankLines = 0;
    for (let r = 0; r < stopAt; r++) {
      const cells = data[r]!;
      if (first && cells.length > 0 && cells[0]!.charCodeAt(0) === 0xfeff) cells[0] = cells[0]!.slice(1);
      first = false;
      if (cells.length === 1 && cells[0] === "") {
        // A blank line: counted once a record follows (trailing ones are not, as before).
        pendingBlank++;
        continue;
      }
      if (newline === "\n") {
        const last = cells.length - 1;
        if (cells[last]!.endsWith("\r")) cells[last] = cells[last]!.slice(0, -1);
      }
      consumed += pendingBlank;
      blankLines += pendingBlank;
      pendingBlank = 0;
      records.push({ cells, line: consumed + 1 });
      consumed += 1 + breaksIn(cells);
    }
    const batch: CsvBatch = { records, blankLines };
    if (quoteError)
      batch.syntaxError = { message: quoteError.message, line: consumed + pendingBlank + 1, column };
    return batch;
  };
  try {
    for await (const chunk of source) {
      const text = partial + chunk;
      if (parser === undefined) {
        // The line-end style is known once a break outside quotes is seen whole.
        const guessed = guessNewline(text, false);
        if (guessed === undefined) {
          partial = text;
          continue;
        }
        newline = guessed;
        parser = rfc4180Parser(newline);
      }
      // Parse up to the last line end only: a read that stops on a quote would be ambiguous (a
      // closing quote, or the first of an escaped pair?). ignoreLastRow: the record after the last
      // complete one (empty, or a quoted cell still open) waits for the next read.
      const cut = text.lastIndexOf(newline === "\r" ? "\r" : "\n") + 1;
      if (cut === 0) {
        partial = text;
        continue;
      }
      const piece = text.slice(0, cut);
      const res = parser.parse(piece, 0, true) as Papa.ParseResult<string[]>;
      partial = text.slice(res.meta.cursor);
      const batch = take(res.data, res.errors, findBareQuote(piece, newline));
      yield batch;
      if (batch.syntaxError) return;
    }
    if (partial.length > 0) {
      if (parser === undefined) {
        newline = guessNewline(partial, true) ?? "\n";
        parser = rfc4180Parser(newline);
      }
      const res = parser.parse(partial, 0, false) as Papa.ParseResult<string[]>;
      yield take(res.data, res.errors, findBareQuote(partial, newline));
    }
  } finally {
    await source.return(undefined);
  }
}

/** papaparse's core parser for RFC 4180 (comma, double quotes escaped by doubling) and one line-end style. */
function rfc4180Parser(newline: "\n" | "\r" | "\r\n"): Papa.Parser {
  return new Papa.Parser({ delimiter: ",", quoteChar: '"', escapeChar: '"', newline });
}

/**
 * The first line break outside quotes: "\r\n", "\r" or "\n"; undefined when the text has none
 * yet, or ends on a "\r" whose next character (maybe "\n") is still unread and `final` is false.
 */
function guessNewline(text: string, final: boolean): "\n" | "\r" | "\r\n" | undefined {
  let quoted = false;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 34) quoted = !quoted;
    else if (!quoted && c === 10) return "\n";
    else if (!quoted && c === 13) {
      if (k + 1 < text.length) return text.charCodeAt(k + 1) === 10 ? "\r\n" : "\r";
      return final ? "\r" : undefined;
    }
  }
  return undefined;
}

/** Where a bare quote is: the index of its record in a parse (blank lines counted) and its cell. */
interface BareQuote {
  row: number;
  column: number;
}

/**
 * The first double quote inside an unquoted cell of `text` (which starts at a record boundary), or
 * undefined. Jumps from quote to quote (most chunks have none): a quote outside a quoted cell must
 * open the cell, i.e. follow a comma, a line end or the start; only when one does not is the
 * prefix walked again to count its record and cell.
 */
export function findBareQuote(text: string, newline: "\n" | "\r" | "\r\n"): BareQuote | undefined {
  let q = text.indexOf('"');
  while (q >= 0) {
    const prev = q === 0 ? 44 : text.charCodeAt(q - 1);
    if (prev !== 44 && prev !== 10 && prev !== 13) return locate(text, q, newline);
    // An opening quote: its cell ends at the next quote not doubled.
    let close = text.indexOf('"', q + 1);
    while (close >= 0 && text.charCodeAt(close + 1) === 34) close = text.indexOf('"', close + 2);
    if (close < 0) return undefined; // still open: the parser reports it, or the next read completes it
    q = text.indexOf('"', close + 1);
  }
  return undefined;
}

/** The record (blank lines counted, as papaparse's rows are) and cell of position `at`. */
function locate(text: string, at: number, newline: "\n" | "\r" | "\r\n"): BareQuote {
  const end = newline === "\r" ? 13 : 10;
  let row = 0;
  let column = 0;
  let quoted = false;
  for (let k = 0; k < at; k++) {
    const c = text.charCodeAt(k);
    if (c === 34)
      quoted = !quoted; // a doubled quote toggles twice
    else if (!quoted && c === 44) column++;
    else if (!quoted && c === end) {
      row++;
      column = 0;
    }
  }
  return { row, column };
}

/** Line breaks inside a record's cells ("\r\n" counts once). */
function breaksIn(cells: string[]): number {
  let n = 0;
  for (const c of cells) {
    if (c.length === 0) continue;
    // Most cells hold no break: one scan each for the two break characters.
    if (c.indexOf("\n") < 0 && c.indexOf("\r") < 0) continue;
    for (let k = 0; k < c.length; k++) {
      const ch = c.charCodeAt(k);
      if (ch === 10 || (ch === 13 && c.charCodeAt(k + 1) !== 10)) n++;
    }
  }
  return n;
}
