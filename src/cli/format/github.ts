import { DIAGNOSTICS } from "../../core/diagnostics/codes.js";
import type { Diagnostic } from "../../core/diagnostics/diagnostic.js";
import { safeText } from "../render/width.js";

// file content quoted in messages loses its control characters (an ESC could restyle the log)
const escapeData = (s: string) =>
  safeText(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`), which the runner
 * turns into annotations on the pull request's lines.
 */
export function formatGithub(
  diagnostics: readonly Diagnostic[],
  displayPath: (file: string) => string,
): string {
  return diagnostics
    .map((d) => {
      const command =
        d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "notice";
      const props = [
        `file=${escapeProperty(displayPath(d.file))}`,
        `line=${d.line}`,
        `col=${d.column}`,
        `endLine=${d.endLine}`,
        `endColumn=${d.endColumn}`,
        `title=${escapeProperty(`${d.code} ${DIAGNOSTICS[d.code].name}`)}`,
      ].join(",");
      return `::${command} ${props}::${escapeData(`${d.message}${d.hint !== "" ? `\n${d.hint}` : ""}`)}\n`;
    })
    .join("");
}
