import { type Diagnostic, FILE_START } from "../diagnostics/diagnostic.js";
import { suggestion } from "../did-you-mean.js";
import { parseDuration } from "../duration.js";
import { parseTaskId, taskIdFromFileStem } from "../ids.js";
import type { Milestone, Person, Project, Task, Team, TimeEntry } from "../model.js";
import { normalisePath } from "../source.js";
import type { Locations } from "./locations.js";

// The reference checks, one record or one group at a time: `checkReferences`
// (references.ts) runs them over a whole tracker, the incremental checker over only
// the records and groups a change concerns, so both report to the letter alike.

/** What one record's references are checked against: every id there is, in listing order. */
export interface ReferenceContext {
  /** People by id (the last file of an id, as a map built in listing order keeps). */
  readonly people: ReadonlyMap<string, Person>;
  /** Person ids in listing order, for "did you mean". */
  readonly personIds: readonly string[];
  readonly teamIds: ReadonlySet<string>;
  readonly teamList: readonly string[];
  readonly roles: ReadonlySet<string>;
  readonly roleList: readonly string[];
  /** The project of a folder under projects/. */
  projectOf(folder: string): Project | undefined;
  hasMilestone(id: string): boolean;
  /** Milestone ids in listing order (built on first use: only unknown ones need them). */
  milestoneIds(): readonly string[];
  hasTask(id: string): boolean;
  /** Task ids in id order (built on first use). */
  taskIds(): readonly string[];
  readonly attachments: ReadonlySet<string>;
  /** Attachment paths in listing order (built on first use). */
  attachmentList(): readonly string[];
  readonly escapingLinks: ReadonlySet<string>;
  readonly hoursPerDay: number;
  readonly closedStatuses: ReadonlySet<string>;
}

type Path = (string | number)[];

/** The references whose target may not exist, and how each is reported. */
const UNKNOWN = {
  person: {
    code: "TD201",
    message: (id: string) => `"${id}" is not a person in people/.`,
    noun: "people",
    ids: (ctx: ReferenceContext) => ctx.personIds,
  },
  role: {
    code: "TD205",
    message: (id: string) => `"${id}" is not a role declared in trackdown.yml.`,
    noun: "roles",
    ids: (ctx: ReferenceContext) => ctx.roleList,
  },
  task: {
    code: "TD204",
    message: (id: string) => `There is no task "${id}".`,
    noun: "tasks",
    ids: (ctx: ReferenceContext) => ctx.taskIds(),
  },
} as const;

/** Reports a reference whose target does not exist, with a "did you mean". */
function unknown(
  kind: keyof typeof UNKNOWN,
  ctx: ReferenceContext,
  at: Locations,
  out: Diagnostic[],
  file: string,
  id: string,
  path: Path,
): void {
  // one call site per kind: this runs for every reference of every record
  const known =
    kind === "task" ? ctx.hasTask(id) : kind === "person" ? ctx.people.has(id) : ctx.roles.has(id);
  if (known) return;
  const ref = UNKNOWN[kind];
  out.push(
    at.at(
      {
        code: ref.code,
        file,
        message: ref.message(id),
        hint: suggestion(id, ref.ids(ctx), ref.noun),
      },
      path,
    ),
  );
}

/** A person's roles exist (TD205). */
export function personReferences(p: Person, ctx: ReferenceContext, at: Locations): Diagnostic[] {
  const out: Diagnostic[] = [];
  p.roles.forEach((r, i) => {
    unknown("role", ctx, at, out, p.file, r, ["roles", i]);
  });
  return out;
}

/** A team's members, lead and roles exist, and its lead is a member (TD201, TD205, TD218). */
export function teamReferences(t: Team, ctx: ReferenceContext, at: Locations): Diagnostic[] {
  const out: Diagnostic[] = [];
  t.members.forEach((m, i) => {
    unknown("person", ctx, at, out, t.file, m, ["members", i]);
  });
  t.roles.forEach((r, i) => {
    unknown("role", ctx, at, out, t.file, r, ["roles", i]);
  });
  if (t.lead !== undefined) {
    unknown("person", ctx, at, out, t.file, t.lead, ["lead"]);
    if (ctx.people.has(t.lead) && !t.members.includes(t.lead)) {
      out.push(
        at.at(
          {
            code: "TD218",
            file: t.file,
            message: `The lead "${t.lead}" is not among the team's members.`,
          },
          ["lead"],
        ),
      );
    }
  }
  return out;
}

/** A project's lead and team exist (TD201, TD202). */
export function projectReferences(p: Project, ctx: ReferenceContext, at: Locations): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (p.lead !== undefined) unknown("person", ctx, at, out, p.file, p.lead, ["lead"]);
  if (p.team !== undefined && !ctx.teamIds.has(p.team)) {
    out.push(
      at.at(
        {
          code: "TD202",
          file: p.file,
          message: `"${p.team}" is not a team in teams/.`,
          hint: suggestion(p.team, ctx.teamList, "teams"),
        },
        ["team"],
      ),
    );
  }
  return out;
}

/**
 * A task's id agrees with its file name and project (TD212, TD213), and its assignees,
 * milestone, parent, dependencies and attachments exist (TD201, TD217, TD203, TD204,
 * TD207, TD208). Duplicate ids and cycles are group checks.
 */
export function taskReferences(t: Task, ctx: ReferenceContext, at: Locations): Diagnostic[] {
  const out: Diagnostic[] = [];
  const stem = t.file.slice(t.file.lastIndexOf("/") + 1, -3);
  const fromName = taskIdFromFileStem(stem);
  if (typeof t.fields.id === "string" && fromName !== t.id) {
    out.push(
      at.at(
        {
          code: "TD212",
          file: t.file,
          message: `The id is ${t.id} but the file name ${fromName === undefined ? "does not start with a task id" : `says ${fromName}`}.`,
          hint: `Name the file ${t.id}.md or ${t.id}-<words>.md, or set \`id: ${fromName ?? "…"}\`.`,
        },
        ["id"],
      ),
    );
  }
  const project = ctx.projectOf(t.project);
  const key = parseTaskId(t.id)?.key;
  if (project !== undefined && key !== undefined && key !== project.key) {
    out.push(
      at.at(
        {
          code: "TD213",
          file: t.file,
          message: `${t.id} is in projects/${t.project}/, whose key is ${project.key}; its id should start with ${project.key}-.`,
        },
        ["id"],
      ),
    );
  }
  t.assignees.forEach((a, i) => {
    unknown("person", ctx, at, out, t.file, a, ["assignees", i]);
    const p = ctx.people.get(a);
    if (p !== undefined && !p.active && !t.archived && !ctx.closedStatuses.has(t.status)) {
      out.push(
        at.at(
          {
            code: "TD217",
            file: t.file,
            message: `"${a}" is marked as no longer active but is assigned to ${t.id}, which is still open.`,
          },
          ["assignees", i],
        ),
      );
    }
  });
  if (t.milestone !== undefined && !ctx.hasMilestone(t.milestone)) {
    out.push(
      at.at(
        {
          code: "TD203",
          file: t.file,
          message: `There is no milestone "${t.milestone}".`,
          hint: suggestion(t.milestone, ctx.milestoneIds(), "milestones"),
        },
        ["milestone"],
      ),
    );
  }
  if (t.parent !== undefined) unknown("task", ctx, at, out, t.file, t.parent, ["parent"]);
  t.dependsOn.forEach((d, i) => {
    unknown("task", ctx, at, out, t.file, d, ["depends_on", i]);
  });
  taskAttachments(t, ctx, at, out);
  return out;
}

function taskAttachments(t: Task, ctx: ReferenceContext, at: Locations, out: Diagnostic[]): void {
  t.attachments.forEach((a, i) => {
    const path =
      Array.isArray(t.fields.attachments) && typeof t.fields.attachments[i] === "object"
        ? ["attachments", i, "path"]
        : ["attachments", i];
    const clean = normalisePath(a.path);
    if (clean === undefined || ctx.escapingLinks.has(clean)) {
      out.push(
        at.at(
          {
            code: "TD208",
            file: t.file,
            message: `The attachment path "${a.path}" leads outside the tracker; it is never read.`,
          },
          path,
        ),
      );
      return;
    }
    if (!ctx.attachments.has(clean)) {
      const near = suggestion(clean, ctx.attachmentList(), "attachments");
      out.push(
        at.at(
          {
            code: "TD207",
            file: t.file,
            message: `The attachment "${a.path}" does not exist.`,
            hint: `${near} Paths are relative to the tracker's root, e.g. files/${t.id}/name.png.`,
          },
          path,
        ),
      );
    }
  });
}

/** A time entry's person and task exist, its duration is in range and its file name agrees (TD201, TD204, TD106, TD219). */
export function timeEntryReferences(
  e: TimeEntry,
  ctx: ReferenceContext,
  at: Locations,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (e.person !== "") unknown("person", ctx, at, out, e.file, e.person, ["person"]);
  if (e.task !== "") unknown("task", ctx, at, out, e.file, e.task, ["task"]);
  // an unparsable duration is the schema's TD103; only a parsed one can be out of range
  const parsedMinutes = parseDuration(e.duration, ctx.hoursPerDay);
  if (parsedMinutes !== undefined && (parsedMinutes < 1 || parsedMinutes > 24 * 60)) {
    out.push(
      at.at(
        {
          code: "TD106",
          file: e.file,
          message: `The duration ${e.duration} is ${e.minutes} minutes; an entry lasts from 1 minute to 24 hours.`,
        },
        ["duration"],
      ),
    );
  }
  const name = e.file.slice(e.file.lastIndexOf("/") + 1);
  const folder = e.file.split("/").slice(1, -1).join("/");
  const expected = `${e.date}-${e.person}-${e.task}-`;
  if (e.date !== "" && folder !== e.date.slice(0, 7)) {
    out.push(
      at.at(
        {
          code: "TD219",
          file: e.file,
          message: `The entry is dated ${e.date} but filed under time/${folder === "" ? "" : `${folder}/`}; it belongs in time/${e.date.slice(0, 7)}/.`,
        },
        ["date"],
      ),
    );
  } else if (e.date !== "" && e.person !== "" && e.task !== "" && !name.startsWith(expected)) {
    out.push(
      at.at(
        {
          code: "TD219",
          file: e.file,
          message: `The file name does not start with ${expected} (its date, person and task).`,
        },
        [],
      ),
    );
  }
  return out;
}

/** One diagnostic for each record of a group that shares an id, naming the others. */
function eachOfShared<T extends { readonly file: string }>(
  group: readonly T[],
  each: (record: T, others: readonly T[]) => Diagnostic,
): Diagnostic[] {
  if (group.length < 2) return [];
  return group.map((record) =>
    each(
      record,
      group.filter((o) => o !== record),
    ),
  );
}

/** TD214 on each of the projects (in listing order) that share a key. */
export function duplicateProjectKeys(
  key: string,
  group: readonly Project[],
  at: Locations,
): Diagnostic[] {
  return eachOfShared(group, (p, others) =>
    at.at(
      {
        code: "TD214",
        file: p.file,
        message: `The key "${key}" is also used by ${others.map((o) => o.file).join(", ")}.`,
        related: others.map((o) => ({
          file: o.file,
          ...at.range(o.file, ["key"]),
          message: `also key ${key}`,
        })),
      },
      ["key"],
    ),
  );
}

/** TD215 on each of the milestones (in listing order) that share an id. */
export function duplicateMilestoneIds(
  id: string,
  group: readonly Milestone[],
  at: Locations,
): Diagnostic[] {
  return eachOfShared(group, (m, others) =>
    at.at(
      {
        code: "TD215",
        file: m.file,
        message: `The milestone id "${id}" is also used by ${others.map((o) => o.file).join(", ")}.`,
        related: others.map((o) => ({ file: o.file, ...FILE_START, message: "same milestone id" })),
      },
      [],
    ),
  );
}

/** TD211 on each of the tasks (in id order) that share an id. */
export function duplicateTaskIds(id: string, group: readonly Task[], at: Locations): Diagnostic[] {
  return eachOfShared(group, (t, others) =>
    at.at(
      {
        code: "TD211",
        file: t.file,
        message: `The id ${id} is also used by ${others.map((o) => o.file).join(" and ")}.`,
        related: others.map((o) => ({
          file: o.file,
          ...at.range(o.file, ["id"]),
          message: `also ${id}`,
        })),
      },
      ["id"],
    ),
  );
}

/** TD216 on the first task or milestone of a project folder that has no project.md. */
export function missingProject(
  folder: string,
  first: { readonly file: string },
  at: Locations,
): Diagnostic {
  return at.at(
    {
      code: "TD216",
      file: first.file,
      message: `projects/${folder}/project.md is missing, so the project's key and name are unknown.`,
    },
    [],
  );
}

/**
 * Dependency cycles (TD209, once per edge of a cycle) and parent cycles (TD210, once per
 * task in one), found over every task in id order: which cycle a search meets first
 * depends on where it starts, so this runs over the whole graph, which costs a few
 * milliseconds for 10,000 tasks.
 */
export function findCycles(
  tasks: readonly Task[],
  byId: ReadonlyMap<string, readonly Task[]>,
  at: Locations,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const first = (id: string) => byId.get(id)?.[0];
  // dependencies: iterative DFS with colours; a back edge closes a cycle
  const state = new Map<string, 1 | 2>();
  const reported = new Set<string>();
  for (const start of tasks) {
    if (state.has(start.id)) continue;
    const stack: { id: string; next: number }[] = [{ id: start.id, next: 0 }];
    const onPath: string[] = [start.id];
    state.set(start.id, 1);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const deps = first(frame.id)?.dependsOn ?? [];
      if (frame.next >= deps.length) {
        state.set(frame.id, 2);
        stack.pop();
        onPath.pop();
        continue;
      }
      const dep = deps[frame.next++]!;
      if (!byId.has(dep)) continue;
      const s = state.get(dep);
      if (s === undefined) {
        state.set(dep, 1);
        stack.push({ id: dep, next: 0 });
        onPath.push(dep);
      } else if (s === 1) {
        const cycle = onPath.slice(onPath.indexOf(dep));
        const ring = [...cycle, dep].join(" → ");
        cycle.forEach((id, i) => {
          const t = first(id)!;
          const target = cycle[(i + 1) % cycle.length]!;
          if (reported.has(`${t.id}>${target}`)) return;
          reported.add(`${t.id}>${target}`);
          out.push(
            at.at({ code: "TD209", file: t.file, message: `Dependency cycle: ${ring}.` }, [
              "depends_on",
              t.dependsOn.indexOf(target),
            ]),
          );
        });
      }
    }
  }
  // parents: follow each chain; a chain that meets itself is a cycle
  const inCycle = new Set<string>();
  for (const t of tasks) {
    if (t.parent === undefined || inCycle.has(t.id)) continue;
    const seen: string[] = [];
    let cur: Task | undefined = t;
    while (cur?.parent !== undefined && !seen.includes(cur.id)) {
      seen.push(cur.id);
      cur = first(cur.parent);
    }
    if (cur === undefined || cur.id !== t.id) continue;
    for (const id of seen) inCycle.add(id);
    const ring = [...seen, t.id].join(" → ");
    for (const id of seen) {
      out.push(
        at.at({ code: "TD210", file: first(id)!.file, message: `Parent cycle: ${ring}.` }, [
          "parent",
        ]),
      );
    }
  }
  return out;
}
