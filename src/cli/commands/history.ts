import type { Change } from "../../core/diff/diff.js";
import type { TrackerHistory } from "../../core/git/history.js";
import { CliError, type CliIO, styles, useColour } from "../io.js";
import { safeText } from "../render/width.js";
import { displayPathFor, resolveTrackerRoot } from "../tracker-path.js";

export interface HistoryCommandOptions {
  readonly tracker?: string;
  readonly format: "text" | "json";
  /** Walk back at most this many first-parent commits. */
  readonly limit?: number;
}

async function history(
  io: CliIO,
  options: HistoryCommandOptions,
): Promise<{ history: TrackerHistory; root: string }> {
  const root = resolveTrackerRoot(io, options.tracker);
  const { loadTrackerHistory } = await import("../../node/git.js");
  try {
    return {
      history: await loadTrackerHistory(
        root,
        options.limit !== undefined ? { limit: options.limit } : {},
      ),
      root,
    };
  } catch (error) {
    if (error instanceof Error && error.name === "GitProblem") throw new CliError(error.message);
    throw error;
  }
}

const day = (timestamp: number) => new Date(timestamp * 1000).toISOString().slice(0, 10);

/** `trackdown history ID`: every change to a task, commit by commit, with who and when. */
export async function runHistory(
  io: CliIO,
  id: string,
  options: HistoryCommandOptions,
): Promise<number> {
  const { history: h, root } = await history(io, options);
  const wanted = id.toUpperCase();
  const ids = new Set([wanted]);
  const entries: { commit: string; author: string; timestamp: number; change: Change }[] = [];
  for (const commit of h.commits) {
    for (const change of commit.changes) {
      if (change.kind === "task.moved" && ids.has(String(change.from))) ids.add(String(change.to));
      if (!change.kind.startsWith("task.") || !ids.has(change.id)) continue;
      entries.push({
        commit: commit.oid,
        author: commit.info.author.name,
        timestamp: commit.info.committer.timestamp,
        change,
      });
    }
  }
  if (entries.length === 0) {
    io.stderr.write(
      `trackdown: no commit in this history changes ${id}.${h.complete ? "" : ` ${h.stoppedBecause ?? ""}`}\n`,
    );
    return 1;
  }
  if (options.format === "json") {
    io.stdout.write(
      `${JSON.stringify({ task: wanted, complete: h.complete, events: entries.map((e) => ({ commit: e.commit, author: e.author, date: day(e.timestamp), ...e.change })) }, null, 2)}\n`,
    );
    return 0;
  }
  const s = styles(useColour(io));
  const display = displayPathFor(io, root);
  const lines = [s.bold(`${wanted}: ${entries.length} change${entries.length === 1 ? "" : "s"}`)];
  for (const e of entries) {
    lines.push(
      `${day(e.timestamp)}  ${s.dim(e.commit.slice(0, 8))}  ${safeText(e.change.summary)}  ${s.dim(safeText(`${e.author} · ${display(e.change.file)}`))}`,
    );
  }
  if (!h.complete) lines.push(s.yellow(`History is incomplete: ${h.stoppedBecause ?? ""}`));
  io.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

/** `trackdown activity [--since DATE]`: the plan changes commit by commit, newest first. */
export async function runActivity(
  io: CliIO,
  options: HistoryCommandOptions & { since?: string },
): Promise<number> {
  if (options.since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.since)) {
    throw new CliError(`--since "${options.since}" is not a date written YYYY-MM-DD.`);
  }
  const { history: h } = await history(io, options);
  const commits = h.commits
    .filter((c) => options.since === undefined || day(c.info.committer.timestamp) >= options.since)
    .reverse();
  if (options.format === "json") {
    io.stdout.write(
      `${JSON.stringify(
        {
          complete: h.complete,
          commits: commits.map((c) => ({
            commit: c.oid,
            author: c.info.author.name,
            date: day(c.info.committer.timestamp),
            merge: c.merge,
            message: c.info.message.split("\n")[0],
            changes: c.changes,
          })),
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const s = styles(useColour(io));
  if (commits.length === 0) {
    io.stdout.write(
      `No plan changes${options.since !== undefined ? ` since ${options.since}` : ""}.\n`,
    );
    return 0;
  }
  const lines: string[] = [];
  for (const c of commits) {
    lines.push(
      `${s.bold(day(c.info.committer.timestamp))} ${s.dim(c.oid.slice(0, 8))} ${safeText(c.info.author.name)}: ${safeText(c.info.message.split("\n")[0] ?? "")}`,
    );
    for (const change of c.changes.slice(0, 20)) lines.push(`  ${safeText(change.summary)}`);
    if (c.changes.length > 20) lines.push(s.dim(`  … and ${c.changes.length - 20} more`));
  }
  if (!h.complete) lines.push(s.yellow(`History is incomplete: ${h.stoppedBecause ?? ""}`));
  io.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}
