import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";

/** One line of a text file: its 1-based number and its text without the line terminator. */
export interface TextLine {
  line: number;
  text: string;
}

/**
 * Stream the lines of a UTF-8 file in constant memory (one chunk plus one partial line), handling
 * `\n` and `\r\n` endings and a leading byte-order mark. Internal to the package.
 */
export async function* readLines(file: string, highWaterMark = 1 << 20): AsyncGenerator<TextLine> {
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
    let start = 0;
    for (let nl = text.indexOf("\n", start); nl !== -1; nl = text.indexOf("\n", start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      line++;
      yield { line, text: text.slice(start, end) };
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  rest += decoder.end();
  if (first && rest.charCodeAt(0) === 0xfeff) rest = rest.slice(1);
  if (rest.length > 0) {
    line++;
    yield { line, text: rest.endsWith("\r") ? rest.slice(0, -1) : rest };
  }
}
