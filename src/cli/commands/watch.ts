import type { Severity } from "../../core/diagnostics/codes.js";
import type { Diagnostic } from "../../core/diagnostics/diagnostic.js";
import type { IncrementalCheck } from "../../core/incremental/checker.js";
import type { TrackerWatch, WatchBatch } from "../../node/watch.js";
import { formatText } from "../format/text.js";
import { CliError, type CliIO, styles, useColour } from "../io.js";
import { safeText } from "../render/width.js";
import { displayPathFor, resolveTrackerRoot } from "../tracker-path.js";
import { summaryLine } from "./check.js";

export const WATCH_FORMATS = ["text", "json"] as const;
export type WatchFormat = (typeof WATCH_FORMATS)[number];

/** Options of {@link runWatch}. */
export interface WatchCommandOptions {
  /** The tracker folder (default: found from the working folder upwards). */
  readonly tracker?: string;
  readonly format?: WatchFormat;
  /** Quiet time after the last file event before re-checking, in milliseconds (default 75). */
  readonly debounceMs?: number;
}

/**
 * `trackdown watch`: prints the check of the tracker, then, after every save, only what
 * changed in its problems. Runs until `stop` aborts or, without one, until SIGINT or
 * SIGTERM (Ctrl-C), then closes the watcher and returns 0.
 */
export async function runWatch(
  io: CliIO,
  options: WatchCommandOptions,
  stop?: AbortSignal,
): Promise<number> {
  const root = resolveTrackerRoot(io, options.tracker);
  const display = displayPathFor(io, root);
  const output = watchOutput(io, display, options.format ?? "text");
  const { watchTracker } = await import("../../node/watch.js");
  let watching: TrackerWatch;
  try {
    watching = await watchTracker(root, {
      ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
      onBatch: (batch) => io.stdout.write(output.batch(batch, watching.check)),
      onError: (error) => io.stderr.write(`trackdown watch: ${safeText(error.message)}\n`),
    });
  } catch (error) {
    throw new CliError(
      `Could not watch the tracker in ${root}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  io.stdout.write(output.start(watching.check));
  io.stderr.write(`Watching ${display(".")} for changes (Ctrl-C to stop).\n`);
  await stopped(stop);
  await watching.close();
  return 0;
}

/** Resolves when `stop` aborts, or without one on SIGINT or SIGTERM. */
function stopped(stop: AbortSignal | undefined): Promise<void> {
  return new Promise((done) => {
    if (stop?.aborted === true) return done();
    const finish = () => {
      process.off("SIGINT", finish);
      process.off("SIGTERM", finish);
      done();
    };
    if (stop !== undefined) stop.addEventListener("abort", finish, { once: true });
    else {
      process.once("SIGINT", finish);
      process.once("SIGTERM", finish);
    }
  });
}

/** How `trackdown watch` shows its first check and each batch. */
export interface WatchOutput {
  /** The whole check, as `trackdown check` prints it (text), or one JSON line. */
  start(check: IncrementalCheck): string;
  /** What a batch changed: new problems, fixed ones and a summary line (text), or one JSON line. */
  batch(batch: WatchBatch, check: IncrementalCheck): string;
}

/**
 * The output of `trackdown watch`. Text: new problems as `trackdown check` prints them, a
 * `fixed:` line per problem gone, then `12:03:41 2 errors, 1 warning (1 fixed, 1 new)`; a
 * problem that only moved (lines added above it) is neither. JSON: one object a line,
 * `{added, removed, errors, warnings, files}`, with exact positions (a moved problem is
 * removed at its old place and added at its new one).
 */
export function watchOutput(
  io: CliIO,
  display: (file: string) => string,
  format: WatchFormat,
): WatchOutput {
  const colour = useColour(io);
  const s = styles(colour);
  const shown = (d: Diagnostic) => ({
    ...d,
    file: display(d.file),
    related: d.related?.map((r) => ({ ...r, file: display(r.file) })),
  });
  const json = (
    added: readonly Diagnostic[],
    removed: readonly Diagnostic[],
    files: readonly string[],
    counts: Readonly<Record<Severity, number>>,
  ) =>
    `${JSON.stringify({
      added: added.map(shown),
      removed: removed.map(shown),
      errors: counts.error,
      warnings: counts.warning,
      files,
    })}\n`;
  if (format === "json") {
    return {
      start: (check) => json(check.diagnostics, [], [], check.counts),
      batch: (batch, check) =>
        json(batch.delta.added, batch.delta.removed, batch.paths.map(display), check.counts),
    };
  }
  return {
    start(check) {
      return `${formatText(check.diagnostics, display, colour)}${summaryLine(check.counts, check.taskCount, colour, undefined)}`;
    },
    batch(batch, check) {
      const { added, removed } = withoutMoves(batch.delta.added, batch.delta.removed);
      const time = s.dim(clock());
      const lines: string[] = [];
      if (batch.config === "missing")
        lines.push("trackdown.yml is gone: checking with the default workflow until it is back.\n");
      lines.push(formatText(added, display, colour));
      for (const d of removed) {
        const where = safeText(`${display(d.file)}:${d.line}:${d.column}`);
        lines.push(
          `${s.green("fixed:")} ${where} ${d.severity} ${d.code} ${safeText(d.message)}\n`,
        );
      }
      const change = [
        ...(removed.length > 0 ? [`${removed.length} fixed`] : []),
        ...(added.length > 0 ? [`${added.length} new`] : []),
      ];
      lines.push(
        change.length === 0
          ? `${time} no change in problems\n`
          : `${time} ${problemCounts(check.counts)} (${change.join(", ")})\n`,
      );
      return lines.join("");
    },
  };
}

/**
 * Drops the pairs of a removed and an added problem that are the same problem in the same
 * file at another place: lines added above a problem do not make it new.
 */
function withoutMoves(
  added: readonly Diagnostic[],
  removed: readonly Diagnostic[],
): { added: Diagnostic[]; removed: Diagnostic[] } {
  const problem = (d: Diagnostic) =>
    JSON.stringify([d.file, d.code, d.severity, d.message, d.hint, d.path ?? ""]);
  const gone = new Map<string, number>();
  for (const d of removed) gone.set(problem(d), (gone.get(problem(d)) ?? 0) + 1);
  const moved = new Map<string, number>();
  const fresh = added.filter((d) => {
    const key = problem(d);
    const n = gone.get(key) ?? 0;
    if (n === 0) return true;
    gone.set(key, n - 1);
    moved.set(key, (moved.get(key) ?? 0) + 1);
    return false;
  });
  const fixed = removed.filter((d) => {
    const key = problem(d);
    const n = moved.get(key) ?? 0;
    if (n === 0) return true;
    moved.set(key, n - 1);
    return false;
  });
  return { added: fresh, removed: fixed };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const problemCounts = (counts: Readonly<Record<Severity, number>>) =>
  `${plural(counts.error, "error")}, ${plural(counts.warning, "warning")}`;
/** The local time of day, HH:MM:SS. */
const clock = () => new Date().toTimeString().slice(0, 8);
