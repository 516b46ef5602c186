import { compareTaskIds, parseTaskId } from "../ids.js";
import type { Milestone, Task, Tracker } from "../model.js";

/** What changed. Task changes are per field, so rules and notifications can pick theirs. */
export type ChangeKind =
  | "task.created"
  | "task.deleted"
  | "task.renamed"
  | "task.moved"
  | "task.archived"
  | "task.restored"
  | "task.title"
  | "task.status"
  | "task.assignees"
  | "task.priority"
  | "task.estimate"
  | "task.milestone"
  | "task.parent"
  | "task.dependencies"
  | "task.labels"
  | "task.start"
  | "task.due"
  | "task.attachments"
  | "task.body"
  | "milestone.created"
  | "milestone.deleted"
  | "milestone.changed"
  | "milestone.dates"
  | "project.created"
  | "project.deleted"
  | "project.changed"
  | "person.added"
  | "person.removed"
  | "person.changed"
  | "team.added"
  | "team.removed"
  | "team.changed"
  | "config.changed"
  | "time.logged"
  | "time.edited"
  | "time.removed";

/** One change between two snapshots, located in the newer one (the older for removals). */
export interface Change {
  readonly kind: ChangeKind;
  /** The record's id: task id, milestone id, project key, person or team id, time entry id, or the config key. */
  readonly id: string;
  /** File the change is in (tracker-relative). */
  readonly file: string;
  /** 1-based line and column of the changed field. */
  readonly line: number;
  readonly column: number;
  /** The value before, for value changes (a status, a date, a number…). */
  readonly from?: unknown;
  /** The value after. */
  readonly to?: unknown;
  /** For list fields (assignees, labels, dependencies): what was added and removed. */
  readonly added?: readonly string[];
  readonly removed?: readonly string[];
  /**
   * For a task created or deleted: the fields that matter for reports as they were then
   * (status, assignees, milestone, estimate, priority, due, parent).
   */
  readonly state?: TaskState;
  /** For time entries: who, on which task, how many minutes (after; before for removals). */
  readonly person?: string;
  readonly task?: string;
  readonly minutes?: number;
  /** One sentence for people, e.g. "WEB-12 moved from review to done". */
  readonly summary: string;
}

/** JSON with object keys sorted, so reordering lines in a file is no change. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
/** A task's report-relevant fields at one moment. */
export interface TaskState {
  readonly status: string;
  readonly assignees: readonly string[];
  readonly milestone: string | null;
  readonly estimate: number | null;
  readonly priority: string | null;
  readonly due: string | null;
  readonly parent: string | null;
}

const stateOf = (t: Task): TaskState => ({
  status: t.status,
  assignees: t.assignees,
  milestone: t.milestone ?? null,
  estimate: t.estimate ?? null,
  priority: t.priority ?? null,
  due: t.due ?? null,
  parent: t.parent ?? null,
});

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** The path to the first place two values differ (deepest), e.g. ["workflow", "statuses", 1, "wip_limit"]. */
function firstDifference(
  a: unknown,
  b: unknown,
  path: (string | number)[] = [],
): (string | number)[] {
  if (same(a, b)) return path;
  // a list of plain values reads best whole ("labels changed from a, b to a"); lists of
  // mappings (workflow statuses) are followed to the item that changed
  const scalars = (v: unknown[]) => v.every((x) => x === null || typeof x !== "object");
  if (Array.isArray(a) && Array.isArray(b) && !(scalars(a) && scalars(b))) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (!same(a[i], b[i]))
        return i < a.length && i < b.length
          ? firstDifference(a[i], b[i], [...path, i])
          : [...path, i];
    }
    return path;
  }
  if (
    a !== null &&
    b !== null &&
    typeof a === "object" &&
    typeof b === "object" &&
    !Array.isArray(a) &&
    !Array.isArray(b)
  ) {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    for (const key of [...new Set([...Object.keys(x), ...Object.keys(y)])]) {
      if (!same(x[key], y[key]))
        return key in x && key in y
          ? firstDifference(x[key], y[key], [...path, key])
          : [...path, key];
    }
  }
  return path;
}

const valueAt = (value: unknown, path: readonly (string | number)[]): unknown =>
  path.reduce<unknown>(
    (v, k) =>
      v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[k] : undefined,
    value,
  );

const pathText = (path: readonly (string | number)[]) =>
  path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
const listDiff = (a: readonly string[], b: readonly string[]) => ({
  added: b.filter((x) => !a.includes(x)),
  removed: a.filter((x) => !b.includes(x)),
});
const show = (v: unknown) =>
  v === undefined || v === null
    ? "nothing"
    : Array.isArray(v)
      ? v.join(", ") || "nothing"
      : String(v);

/**
 * The typed changes from snapshot `a` to snapshot `b`, in a stable order: by record kind
 * (tasks, milestones, projects, people, teams, settings, time), then id, then field. Pure: pull-request checks, permissions and notifications are decisions over
 * this list.
 */
export function diffTrackers(a: Tracker, b: Tracker): Change[] {
  const out: Change[] = [];
  const at = (tracker: Tracker, file: string, path: (string | number)[]) => {
    const r = tracker.locate(file, path);
    return { file, line: r.line, column: r.column };
  };
  diffTasks(a, b, out, at);
  diffById(a.milestones, b.milestones, (m) => m.id, out, {
    created: (m) => ({
      kind: "milestone.created",
      id: m.id,
      ...at(b, m.file, ["title"]),
      summary: `Milestone ${m.id} created: ${m.title}`,
    }),
    deleted: (m) => ({
      kind: "milestone.deleted",
      id: m.id,
      ...at(a, m.file, []),
      summary: `Milestone ${m.id} deleted`,
    }),
    changed: (x, y) => milestoneChanges(x, y, b, at),
  });
  diffById(a.projects, b.projects, (p) => p.folder, out, {
    created: (p) => ({
      kind: "project.created",
      id: p.key,
      ...at(b, p.file, ["key"]),
      summary: `Project ${p.key} created: ${p.name}`,
    }),
    deleted: (p) => ({
      kind: "project.deleted",
      id: p.key,
      ...at(a, p.file, []),
      summary: `Project ${p.key} deleted`,
    }),
    changed: (x, y) =>
      recordChanges(
        x.fields,
        y.fields,
        "project.changed",
        y.key,
        y.file,
        b,
        at,
        `Project ${y.key}`,
      ),
  });
  diffById(a.people, b.people, (p) => p.id, out, {
    created: (p) => ({
      kind: "person.added",
      id: p.id,
      ...at(b, p.file, ["name"]),
      summary: `${p.name} (${p.id}) joined`,
    }),
    deleted: (p) => ({
      kind: "person.removed",
      id: p.id,
      ...at(a, p.file, []),
      summary: `${p.name} (${p.id}) removed`,
    }),
    changed: (x, y) =>
      recordChanges(x.fields, y.fields, "person.changed", y.id, y.file, b, at, `Person ${y.id}`),
  });
  diffById(a.teams, b.teams, (t) => t.id, out, {
    created: (t) => ({
      kind: "team.added",
      id: t.id,
      ...at(b, t.file, ["name"]),
      summary: `Team ${t.id} created`,
    }),
    deleted: (t) => ({
      kind: "team.removed",
      id: t.id,
      ...at(a, t.file, []),
      summary: `Team ${t.id} removed`,
    }),
    changed: (x, y) =>
      recordChanges(x.fields, y.fields, "team.changed", y.id, y.file, b, at, `Team ${y.id}`),
  });
  const configBefore = Object.keys(a.settings.fields).length > 0;
  const configAfter = Object.keys(b.settings.fields).length > 0;
  if (configBefore !== configAfter) {
    // the settings file written (a tracker's first commit) or removed: one change, not one per key
    out.push({
      kind: "config.changed",
      id: "trackdown.yml",
      ...at(configAfter ? b : a, "trackdown.yml", []),
      from: configBefore ? a.settings.fields : null,
      to: configAfter ? b.settings.fields : null,
      summary: `trackdown.yml ${configAfter ? "created" : "removed: the defaults apply"}`,
    });
  } else {
    out.push(
      ...recordChanges(
        a.settings.fields,
        b.settings.fields,
        "config.changed",
        "",
        "trackdown.yml",
        b,
        at,
        "trackdown.yml",
      ),
    );
  }
  diffById(a.timeEntries, b.timeEntries, (e) => e.file, out, {
    created: (e) => ({
      kind: "time.logged",
      id: e.id,
      ...at(b, e.file, ["duration"]),
      person: e.person,
      task: e.task,
      minutes: e.minutes,
      summary: `${e.person} logged ${e.duration} on ${e.task} (${e.date})`,
    }),
    deleted: (e) => ({
      kind: "time.removed",
      id: e.id,
      ...at(a, e.file, []),
      person: e.person,
      task: e.task,
      minutes: e.minutes,
      summary: `${e.person}'s ${e.duration} on ${e.task} (${e.date}) removed`,
    }),
    changed: (x, y) =>
      same(x.fields, y.fields)
        ? []
        : [
            {
              kind: "time.edited",
              id: y.id,
              ...at(b, y.file, changedKey(x.fields, y.fields)),
              person: y.person,
              task: y.task,
              minutes: y.minutes,
              from: x.minutes,
              to: y.minutes,
              summary: `${y.person}'s time on ${y.task} (${y.date}) edited${x.minutes !== y.minutes ? `: ${x.duration} → ${y.duration}` : ""}`,
            },
          ],
  });
  const groupOrder = ["task", "milestone", "project", "person", "team", "config", "time"];
  const order = new Map(out.map((c, i) => [c, i]));
  return out.sort(
    (x, y) =>
      groupOrder.indexOf(changeRecord(x)) - groupOrder.indexOf(changeRecord(y)) ||
      compareTaskIds(x.id, y.id) ||
      order.get(x)! - order.get(y)!,
  );
}

/** The file line of the first body line that differs (bodies start at `bodyLine`). */
function firstChangedLine(before: string, after: string, bodyLine: number): number {
  const a = before.split("\n");
  const b = after.split("\n");
  let i = 0;
  while (i < b.length && a[i] === b[i]) i++;
  return bodyLine + Math.min(i, Math.max(0, b.length - 1));
}

type Locate = (
  tracker: Tracker,
  file: string,
  path: (string | number)[],
) => { file: string; line: number; column: number };

function diffById<T>(
  before: readonly T[],
  after: readonly T[],
  key: (x: T) => string,
  out: Change[],
  on: { created: (x: T) => Change; deleted: (x: T) => Change; changed: (x: T, y: T) => Change[] },
): void {
  const a = new Map(before.map((x) => [key(x), x]));
  const b = new Map(after.map((x) => [key(x), x]));
  for (const [k, x] of a) {
    const y = b.get(k);
    if (y === undefined) out.push(on.deleted(x));
    else out.push(...on.changed(x, y));
  }
  for (const [k, y] of b) if (!a.has(k)) out.push(on.created(y));
}

/** The first top-level key whose value differs, as a path to locate. */
function changedKey(
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
): string[] {
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
    if (!same(a[key], b[key])) return b[key] !== undefined ? [key] : [];
  return [];
}

function recordChanges(
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
  kind: ChangeKind,
  id: string,
  file: string,
  tracker: Tracker,
  at: Locate,
  label: string,
): Change[] {
  const out: Change[] = [];
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (same(a[key], b[key])) continue;
    // name and locate the deepest field that changed: workflow.statuses[1].wip_limit, not workflow
    const path =
      a[key] !== undefined && b[key] !== undefined ? firstDifference(a[key], b[key], [key]) : [key];
    const before = valueAt(a, path);
    const after = valueAt(b, path);
    out.push({
      kind,
      id: id === "" ? key : id,
      ...at(tracker, file, after !== undefined ? path : path.slice(0, -1)),
      from: a[key] ?? null,
      to: b[key] ?? null,
      summary: `${label}: ${pathText(path)} ${after === undefined ? "removed" : before === undefined ? `set to ${show(after)}` : `changed from ${show(before)} to ${show(after)}`}`,
    });
  }
  return out;
}

function milestoneChanges(x: Milestone, y: Milestone, b: Tracker, at: Locate): Change[] {
  const out: Change[] = [];
  if (x.start !== y.start || x.due !== y.due) {
    out.push({
      kind: "milestone.dates",
      id: y.id,
      ...at(b, y.file, [x.due !== y.due ? "due" : "start"]),
      from: { start: x.start ?? null, due: x.due ?? null },
      to: { start: y.start ?? null, due: y.due ?? null },
      summary: `Milestone ${y.id} ${x.due !== y.due ? `due date moved from ${show(x.due)} to ${show(y.due)}` : `start moved from ${show(x.start)} to ${show(y.start)}`}`,
    });
  }
  const rest = (m: Milestone) => ({ ...m.fields, start: undefined, due: undefined });
  out.push(
    ...recordChanges(
      rest(x),
      rest(y),
      "milestone.changed",
      y.id,
      y.file,
      b,
      at,
      `Milestone ${y.id}`,
    ),
  );
  if (x.body !== y.body) {
    out.push({
      kind: "milestone.changed",
      id: y.id,
      file: y.file,
      line: firstChangedLine(x.body, y.body, y.bodyLine),
      column: 1,
      summary: `Milestone ${y.id}: description edited`,
    });
  }
  return out;
}

function diffTasks(a: Tracker, b: Tracker, out: Change[], at: Locate): void {
  const all = (t: Tracker) => new Map([...t.archivedTasks, ...t.tasks].map((x) => [x.id, x]));
  const before = all(a);
  const after = all(b);
  const created = [...after.values()].filter((t) => !before.has(t.id));
  const deleted = [...before.values()].filter((t) => !after.has(t.id));
  // a task moved to another project gets a new id: a deletion and a creation with the same title
  const moved = new Map<Task, Task>();
  for (const d of deleted) {
    const to = created.find(
      (c) =>
        !moved.has(c) && c.title === d.title && parseTaskId(c.id)?.key !== parseTaskId(d.id)?.key,
    );
    if (to !== undefined) moved.set(to, d);
  }
  const movedFrom = new Set(moved.values());
  for (const d of deleted) {
    if (movedFrom.has(d)) continue;
    out.push({
      kind: "task.deleted",
      id: d.id,
      ...at(a, d.file, []),
      state: stateOf(d),
      summary: `${d.id} deleted: ${d.title}`,
    });
  }
  for (const c of created) {
    const from = moved.get(c);
    if (from !== undefined) {
      out.push({
        kind: "task.moved",
        id: c.id,
        ...at(b, c.file, ["id"]),
        from: from.id,
        to: c.id,
        summary: `${from.id} moved to project ${b.project(c.project)?.key ?? c.project} as ${c.id}`,
      });
      out.push(...taskChanges(from, c, b, at, true));
      continue;
    }
    out.push({
      kind: "task.created",
      id: c.id,
      ...at(b, c.file, ["title"]),
      to: c.status,
      state: stateOf(c),
      summary: `${c.id} created in ${c.status}: ${c.title}`,
    });
  }
  for (const [id, x] of before) {
    const y = after.get(id);
    if (y !== undefined) out.push(...taskChanges(x, y, b, at, false));
  }
}

function taskChanges(x: Task, y: Task, b: Tracker, at: Locate, afterMove: boolean): Change[] {
  const out: Change[] = [];
  const id = y.id;
  const push = (kind: ChangeKind, field: string, extra: Partial<Change> & { summary: string }) =>
    out.push({ kind, id, ...at(b, y.file, [field]), ...extra });
  if (!afterMove && x.file !== y.file) {
    if (!x.archived && y.archived)
      push("task.archived", "id", { from: x.file, to: y.file, summary: `${id} archived` });
    else if (x.archived && !y.archived)
      push("task.restored", "id", {
        from: x.file,
        to: y.file,
        summary: `${id} restored from the archive`,
      });
    else
      push("task.renamed", "id", {
        from: x.file,
        to: y.file,
        summary: `${id} renamed to ${y.file}`,
      });
  }
  if (x.title !== y.title)
    push("task.title", "title", {
      from: x.title,
      to: y.title,
      summary: `${id} retitled: ${y.title}`,
    });
  if (x.status !== y.status)
    push("task.status", "status", {
      from: x.status,
      to: y.status,
      summary: `${id} moved from ${x.status} to ${y.status}`,
    });
  const lists: [ChangeKind, string, readonly string[], readonly string[], string][] = [
    ["task.assignees", "assignees", x.assignees, y.assignees, "assignees"],
    ["task.labels", "labels", x.labels, y.labels, "labels"],
    ["task.dependencies", "depends_on", x.dependsOn, y.dependsOn, "dependencies"],
    [
      "task.attachments",
      "attachments",
      x.attachments.map((a) => a.path),
      y.attachments.map((a) => a.path),
      "attachments",
    ],
  ];
  for (const [kind, field, before, after, noun] of lists) {
    const { added, removed } = listDiff(before, after);
    if (added.length === 0 && removed.length === 0) continue;
    push(kind, field, {
      added,
      removed,
      summary: `${id} ${noun}: ${[added.length > 0 ? `+${added.join(", +")}` : "", removed.length > 0 ? `-${removed.join(", -")}` : ""].filter(Boolean).join(" ")}`,
    });
  }
  const values: [ChangeKind, string, unknown, unknown][] = [
    ["task.priority", "priority", x.priority, y.priority],
    ["task.estimate", "estimate", x.estimate, y.estimate],
    ["task.milestone", "milestone", x.milestone, y.milestone],
    ["task.parent", "parent", x.parent, y.parent],
    ["task.start", "start", x.start, y.start],
    ["task.due", "due", x.due, y.due],
  ];
  for (const [kind, field, before, after] of values) {
    if (before === after) continue;
    push(kind, field, {
      from: before ?? null,
      to: after ?? null,
      summary: `${id} ${field} ${after === undefined ? `removed (was ${show(before)})` : before === undefined ? `set to ${show(after)}` : `changed from ${show(before)} to ${show(after)}`}`,
    });
  }
  if (x.body !== y.body) {
    const checklist =
      x.checklist.done !== y.checklist.done || x.checklist.total !== y.checklist.total;
    out.push({
      kind: "task.body",
      id,
      file: y.file,
      line: firstChangedLine(x.body, y.body, y.bodyLine),
      column: 1,
      from: x.checklist,
      to: y.checklist,
      summary: `${id} description edited${checklist ? ` (checklist ${x.checklist.done}/${x.checklist.total} → ${y.checklist.done}/${y.checklist.total})` : ""}`,
    });
  }
  return out;
}

/** Groups of change kinds, for filters and summaries. */
export function changeRecord(
  change: Change,
): "task" | "milestone" | "project" | "person" | "team" | "config" | "time" {
  return change.kind.slice(0, change.kind.indexOf(".")) as ReturnType<typeof changeRecord>;
}
