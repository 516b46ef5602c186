import { formatDuration } from "../../core/duration.js";
import { query } from "../../core/query/query.js";
import { openForCommand, type TrackerOption } from "../context.js";
import type { CliIO } from "../io.js";
import { styles } from "../io.js";
import { formatQueryProblems, needsHistory } from "../query-problems.js";
import { renderTable } from "../render/table.js";
import { safeText } from "../render/width.js";

export interface StatsOptions extends TrackerOption {
  readonly format: "table" | "json";
}

/** `trackdown stats [query]`: counts by status, person, milestone and project. */
export async function runStats(
  io: CliIO,
  words: readonly string[],
  options: StatsOptions,
): Promise<number> {
  const ctx = await openForCommand(io, options);
  const text = words.join(" ");
  const result = query(ctx.tracker, text, ctx.queryOptions(needsHistory(text), text));
  if (result.problems.length > 0)
    io.stderr.write(formatQueryProblems(text, result.problems, ctx.colour));
  if (!result.ok) return 2;
  const { tracker, index } = ctx;
  const tasks = result.tasks;
  const open = tasks.filter((t) => index.facts(t).open);
  const byStatus = tracker.settings.statuses.map((st) => ({
    status: st.id,
    name: st.name,
    category: st.category,
    tasks: tasks.filter((t) => t.status === st.id).length,
    wipLimit: st.wipLimit ?? null,
  }));
  const taskIds = new Set(tasks.map((t) => t.id));
  const people = tracker.people
    .map((p) => {
      const theirs = tasks.filter((t) => t.assignees.includes(p.id));
      const openTheirs = theirs.filter((t) => index.facts(t).open);
      const minutes = tracker.timeEntries
        .filter((e) => e.person === p.id && taskIds.has(e.task))
        .reduce((n, e) => n + e.minutes, 0);
      return {
        person: p.id,
        name: p.name,
        open: openTheirs.length,
        closed: theirs.length - openTheirs.length,
        openEstimate: openTheirs.reduce((n, t) => n + (t.estimate ?? 0), 0),
        overdue: openTheirs.filter((t) => index.facts(t).overdue).length,
        loggedMinutes: minutes,
      };
    })
    .filter((p) => p.open + p.closed + p.loggedMinutes > 0);
  const unassigned = open.filter((t) => t.assignees.length === 0).length;
  const inQuery = new Set(tasks);
  const milestones = tracker.milestones.map((m) => {
    const f = index.milestoneFacts(m);
    return {
      milestone: m.id,
      title: m.title,
      due: m.due ?? null,
      tasks: (index.byMilestone.get(m.id) ?? []).filter((t) => inQuery.has(t)).length,
      done: f.done,
      total: f.total,
      progress: Math.round(f.progress * 1000) / 1000,
      overdue: f.overdue,
      blocked: f.blocked,
    };
  });
  const projects = tracker.projects.map((p) => {
    const theirs = tasks.filter((t) => t.project === p.folder);
    return {
      project: p.key,
      name: p.name,
      tasks: theirs.length,
      open: theirs.filter((t) => index.facts(t).open).length,
    };
  });
  const summary = {
    tasks: tasks.length,
    open: open.length,
    blocked: open.filter((t) => index.facts(t).blocked).length,
    overdue: open.filter((t) => index.facts(t).overdue).length,
    unassigned,
  };
  if (options.format === "json") {
    io.stdout.write(
      `${JSON.stringify({ query: text, today: ctx.today, summary, byStatus, byPerson: people, byMilestone: milestones, byProject: projects }, null, 2)}\n`,
    );
    return 0;
  }
  const s = styles(ctx.colour);
  // cells come from tracker files: no escape sequences reach the terminal
  const table = (rows: Record<string, string>[], columns: Parameters<typeof renderTable>[1]) =>
    renderTable(
      rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, safeText(v)]))),
      columns,
      { width: ctx.width, colour: ctx.colour },
    );
  const out: string[] = [];
  out.push(
    `${s.bold(safeText(tracker.settings.name))}${text.trim() !== "" ? s.dim(` · ${text}`) : ""}: ${summary.tasks} tasks, ${summary.open} open, ${summary.blocked} blocked, ${summary.overdue} overdue, ${summary.unassigned} open and unassigned\n`,
  );
  out.push(s.bold("By status\n"));
  out.push(
    table(
      byStatus.map((b) => ({
        status: b.name,
        category: b.category,
        tasks: String(b.tasks),
        limit:
          b.wipLimit === null
            ? ""
            : `${b.tasks}/${b.wipLimit}${b.tasks > b.wipLimit ? " over" : ""}`,
      })),
      [
        { key: "status", header: "STATUS" },
        { key: "category", header: "CATEGORY" },
        { key: "tasks", header: "TASKS", align: "right" },
        { key: "limit", header: "WIP" },
      ],
    ),
  );
  out.push(s.bold("\nBy person\n"));
  out.push(
    table(
      people.map((p) => ({
        name: p.name,
        open: String(p.open),
        closed: String(p.closed),
        est: String(p.openEstimate),
        overdue: p.overdue > 0 ? String(p.overdue) : "",
        logged: formatDuration(p.loggedMinutes),
      })),
      [
        { key: "name", header: "PERSON", flex: true },
        { key: "open", header: "OPEN", align: "right" },
        { key: "closed", header: "CLOSED", align: "right" },
        { key: "est", header: "OPEN EST", align: "right" },
        { key: "overdue", header: "OVERDUE", align: "right" },
        { key: "logged", header: "LOGGED", align: "right" },
      ],
    ),
  );
  out.push(s.dim(`(unassigned open tasks: ${unassigned})\n`));
  out.push(s.bold("\nBy milestone\n"));
  out.push(
    table(
      milestones.map((m) => ({
        id: m.milestone,
        title: m.title,
        due: m.due ?? "",
        done: `${m.done}/${m.total}`,
        progress: `${Math.round(m.progress * 100)}%`,
        issues: [
          m.overdue > 0 ? `${m.overdue} overdue` : "",
          m.blocked > 0 ? `${m.blocked} blocked` : "",
        ]
          .filter(Boolean)
          .join(", "),
      })),
      [
        { key: "id", header: "MILESTONE" },
        { key: "title", header: "TITLE", flex: true },
        { key: "due", header: "DUE" },
        { key: "done", header: "DONE", align: "right" },
        { key: "progress", header: "PROGRESS", align: "right" },
        { key: "issues", header: "" },
      ],
    ),
  );
  out.push(s.bold("\nBy project\n"));
  out.push(
    table(
      projects.map((p) => ({
        key: p.project,
        name: p.name,
        tasks: String(p.tasks),
        open: String(p.open),
      })),
      [
        { key: "key", header: "KEY" },
        { key: "name", header: "PROJECT", flex: true },
        { key: "tasks", header: "TASKS", align: "right" },
        { key: "open", header: "OPEN", align: "right" },
      ],
    ),
  );
  io.stdout.write(out.join(""));
  return 0;
}
