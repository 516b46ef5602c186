import type { DiagnosticCode } from "../diagnostics/codes.js";
import { compareDiagnostics, type Diagnostic, diagnostic } from "../diagnostics/diagnostic.js";
import type { Change } from "../diff/diff.js";
import type { Person, Settings, Tracker } from "../model.js";
import { classifyPath } from "../parse/layout.js";

/**
 * The pull-request rules: what a change may do, judged by the base branch. The base
 * tracker supplies the workflow, the roles and who holds them, so a pull request can never
 * grant itself rights; the head supplies what the change does. Pure: the Action (and any
 * bot) calls it with two snapshots and the typed changes between them.
 */

/** Who made a change, as the base branch knows them. */
export interface Actor {
  /** The GitHub login. */
  readonly login: string;
  /** The person whose `github` is the login (active people only). */
  readonly person?: string;
  /** Roles held directly, through teams, or the default role for people not in people/. */
  readonly roles: readonly string[];
  /** Every permission those roles give. */
  readonly permissions: ReadonlySet<string>;
}

/** What {@link reviewChanges} needs. */
export interface ReviewInput {
  /** The base branch's tracker: its rules, roles, people and teams decide. */
  readonly base: Tracker;
  /** The head, read with the base's settings (see `withSettingsOf` in the Action). */
  readonly head: Tracker;
  /** What the pull request changes (typed changes, located in the head). */
  readonly changes: readonly Change[];
  /** Tracker-relative paths of every file the pull request touches, records or not. */
  readonly touched: readonly string[];
  /** The pull request author's GitHub login. */
  readonly author: string;
  /**
   * Task ids the pull request creates that the base branch already has (found by the
   * caller comparing with the base branch's tip), with the base's file for each.
   */
  readonly takenIds?: ReadonlyMap<string, string>;
}

/** The verdict: rule violations, and the head's diagnostics that concern the change. */
export interface ReviewResult {
  readonly actor: Actor;
  /** TD4xx rule violations, sorted by file and line. */
  readonly violations: readonly Diagnostic[];
  /**
   * The head's diagnostics on the files the pull request touches, and its errors anywhere
   * that the base does not have (a person removed while tasks still name them).
   */
  readonly diagnostics: readonly Diagnostic[];
}

/** The actor a GitHub login stands for in a tracker (case-insensitive, as GitHub logins are). */
export function actorFor(tracker: Tracker, login: string): Actor {
  const wanted = login.toLowerCase();
  const person = tracker.people.find((p) => p.active && p.github?.toLowerCase() === wanted);
  const roles =
    person !== undefined
      ? rolesOf(tracker, person)
      : tracker.settings.defaultRole !== undefined
        ? [tracker.settings.defaultRole]
        : [];
  const permissions = new Set<string>();
  for (const role of roles) {
    for (const permission of tracker.settings.roles[role]?.permissions ?? []) {
      permissions.add(permission);
    }
  }
  return {
    login,
    ...(person !== undefined ? { person: person.id } : {}),
    roles,
    permissions,
  };
}

/** A person's roles: their own and their teams'. */
function rolesOf(tracker: Tracker, person: Person): string[] {
  const roles = new Set(person.roles);
  for (const team of tracker.teams) {
    if (team.members.includes(person.id)) for (const role of team.roles) roles.add(role);
  }
  return [...roles].sort();
}

/** Whether an actor holds a permission (`*` holds all; `task:move` covers every `task:move:<status>`). */
export function may(actor: Actor, permission: string): boolean {
  if (actor.permissions.has("*") || actor.permissions.has(permission)) return true;
  return permission.startsWith("task:move:") && actor.permissions.has("task:move");
}

/**
 * The permission a change needs, given who makes it. With the base tracker, an edited time
 * entry counts as one's own only when it was one's own before too (moving someone's hours
 * to oneself is logging time for them), and a task created in another status than the
 * workflow's initial one also needs the move into that status.
 */
export function permissionFor(change: Change, actor: Actor, base?: Tracker): string {
  switch (change.kind) {
    case "task.created":
      return base !== undefined &&
        change.state?.status !== undefined &&
        change.state.status !== base.settings.initialStatus
        ? `task:move:${change.state.status}`
        : "task:create";
    case "task.deleted":
      return "task:delete";
    case "task.status":
      return `task:move:${String(change.to)}`;
    case "task.assignees":
      return "task:assign";
    case "milestone.created":
    case "milestone.deleted":
    case "milestone.changed":
    case "milestone.dates":
      return "milestone:edit";
    case "project.created":
    case "project.deleted":
    case "project.changed":
      return "project:edit";
    case "person.added":
    case "person.removed":
    case "person.changed":
      return "people:edit";
    case "team.added":
    case "team.removed":
    case "team.changed":
      return "teams:edit";
    case "config.changed":
      return "config:edit";
    case "time.logged":
    case "time.edited":
    case "time.removed": {
      const before =
        change.kind === "time.edited" && base !== undefined
          ? base.timeEntries.find((e) => e.id === change.id)?.person
          : change.person;
      const own =
        actor.person !== undefined && change.person === actor.person && before === actor.person;
      return own ? "time:log-own" : "time:log-any";
    }
    default:
      return "task:edit";
  }
}

/** Whether the workflow allows a move (`"*"` covers statuses the transitions do not list). */
export function transitionAllowed(settings: Settings, from: string, to: string): boolean {
  if (settings.transitions === undefined || from === to) return true;
  const targets = settings.transitions[from] ?? settings.transitions["*"];
  return targets === undefined || targets.includes(to);
}

/** Judges a pull request's changes by the base branch's rules. */
export function reviewChanges(input: ReviewInput): ReviewResult {
  const { base, head, changes } = input;
  const settings = base.settings;
  const actor = actorFor(base, input.author);
  const violations: Diagnostic[] = [];
  const violation = (
    code: DiagnosticCode,
    at: { file: string; line: number; column: number },
    message: string,
  ): void => {
    const range = { line: at.line, column: at.column, endLine: at.line, endColumn: at.column };
    violations.push(diagnostic({ code, file: at.file, message, range }));
  };
  const who = describeActor(actor);

  // 1. permissions, change by change
  for (const change of changes) {
    const permission = permissionFor(change, actor, base);
    if (!may(actor, permission)) {
      violation(
        "TD401",
        change,
        `${who} may not ${doing(change, permission)} (needs ${permission}).`,
      );
    }
    // creating a task straight into a later status also needs task:create
    if (
      change.kind === "task.created" &&
      permission !== "task:create" &&
      !may(actor, "task:create")
    ) {
      violation("TD401", change, `${who} may not create ${change.id} (needs task:create).`);
    }
  }
  // rights granted by the change itself (roles of people, teams and their members) are
  // the admins' to give, whoever may edit people and teams otherwise
  if (!may(actor, "config:edit")) {
    for (const grant of roleGrants(base, head)) {
      violation(
        "TD401",
        grant.at,
        `${who} may not change who holds which role (${grant.what}; needs config:edit).`,
      );
    }
  }
  // files that are not records (templates, schemas) shape everyone's work
  for (const path of input.touched) {
    const role = classifyPath(path).role;
    if (
      role === "record" ||
      role === "attachment" ||
      path === "README.md" ||
      path.endsWith("/README.md")
    )
      continue;
    if (!may(actor, "config:edit")) {
      violation(
        "TD401",
        { file: path, line: 1, column: 1 },
        `${who} may not change ${path}, which is part of the tracker's setup (needs config:edit).`,
      );
    }
  }

  // 2. the workflow: moves the base's transitions allow
  for (const change of changes) {
    if (change.kind !== "task.status") continue;
    const from = String(change.from);
    const to = String(change.to);
    if (!transitionAllowed(settings, from, to)) {
      const targets = settings.transitions?.[from] ?? settings.transitions?.["*"] ?? [];
      violation(
        "TD402",
        change,
        `${change.id} may not move from ${from} to ${to}; from ${from} the workflow allows ${targets.length === 0 ? "no move" : targets.join(", ")}.`,
      );
    }
  }

  // 3. WIP limits after the change, where the change added to a status over its limit
  const count = (t: Tracker) => {
    const counts = new Map<string, number>();
    for (const task of t.tasks) counts.set(task.status, (counts.get(task.status) ?? 0) + 1);
    return counts;
  };
  const [before, after] = [count(base), count(head)];
  for (const status of settings.statuses) {
    const limit = status.wipLimit;
    const now = after.get(status.id) ?? 0;
    if (limit === undefined || now <= limit || now <= (before.get(status.id) ?? 0)) continue;
    // every task that entered the status: moved, created, restored from the archive…
    const was = new Set(base.tasks.filter((t) => t.status === status.id).map((t) => t.id));
    for (const task of head.tasks) {
      if (task.status !== status.id || was.has(task.id)) continue;
      const own = changes.filter((c) => c.id === task.id);
      const at =
        own.find((c) => c.kind === "task.status") ??
        own.find((c) => c.kind === "task.created" || c.kind === "task.restored") ??
        locate(head, task.file, ["status"]);
      violation(
        "TD403",
        at,
        `${task.id} makes ${now} tasks in ${status.name}, over its WIP limit of ${limit}.`,
      );
    }
  }

  // 4. ids the base branch took meanwhile
  for (const change of changes) {
    if (change.kind !== "task.created") continue;
    const theirs = input.takenIds?.get(change.id);
    if (theirs !== undefined) {
      violation(
        "TD404",
        change,
        `${change.id} is already used on the base branch by ${theirs}; give this task the next free id.`,
      );
    }
  }

  return {
    actor,
    violations: violations.sort(compareDiagnostics),
    diagnostics: relevantDiagnostics(base, head, input.touched),
  };
}

/** The head's diagnostics on touched files, and its errors the base does not have. */
export function relevantDiagnostics(
  base: Tracker,
  head: Tracker,
  touched: readonly string[],
): Diagnostic[] {
  const files = new Set(touched);
  const key = (d: Diagnostic) => `${d.code}\u0000${d.file}\u0000${d.message}`;
  const known = new Set(base.diagnostics.filter((d) => d.severity === "error").map(key));
  return head.diagnostics.filter(
    (d) => files.has(d.file) || (d.severity === "error" && !known.has(key(d))),
  );
}

/**
 * Logins whose roles differ between two trackers, with where the change that did it is:
 * a person's roles, their team's members or roles, a person (re)activated, or a `github`
 * login pointed at someone else. Compared login by login, as the check resolves authors.
 */
function roleGrants(base: Tracker, head: Tracker): { what: string; at: Place }[] {
  const byPlace = new Map<string, { what: string[]; at: Place }>();
  const logins = new Set<string>();
  for (const t of [base, head]) {
    for (const p of t.people) {
      if (p.github !== undefined && p.github !== "") logins.add(p.github.toLowerCase());
    }
  }
  const holder = (t: Tracker, login: string) =>
    t.people.find((p) => p.active && p.github?.toLowerCase() === login);
  for (const login of [...logins].sort()) {
    const [was, now] = [holder(base, login), holder(head, login)];
    // the default role of a login nobody holds is not worth naming as gained or lost
    const rolesIn = (t: Tracker, person: Person | undefined) =>
      person === undefined ? [] : actorFor(t, login).roles;
    const gained = rolesIn(head, now).filter((r) => !rolesIn(base, was).includes(r));
    const lost = rolesIn(base, was).filter((r) => !rolesIn(head, now).includes(r));
    if (gained.length === 0 && lost.length === 0) continue;
    const person = now ?? was;
    // a login moved from one person to another is named, or the two lines would read alike
    const loginOf = (t: Tracker) => t.person(person?.id ?? "")?.github?.toLowerCase();
    const moved =
      was !== undefined && now !== undefined
        ? was.id !== now.id
        : loginOf(base) !== undefined &&
          loginOf(head) !== undefined &&
          loginOf(base) !== loginOf(head);
    const name = person === undefined ? login : moved ? `${person.id} as ${login}` : person.id;
    const what = `${name} ${[
      ...(gained.length > 0 ? [`gains ${gained.join(", ")}`] : []),
      ...(lost.length > 0 ? [`loses ${lost.join(", ")}`] : []),
    ].join(" and ")}`;
    const at = whereRolesChanged(base, head, login);
    const key = `${at.file}:${at.line}:${at.column}`;
    const known = byPlace.get(key);
    if (known !== undefined) known.what.push(what);
    else byPlace.set(key, { what: [what], at });
  }
  return [...byPlace.values()].map((g) => ({ what: g.what.join("; "), at: g.at }));
}

type Place = { file: string; line: number; column: number };

function whereRolesChanged(base: Tracker, head: Tracker, login: string): Place {
  const holder = (t: Tracker) =>
    t.people.find((p) => p.active && p.github?.toLowerCase() === login);
  const ids = [holder(head)?.id, holder(base)?.id].filter((id): id is string => id !== undefined);
  for (const id of ids) {
    const before = base.person(id);
    const after = head.person(id);
    if (after === undefined)
      return before === undefined ? fileStart("people/") : fileStart(before.file);
    if (before === undefined) return locate(head, after.file, ["roles"]);
    if (before.github?.toLowerCase() !== after.github?.toLowerCase())
      return locate(head, after.file, ["github"]);
    if (before.active !== after.active) return locate(head, after.file, ["active"]);
    if (before.roles.join() !== after.roles.join()) return locate(head, after.file, ["roles"]);
    // through a team: one whose members or roles changed around this person
    for (const team of [...head.teams, ...base.teams]) {
      const [a, b] = [base.team(team.id), head.team(team.id)];
      const inA = a?.members.includes(id) === true;
      const inB = b?.members.includes(id) === true;
      if (!inA && !inB) continue;
      if (b === undefined) return fileStart(team.file);
      if (inA !== inB) return locate(head, b.file, ["members"]);
      if (a !== undefined && a.roles.join() !== b.roles.join())
        return locate(head, b.file, ["roles"]);
    }
  }
  return fileStart("trackdown.yml");
}

const fileStart = (file: string): Place => ({ file, line: 1, column: 1 });

function locate(tracker: Tracker, file: string, path: readonly string[]): Place {
  const range = tracker.locate(file, path);
  return { file, line: range.line, column: range.column };
}

function describeActor(actor: Actor): string {
  const roles = actor.roles.length === 0 ? "no role" : `role ${actor.roles.join(", ")}`;
  return actor.person !== undefined
    ? `${actor.login} (${actor.person}, ${roles})`
    : `${actor.login} (not an active person in people/, ${roles})`;
}

/** "move WEB-3 to done", "create WEB-9"… for messages. */
function doing(change: Change, permission: string): string {
  switch (change.kind) {
    case "task.created":
      return permission === "task:create"
        ? `create ${change.id}`
        : `create ${change.id} in ${change.state?.status ?? "that status"}`;
    case "task.deleted":
      return `delete ${change.id}`;
    case "task.status":
      return `move ${change.id} to ${String(change.to)}`;
    case "task.assignees":
      return `change who is assigned to ${change.id}`;
    default:
      if (permission.startsWith("time:")) {
        return permission === "time:log-own"
          ? `log time (${change.id})`
          : `log time for ${change.person ?? "someone else"} (${change.id})`;
      }
      return `make this change (${change.summary})`;
  }
}
