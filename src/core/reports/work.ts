import { addDays, daysBetween, startOfWeek } from "../dates.js";
import type { TrackerHistory } from "../git/history.js";
import type { TrackerIndex } from "../index/tracker-index.js";
import type { Tracker } from "../model.js";
import { taskMoments, throughput } from "./flow.js";

// Reports on a snapshot (time logged, open work, capacity), with history where it sharpens
// them (when work started). Definitions and sources: docs/reports.md.

/** How long each open task has been in progress (or open, when it never started). */
export interface TaskAge {
  readonly task: string;
  readonly status: string;
  /** The local day work started (first in-progress status), or the day it was created. */
  readonly since: string;
  readonly days: number;
  /** Whether `since` is when work started (true) or only when the task was created. */
  readonly started: boolean;
}

/**
 * Work item age (Kanban Guide): for open tasks, days since work started — from history when
 * there is one, else since `created`. Oldest first.
 */
export function workItemAge(
  tracker: Tracker,
  index: TrackerIndex,
  history?: TrackerHistory,
): TaskAge[] {
  const category = new Map(tracker.settings.statuses.map((s) => [s.id, s.category]));
  const moments = history !== undefined ? taskMoments(history, tracker.settings) : undefined;
  const out: TaskAge[] = [];
  for (const task of tracker.tasks) {
    if (!index.facts(task).open) continue;
    const list = moments?.get(task.id);
    const startedAt = list?.find((m) => category.get(m.state?.status ?? "") === "in-progress")?.day;
    const since = startedAt ?? list?.[0]?.day ?? task.created;
    if (since === undefined) continue;
    out.push({
      task: task.id,
      status: task.status,
      since,
      days: daysBetween(since, index.today),
      started: startedAt !== undefined,
    });
  }
  return out.sort((a, b) => b.days - a.days || (a.task < b.task ? -1 : 1));
}

/** Minutes logged, split into billable and not. */
export interface Logged {
  readonly minutes: number;
  readonly billable: number;
}

/** Time logged by person × week, project × week and task, with totals. */
export interface Timesheet {
  /** ISO weeks (their Mondays) covered, oldest first. */
  readonly weeks: readonly string[];
  readonly byPerson: Readonly<Record<string, Readonly<Record<string, Logged>>>>;
  readonly byProject: Readonly<Record<string, Readonly<Record<string, Logged>>>>;
  readonly byTask: Readonly<Record<string, Logged>>;
  readonly total: Logged;
}

/** Timesheets from the time entries, optionally within [from, to] (local days, inclusive). */
export function timesheet(
  tracker: Tracker,
  range: { from?: string; to?: string; project?: string } = {},
): Timesheet {
  const add = (into: Record<string, Logged>, key: string, minutes: number, billable: boolean) => {
    const was = into[key] ?? { minutes: 0, billable: 0 };
    into[key] = {
      minutes: was.minutes + minutes,
      billable: was.billable + (billable ? minutes : 0),
    };
  };
  const byPerson: Record<string, Record<string, Logged>> = {};
  const byProject: Record<string, Record<string, Logged>> = {};
  const byTask: Record<string, Logged> = {};
  const totals: Record<string, Logged> = {};
  const weeks = new Set<string>();
  for (const e of tracker.timeEntries) {
    if (
      e.date === "" ||
      (range.from !== undefined && e.date < range.from) ||
      (range.to !== undefined && e.date > range.to)
    )
      continue;
    const week = startOfWeek(e.date);
    weeks.add(week);
    const task = tracker.task(e.task);
    const project =
      task !== undefined ? (tracker.project(task.project)?.key ?? task.project) : "(no task)";
    byPerson[e.person] ??= {};
    byProject[project] ??= {};
    add(byPerson[e.person]!, week, e.minutes, e.billable);
    add(byProject[project]!, week, e.minutes, e.billable);
    add(byTask, e.task, e.minutes, e.billable);
    add(totals, "all", e.minutes, e.billable);
  }
  return {
    weeks: [...weeks].sort(),
    byPerson,
    byProject,
    byTask,
    total: totals.all ?? { minutes: 0, billable: 0 },
  };
}

/** One person's open work against their capacity. */
export interface PersonLoad {
  readonly person: string;
  readonly openTasks: number;
  /** Sum of open tasks' estimates, each split evenly between its assignees, in the estimate unit. */
  readonly openEstimate: number;
  /** Hours a week the person can give (people/*.yml `capacity`). */
  readonly capacity?: number;
  /** Hours logged per week on average over the last four weeks before today. */
  readonly recentHoursPerWeek: number;
}

/** Workload: open work per active person beside their capacity and recent logged time. */
export function workload(tracker: Tracker, index: TrackerIndex): PersonLoad[] {
  const fourWeeksAgo = addDays(index.today, -28);
  return tracker.people
    .filter((p) => p.active)
    .map((p) => {
      const open = (index.byAssignee.get(p.id) ?? []).filter((t) => index.facts(t).open);
      const estimate = open.reduce(
        (sum, t) => sum + (t.estimate ?? 0) / Math.max(1, t.assignees.length),
        0,
      );
      const minutes = tracker.timeEntries
        .filter((e) => e.person === p.id && e.date > fourWeeksAgo && e.date <= index.today)
        .reduce((sum, e) => sum + e.minutes, 0);
      return {
        person: p.id,
        openTasks: open.length,
        openEstimate: Math.round(estimate * 10) / 10,
        ...(p.capacity !== undefined ? { capacity: p.capacity } : {}),
        recentHoursPerWeek: Math.round((minutes / 60 / 4) * 10) / 10,
      };
    });
}

/** A milestone's progress and when it will likely be done at the recent pace. */
export interface MilestoneForecast {
  readonly milestone: string;
  readonly due?: string;
  readonly total: number;
  readonly done: number;
  readonly remaining: number;
  /** Tasks finished per week across the tracker, averaged over the last `weeks` weeks. */
  readonly pace: number;
  /** The day the remaining tasks would be done at that pace; absent without pace. */
  readonly forecast?: string;
  /** Whether the forecast is after the due date. */
  readonly late?: boolean;
}

/**
 * Milestone progress with a forecast: remaining tasks divided by recent throughput (the
 * mean of the last `weeks` full weeks of the history), projected from today.
 */
export function milestoneForecasts(
  tracker: Tracker,
  index: TrackerIndex,
  history: TrackerHistory,
  weeks = 4,
): MilestoneForecast[] {
  const thisWeek = startOfWeek(index.today);
  const recent = throughput(history, tracker.settings)
    .filter((w) => w.week < thisWeek)
    .slice(-weeks);
  const pace = recent.length === 0 ? 0 : recent.reduce((n, w) => n + w.finished, 0) / recent.length;
  return tracker.milestones.map((m) => {
    const f = index.milestoneFacts(m);
    const remaining = f.open;
    const forecast = pace > 0 ? addDays(index.today, Math.ceil((remaining / pace) * 7)) : undefined;
    return {
      milestone: m.id,
      ...(m.due !== undefined ? { due: m.due } : {}),
      total: f.total,
      done: f.done,
      remaining,
      pace: Math.round(pace * 100) / 100,
      ...(forecast !== undefined
        ? { forecast, ...(m.due !== undefined ? { late: forecast > m.due } : {}) }
        : {}),
    };
  });
}

/** Velocity: estimate finished per milestone (done tasks only), in the estimate unit. */
export function velocity(
  tracker: Tracker,
  index: TrackerIndex,
): { milestone: string; finished: number; tasks: number }[] {
  return tracker.milestones.map((m) => {
    const done = (index.byMilestone.get(m.id) ?? []).filter((t) => !index.facts(t).open);
    return {
      milestone: m.id,
      finished: done.reduce((n, t) => n + (t.estimate ?? 0), 0),
      tasks: done.length,
    };
  });
}
