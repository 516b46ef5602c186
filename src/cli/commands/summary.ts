import { countBySeverity } from "../../core/diagnostics/diagnostic.js";
import type { Tracker } from "../../core/model.js";
import { loadTracker } from "../../node/load.js";
import { type CliIO, styles, useColour } from "../io.js";
import { safeText } from "../render/width.js";
import { resolveTrackerRoot } from "../tracker-path.js";

/** `trackdown summary`: projects, tasks by status and open work per person, in a few lines. */
export async function runSummary(io: CliIO, path: string | undefined): Promise<number> {
  const root = resolveTrackerRoot(io, path);
  const tracker = await loadTracker(root);
  io.stdout.write(summarise(tracker, useColour(io)));
  return 0;
}

/** The summary text. Pure, for tests. */
export function summarise(tracker: Tracker, colour = false): string {
  const s = styles(colour);
  const category = new Map(tracker.settings.statuses.map((st) => [st.id, st.category]));
  const open = tracker.tasks.filter((t) => category.get(t.status) !== "done");
  const lines: string[] = [];
  const counts = countBySeverity(tracker.diagnostics);
  lines.push(
    `${s.bold(safeText(tracker.settings.name))}: ${tracker.projects.length} projects, ${tracker.tasks.length} tasks (${open.length} open), ${tracker.milestones.length} milestones, ${tracker.people.length} people, ${tracker.timeEntries.length} time entries`,
  );
  if (counts.error + counts.warning > 0) {
    lines.push(
      s.yellow(
        `${plural(counts.error, "error")} and ${plural(counts.warning, "warning")}: run \`trackdown check\` for details`,
      ),
    );
  }
  lines.push("", s.bold("Projects"));
  const width = Math.max(...tracker.projects.map((p) => p.name.length), 4);
  for (const p of tracker.projects) {
    const tasks = tracker.tasks.filter((t) => t.project === p.folder);
    const done = tasks.filter((t) => category.get(t.status) === "done").length;
    const pct = tasks.length === 0 ? 0 : Math.round((done / tasks.length) * 100);
    lines.push(
      `  ${p.key.padEnd(6)} ${p.name.padEnd(width)}  ${bar(pct)} ${String(pct).padStart(3)}%  ${done}/${tasks.length} done`,
    );
  }
  lines.push("", s.bold("Tasks by status"));
  for (const st of tracker.settings.statuses) {
    const n = tracker.tasks.filter((t) => t.status === st.id).length;
    const limit = st.wipLimit !== undefined ? ` (WIP limit ${st.wipLimit})` : "";
    lines.push(`  ${safeText(st.name).padEnd(12)} ${String(n).padStart(4)}${limit}`);
  }
  lines.push("", s.bold("Open tasks per person"));
  const perPerson = new Map<string, number>();
  for (const t of open) for (const a of t.assignees) perPerson.set(a, (perPerson.get(a) ?? 0) + 1);
  const unassigned = open.filter((t) => t.assignees.length === 0).length;
  for (const person of tracker.people) {
    const n = perPerson.get(person.id) ?? 0;
    if (n === 0 && !person.active) continue;
    lines.push(`  ${safeText(person.name).padEnd(20)} ${String(n).padStart(4)}`);
  }
  lines.push(`  ${"(unassigned)".padEnd(20)} ${String(unassigned).padStart(4)}`);
  return `${lines.join("\n")}\n`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function bar(pct: number, width = 20): string {
  const full = Math.round((pct / 100) * width);
  return `${"█".repeat(full)}${"░".repeat(width - full)}`;
}
