import type { Task } from "../../core/model.js";
import { query } from "../../core/query/query.js";
import { type CommandContext, openForCommand, type TrackerOption } from "../context.js";
import { CliError, type CliIO, styles } from "../io.js";
import { formatQueryProblems, needsHistory } from "../query-problems.js";
import { type BoardCard, type BoardColumn, renderBoard } from "../render/board.js";
import { safeText } from "../render/width.js";

export interface BoardOptions extends TrackerOption {
  readonly by?: "assignee" | "priority";
  readonly query?: string;
  /** Most cards per column (per lane with --by). */
  readonly limit: number;
  /** Include archived tasks. */
  readonly archived?: boolean;
}

/**
 * `trackdown board [project]`: a kanban in the terminal, one column per workflow status
 * with its WIP count against the limit, optionally in swimlanes by assignee or priority.
 */
export async function runBoard(
  io: CliIO,
  projectArg: string | undefined,
  options: BoardOptions,
): Promise<number> {
  const ctx = await openForCommand(io, options);
  const { tracker } = ctx;
  let tasks: readonly Task[] = tracker.tasks;
  if (projectArg !== undefined) {
    const project =
      tracker.project(projectArg) ??
      tracker.project(projectArg.toUpperCase()) ??
      tracker.project(projectArg.toLowerCase());
    if (project === undefined) {
      throw new CliError(
        `There is no project "${projectArg}"; projects: ${tracker.projects.map((p) => p.key).join(", ")}.`,
        1,
      );
    }
    tasks = tasks.filter((t) => t.project === project.folder);
  }
  if (options.query !== undefined && options.query.trim() !== "") {
    const result = query(
      tracker,
      options.query,
      ctx.queryOptions(needsHistory(options.query), options.query),
    );
    if (result.problems.length > 0)
      io.stderr.write(formatQueryProblems(options.query, result.problems, ctx.colour));
    if (!result.ok) return 2;
    const keep = new Set(result.tasks);
    tasks = tasks.filter((t) => keep.has(t));
  }
  const statuses = tracker.settings.statuses;
  // WIP limits hold for the whole tracker: a filtered board shows them in a footer instead
  const filtered = tasks.length !== tracker.tasks.length;
  const columnsFor = (subset: readonly Task[]): BoardColumn[] =>
    statuses.map((st) => {
      const inStatus = subset.filter((t) => t.status === st.id);
      const shown = inStatus.slice(0, options.limit);
      return {
        title: safeText(st.name),
        count: inStatus.length,
        ...(st.wipLimit !== undefined && !filtered ? { limit: st.wipLimit } : {}),
        cards: shown.map((t) => card(t, ctx)),
        hidden: inStatus.length - shown.length,
      };
    });
  // WIP counts are about the whole status, whatever the lanes
  const headers = columnsFor(tasks);
  let lanes: { title: string; columns: BoardColumn[] }[] | undefined;
  if (options.by === "assignee") {
    lanes = tracker.people
      .map((p) => ({
        title: p.name,
        columns: columnsFor(tasks.filter((t) => t.assignees.includes(p.id))),
      }))
      .filter((lane) => lane.columns.some((c) => c.count > 0));
    const nobody = tasks.filter((t) => t.assignees.length === 0);
    if (nobody.length > 0) lanes.push({ title: "(unassigned)", columns: columnsFor(nobody) });
  } else if (options.by === "priority") {
    lanes = tracker.settings.priorities
      .map((p) => ({
        title: safeText(p),
        columns: columnsFor(tasks.filter((t) => t.priority === p)),
      }))
      .filter((lane) => lane.columns.some((c) => c.count > 0));
    const none = tasks.filter(
      (t) => t.priority === undefined || !tracker.settings.priorities.includes(t.priority),
    );
    if (none.length > 0) lanes.push({ title: "(no priority)", columns: columnsFor(none) });
  }
  const s = styles(ctx.colour);
  const title =
    projectArg !== undefined
      ? (tracker.project(projectArg.toUpperCase())?.name ?? projectArg)
      : tracker.settings.name;
  io.stdout.write(
    `${s.bold(safeText(title))} ${s.dim(`· ${tasks.length} tasks · ${ctx.today}`)}\n\n`,
  );
  io.stdout.write(
    renderBoard(
      { columns: headers, ...(lanes !== undefined ? { lanes } : {}) },
      { width: ctx.width, colour: ctx.colour },
    ),
  );
  const limited = statuses.filter((st) => st.wipLimit !== undefined);
  if (filtered && limited.length > 0) {
    const wip = limited.map((st) => {
      const n = ctx.index.byStatus.get(st.id)?.length ?? 0;
      const text = `${safeText(st.name)} ${n}/${st.wipLimit}`;
      return n > (st.wipLimit ?? Number.POSITIVE_INFINITY) ? s.red(`${text} over`) : text;
    });
    io.stdout.write(`\n${s.dim("WIP across the tracker:")} ${wip.join(", ")}\n`);
  }
  return 0;
}

function card(task: Task, ctx: CommandContext): BoardCard {
  const s = styles(ctx.colour);
  const facts = ctx.index.facts(task);
  const tags: string[] = [];
  for (const a of task.assignees) tags.push(`@${safeText(a)}`);
  const top = ctx.tracker.settings.priorities.slice(0, 2);
  if (task.priority !== undefined && top.includes(task.priority))
    tags.push(s.yellow(`!${task.priority}`));
  if (facts.blocked) tags.push(s.red("⛔ blocked"));
  if (task.due !== undefined && facts.open)
    tags.push(facts.overdue ? s.red(`due ${task.due.slice(5)}`) : `due ${task.due.slice(5)}`);
  return { id: task.id, title: task.title, tags };
}
