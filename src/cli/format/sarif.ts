import { DIAGNOSTICS, type DiagnosticCode } from "../../core/diagnostics/codes.js";
import type { Diagnostic } from "../../core/diagnostics/diagnostic.js";

/** A relative path as a URI reference: each segment percent-encoded (spaces, %, #…). */
const toUri = (path: string) => path.split("/").map(encodeURIComponent).join("/");

const LEVEL = { error: "error", warning: "warning", info: "note" } as const;

/** A SARIF 2.1.0 log, for code-scanning tools (GitHub code scanning, IDEs). */
export function formatSarif(
  diagnostics: readonly Diagnostic[],
  displayPath: (file: string) => string,
  version: string,
): string {
  const codes = [...new Set(diagnostics.map((d) => d.code))].sort() as DiagnosticCode[];
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));
  const region = (r: { line: number; column: number; endLine: number; endColumn: number }) => ({
    startLine: r.line,
    startColumn: r.column,
    endLine: r.endLine,
    endColumn: Math.max(r.endColumn, r.endLine === r.line ? r.column : 1),
  });
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "trackdown",
            version,
            informationUri: "https://github.com/trackdown/trackdown",
            rules: codes.map((code) => {
              const def = DIAGNOSTICS[code];
              return {
                id: code,
                name: def.name,
                shortDescription: { text: def.title },
                help: { text: def.hint },
                helpUri: `https://github.com/trackdown/trackdown/blob/main/docs/diagnostics.md#${code.toLowerCase()}`,
                defaultConfiguration: { level: LEVEL[def.severity] },
              };
            }),
          },
        },
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: ruleIndex.get(d.code),
          level: LEVEL[d.severity],
          message: { text: d.hint !== "" ? `${d.message} ${d.hint}` : d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(displayPath(d.file)) },
                region: region(d),
              },
            },
          ],
          ...(d.related !== undefined
            ? {
                relatedLocations: d.related.map((r, id) => ({
                  id,
                  message: { text: r.message },
                  physicalLocation: {
                    artifactLocation: { uri: toUri(displayPath(r.file)) },
                    region: region(r),
                  },
                })),
              }
            : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
