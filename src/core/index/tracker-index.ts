import { daysBetween, todayIn } from "../dates.js";
import { groupInto } from "../group.js";
import type { Milestone, StatusCategory, Task, TimeEntry, Tracker } from "../model.js";

/** Facts about a task that depend on other records or on today, computed once per index. */
export interface TaskFacts {
  /** The category of its status (`undefined` for an unknown status). */
  readonly category: StatusCategory | undefined;
  /** Not in a done-category status. */
  readonly open: boolean;
  /** Open and waiting on at least one open dependency. */
  readonly blocked: boolean;
  /** Ids of the open tasks it depends on. */
  readonly blockers: readonly string[];
  /** Open with a due date before today. */
  readonly overdue: boolean;
  /** Whole days since `created`, when the task has one. */
  readonly ageDays?: number;
  /** Minutes of time logged on it (not on its children). */
  readonly loggedMinutes: number;
  /**
   * Its estimate, or for a parent the sum of its children's rolled-up estimates when any of
   * them is estimated; in the tracker's estimate unit.
   */
  readonly rolledEstimate?: number;
  /** From 0 to 1: 1 when closed; a parent's is its children's, weighted by estimate; else its checklist. */
  readonly progress: number;
  /** Day of the last commit that changed its file, when history is available. */
  readonly updated?: string;
}

/** Progress of the tasks in a milestone. Parents whose children are also in it count once. */
export interface MilestoneFacts {
  readonly total: number;
  readonly done: number;
  readonly open: number;
  /** Sum of rolled-up estimates, in the tracker's estimate unit. */
  readonly estimate: number;
  readonly doneEstimate: number;
  /** From 0 to 1, by estimate when there are estimates, else by count. */
  readonly progress: number;
  readonly overdue: number;
  readonly blocked: number;
}

/** Options of {@link indexTracker}. */
export interface IndexOptions {
  /** Today as YYYY-MM-DD in the tracker's time zone; the real today there by default. */
  readonly today?: string;
  /** Day of the last commit per tracker file (from git history), for `updated`. */
  readonly updated?: ReadonlyMap<string, string>;
}

/**
 * Lookups and derived facts over a tracker's active tasks (archived ones are reachable
 * by id only). Every list is in the tracker's task order (by id).
 */
export interface TrackerIndex {
  readonly today: string;
  /** Active and archived tasks by id. */
  readonly byId: ReadonlyMap<string, Task>;
  readonly byStatus: ReadonlyMap<string, readonly Task[]>;
  readonly byCategory: ReadonlyMap<StatusCategory, readonly Task[]>;
  /** Person id → tasks assigned to them. */
  readonly byAssignee: ReadonlyMap<string, readonly Task[]>;
  /** Team id → tasks assigned to a member or in a project the team owns. */
  readonly byTeam: ReadonlyMap<string, readonly Task[]>;
  /** Project key → its tasks. */
  readonly byProject: ReadonlyMap<string, readonly Task[]>;
  readonly byMilestone: ReadonlyMap<string, readonly Task[]>;
  readonly byLabel: ReadonlyMap<string, readonly Task[]>;
  readonly byPriority: ReadonlyMap<string, readonly Task[]>;
  readonly unassigned: readonly Task[];
  /** Whether git history gave last-change days (so `updated` can be known). */
  readonly hasHistory: boolean;
  /** Direct sub-tasks. */
  children(id: string): readonly Task[];
  /** Tasks this one depends on (that exist). */
  dependsOn(id: string): readonly Task[];
  /** Tasks that depend on this one. */
  blocks(id: string): readonly Task[];
  /** Time entries on a task, oldest first. */
  timeEntries(id: string): readonly TimeEntry[];
  facts(task: Task): TaskFacts;
  milestoneFacts(milestone: Milestone | string): MilestoneFacts;
}

const NONE: readonly never[] = Object.freeze([]);
const cache = new WeakMap<Tracker, Map<string, TrackerIndex>>();
/** Indexes built with history, per history map: the map object is the key. */
const withHistory = new WeakMap<
  ReadonlyMap<string, string>,
  WeakMap<Tracker, Map<string, TrackerIndex>>
>();

/**
 * Builds (or returns the cached) index of a tracker for a given today. Pure apart from
 * reading the clock when `today` is not given.
 */
export function indexTracker(tracker: Tracker, options: IndexOptions = {}): TrackerIndex {
  const today = options.today ?? todayIn(tracker.settings.timezone);
  let byTracker = cache;
  if (options.updated !== undefined) {
    let forMap = withHistory.get(options.updated);
    if (forMap === undefined) {
      forMap = new WeakMap();
      withHistory.set(options.updated, forMap);
    }
    byTracker = forMap;
  }
  let perDay = byTracker.get(tracker);
  const hit = perDay?.get(today);
  if (hit !== undefined) return hit;
  const built = build(tracker, today, options.updated);
  if (perDay === undefined) {
    perDay = new Map();
    byTracker.set(tracker, perDay);
  }
  perDay.set(today, built);
  return built;
}

function build(
  tracker: Tracker,
  today: string,
  updated: ReadonlyMap<string, string> | undefined,
): TrackerIndex {
  const tasks = tracker.tasks;
  const category = new Map(tracker.settings.statuses.map((s) => [s.id, s.category]));
  const byId = new Map<string, Task>();
  for (const t of tracker.archivedTasks) if (!byId.has(t.id)) byId.set(t.id, t);
  for (const t of tasks) byId.set(t.id, t);

  const byStatus = new Map<string, Task[]>();
  const byCategory = new Map<StatusCategory, Task[]>();
  const byAssignee = new Map<string, Task[]>();
  const byProject = new Map<string, Task[]>();
  const byMilestone = new Map<string, Task[]>();
  const byLabel = new Map<string, Task[]>();
  const byPriority = new Map<string, Task[]>();
  const children = new Map<string, Task[]>();
  const blocks = new Map<string, Task[]>();
  const unassigned: Task[] = [];
  const projectKey = new Map(tracker.projects.map((p) => [p.folder, p.key]));
  for (const t of tasks) {
    groupInto(byStatus, t.status, t);
    const c = category.get(t.status);
    if (c !== undefined) groupInto(byCategory, c, t);
    if (t.assignees.length === 0) unassigned.push(t);
    for (const a of t.assignees) groupInto(byAssignee, a, t);
    groupInto(byProject, projectKey.get(t.project) ?? t.project.toUpperCase(), t);
    if (t.milestone !== undefined) groupInto(byMilestone, t.milestone, t);
    for (const l of t.labels) groupInto(byLabel, l, t);
    if (t.priority !== undefined) groupInto(byPriority, t.priority, t);
    if (t.parent !== undefined) groupInto(children, t.parent, t);
    for (const d of t.dependsOn) groupInto(blocks, d, t);
  }
  const byTeam = new Map<string, Task[]>();
  for (const team of tracker.teams) {
    const members = new Set(team.members);
    const owned = new Set(tracker.projects.filter((p) => p.team === team.id).map((p) => p.folder));
    byTeam.set(
      team.id,
      tasks.filter((t) => owned.has(t.project) || t.assignees.some((a) => members.has(a))),
    );
  }
  const time = new Map<string, TimeEntry[]>();
  for (const e of tracker.timeEntries) groupInto(time, e.task, e);

  const isOpen = (t: Task) => category.get(t.status) !== "done";
  const facts = new Map<Task, TaskFacts>();
  const rolled = new Map<string, number | undefined>();
  const progress = new Map<string, number>();
  // rolled estimate and progress need children first: a depth-first walk, guarded against cycles
  const visiting = new Set<string>();
  const roll = (t: Task): void => {
    if (rolled.has(t.id) || visiting.has(t.id)) return;
    visiting.add(t.id);
    const kids = (children.get(t.id) ?? NONE).filter((k) => !visiting.has(k.id));
    for (const k of kids) roll(k);
    let estimate = t.estimate;
    let value: number;
    const kidEstimates = kids.map((k) => rolled.get(k.id));
    if (kids.length > 0 && kidEstimates.some((e) => e !== undefined)) {
      estimate = kidEstimates.reduce<number>((sum, e) => sum + (e ?? 0), 0);
    }
    if (!isOpen(t)) value = 1;
    else if (kids.length > 0) {
      const weights = kids.map((k) => rolled.get(k.id) ?? 1);
      const total = weights.reduce((a, b) => a + b, 0);
      value =
        total === 0
          ? 0
          : kids.reduce((sum, k, i) => sum + (progress.get(k.id) ?? 0) * weights[i]!, 0) / total;
    } else value = t.checklist.total === 0 ? 0 : t.checklist.done / t.checklist.total;
    rolled.set(t.id, estimate);
    progress.set(t.id, value);
    visiting.delete(t.id);
  };
  for (const t of tasks) roll(t);

  const factsOf = (t: Task): TaskFacts => {
    let f = facts.get(t);
    if (f !== undefined) return f;
    const open = isOpen(t);
    const blockers = open
      ? t.dependsOn.filter((d) => {
          const dep = byId.get(d);
          return dep !== undefined && isOpen(dep);
        })
      : NONE;
    let logged = 0;
    for (const e of time.get(t.id) ?? NONE) logged += e.minutes;
    const ageDays = t.created !== undefined ? daysBetween(t.created, today) : undefined;
    f = Object.freeze({
      category: category.get(t.status),
      open,
      blocked: blockers.length > 0,
      blockers,
      overdue: open && t.due !== undefined && t.due < today,
      ageDays: Number.isNaN(ageDays) ? undefined : ageDays,
      loggedMinutes: logged,
      rolledEstimate: rolled.get(t.id) ?? t.estimate,
      progress: progress.get(t.id) ?? (open ? 0 : 1),
      updated: updated?.get(t.file),
    });
    facts.set(t, f);
    return f;
  };
  for (const t of tasks) factsOf(t);

  const milestoneFacts = new Map<string, MilestoneFacts>();
  const factsOfMilestone = (id: string): MilestoneFacts => {
    let m = milestoneFacts.get(id);
    if (m !== undefined) return m;
    const inIt = byMilestone.get(id) ?? NONE;
    const ids = new Set(inIt.map((t) => t.id));
    // a parent whose children are in the milestone too is counted through them
    const top = inIt.filter((t) => t.parent === undefined || !ids.has(t.parent));
    let estimate = 0;
    let doneEstimate = 0;
    let done = 0;
    let estimated = false;
    for (const t of inIt) if (!isOpen(t)) done++;
    for (const t of top) {
      const f = factsOf(t);
      if (f.rolledEstimate !== undefined) {
        estimated = true;
        estimate += f.rolledEstimate;
        doneEstimate += f.rolledEstimate * f.progress;
      }
    }
    m = Object.freeze({
      total: inIt.length,
      done,
      open: inIt.length - done,
      estimate,
      doneEstimate,
      progress:
        estimated && estimate > 0
          ? doneEstimate / estimate
          : inIt.length === 0
            ? 0
            : done / inIt.length,
      overdue: inIt.filter((t) => factsOf(t).overdue).length,
      blocked: inIt.filter((t) => factsOf(t).blocked).length,
    });
    milestoneFacts.set(id, m);
    return m;
  };

  const freezeLists = <K>(map: Map<K, Task[]>): ReadonlyMap<K, readonly Task[]> => {
    for (const list of map.values()) Object.freeze(list);
    return map;
  };
  return Object.freeze({
    today,
    byId,
    byStatus: freezeLists(byStatus),
    byCategory: freezeLists(byCategory),
    byAssignee: freezeLists(byAssignee),
    byTeam: freezeLists(byTeam),
    byProject: freezeLists(byProject),
    byMilestone: freezeLists(byMilestone),
    byLabel: freezeLists(byLabel),
    byPriority: freezeLists(byPriority),
    unassigned: Object.freeze(unassigned),
    hasHistory: updated !== undefined,
    children: (id: string) => children.get(id) ?? NONE,
    dependsOn: (id: string) =>
      (byId.get(id)?.dependsOn ?? NONE)
        .map((d) => byId.get(d))
        .filter((t): t is Task => t !== undefined),
    blocks: (id: string) => blocks.get(id) ?? NONE,
    timeEntries: (id: string) => time.get(id) ?? NONE,
    facts: factsOf,
    milestoneFacts: (m: Milestone | string) => factsOfMilestone(typeof m === "string" ? m : m.id),
  });
}
