import type { DiagnosticCode } from "../diagnostics/codes.js";

/** A Markdown file split into its YAML front matter and its body. */
export interface FrontMatter {
  readonly ok: true;
  /** The YAML between the delimiter lines, line endings as in the file. */
  readonly yaml: string;
  /** 1-based line of the file on which the YAML starts (2, after the opening `---`). */
  readonly yamlLine: number;
  /** The Markdown after the closing delimiter line. */
  readonly body: string;
  /** 1-based line of the file on which the body starts. */
  readonly bodyLine: number;
}

/** Why a file could not be split. */
export interface FrontMatterProblem {
  readonly ok: false;
  readonly code: Extract<DiagnosticCode, "TD010" | "TD011" | "TD012">;
  readonly message: string;
  /** 1-based line and columns the problem points at. */
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
}

const OPEN = /^---[ \t]*([A-Za-z0-9_-]*)[ \t]*$/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*$/;

/**
 * Splits front matter from a Markdown file's text (already decoded, BOM removed).
 *
 * A small splitter rather than gray-matter: it reports where the front matter is (so
 * every YAML problem gets a file line), tells an unterminated block from a closed one
 * (gray-matter silently takes the whole file as YAML), refuses `---js` and any other
 * language outright instead of looking up an engine, and keeps no content cache.
 */
export function splitFrontMatter(text: string): FrontMatter | FrontMatterProblem {
  const firstEnd = lineEnd(text, 0);
  const first = text.slice(0, firstEnd.contentEnd);
  const open = OPEN.exec(first);
  if (open === null) {
    return {
      ok: false,
      code: "TD010",
      message: "The file does not start with front matter (a line `---`, YAML fields, then `---`).",
      line: 1,
      column: 1,
      endColumn: first.length + 1,
    };
  }
  const language = open[1] ?? "";
  if (language !== "" && language.toLowerCase() !== "yaml") {
    return {
      ok: false,
      code: "TD012",
      message: `Front matter in "${language}" is not read (only YAML is); nothing in it was run.`,
      line: 1,
      column: 4,
      endColumn: 4 + language.length,
    };
  }
  let offset = firstEnd.next;
  let line = 2;
  while (offset < text.length) {
    const end = lineEnd(text, offset);
    if (CLOSE.test(text.slice(offset, end.contentEnd))) {
      return {
        ok: true,
        yaml: text.slice(firstEnd.next, offset),
        yamlLine: 2,
        body: text.slice(end.next),
        bodyLine: line + 1,
      };
    }
    offset = end.next;
    line++;
  }
  return {
    ok: false,
    code: "TD011",
    message: "The front matter opened on line 1 is never closed with a line `---`.",
    line: 1,
    column: 1,
    endColumn: first.length + 1,
  };
}

function lineEnd(text: string, from: number): { contentEnd: number; next: number } {
  const nl = text.indexOf("\n", from);
  if (nl === -1) return { contentEnd: text.length, next: text.length };
  const contentEnd = nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
  return { contentEnd, next: nl + 1 };
}
