import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";

/** The complete lines of one chunk of a file: `lines[k]` is line `firstLine + k` (1-based). */
export interface LineBatch {
  firstLine: number;
  lines: string[];
}

/**
 * Stream the lines of a UTF-8 file in constant memory (one chunk plus one partial line), one batch
 * per chunk so the per-line cost is a loop step rather than an async hop. Handles `\n` and `\r\n`
 * endings and a leading byte-order mark. Internal to the package.
 */
export async function* readLineBatches(file: string, highWaterMark = 1 << 20): AsyncGenerator<LineBatch> {
  const decoder = new StringDecoder("utf8");
  let rest = "";
  let line = 0;
  let first = true;
  for await (const chunk of createReadStream(file, { highWaterMark })) {
    let text = rest + decoder.write(chunk as Buffer);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const lines: string[] = [];
    let start = 0;
    for (let nl = text.indexOf("\n", start); nl !== -1; nl = text.indexOf("\n", start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      lines.push(text.slice(start, end));
      start = nl + 1;
    }
    rest = text.slice(start);
    if (lines.length > 0) {
      yield { firstLine: line + 1, lines };
      line += lines.length;
    }
  }
  rest += decoder.end();
  if (first && rest.charCodeAt(0) === 0xfeff) rest = rest.slice(1);
  if (rest.length > 0) yield { firstLine: line + 1, lines: [rest.endsWith("\r") ? rest.slice(0, -1) : rest] };
}
