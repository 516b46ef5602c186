import { type Change, changeRecord, diffTrackers } from "../../core/diff/diff.js";
import { loadForCommand, type TrackerOption } from "../context.js";
import { CliError, type CliIO, styles, useColour } from "../io.js";
import { safeText } from "../render/width.js";
import { displayPathFor, resolveTrackerRoot } from "../tracker-path.js";

export const DIFF_FORMATS = ["text", "json", "md"] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

export interface DiffOptions extends Omit<TrackerOption, "at"> {
  readonly format: DiffFormat;
}

const GROUPS = ["task", "milestone", "project", "person", "team", "config", "time"] as const;
const TITLES: Record<(typeof GROUPS)[number], string> = {
  task: "Tasks",
  milestone: "Milestones",
  project: "Projects",
  person: "People",
  team: "Teams",
  config: "Settings",
  time: "Time",
};

/**
 * `trackdown diff [A..B | A]`: the plan changes between two commits (`A..B`), between a
 * commit and the working tree (`A`), or between HEAD and the working tree (nothing).
 */
export async function runDiff(
  io: CliIO,
  range: string | undefined,
  options: DiffOptions,
): Promise<number> {
  const root = resolveTrackerRoot(io, options.tracker);
  const [fromRev, toRev, sinceForked] = splitRange(range);
  // two commits: compare trees and read only what changed; with the working tree, the
  // whole snapshot on each side
  let changes: Change[];
  let trackerName: string;
  if (toRev !== undefined) {
    const { diffRevisions, workingTreeSettings } = await import("../../node/git.js");
    try {
      changes = await diffRevisions(root, fromRev, toRev, { sinceForked });
    } catch (error) {
      if (error instanceof Error && error.name === "GitProblem") throw new CliError(error.message);
      throw error;
    }
    trackerName = workingTreeSettings(root).name;
  } else {
    const before = await loadForCommand(root, fromRev);
    const after = await loadForCommand(root, toRev);
    changes = diffTrackers(before, after);
    trackerName = after.settings.name;
  }
  const label = `${fromRev}${sinceForked ? "..." : ".."}${toRev ?? "working tree"}`;
  const display = displayPathFor(io, root);
  if (options.format === "json") {
    io.stdout.write(
      `${JSON.stringify({ from: fromRev, to: toRev ?? null, count: changes.length, changes: changes.map((c) => ({ ...c, file: display(c.file) })) }, null, 2)}\n`,
    );
    return 0;
  }
  if (options.format === "md") {
    io.stdout.write(markdown(changes, label, trackerName, display));
    return 0;
  }
  const s = styles(useColour(io));
  if (changes.length === 0) {
    io.stdout.write(`No plan changes in ${label}.\n`);
    return 0;
  }
  const lines: string[] = [
    s.bold(`${changes.length} plan change${changes.length === 1 ? "" : "s"} in ${label}`),
  ];
  for (const group of GROUPS) {
    const inGroup = changes.filter((c) => changeRecord(c) === group);
    if (inGroup.length === 0) continue;
    lines.push("", s.bold(TITLES[group]));
    for (const c of inGroup)
      lines.push(`  ${safeText(c.summary)} ${s.dim(safeText(`${display(c.file)}:${c.line}`))}`);
  }
  io.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

/** `A..B` (A to B), `A...B` (from where B left A, to B), `A` (A to the working tree). */
function splitRange(range: string | undefined): [string, string | undefined, boolean] {
  if (range === undefined || range.trim() === "") return ["HEAD", undefined, false];
  const at = range.indexOf("..");
  if (at === -1) return [range, undefined, false];
  const sinceForked = range.slice(at, at + 3) === "...";
  const from = range.slice(0, at) || "HEAD";
  const to = range.slice(at + (sinceForked ? 3 : 2)) || "HEAD";
  return [from, to, sinceForked];
}

function markdown(
  changes: readonly Change[],
  label: string,
  trackerName: string,
  display: (file: string) => string,
): string {
  if (changes.length === 0) return `No plan changes in \`${label}\`.\n`;
  const cell = (text: string) => safeText(text).replace(/\|/g, "\\|").replace(/\n/g, " ");
  const out = [
    `**${changes.length} plan change${changes.length === 1 ? "" : "s"}** in \`${label}\`${trackerName !== "" ? ` (${cell(trackerName)})` : ""}`,
    "",
  ];
  out.push("| | change | file |", "|---|---|---|");
  for (const c of changes)
    out.push(
      `| ${TITLES[changeRecord(c)]} | ${cell(c.summary)} | \`${cell(display(c.file))}:${c.line}\` |`,
    );
  return `${out.join("\n")}\n`;
}
