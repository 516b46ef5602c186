import { todayIn } from "../core/dates.js";
import { indexTracker, type TrackerIndex } from "../core/index/tracker-index.js";
import type { Tracker } from "../core/model.js";
import type { QueryOptions } from "../core/query/query.js";
import { lastChangeDays } from "../node/last-changes.js";
import { loadTracker } from "../node/load.js";
import { whoAmI } from "../node/who-am-i.js";
import { CliError, type CliIO, useColour } from "./io.js";
import { displayPathFor, resolveTrackerRoot } from "./tracker-path.js";

/** What a read command works with: the tracker, its index and how to show things. */
export interface CommandContext {
  readonly io: CliIO;
  readonly root: string;
  readonly tracker: Tracker;
  readonly today: string;
  readonly index: TrackerIndex;
  readonly colour: boolean;
  /** Columns available for output. */
  readonly width: number;
  readonly display: (file: string) => string;
  /** Options for query(): @me (when the query uses it) and last-change days from git (when asked). */
  queryOptions(needsHistory: boolean, text?: string): QueryOptions;
}

/** Options every read command takes. */
export interface TrackerOption {
  /** The tracker folder (default: found from the working folder upwards). */
  readonly tracker?: string;
  /** Read the tracker as it was at a commit, branch, tag or date (YYYY-MM-DD) instead of the working tree. */
  readonly at?: string;
}

/**
 * Loads the tracker for a read command. `TRACKDOWN_TODAY` (YYYY-MM-DD) fixes "today", for
 * reproducible output in tests and demos.
 */
export async function openForCommand(io: CliIO, options: TrackerOption): Promise<CommandContext> {
  const root = resolveTrackerRoot(io, options.tracker);
  const tracker = await loadForCommand(root, options.at);
  const today = todayFor(io, tracker.settings.timezone);
  let history: ReadonlyMap<string, string> | undefined | null = null;
  const width = terminalWidth(io);
  return {
    io,
    root,
    tracker,
    today,
    index: indexTracker(tracker, { today }),
    colour: useColour(io),
    width,
    display: displayPathFor(io, root),
    queryOptions(needsHistory, text) {
      // asking git who we are costs a process: only when the query says @me
      const me =
        text === undefined || /@me\b/i.test(text)
          ? whoAmI(tracker, io.cwd, io.env)
          : { problem: "" };
      if (needsHistory && history === null) history = lastChangeDays(root);
      return {
        today,
        ...("person" in me ? { me: me.person } : { meProblem: me.problem }),
        ...(needsHistory && history !== null && history !== undefined ? { updated: history } : {}),
      };
    },
  };
}

/** Today in the tracker's time zone, or `TRACKDOWN_TODAY` (YYYY-MM-DD) when it is set. */
export function todayFor(io: CliIO, timezone: string): string {
  const fixed = io.env.TRACKDOWN_TODAY;
  if (fixed === undefined || fixed === "") return todayIn(timezone);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(fixed)) {
    throw new CliError(`TRACKDOWN_TODAY is "${fixed}"; it must be a date written YYYY-MM-DD.`);
  }
  return fixed;
}

/**
 * The tracker in the working tree, or at a commit, branch, tag or date. A bad revision or
 * a repository problem is a usage error (exit 2) with git's reason.
 */
export async function loadForCommand(root: string, at: string | undefined): Promise<Tracker> {
  try {
    if (at === undefined) return await loadTracker(root);
    // git reading (isomorphic-git) loads only when a command reads history
    const { loadTrackerAt } = await import("../node/git.js");
    return await loadTrackerAt(root, at);
  } catch (error) {
    if (error instanceof Error && error.name === "GitProblem") throw new CliError(error.message);
    throw new CliError(
      `Could not read the tracker in ${root}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The terminal's width, `COLUMNS` when output is not a terminal, else 120. */
export function terminalWidth(io: CliIO): number {
  if (io.stdout.isTTY === true && io.stdout.columns !== undefined && io.stdout.columns > 0)
    return io.stdout.columns;
  const fromEnv = Number(io.env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv >= 20 ? fromEnv : 120;
}
