import { DIAGNOSTICS, type DiagnosticCode, type Severity } from "./codes.js";

/** A place in a file. Lines and columns are 1-based; columns count UTF-16 code units. */
export interface Range {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** Another place that matters for a diagnostic, such as the other file of a duplicate id. */
export interface RelatedLocation extends Range {
  readonly file: string;
  readonly message: string;
}

/**
 * A located problem. The library collects these and never throws for bad input;
 * the CLI, the Action and the site decide how to show them.
 */
export interface Diagnostic extends Range {
  /** Stable code from the catalogue (`docs/diagnostics.md`). Match on this, not on the message. */
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** For people: what is wrong, naming the value. */
  readonly message: string;
  /** Path of the file relative to the tracker's root, with forward slashes. */
  readonly file: string;
  /** What to do about it. */
  readonly hint: string;
  /** JSON Pointer to the offending value inside the file's data, when there is one (e.g. `/assignees/1`). */
  readonly path?: string;
  /** Other places involved. */
  readonly related?: readonly RelatedLocation[];
}

/** The start of a file, for problems that concern the whole file. */
export const FILE_START: Range = { line: 1, column: 1, endLine: 1, endColumn: 1 };

export interface DiagnosticInput {
  readonly code: DiagnosticCode;
  readonly file: string;
  readonly message: string;
  readonly range?: Range;
  readonly path?: string;
  /** Overrides the catalogue's hint when a more specific one helps (a "did you mean"). */
  readonly hint?: string;
  /** Overrides the catalogue's severity (used sparingly, e.g. by `--strict`-like callers). */
  readonly severity?: Severity;
  readonly related?: readonly RelatedLocation[];
}

/** Builds a diagnostic from the catalogue. */
export function diagnostic(input: DiagnosticInput): Diagnostic {
  const def = DIAGNOSTICS[input.code];
  const range = input.range ?? FILE_START;
  return {
    code: input.code,
    severity: input.severity ?? def.severity,
    message: input.message,
    file: input.file,
    line: range.line,
    column: range.column,
    endLine: range.endLine,
    endColumn: range.endColumn,
    hint: input.hint ?? def.hint,
    ...(input.path !== undefined ? { path: input.path } : {}),
    ...(input.related !== undefined && input.related.length > 0 ? { related: input.related } : {}),
  };
}

/** Orders diagnostics by file, then position, then code, so output is stable. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/** Counts of diagnostics by severity. */
export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}
