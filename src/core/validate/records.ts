import { parseDuration } from "../duration.js";
import { TASK_ID, taskIdFromFileStem } from "../ids.js";
import type {
  Checklist,
  Milestone,
  Person,
  Project,
  Settings,
  StatusCategory,
  Task,
  TaskAttachment,
  Team,
  TimeEntry,
  WorkflowStatus,
} from "../model.js";
import { RESERVED_KEYS } from "../parse/yaml.js";

// Builders from a file's fields to a record. They run after schema validation has reported
// what is wrong, and take each field only when it has the right shape, so a record with a
// broken field still loads with that field left out.

type Fields = Readonly<Record<string, unknown>>;

const str = (f: Fields, k: string): string | undefined =>
  typeof f[k] === "string" && f[k] !== "" ? (f[k] as string) : undefined;
const num = (f: Fields, k: string): number | undefined =>
  typeof f[k] === "number" && Number.isFinite(f[k]) ? (f[k] as number) : undefined;
const bool = (f: Fields, k: string): boolean | undefined =>
  typeof f[k] === "boolean" ? (f[k] as boolean) : undefined;
const EMPTY: readonly string[] = Object.freeze([]);
const strList = (f: Fields, k: string): readonly string[] => {
  const v = f[k];
  if (!Array.isArray(v) || v.length === 0) return EMPTY;
  // the common case, a list of distinct non-empty strings, is kept as it is
  let clean = true;
  for (let i = 0; i < v.length && clean; i++) {
    const x = v[i];
    clean = typeof x === "string" && x !== "" && v.indexOf(x) === i;
  }
  if (clean) return Object.freeze(v as string[]);
  return Object.freeze([
    ...new Set(v.filter((x): x is string => typeof x === "string" && x !== "")),
  ]);
};
const oneOf = <T extends string>(f: Fields, k: string, allowed: readonly T[], fallback: T): T => {
  const v = f[k];
  return typeof v === "string" && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
};
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const date = (f: Fields, k: string): string | undefined => {
  const v = str(f, k);
  return v !== undefined && DATE.test(v) ? v : undefined;
};

/**
 * Where a record's Markdown body comes from: the text itself, or a parsed file whose body
 * loads lazily (a cached file's getter).
 */
export type BodySource = string | { readonly body: string };

/**
 * Adds the `body` property: a plain value when the text is at hand, else a getter that
 * reads it on first use, so a run that never looks at bodies (a check with nothing
 * changed) never loads them from the cache.
 */
function withBody<T extends { readonly body: string }>(
  record: Omit<T, "body">,
  source: BodySource,
): T {
  if (typeof source === "string") return Object.assign(record, { body: source }) as unknown as T;
  // One getter function shared by every record, reading a hidden per-record source: V8 then
  // keeps all records on one hidden class. A closure per record gave each its own class, and
  // every property read on tasks went megamorphic (queries ran 3x slower).
  Object.defineProperty(record, BODY_SOURCE, { value: source });
  return Object.defineProperty(record, "body", {
    get: readLazyBody,
    enumerable: true,
  }) as unknown as T;
}

const BODY_SOURCE = Symbol("trackdown.bodySource");

function readLazyBody(this: { readonly [BODY_SOURCE]: { readonly body: string } }): string {
  return this[BODY_SOURCE].body;
}

/**
 * Freezes a record. Absent optional fields stay as `undefined` properties rather than
 * being deleted: deleting turns objects into slow dictionaries, and JSON drops them anyway.
 */
function freezeRecord<T extends object>(record: T): T {
  if ("fields" in record) deepFreeze(record.fields);
  return Object.freeze(record);
}

/** Freezes parsed data all the way down, so a snapshot's fields cannot be changed by accident. */
function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
}

/** The workflow every tracker gets when trackdown.yml is missing or unreadable. */
export const DEFAULT_STATUSES: readonly WorkflowStatus[] = [
  { id: "backlog", name: "Backlog", category: "todo", required: [] },
  { id: "todo", name: "To do", category: "todo", required: [] },
  { id: "doing", name: "Doing", category: "in-progress", required: [] },
  { id: "review", name: "Review", category: "in-progress", required: [] },
  { id: "done", name: "Done", category: "done", required: [] },
  { id: "cancelled", name: "Cancelled", category: "done", required: [] },
];

export const DEFAULT_PRIORITIES: readonly string[] = ["urgent", "high", "medium", "low"];

/** Settings from trackdown.yml's fields (or the defaults when there are none). */
export function buildSettings(fields: Fields | undefined): Settings {
  const f = fields ?? {};
  const workflow = (
    typeof f.workflow === "object" && f.workflow !== null ? f.workflow : {}
  ) as Fields;
  const statuses: WorkflowStatus[] = [];
  const seen = new Set<string>();
  if (Array.isArray(workflow.statuses)) {
    for (const raw of workflow.statuses) {
      if (typeof raw !== "object" || raw === null) continue;
      const s = raw as Fields;
      const id = str(s, "id");
      if (id === undefined || seen.has(id)) continue;
      seen.add(id);
      statuses.push(
        freezeRecord({
          id,
          name: str(s, "name") ?? id,
          category: oneOf<StatusCategory>(s, "category", ["todo", "in-progress", "done"], "todo"),
          wipLimit: num(s, "wip_limit"),
          required: strList(s, "required"),
          description: str(s, "description"),
        }),
      );
    }
  }
  const finalStatuses = statuses.length > 0 ? statuses : DEFAULT_STATUSES;
  let transitions: Record<string, readonly string[]> | undefined;
  if (typeof workflow.transitions === "object" && workflow.transitions !== null) {
    transitions = Object.create(null) as Record<string, readonly string[]>;
    for (const [from, to] of Object.entries(workflow.transitions as Fields)) {
      if (RESERVED_KEYS.has(from)) continue;
      if (Array.isArray(to))
        transitions[from] = Object.freeze(to.filter((x): x is string => typeof x === "string"));
    }
    Object.freeze(transitions);
  }
  // null-prototype maps: ids come from the file, and "toString" or "constructor" must not
  // be mistaken for a declared role or label
  const roles = Object.create(null) as Record<
    string,
    { description?: string; permissions: readonly string[] }
  >;
  if (typeof f.roles === "object" && f.roles !== null) {
    for (const [id, raw] of Object.entries(f.roles as Fields)) {
      if (typeof raw !== "object" || raw === null || RESERVED_KEYS.has(id)) continue;
      roles[id] = freezeRecord({
        description: str(raw as Fields, "description"),
        permissions: strList(raw as Fields, "permissions"),
      });
    }
  }
  let labels: Record<string, { description?: string; color?: string }> | undefined;
  if (typeof f.labels === "object" && f.labels !== null && !Array.isArray(f.labels)) {
    labels = Object.create(null) as Record<string, { description?: string; color?: string }>;
    for (const [id, raw] of Object.entries(f.labels as Fields)) {
      if (RESERVED_KEYS.has(id)) continue;
      const l = (typeof raw === "object" && raw !== null ? raw : {}) as Fields;
      labels[id] = freezeRecord({ description: str(l, "description"), color: str(l, "color") });
    }
    Object.freeze(labels);
  }
  const initial = str(workflow, "initial");
  const priorities = strList(f, "priorities");
  return freezeRecord({
    key: str(f, "key") ?? "tracker",
    name: str(f, "name") ?? "Tracker",
    timezone: str(f, "timezone") ?? "UTC",
    hoursPerDay: num(f, "hours_per_day") ?? 8,
    estimateUnit: oneOf(f, "estimate_unit", ["points", "hours"], "points"),
    statuses: Object.freeze(finalStatuses),
    initialStatus:
      initial !== undefined && finalStatuses.some((s) => s.id === initial)
        ? initial
        : finalStatuses[0]!.id,
    transitions,
    priorities: priorities.length > 0 ? priorities : DEFAULT_PRIORITIES,
    labels,
    roles: Object.freeze(roles),
    defaultRole: str(f, "default_role"),
    fields: f,
  });
}

export function buildPerson(file: string, id: string, f: Fields): Person {
  return freezeRecord({
    file,
    id,
    name: str(f, "name") ?? id,
    email: str(f, "email"),
    github: str(f, "github"),
    roles: strList(f, "roles"),
    capacity: num(f, "capacity"),
    timezone: str(f, "timezone"),
    active: bool(f, "active") ?? true,
    fields: f,
  });
}

export function buildTeam(file: string, id: string, f: Fields): Team {
  return freezeRecord({
    file,
    id,
    name: str(f, "name") ?? id,
    description: str(f, "description"),
    lead: str(f, "lead"),
    members: strList(f, "members"),
    roles: strList(f, "roles"),
    fields: f,
  });
}

export function buildProject(
  file: string,
  folder: string,
  f: Fields,
  body: BodySource,
  bodyLine = 1,
): Project {
  return freezeRecord(
    withBody<Project>(
      {
        file,
        folder,
        key: str(f, "key") ?? folder.toUpperCase(),
        name: str(f, "name") ?? folder,
        status: oneOf(f, "status", ["active", "paused", "done", "archived"], "active"),
        lead: str(f, "lead"),
        team: str(f, "team"),
        start: date(f, "start"),
        target: date(f, "target"),
        bodyLine,
        fields: f,
      },
      body,
    ),
  );
}

export function buildMilestone(
  file: string,
  id: string,
  project: string,
  f: Fields,
  body: BodySource,
  bodyLine = 1,
): Milestone {
  return freezeRecord(
    withBody<Milestone>(
      {
        file,
        id,
        project,
        title: str(f, "title") ?? id,
        status: oneOf(f, "status", ["planned", "active", "done", "cancelled"], "planned"),
        start: date(f, "start"),
        due: date(f, "due"),
        bodyLine,
        fields: f,
      },
      body,
    ),
  );
}

function attachments(f: Fields): readonly TaskAttachment[] {
  const v = f.attachments;
  if (!Array.isArray(v)) return [];
  const out: TaskAttachment[] = [];
  for (const item of v) {
    if (typeof item === "string" && item !== "") out.push({ path: item });
    else if (
      typeof item === "object" &&
      item !== null &&
      typeof (item as Fields).path === "string"
    ) {
      const title = str(item as Fields, "title");
      out.push(freezeRecord({ path: (item as Fields).path as string, title }));
    }
  }
  return Object.freeze(out);
}

export function buildTask(
  file: string,
  stem: string,
  project: string,
  archived: boolean,
  f: Fields,
  body: BodySource,
  checklist: Checklist,
  initialStatus: string,
  bodyLine = 1,
): Task {
  const written = str(f, "id");
  const id =
    written !== undefined && TASK_ID.test(written) ? written : (taskIdFromFileStem(stem) ?? stem);
  return freezeRecord(
    withBody<Task>(
      {
        file,
        id,
        project,
        title: str(f, "title") ?? id,
        status: str(f, "status") ?? initialStatus,
        assignees: strList(f, "assignees"),
        priority: str(f, "priority"),
        estimate: num(f, "estimate"),
        labels: strList(f, "labels"),
        milestone: str(f, "milestone"),
        parent: str(f, "parent"),
        dependsOn: strList(f, "depends_on"),
        start: date(f, "start"),
        due: date(f, "due"),
        created: date(f, "created"),
        attachments: attachments(f),
        checklist,
        bodyLine,
        archived,
        fields: f,
      },
      body,
    ),
  );
}

export function buildTimeEntry(
  file: string,
  id: string,
  f: Fields,
  hoursPerDay: number,
): TimeEntry {
  const duration = str(f, "duration") ?? "";
  return freezeRecord({
    file,
    id,
    person: str(f, "person") ?? "",
    task: str(f, "task") ?? "",
    date: date(f, "date") ?? "",
    minutes: parseDuration(duration, hoursPerDay) ?? 0,
    duration,
    note: str(f, "note"),
    billable: bool(f, "billable") ?? false,
    fields: f,
  });
}
