import { indexTracker } from "../../core/index/tracker-index.js";
import type { Task } from "../../core/model.js";
import { type QueryGroup, query } from "../../core/query/query.js";
import { type CommandContext, openForCommand, type TrackerOption } from "../context.js";
import { CliError, type CliIO, styles } from "../io.js";
import { formatQueryProblems, needsHistory } from "../query-problems.js";
import { renderCsv, renderMarkdownTable, renderTable } from "../render/table.js";
import { safeText } from "../render/width.js";
import { DEFAULT_COLUMNS, TASK_COLUMNS, taskJson, taskTable } from "../task-columns.js";

export const LIST_FORMATS = ["table", "json", "csv", "md"] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

export interface ListOptions extends TrackerOption {
  readonly format: ListFormat;
  readonly columns?: string;
  readonly limit?: number;
}

/** `trackdown list [query]`: tasks matching a query, as a table, JSON, CSV or Markdown. */
export async function runList(
  io: CliIO,
  words: readonly string[],
  options: ListOptions,
): Promise<number> {
  const columns = parseColumns(options.columns);
  const ctx = await openForCommand(io, options);
  const text = words.join(" ");
  const queryOptions = ctx.queryOptions(needsHistory(text, columns), text);
  const result = query(ctx.tracker, text, queryOptions);
  // with history, facts carry `updated`: use the index the query used
  const view = {
    ...ctx,
    index: indexTracker(ctx.tracker, {
      today: ctx.today,
      ...(queryOptions.updated !== undefined ? { updated: queryOptions.updated } : {}),
    }),
  };
  if (result.problems.length > 0)
    io.stderr.write(formatQueryProblems(text, result.problems, ctx.colour));
  if (!result.ok) return 2;
  const tasks = options.limit !== undefined ? result.tasks.slice(0, options.limit) : result.tasks;
  switch (options.format) {
    case "json":
      io.stdout.write(
        `${JSON.stringify(listJson(view, text, tasks, result.groups, result.tasks.length), null, 2)}\n`,
      );
      return 0;
    case "csv": {
      const { rows, columns: cols } = taskTable(tasks, columns, view, true);
      io.stdout.write(renderCsv(rows, cols));
      return 0;
    }
    case "md": {
      const { rows, columns: cols } = taskTable(tasks, columns, view);
      io.stdout.write(renderMarkdownTable(rows, cols));
      return 0;
    }
    default:
      break;
  }
  const s = styles(ctx.colour);
  if (result.tasks.length === 0) {
    io.stdout.write(
      text.trim() === "" ? "The tracker has no tasks.\n" : `No tasks match: ${text.trim()}\n`,
    );
    return 0;
  }
  const shown = new Set(tasks);
  if (result.groups !== undefined) {
    for (const group of result.groups) {
      const inGroup = group.tasks.filter((t) => shown.has(t));
      if (inGroup.length === 0) continue;
      io.stdout.write(`${s.bold(safeText(group.label))} ${s.dim(`(${inGroup.length})`)}\n`);
      const { rows, columns: cols } = taskTable(inGroup, columns, view);
      io.stdout.write(renderTable(rows, cols, { width: ctx.width, colour: ctx.colour }));
      io.stdout.write("\n");
    }
  } else {
    const { rows, columns: cols } = taskTable(tasks, columns, view);
    io.stdout.write(renderTable(rows, cols, { width: ctx.width, colour: ctx.colour }));
  }
  const more = result.tasks.length - tasks.length;
  io.stdout.write(
    s.dim(
      `${result.tasks.length} task${result.tasks.length === 1 ? "" : "s"}${more > 0 ? ` (${more} not shown: --limit ${options.limit})` : ""}\n`,
    ),
  );
  return 0;
}

function parseColumns(text: string | undefined): string[] {
  if (text === undefined) return DEFAULT_COLUMNS;
  const columns = text
    .split(",")
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== "");
  const unknown = columns.filter((c) => !(c in TASK_COLUMNS));
  if (columns.length === 0)
    throw new CliError(`--columns is empty; available: ${Object.keys(TASK_COLUMNS).join(", ")}.`);
  if (unknown.length > 0) {
    throw new CliError(
      `Unknown column${unknown.length === 1 ? "" : "s"} ${unknown.join(", ")}; available: ${Object.keys(TASK_COLUMNS).join(", ")}.`,
    );
  }
  return columns;
}

function listJson(
  ctx: CommandContext,
  text: string,
  tasks: readonly Task[],
  groups: readonly QueryGroup[] | undefined,
  total: number,
) {
  const shown = new Set(tasks);
  return {
    query: text,
    today: ctx.today,
    count: tasks.length,
    total,
    tasks: tasks.map((t) => taskJson(t, ctx.index.facts(t), ctx.tracker)),
    ...(groups !== undefined
      ? {
          groups: groups.map((g) => ({
            key: g.key,
            label: g.label,
            ids: g.tasks.filter((t) => shown.has(t)).map((t) => t.id),
          })),
        }
      : {}),
  };
}
