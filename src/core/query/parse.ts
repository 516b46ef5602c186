/** A comparison in front of a value: `priority:>=high`, `due:<2026-12-01`. */
export type Comparison = ">" | ">=" | "<" | "<=" | "=";

/** A value as written, with where it stands in the query (0-based offsets, end exclusive). */
export interface QueryValue {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Written in double quotes. */
  readonly quoted: boolean;
}

/** `field:value[,value…]`, possibly negated with a leading `-`. */
export interface FieldTerm {
  readonly kind: "field";
  readonly field: string;
  readonly negated: boolean;
  readonly comparison?: Comparison;
  readonly values: readonly QueryValue[];
  readonly start: number;
  readonly end: number;
  /** Offset just after the field name. */
  readonly fieldEnd: number;
}

/** A bare word or a "quoted phrase": full-text search. */
export interface TextTerm {
  readonly kind: "text";
  readonly text: string;
  readonly phrase: boolean;
  readonly negated: boolean;
  readonly start: number;
  readonly end: number;
}

/** One term of a query: a field filter or words to search for. */
export type QueryTerm = FieldTerm | TextTerm;

/** A problem with a query, located by column (1-based, as editors count). */
export interface QueryProblem {
  readonly severity: "error" | "warning";
  readonly message: string;
  readonly column: number;
  readonly endColumn: number;
  /** What would have been accepted there. */
  readonly expected?: string;
  readonly hint?: string;
}

/** Longest query accepted, in characters, and most terms: beyond that it is surely a mistake. */
export const MAX_QUERY_LENGTH = 4000;
export const MAX_TERMS = 200;

const COMPARISONS: readonly Comparison[] = [">=", "<=", ">", "<", "="];

/** Builds a problem from 0-based offsets. */
export function problemAt(
  start: number,
  end: number,
  message: string,
  extra: { expected?: string; hint?: string; severity?: "error" | "warning" } = {},
): QueryProblem {
  return {
    severity: extra.severity ?? "error",
    message,
    column: start + 1,
    endColumn: Math.max(end, start + 1) + 1,
    ...(extra.expected !== undefined ? { expected: extra.expected } : {}),
    ...(extra.hint !== undefined ? { hint: extra.hint } : {}),
  };
}

/**
 * Splits a query into terms. Pure; never throws: malformed input becomes problems with
 * columns, and the terms that could be read are still returned.
 */
export function parseQuery(text: string): { terms: QueryTerm[]; problems: QueryProblem[] } {
  const terms: QueryTerm[] = [];
  const problems: QueryProblem[] = [];
  if (text.length > MAX_QUERY_LENGTH) {
    problems.push(
      problemAt(
        MAX_QUERY_LENGTH,
        text.length,
        `The query is ${text.length} characters long; at most ${MAX_QUERY_LENGTH} are read.`,
      ),
    );
    return { terms, problems };
  }
  let i = 0;
  const n = text.length;
  const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\r";
  while (i < n) {
    while (i < n && isSpace(text[i])) i++;
    if (i >= n) break;
    if (terms.length >= MAX_TERMS) {
      problems.push(problemAt(i, n, `The query has more than ${MAX_TERMS} terms.`));
      break;
    }
    const start = i;
    let negated = false;
    if (text[i] === "-" && i + 1 < n && !isSpace(text[i + 1])) {
      negated = true;
      i++;
    }
    if (text[i] === '"') {
      const phrase = readQuoted(text, i);
      if (phrase.unterminated) {
        problems.push(
          problemAt(i, n, "This quoted phrase is never closed.", { expected: 'a closing "' }),
        );
      }
      if (phrase.value.trim() === "") {
        problems.push(
          problemAt(start, phrase.end, "An empty phrase matches nothing.", {
            expected: "words inside the quotes",
          }),
        );
      } else {
        terms.push({
          kind: "text",
          text: phrase.value,
          phrase: true,
          negated,
          start,
          end: phrase.end,
        });
      }
      i = phrase.end;
      continue;
    }
    // a field name is letters (and dashes) followed by a colon
    const name = /^[A-Za-z][A-Za-z_-]*:/.exec(text.slice(i, i + 40));
    if (name !== null) {
      const field = name[0].slice(0, -1).toLowerCase();
      const fieldEnd = i + field.length;
      i = fieldEnd + 1;
      let comparison: Comparison | undefined;
      const op = COMPARISONS.find((c) => text.startsWith(c, i));
      if (op !== undefined) {
        comparison = op;
        i += op.length;
      }
      const values: QueryValue[] = [];
      for (;;) {
        if (i >= n || isSpace(text[i])) {
          problems.push(
            problemAt(start, i, `"${field}:" needs a value after the colon.`, {
              expected: "a value, e.g. status:doing",
              hint: 'To search for words with a colon, put them in quotes: "fix: login".',
            }),
          );
          break;
        }
        if (text[i] === '"') {
          const q = readQuoted(text, i);
          if (q.unterminated)
            problems.push(
              problemAt(i, n, "This quoted value is never closed.", { expected: 'a closing "' }),
            );
          values.push({ text: q.value, start: i, end: q.end, quoted: true });
          i = q.end;
        } else {
          const valueStart = i;
          while (i < n && !isSpace(text[i]) && text[i] !== "," && text[i] !== '"') i++;
          if (i === valueStart) {
            problems.push(
              problemAt(i, i + 1, `Expected a value here, found "${text[i]}".`, {
                expected: "a value",
              }),
            );
            break;
          }
          values.push({
            text: text.slice(valueStart, i),
            start: valueStart,
            end: i,
            quoted: false,
          });
        }
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (i < n && !isSpace(text[i])) {
          problems.push(
            problemAt(i, i + 1, `Unexpected "${text[i]}" after the value.`, {
              expected: "a space before the next term, or a comma to add another value",
            }),
          );
          while (i < n && !isSpace(text[i])) i++;
        }
        break;
      }
      if (values.length > 0) {
        terms.push({
          kind: "field",
          field,
          negated,
          ...(comparison !== undefined ? { comparison } : {}),
          values,
          start,
          end: i,
          fieldEnd,
        });
      }
      continue;
    }
    const wordStart = i;
    while (i < n && !isSpace(text[i]) && text[i] !== '"') i++;
    const word = text.slice(wordStart, i);
    if (word === "" || word === "-") {
      if (word === "" && i < n) i++;
      continue;
    }
    terms.push({ kind: "text", text: word, phrase: false, negated, start, end: i });
  }
  return { terms, problems };
}

function readQuoted(
  text: string,
  at: number,
): { value: string; end: number; unterminated: boolean } {
  let value = "";
  let i = at + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\\" && (text[i + 1] === '"' || text[i + 1] === "\\")) {
      value += text[i + 1];
      i += 2;
      continue;
    }
    if (c === '"') return { value, end: i + 1, unterminated: false };
    value += c;
    i++;
  }
  return { value, end: text.length, unterminated: true };
}
