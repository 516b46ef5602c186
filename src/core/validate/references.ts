import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { suggestion } from "../did-you-mean.js";
import { parseDuration } from "../duration.js";
import { groupInto } from "../group.js";
import { parseTaskId, taskIdFromFileStem } from "../ids.js";
import type { Milestone, Person, Project, Task, Team, TimeEntry } from "../model.js";
import { normalisePath } from "../source.js";
import type { Locations } from "./locations.js";

/** Everything the reference checks look at. */
export interface RecordSet {
  readonly people: ReadonlyMap<string, Person>;
  readonly teams: ReadonlyMap<string, Team>;
  readonly projects: readonly Project[];
  /** Folders under projects/ that hold tasks or milestones. */
  readonly projectFolders: ReadonlySet<string>;
  readonly milestones: readonly Milestone[];
  /** Active and archived tasks. */
  readonly tasks: readonly Task[];
  readonly timeEntries: readonly TimeEntry[];
  readonly roles: ReadonlySet<string>;
  /** Paths of files under files/. */
  readonly attachments: ReadonlySet<string>;
  /** Paths of links that lead outside the tracker. */
  readonly escapingLinks: ReadonlySet<string>;
  /** Duration problems are decided here since they need hours_per_day. */
  readonly hoursPerDay: number;
  /** Statuses whose category is done (closed work). */
  readonly closedStatuses: ReadonlySet<string>;
}

/**
 * Checks that every reference between records resolves: people, teams, roles,
 * milestones, tasks, attachments; that ids are unique and agree with file names; and
 * that parents and dependencies have no cycles.
 */
export function checkReferences(set: RecordSet, at: Locations): Diagnostic[] {
  const out: Diagnostic[] = [];
  const personIds = [...set.people.keys()];
  const roleIds = [...set.roles];

  const person = (file: string, id: string, path: (string | number)[]) => {
    if (set.people.has(id)) return;
    out.push(
      at.at(
        {
          code: "TD201",
          file,
          message: `"${id}" is not a person in people/.`,
          hint: suggestion(id, personIds, "people"),
        },
        path,
      ),
    );
  };
  const role = (file: string, id: string, path: (string | number)[]) => {
    if (set.roles.has(id)) return;
    out.push(
      at.at(
        {
          code: "TD205",
          file,
          message: `"${id}" is not a role declared in trackdown.yml.`,
          hint: suggestion(id, roleIds, "roles"),
        },
        path,
      ),
    );
  };

  for (const p of set.people.values())
    p.roles.forEach((r, i) => {
      role(p.file, r, ["roles", i]);
    });

  for (const t of set.teams.values()) {
    t.members.forEach((m, i) => {
      person(t.file, m, ["members", i]);
    });
    t.roles.forEach((r, i) => {
      role(t.file, r, ["roles", i]);
    });
    if (t.lead !== undefined) {
      person(t.file, t.lead, ["lead"]);
      if (set.people.has(t.lead) && !t.members.includes(t.lead)) {
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
  }

  // projects: keys unique, leads and teams exist, every folder has a project.md
  const byKey = new Map<string, Project[]>();
  for (const p of set.projects) {
    groupInto(byKey, p.key, p);
    if (p.lead !== undefined) person(p.file, p.lead, ["lead"]);
    if (p.team !== undefined && !set.teams.has(p.team)) {
      out.push(
        at.at(
          {
            code: "TD202",
            file: p.file,
            message: `"${p.team}" is not a team in teams/.`,
            hint: suggestion(p.team, [...set.teams.keys()], "teams"),
          },
          ["team"],
        ),
      );
    }
  }
  for (const [key, group] of byKey) {
    if (group.length < 2) continue;
    for (const p of group) {
      const others = group.filter((o) => o !== p);
      out.push(
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
  }
  const folders = new Map(set.projects.map((p) => [p.folder, p]));
  for (const folder of set.projectFolders) {
    if (folders.has(folder)) continue;
    const first =
      set.tasks.find((t) => t.project === folder) ??
      set.milestones.find((m) => m.project === folder);
    if (first !== undefined) {
      out.push(
        at.at(
          {
            code: "TD216",
            file: first.file,
            message: `projects/${folder}/project.md is missing, so the project's key and name are unknown.`,
          },
          [],
        ),
      );
    }
  }

  // milestones: ids unique across the tracker
  const milestonesById = new Map<string, Milestone[]>();
  for (const m of set.milestones) groupInto(milestonesById, m.id, m);
  for (const [id, group] of milestonesById) {
    if (group.length < 2) continue;
    for (const m of group) {
      const others = group.filter((o) => o !== m);
      out.push(
        at.at(
          {
            code: "TD215",
            file: m.file,
            message: `The milestone id "${id}" is also used by ${others.map((o) => o.file).join(", ")}.`,
            related: others.map((o) => ({
              file: o.file,
              line: 1,
              column: 1,
              endLine: 1,
              endColumn: 1,
              message: "same milestone id",
            })),
          },
          [],
        ),
      );
    }
  }

  // tasks
  const tasksById = new Map<string, Task[]>();
  for (const t of set.tasks) groupInto(tasksById, t.id, t);
  const taskIds = [...tasksById.keys()];
  const task = (file: string, id: string, path: (string | number)[]) => {
    if (tasksById.has(id)) return;
    out.push(
      at.at(
        {
          code: "TD204",
          file,
          message: `There is no task "${id}".`,
          hint: suggestion(id, taskIds, "tasks"),
        },
        path,
      ),
    );
  };
  const milestoneIds = [...milestonesById.keys()];
  for (const [id, group] of tasksById) {
    if (group.length < 2) continue;
    for (const t of group) {
      const others = group.filter((o) => o !== t);
      out.push(
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
  }
  for (const t of set.tasks) {
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
    const project = folders.get(t.project);
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
      person(t.file, a, ["assignees", i]);
      const p = set.people.get(a);
      if (p !== undefined && !p.active && !t.archived && !set.closedStatuses.has(t.status)) {
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
    if (t.milestone !== undefined && !milestonesById.has(t.milestone)) {
      out.push(
        at.at(
          {
            code: "TD203",
            file: t.file,
            message: `There is no milestone "${t.milestone}".`,
            hint: suggestion(t.milestone, milestoneIds, "milestones"),
          },
          ["milestone"],
        ),
      );
    }
    if (t.parent !== undefined) task(t.file, t.parent, ["parent"]);
    t.dependsOn.forEach((d, i) => {
      task(t.file, d, ["depends_on", i]);
    });
    checkAttachments(t, set, at, out);
  }
  out.push(...checkCycles(set.tasks, tasksById, at));

  for (const e of set.timeEntries) {
    if (e.person !== "") person(e.file, e.person, ["person"]);
    if (e.task !== "") task(e.file, e.task, ["task"]);
    // an unparsable duration is the schema's TD103; only a parsed one can be out of range
    const parsedMinutes = parseDuration(e.duration, set.hoursPerDay);
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
  }
  return out;
}

function checkAttachments(t: Task, set: RecordSet, at: Locations, out: Diagnostic[]): void {
  t.attachments.forEach((a, i) => {
    const path =
      typeof t.fields.attachments === "object" &&
      Array.isArray(t.fields.attachments) &&
      typeof t.fields.attachments[i] === "object"
        ? ["attachments", i, "path"]
        : ["attachments", i];
    const clean = normalisePath(a.path);
    if (clean === undefined || set.escapingLinks.has(clean)) {
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
    if (!set.attachments.has(clean)) {
      const near = suggestion(clean, [...set.attachments], "attachments");
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

/** Finds dependency cycles and parent cycles; reports each cycle once per task in it. */
function checkCycles(
  tasks: readonly Task[],
  byId: ReadonlyMap<string, Task[]>,
  at: Locations,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  // dependencies: iterative DFS with colours; a back edge closes a cycle
  const state = new Map<string, 1 | 2>();
  const reported = new Set<string>();
  const first = (id: string) => byId.get(id)?.[0];
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
        for (let i = 0; i < cycle.length; i++) {
          const t = first(cycle[i]!)!;
          const target = cycle[(i + 1) % cycle.length]!;
          if (reported.has(`${t.id}>${target}`)) continue;
          reported.add(`${t.id}>${target}`);
          out.push(
            at.at({ code: "TD209", file: t.file, message: `Dependency cycle: ${ring}.` }, [
              "depends_on",
              t.dependsOn.indexOf(target),
            ]),
          );
        }
      }
    }
  }
  // parents: follow each chain; a chain that meets itself is a cycle
  const inCycle = new Set<string>();
  for (const t of tasks) {
    const seen: string[] = [];
    let cur: Task | undefined = t;
    while (cur?.parent !== undefined && !seen.includes(cur.id)) {
      seen.push(cur.id);
      cur = first(cur.parent);
    }
    if (cur !== undefined && seen.includes(cur.id) && cur.id === t.id && !inCycle.has(t.id)) {
      for (const id of seen) inCycle.add(id);
      const ring = [...seen, t.id].join(" → ");
      for (const id of seen) {
        const member = first(id)!;
        out.push(
          at.at({ code: "TD210", file: member.file, message: `Parent cycle: ${ring}.` }, [
            "parent",
          ]),
        );
      }
    }
  }
  return out;
}
