import { countBySeverity } from "../../core/diagnostics/diagnostic.js";
import { loadTracker } from "../../node/load.js";
import { VERSION } from "../../node/version.js";
import { formatGithub } from "../format/github.js";
import { formatSarif } from "../format/sarif.js";
import { formatText } from "../format/text.js";
import { CliError, type CliIO, styles, useColour } from "../io.js";
import { displayPathFor, resolveTrackerRoot } from "../tracker-path.js";

export const CHECK_FORMATS = ["text", "json", "github", "sarif"] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export interface CheckOptions {
  readonly format: CheckFormat;
  /** Fail when there are more warnings than this; unlimited when undefined. */
  readonly maxWarnings?: number;
  readonly cache: boolean;
}

/**
 * `trackdown check`: validates the tracker and prints every problem.
 * Exit 0 clean, 1 errors (or warnings over the maximum), 2 usage or I/O failure.
 */
export async function runCheck(
  io: CliIO,
  path: string | undefined,
  options: CheckOptions,
): Promise<number> {
  const root = resolveTrackerRoot(io, path);
  let tracker: Awaited<ReturnType<typeof loadTracker>>;
  try {
    tracker = await loadTracker(root, { cache: options.cache });
  } catch (error) {
    throw new CliError(
      `Could not read the tracker in ${root}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const display = displayPathFor(io, root);
  const diagnostics = tracker.diagnostics;
  const counts = countBySeverity(diagnostics);
  const failed =
    counts.error > 0 || (options.maxWarnings !== undefined && counts.warning > options.maxWarnings);
  switch (options.format) {
    case "json":
      io.stdout.write(
        `${JSON.stringify(
          {
            tracker: display("."),
            ok: !failed,
            summary: {
              errors: counts.error,
              warnings: counts.warning,
              infos: counts.info,
              tasks: tracker.tasks.length,
              archivedTasks: tracker.archivedTasks.length,
            },
            diagnostics: diagnostics.map((d) => ({
              ...d,
              file: display(d.file),
              related: d.related?.map((r) => ({ ...r, file: display(r.file) })),
            })),
          },
          null,
          2,
        )}\n`,
      );
      break;
    case "github":
      io.stdout.write(formatGithub(diagnostics, display));
      io.stdout.write(summaryLine(counts, tracker.tasks.length, false, options.maxWarnings));
      break;
    case "sarif":
      io.stdout.write(formatSarif(diagnostics, display, VERSION));
      break;
    default: {
      const colour = useColour(io);
      io.stdout.write(formatText(diagnostics, display, colour));
      io.stdout.write(summaryLine(counts, tracker.tasks.length, colour, options.maxWarnings));
    }
  }
  return failed ? 1 : 0;
}

/** `✓ 64 tasks checked, no problems.` or `✖ 2 errors, 1 warning in 64 tasks.`, with its line break. */
export function summaryLine(
  counts: { readonly error: number; readonly warning: number; readonly info: number },
  tasks: number,
  colour: boolean,
  maxWarnings: number | undefined,
): string {
  const s = styles(colour);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (counts.error === 0 && counts.warning === 0) {
    return `${s.green("✓")} ${plural(tasks, "task")} checked, no problems.\n`;
  }
  const over =
    maxWarnings !== undefined && counts.warning > maxWarnings
      ? ` (more than --max-warnings ${maxWarnings})`
      : "";
  const mark = counts.error > 0 || over !== "" ? s.red("✖") : s.yellow("!");
  return `${mark} ${plural(counts.error, "error")}, ${plural(counts.warning, "warning")}${over} in ${plural(tasks, "task")}.\n`;
}
