import { addDays, startOfWeek, todayIn } from "../dates.js";
import type { TaskState } from "../diff/diff.js";
import type { TrackerHistory } from "../git/history.js";
import type { Settings, StatusCategory } from "../model.js";

// Flow reports: pure functions of a history and the settings that say which statuses are
// "in progress" and "done". Days are local days in the tracker's time zone; a commit counts
// at its committer time (when it reached the branch). Definitions and sources: docs/reports.md.

/** One moment in a task's life, from the history. */
export interface TaskMoment {
  /** Seconds since the epoch. */
  readonly timestamp: number;
  /** The local day in the tracker's time zone. */
  readonly day: string;
  /** Undefined once the task was deleted. */
  readonly state: TaskState | undefined;
}

/** Every task's moments, oldest first, by task id (a task moved to another project keeps its old id's moments under the new id). */
export function taskMoments(
  history: TrackerHistory,
  settings: Settings,
): Map<string, TaskMoment[]> {
  const cached = replays.get(history)?.get(settings.timezone);
  if (cached !== undefined) return cached;
  const moments = new Map<string, TaskMoment[]>();
  const current = new Map<string, TaskState>();
  const push = (id: string, timestamp: number, state: TaskState | undefined) => {
    const list = moments.get(id) ?? [];
    list.push({ timestamp, day: todayIn(settings.timezone, new Date(timestamp * 1000)), state });
    moments.set(id, list);
    if (state === undefined) current.delete(id);
    else current.set(id, state);
  };
  for (const commit of history.commits) {
    const t = commit.info.committer.timestamp;
    for (const c of commit.changes) {
      if (c.kind === "task.created" && c.state !== undefined) push(c.id, t, c.state);
      else if (c.kind === "task.deleted") push(c.id, t, undefined);
      else if (c.kind === "task.moved") {
        // the task lives on under its new id, with its past
        const past = moments.get(String(c.from)) ?? [];
        moments.set(c.id, [...past, ...(moments.get(c.id) ?? [])]);
        moments.delete(String(c.from));
        const state = current.get(String(c.from));
        current.delete(String(c.from));
        if (state !== undefined) current.set(c.id, state);
      } else if (c.kind.startsWith("task.") && current.has(c.id)) {
        const before = current.get(c.id)!;
        const next: TaskState = {
          ...before,
          ...(c.kind === "task.status" ? { status: String(c.to) } : {}),
          ...(c.kind === "task.milestone" ? { milestone: (c.to as string | null) ?? null } : {}),
          ...(c.kind === "task.estimate" ? { estimate: (c.to as number | null) ?? null } : {}),
          ...(c.kind === "task.priority" ? { priority: (c.to as string | null) ?? null } : {}),
          ...(c.kind === "task.due" ? { due: (c.to as string | null) ?? null } : {}),
          ...(c.kind === "task.parent" ? { parent: (c.to as string | null) ?? null } : {}),
          ...(c.kind === "task.assignees"
            ? {
                assignees: [
                  ...before.assignees.filter((a) => !(c.removed ?? []).includes(a)),
                  ...(c.added ?? []),
                ],
              }
            : {}),
        };
        if (next !== before) push(c.id, t, next);
      }
    }
  }
  const byZone = replays.get(history) ?? new Map<string, Map<string, TaskMoment[]>>();
  byZone.set(settings.timezone, moments);
  replays.set(history, byZone);
  return moments;
}

/** Replays are computed once per history and time zone; reports share them. */
const replays = new WeakMap<TrackerHistory, Map<string, Map<string, TaskMoment[]>>>();

const categoryOf = (settings: Settings) => {
  const map = new Map(settings.statuses.map((s) => [s.id, s.category]));
  return (status: string | undefined): StatusCategory | undefined =>
    status === undefined ? undefined : map.get(status);
};

/** Cycle and lead time of one finished task, in days (fractional). */
export interface TaskFlowTime {
  readonly task: string;
  /** When it was first seen (created). */
  readonly created: number;
  /** When it first entered an in-progress status, if it ever did. */
  readonly started?: number;
  /** When it last entered a done status (and stayed there). */
  readonly finished: number;
  /** finished − started, in days: the Kanban Guide's cycle time. */
  readonly cycleDays?: number;
  /** finished − created, in days. */
  readonly leadDays: number;
  /** The local day it finished. */
  readonly day: string;
}

const DAY = 86_400;
/** The first and last of some YYYY-MM-DD days (they sort as text). */
const earliest = (days: readonly string[]) => [...days].sort()[0]!;
const latest = (days: readonly string[]) => [...days].sort()[days.length - 1]!;
const round = (days: number) => Math.round(days * 100) / 100;

/** Which tasks and days a report covers: a project key, and local days from/to (inclusive). */
export interface ReportFilter {
  readonly project?: string;
  readonly from?: string;
  readonly to?: string;
}

/** Whether a task id belongs to a project key (WEB-12 → WEB). */
const inProject = (task: string, project: string | undefined) =>
  project === undefined ||
  task.slice(0, task.lastIndexOf("-")).toUpperCase() === project.toUpperCase();
const inRange = (day: string, filter: ReportFilter) =>
  (filter.from === undefined || day >= filter.from) &&
  (filter.to === undefined || day <= filter.to);

/**
 * Cycle and lead times of the tasks that are done at the end of the history, in finish
 * order; with a filter, those of a project that finished within the days.
 */
export function flowTimes(
  history: TrackerHistory,
  settings: Settings,
  filter: ReportFilter = {},
): TaskFlowTime[] {
  const category = categoryOf(settings);
  const out: TaskFlowTime[] = [];
  for (const [task, moments] of taskMoments(history, settings)) {
    if (!inProject(task, filter.project)) continue;
    const last = moments[moments.length - 1];
    if (last?.state === undefined || category(last.state.status) !== "done") continue;
    const created = moments[0]!.timestamp;
    const started = moments.find((m) => category(m.state?.status) === "in-progress")?.timestamp;
    // the last time it went from not-done to done
    let finished = last.timestamp;
    let finishedDay = last.day;
    for (let i = moments.length - 1; i >= 0; i--) {
      const m = moments[i]!;
      if (category(m.state?.status) !== "done") break;
      finished = m.timestamp;
      finishedDay = m.day;
    }
    out.push({
      task,
      created,
      ...(started !== undefined && started <= finished
        ? { started, cycleDays: round((finished - started) / DAY) }
        : {}),
      finished,
      leadDays: round((finished - created) / DAY),
      day: finishedDay,
    });
  }
  return out
    .filter((t) => inRange(t.day, filter))
    .sort((a, b) => a.finished - b.finished || (a.task < b.task ? -1 : 1));
}

/** Nearest-rank percentiles (50th, 85th, 95th) of some values; undefined without values. */
export function percentiles(
  values: readonly number[],
): { p50: number; p85: number; p95: number } | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { p50: at(50), p85: at(85), p95: at(95) };
}

/** Tasks finished per ISO week (weeks start on Monday), including weeks with none. */
export function throughput(
  history: TrackerHistory,
  settings: Settings,
  filter: ReportFilter = {},
): { week: string; finished: number }[] {
  const times = flowTimes(history, settings, filter);
  if (times.length === 0) return [];
  const counts = new Map<string, number>();
  for (const t of times) counts.set(startOfWeek(t.day), (counts.get(startOfWeek(t.day)) ?? 0) + 1);
  const first = startOfWeek(times[0]!.day);
  const last = startOfWeek(times[times.length - 1]!.day);
  const out: { week: string; finished: number }[] = [];
  for (let w = first; w <= last; w = addDays(w, 7))
    out.push({ week: w, finished: counts.get(w) ?? 0 });
  return out;
}

/**
 * Cumulative flow: for each day, how many tasks were in each status at the end of it.
 * Days run from the first commit to `until` (default: the last commit's day).
 */
export function cumulativeFlow(
  history: TrackerHistory,
  settings: Settings,
  filter: ReportFilter = {},
): { day: string; counts: Record<string, number> }[] {
  const moments = new Map(
    [...taskMoments(history, settings)].filter(([task]) => inProject(task, filter.project)),
  );
  const all = [...moments.values()].flat();
  if (all.length === 0) return [];
  const first = earliest(all.map((m) => m.day));
  const last = filter.to ?? latest(all.map((m) => m.day));
  // each moment moves one task from a status to another: apply them day by day
  const changes = new Map<string, [from: string | undefined, to: string | undefined][]>();
  for (const list of moments.values()) {
    let previous: string | undefined;
    for (const m of list) {
      const status = m.state?.status;
      if (status !== previous) {
        const onDay = changes.get(m.day) ?? [];
        onDay.push([previous, status]);
        changes.set(m.day, onDay);
      }
      previous = status;
    }
  }
  const counts: Record<string, number> = Object.fromEntries(
    settings.statuses.map((s) => [s.id, 0]),
  );
  const out: { day: string; counts: Record<string, number> }[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) {
    for (const [from, to] of changes.get(day) ?? []) {
      if (from !== undefined) counts[from] = (counts[from] ?? 0) - 1;
      if (to !== undefined) counts[to] = (counts[to] ?? 0) + 1;
    }
    if (filter.from === undefined || day >= filter.from) out.push({ day, counts: { ...counts } });
  }
  return out;
}

/** Burndown and burnup of a milestone: per day, its scope and how much of it was done. */
export interface BurnPoint {
  readonly day: string;
  /** Work in the milestone at the end of the day: estimate points (or hours), or tasks when `by` is "count". */
  readonly scope: number;
  readonly done: number;
  /** scope − done: the burndown line. */
  readonly remaining: number;
}

/**
 * The milestone's scope and done work each day, from its first task (or `from`) to `until`
 * (default: the last commit's day). Scope moves when tasks join or leave it or are
 * re-estimated, so both lines stay honest when scope changes.
 */
export function burnChart(
  history: TrackerHistory,
  settings: Settings,
  milestone: string,
  options: { by?: "estimate" | "count"; from?: string; until?: string } = {},
): BurnPoint[] {
  const category = categoryOf(settings);
  const moments = taskMoments(history, settings);
  const relevant = [...moments.entries()].filter(([, list]) =>
    list.some((m) => m.state?.milestone === milestone),
  );
  if (relevant.length === 0) return [];
  const days = relevant.flatMap(([, list]) =>
    list.filter((m) => m.state?.milestone === milestone).map((m) => m.day),
  );
  const first = options.from ?? earliest(days);
  const last = options.until ?? latest([...moments.values()].flat().map((m) => m.day));
  const weight = (state: TaskState) => (options.by === "count" ? 1 : (state.estimate ?? 0));
  const out: BurnPoint[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) {
    let scope = 0;
    let done = 0;
    for (const [, list] of relevant) {
      let state: TaskState | undefined;
      for (const m of list) {
        if (m.day > day) break;
        state = m.state;
      }
      if (state === undefined || state.milestone !== milestone) continue;
      scope += weight(state);
      if (category(state.status) === "done") done += weight(state);
    }
    out.push({ day, scope, done, remaining: scope - done });
  }
  return out;
}
