import { daysBetween } from "../core/dates.js";
import { formatDuration } from "../core/duration.js";
import type { TaskFacts, TrackerIndex } from "../core/index/tracker-index.js";
import type { Task, Tracker } from "../core/model.js";
import type { TableColumn } from "./render/table.js";
import { safeText } from "./render/width.js";

/** A column `list` can show, with its table layout and how to read it from a task. */
interface TaskColumn extends Omit<TableColumn, "key"> {
  readonly text: (task: Task, facts: TaskFacts, view: View) => string;
  /** The value for machines (CSV), when it differs from what a person reads. */
  readonly plain?: (task: Task, facts: TaskFacts, view: View) => string;
}

interface View {
  readonly tracker: Tracker;
  readonly index: TrackerIndex;
  readonly today: string;
}

const dateCell = (date: string | undefined) => date ?? "";

/** Every column of `trackdown list --columns`. */
export const TASK_COLUMNS: Readonly<Record<string, TaskColumn>> = {
  id: { header: "ID", text: (t) => t.id },
  status: { header: "STATUS", text: (t) => t.status },
  priority: { header: "PRIO", text: (t) => t.priority ?? "" },
  assignees: { header: "ASSIGNEES", max: 24, text: (t) => t.assignees.join(",") },
  title: { header: "TITLE", flex: true, min: 12, text: (t) => t.title },
  due: {
    header: "DUE",
    plain: (t) => dateCell(t.due),
    text: (t, f, v) => {
      if (t.due === undefined) return "";
      if (!f.open) return t.due;
      const days = daysBetween(v.today, t.due);
      return days < 0 ? `${t.due} (${-days}d late)` : t.due;
    },
  },
  start: { header: "START", text: (t) => dateCell(t.start) },
  created: { header: "CREATED", text: (t) => dateCell(t.created) },
  updated: { header: "UPDATED", text: (_t, f) => dateCell(f.updated) },
  estimate: {
    header: "EST",
    align: "right",
    text: (t, f) => String(f.rolledEstimate ?? t.estimate ?? ""),
  },
  labels: { header: "LABELS", max: 30, text: (t) => t.labels.join(",") },
  milestone: { header: "MILESTONE", max: 24, text: (t) => t.milestone ?? "" },
  project: {
    header: "PROJECT",
    text: (t, _f, v) => v.tracker.project(t.project)?.key ?? t.project,
  },
  parent: { header: "PARENT", text: (t) => t.parent ?? "" },
  blocked: { header: "BLOCKED BY", max: 24, text: (_t, f) => f.blockers.join(",") },
  overdue: { header: "OVERDUE", text: (_t, f) => (f.overdue ? "yes" : "") },
  logged: {
    header: "LOGGED",
    align: "right",
    text: (_t, f) => (f.loggedMinutes > 0 ? formatDuration(f.loggedMinutes) : ""),
  },
  progress: { header: "DONE", align: "right", text: (_t, f) => `${Math.round(f.progress * 100)}%` },
  age: {
    header: "AGE",
    align: "right",
    text: (_t, f) => (f.ageDays === undefined ? "" : `${f.ageDays}d`),
  },
};

export const DEFAULT_COLUMNS = ["id", "status", "priority", "assignees", "due", "title"];

/** The stable JSON form of a task in `--format json` output (documented in docs/cli.md). */
export function taskJson(task: Task, facts: TaskFacts, tracker: Tracker) {
  return {
    id: task.id,
    title: task.title,
    status: task.status,
    statusCategory: facts.category ?? null,
    project: tracker.project(task.project)?.key ?? null,
    assignees: task.assignees,
    priority: task.priority ?? null,
    estimate: task.estimate ?? null,
    labels: task.labels,
    milestone: task.milestone ?? null,
    parent: task.parent ?? null,
    dependsOn: task.dependsOn,
    start: task.start ?? null,
    due: task.due ?? null,
    created: task.created ?? null,
    updated: facts.updated ?? null,
    archived: task.archived,
    open: facts.open,
    blocked: facts.blocked,
    blockers: facts.blockers,
    overdue: facts.overdue,
    ageDays: facts.ageDays ?? null,
    loggedMinutes: facts.loggedMinutes,
    rolledEstimate: facts.rolledEstimate ?? null,
    progress: Math.round(facts.progress * 1000) / 1000,
    checklist: task.checklist,
    file: task.file,
  };
}

/** Table rows and columns for tasks. */
export function taskTable(
  tasks: readonly Task[],
  columns: readonly string[],
  view: View,
  plain = false,
) {
  const tableColumns: TableColumn[] = columns.map((key) => ({ key, ...TASK_COLUMNS[key]! }));
  const rows = tasks.map((task) => {
    const facts = view.index.facts(task);
    return Object.fromEntries(
      columns.map((key) => {
        const column = TASK_COLUMNS[key]!;
        const text = (plain ? column.plain : undefined) ?? column.text;
        return [key, safeText(text(task, facts, view))];
      }),
    );
  });
  return { rows, columns: tableColumns };
}
