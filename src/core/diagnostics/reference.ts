import { DIAGNOSTICS, type DiagnosticDefinition } from "./codes.js";

const RANGES: readonly [string, string][] = [
  ["TD0", "Files and YAML"],
  ["TD1", "Schema: fields and their values"],
  ["TD2", "References between records"],
  ["TD3", "The tracker's own rules"],
];

/**
 * The text of `docs/diagnostics.md`, generated from the catalogue so the two never
 * disagree (`npm run gen:docs`; a test fails when the file is stale).
 */
export function renderDiagnosticsReference(): string {
  const all = Object.values(DIAGNOSTICS) as DiagnosticDefinition[];
  const out: string[] = [
    "# Diagnostics",
    "",
    "<!-- Generated from src/core/diagnostics/codes.ts by `npm run gen:docs`. Do not edit by hand. -->",
    "",
    "Every problem Trackdown reports has a stable code. `trackdown check` prints it like a compiler:",
    "",
    "```",
    'tracker/projects/web/tasks/WEB-12.md:5:13 error TD201 "anna" is not a person in people/.',
    '  hint: Did you mean "ana"?',
    "```",
    "",
    "Codes never change meaning. Tools should match on `code` (and `path`, a JSON Pointer to the",
    "field), never on the message. `error` fails `trackdown check` (exit 1); `warning` fails it only",
    "beyond `--max-warnings`.",
    "",
    "| code | name | severity | what |",
    "|---|---|---|---|",
    ...all.map(
      (d) => `| [${d.code}](#${d.code.toLowerCase()}) | ${d.name} | ${d.severity} | ${d.title} |`,
    ),
    "",
  ];
  for (const [prefix, title] of RANGES) {
    out.push(`## ${title}`, "");
    for (const d of all.filter((x) => x.code.startsWith(prefix))) {
      out.push(
        `### ${d.code}`,
        "",
        `**${d.title}** (\`${d.name}\`, ${d.severity})`,
        "",
        d.hint,
        "",
        `Example, \`${d.example.file}\`:`,
        "",
        "```yaml",
        d.example.text,
        "```",
        "",
        `Fix: ${d.fix}`,
        "",
      );
    }
  }
  return out.join("\n");
}
