import { CiaError } from "@cia/core";
import type { Dialect } from "./dialect.js";
import type { WarehouseErrorCode } from "./error-codes.js";

/** A part of a statement: literal SQL text written by this package, a bound value, or an identifier. */
type Part =
  | { kind: "text"; text: string }
  | { kind: "param"; value: unknown }
  | { kind: "ident"; name: string };

/**
 * A SQL fragment: text written by this package, identifiers validated against a strict pattern
 * and quoted by the dialect, and values always bound as parameters, never spliced in. Build it
 * with the {@link sql} tag; render it for an engine with {@link renderSql}.
 *
 * @example
 * const q = sql`SELECT ${ident("tau_value")} FROM ${ident("scores")} WHERE unit < ${10}`;
 * renderSql(q, DIALECTS.postgres); // { text: 'SELECT "tau_value" FROM "scores" WHERE unit < $1', params: [10] }
 */
export class Sql {
  readonly parts: readonly Part[];
  constructor(parts: readonly Part[]) {
    this.parts = parts;
  }
}

/** An identifier to quote (a table or column name), validated by {@link ident}. */
export class Ident {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
}

/** Trusted SQL text produced by this package (never user input), e.g. a numeric literal it formatted. */
export class RawSql {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * A validated identifier: `name` or `schema.name`, each part matching `[A-Za-z_][A-Za-z0-9_]*`
 * (at most 63 characters, PostgreSQL's limit). Anything else throws `invalid_identifier`.
 *
 * @example
 * ident("scores"); ident("analytics.scores"); // ok
 * ident("x; DROP TABLE y"); // throws CiaError invalid_identifier
 */
export function ident(name: string): Ident {
  const parts = typeof name === "string" ? name.split(".") : [];
  if (parts.length === 0 || parts.length > 2 || !parts.every((p) => IDENT.test(p))) {
    throw new CiaError<WarehouseErrorCode>(
      "invalid_identifier",
      `identifier ${JSON.stringify(name)} must match [A-Za-z_][A-Za-z0-9_]* (optionally schema.name)`,
      { name },
    );
  }
  return new Ident(name);
}

/**
 * A numeric literal written into the SQL text (for constants of this package only: hash moduli,
 * Poisson thresholds). Integers only, so every engine reads the same value.
 *
 * @example
 * sql`SELECT x % ${intLiteral(7)}`; // the 7 is text, not a parameter
 */
export function intLiteral(x: number): RawSql {
  if (!Number.isSafeInteger(x)) throw new RangeError(`intLiteral needs a safe integer, got ${x}`);
  return new RawSql(String(x));
}

/** Trusted text of this package (never user input). */
export function rawSql(text: string): RawSql {
  return new RawSql(text);
}

/**
 * Tagged template for SQL: interpolated `Sql` fragments are inlined, `Ident`s quoted, `RawSql`
 * written as is, every other value bound as a parameter.
 *
 * @example
 * sql`SELECT * FROM ${ident("t")} WHERE unit = ${7}`;
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  const parts: Part[] = [];
  strings.forEach((s, i) => {
    if (s.length > 0) parts.push({ kind: "text", text: s });
    if (i < values.length) {
      const v = values[i];
      // a loop, not push(...parts): compiled models have more parts than a call takes arguments
      if (v instanceof Sql) for (const q of v.parts) parts.push(q);
      else if (v instanceof Ident) parts.push({ kind: "ident", name: v.name });
      else if (v instanceof RawSql) parts.push({ kind: "text", text: v.text });
      else parts.push({ kind: "param", value: v });
    }
  });
  return new Sql(parts);
}

/**
 * Join fragments with a separator (trusted text).
 *
 * @example
 * joinSql([sql`a`, sql`b`], ", "); // a, b
 */
export function joinSql(fragments: readonly Sql[], separator: string): Sql {
  const parts: Part[] = [];
  fragments.forEach((f, i) => {
    if (i > 0) parts.push({ kind: "text", text: separator });
    for (const q of f.parts) parts.push(q);
  });
  return new Sql(parts);
}

/** A statement ready for an engine: text with the dialect's placeholders, and the bound values. */
export interface RenderedSql {
  text: string;
  params: unknown[];
}

/**
 * Render a fragment for a dialect: placeholders (`$1` or `?`) and quoted identifiers.
 *
 * @example
 * renderSql(sql`SELECT ${1}`, DIALECTS.trino); // { text: "SELECT ?", params: [1] }
 */
export function renderSql(fragment: Sql, dialect: Dialect): RenderedSql {
  let text = "";
  const params: unknown[] = [];
  for (const p of fragment.parts) {
    if (p.kind === "text") text += p.text;
    else if (p.kind === "ident") text += p.name.split(".").map(dialect.quote).join(".");
    else {
      params.push(p.value);
      text += dialect.placeholder(params.length);
    }
  }
  return { text, params };
}
