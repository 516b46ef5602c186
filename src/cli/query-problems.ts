import type { QueryProblem } from "../core/query/parse.js";
import { styles } from "./io.js";

/**
 * Query problems as a compiler would print them: `query:1:9 error …`, the query, a caret
 * line under the offending text, then what was expected and the hint.
 */
export function formatQueryProblems(
  text: string,
  problems: readonly QueryProblem[],
  colour: boolean,
): string {
  const s = styles(colour);
  const lines: string[] = [];
  for (const p of problems) {
    const severity = p.severity === "error" ? s.red("error") : s.yellow("warning");
    lines.push(`${s.bold(`query:1:${p.column}`)} ${severity} ${p.message}`);
    const shown = text.replace(/[\t\r\n]/g, " ");
    if (shown.length <= 200) {
      lines.push(`  ${shown}`);
      const width = Math.max(1, Math.min(p.endColumn, shown.length + 1) - p.column);
      lines.push(`  ${" ".repeat(p.column - 1)}${s.red("^".repeat(width))}`);
    }
    if (p.expected !== undefined) lines.push(`  ${s.dim("expected:")} ${p.expected}`);
    if (p.hint !== undefined) lines.push(`  ${s.dim("hint:")} ${p.hint}`);
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

/** Whether a query asks for git history (updated: or sort:updated). */
export function needsHistory(text: string, columns: readonly string[] = []): boolean {
  return /\bupdated\b/i.test(text) || columns.includes("updated");
}
