import type { Diagnostic } from "../../src/core/diagnostics/diagnostic.js";
import type { Change } from "../../src/core/diff/diff.js";
import { changeRecord } from "../../src/core/diff/diff.js";
import { codeSpan, inertCell, inertText, mention } from "../../src/core/notify/safe-markdown.js";

/**
 * Markdown for comments, job summaries and issues. Everything that comes from the
 * tracker's files goes through inertText/inertCell (a fork's pull request may carry any
 * text); the only live mentions are the ones the Action decided on, through `mention`.
 */

/** Where a file of the tracker is in the repository (for links and annotations). */
export type RepoPath = (file: string) => string;

/** A link to a file at a commit on GitHub, shown as its path and line. */
export function fileLink(
  serverUrl: string,
  owner: string,
  repo: string,
  sha: string,
  path: string,
  line?: number,
): string {
  const label = codeSpan(line === undefined ? path : `${path}:${line}`);
  const url = `${serverUrl}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/blob/${sha}/${path
    .split("/")
    .map(urlSegment)
    .join("/")}${line === undefined ? "" : `#L${line}`}`;
  return `[${label}](${url})`;
}

/**
 * A path segment for a link target. encodeURIComponent leaves `( ) ! * ' ~` alone, and a
 * ")" in a file name would end the Markdown link and let the rest of the name render.
 */
function urlSegment(segment: string): string {
  return encodeURIComponent(segment).replace(
    /[!'()*~]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** A table of plan changes, capped at `max` rows with the rest counted. */
export function changesTable(
  changes: readonly Change[],
  link: (change: Change) => string,
  max = 50,
): string {
  if (changes.length === 0) return "_No plan changes._\n";
  const rows = changes
    .slice(0, max)
    .map((c) => `| ${changeRecord(c)} | ${inertCell(c.summary, 300)} | ${link(c)} |`);
  const more =
    changes.length > max ? `\n_…and ${changes.length - max} more (see the job summary)._\n` : "";
  return `| record | change | where |\n|---|---|---|\n${rows.join("\n")}\n${more}`;
}

/** A table of problems (rule violations or diagnostics). */
export function problemsTable(
  problems: readonly Diagnostic[],
  link: (d: Diagnostic) => string,
  max = 100,
): string {
  const rows = problems
    .slice(0, max)
    .map(
      (d) =>
        `| ${d.severity === "error" ? "❌ error" : d.severity === "warning" ? "⚠️ warning" : "ℹ️ info"} | ${d.code} | ${inertCell(d.message, 400)} | ${link(d)} |`,
    );
  const more = problems.length > max ? `\n_…and ${problems.length - max} more._\n` : "";
  return `| | code | problem | where |\n|---|---|---|---|\n${rows.join("\n")}\n${more}`;
}

/** "@ana-souza (WEB-3, WEB-9), @tom (API-2)" for the people newly assigned. */
export function mentionsLine(assigned: ReadonlyMap<string, readonly string[]>): string {
  const entries = [...assigned];
  // a comment pings at most ten people; the rest are named without a ping
  const line = (login: string, ids: readonly string[], live: boolean) =>
    `${live ? mention(login) : inertText(login, 40)} (${ids
      .slice(0, 10)
      .map((id) => inertText(id, 40))
      .join(", ")}${ids.length > 10 ? ", …" : ""})`;
  return entries.map(([login, ids], i) => line(login, ids, i < MAX_MENTIONS)).join(", ");
}

/** Most people one comment mentions (a forged follow-up report cannot ping a whole team). */
export const MAX_MENTIONS = 10;

export { codeSpan, inertCell, inertText, mention };
