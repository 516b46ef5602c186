import type { Diagnostic } from "../../core/diagnostics/diagnostic.js";
import { styles } from "../io.js";
import { safeText } from "../render/width.js";

/** Compiler-style lines: `file:line:col severity CODE message`, then the hint, indented. */
export function formatText(
  diagnostics: readonly Diagnostic[],
  displayPath: (file: string) => string,
  colour: boolean,
): string {
  const s = styles(colour);
  const lines: string[] = [];
  for (const d of diagnostics) {
    const sev =
      d.severity === "error"
        ? s.red("error")
        : d.severity === "warning"
          ? s.yellow("warning")
          : s.blue("info");
    // messages quote file content: no escape sequences may reach the terminal
    const where = safeText(`${displayPath(d.file)}:${d.line}:${d.column}`);
    lines.push(`${s.bold(where)} ${sev} ${s.dim(d.code)} ${safeText(d.message)}`);
    if (d.hint !== "") lines.push(`  ${s.dim("hint:")} ${safeText(d.hint)}`);
    for (const r of d.related ?? []) {
      lines.push(
        `  ${s.dim("see:")} ${safeText(`${displayPath(r.file)}:${r.line}:${r.column} ${r.message}`)}`,
      );
    }
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}
